"""A workshop room's own parts (group timer, held card, "Ask for help", Alex's pairing word),
checked under node: no browser needed, so it runs wherever node does.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

UNITS = Path(__file__).parent / "js" / "workshop_room.mjs"


@pytest.mark.skipif(
    shutil.which("node") is None,
    reason="node is not installed: these are the page scripts' unit tests",
)
def test_a_workshop_room_shows_the_groups_timer_the_held_card_and_a_raised_hand():
    proc = subprocess.run(
        ["node", "--test", str(UNITS)], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
