"""The room page's words that follow the server (break length, ladder, check-in limits, done
button, listener), under node: no browser needed, so it runs wherever node does.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

UNITS = Path(__file__).parent / "js" / "room_words.mjs"


@pytest.mark.skipif(
    shutil.which("node") is None,
    reason="node is not installed: these are the page scripts' unit tests",
)
def test_the_room_words_follow_the_server():
    proc = subprocess.run(
        ["node", "--test", str(UNITS)], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
