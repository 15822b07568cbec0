"""The call's pure rules (static/js/call/rules.js) under node: a pause mutes, a break also
hides cameras, and resuming gives each person's own choice back. No browser needed.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

CALL_RULES = Path(__file__).parent / "js" / "call_rules.mjs"


@pytest.mark.skipif(
    shutil.which("node") is None,
    reason="node is not installed: these are the call script's unit tests",
)
def test_the_calls_rules_hold():
    proc = subprocess.run(
        ["node", "--test", str(CALL_RULES)], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
