"""What wording a snapshot in a person's language costs, per socket send.

Every accepted action sends each socket of the room its own `state`, and since issue 18
each is worded in its person's language: `view_for(state, role, words)` under
`translation.override(lang)`. This measures that against the English default on the same
paused `daily-checkin` room (both check-ins answered, Sam's flooding break: the pause line,
break note and answer lines are all worded), so the price of a second language is a
number, not a guess.

    .venv/bin/python bench/words_cost.py            # µs per snapshot, English and Spanish
    .venv/bin/python bench/words_cost.py --n 20000  # more rounds
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import timeit
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "facilitator.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.utils import translation  # noqa: E402

from sessions.engine import apply, new_state, view_for  # noqa: E402
from sessions.protocols.loader import builtin_protocols  # noqa: E402

NOW = 1_764_170_000_000


def paused_room() -> dict:
    state = new_state(builtin_protocols()["daily-checkin"], seed=7, now=NOW)
    steps = [
        ("server", "seat", {"seat": "a", "name": "Alex", "claimed": True}),
        ("server", "seat", {"seat": "b", "name": "Sam", "claimed": True}),
        ("server", "presence", {"seat": "a", "connected": True}),
        ("server", "presence", {"seat": "b", "connected": True}),
        ("a", "start", {}),
    ]
    for actor, action, args in steps:
        state = apply(state, actor, action, args, NOW).state
    while state["steps"][state["index"]]["kind"] != "checkin":
        for seat in ("a", "b"):
            result = apply(state, seat, "next", {"step": state["index"]}, NOW)
            state = getattr(result, "state", state)
    for seat, feeling in (("a", "safe"), ("b", "mobilized")):
        args = {"step": state["index"], "state": feeling, "intensity": 5, "word": "tired"}
        state = apply(state, seat, "checkin", args, NOW).state
    return apply(state, "b", "pause", {"reason": "flooding"}, NOW + 1000).state


def per_call_us(fn, n: int) -> float:
    runs = timeit.repeat(fn, number=n, repeat=5)
    return statistics.median(runs) / n * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=5000)
    n = parser.parse_args().n
    state = paused_room()
    assert state["status"] == "paused", state["status"]
    english = per_call_us(lambda: view_for(state, "a"), n)

    def spanish():
        with translation.override("es"):
            return view_for(state, "a", translation)

    assert spanish()["pause"]["line"] != view_for(state, "a")["pause"]["line"]
    worded = per_call_us(spanish, n)
    print(f"view_for, English (no words):     {english:7.1f} µs per snapshot")
    print(f"view_for, Spanish (override+words): {worded:7.1f} µs per snapshot")
    print(f"a second language costs            {worded - english:7.1f} µs per socket send")


if __name__ == "__main__":
    main()
