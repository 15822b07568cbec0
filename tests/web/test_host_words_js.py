"""The counselor's words in the room (about the couple, never as one of them; "Resume for
both" naming whom it overrides), under node: no browser needed, so it runs wherever node does.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

UNITS = Path(__file__).parent / "js" / "host_words.mjs"


@pytest.mark.skipif(
    shutil.which("node") is None,
    reason="node is not installed: these are the page scripts' unit tests",
)
def test_the_counselors_words_speak_about_the_couple():
    proc = subprocess.run(
        ["node", "--test", str(UNITS)], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
