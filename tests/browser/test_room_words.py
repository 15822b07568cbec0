"""The room page's words that follow the server (break length, ladder, done button), under node."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

UNITS = Path(__file__).parent / "js" / "room_words.mjs"


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_the_room_words_follow_the_server():
    proc = subprocess.run(
        ["node", "--test", str(UNITS)], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
