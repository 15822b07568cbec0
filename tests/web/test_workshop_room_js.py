"""A workshop's page scripts under node (no browser needed, so it runs wherever node does):
a room's own parts (group timer, held card, "Ask for help", Alex's pairing word) and the
console's checks on what its socket sends.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

JS = Path(__file__).parent / "js"
needs_node = pytest.mark.skipif(
    shutil.which("node") is None,
    reason="node is not installed: these are the page scripts' unit tests",
)


def run_units(name: str) -> None:
    proc = subprocess.run(
        ["node", "--test", str(JS / name)], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


@needs_node
def test_a_workshop_room_shows_the_groups_timer_the_held_card_and_a_raised_hand():
    run_units("workshop_room.mjs")


@needs_node
def test_the_console_draws_only_well_formed_tiles_and_words_the_groups_step():
    run_units("workshop_console.mjs")
