"""The profile step still recognises Stay's code after it moves.

bench/profile.py attributes each py-spy sample to an input (by the consumer handler,
store workflow or access check it runs under) and to a part (by file path). Both are matched by name, so
a moved module or a renamed handler would not fail the benchmark: its samples would
silently fall into "other" and print as 0.00 ms. These checks fail instead.
"""

from __future__ import annotations

import ast

from bench.infra import REPO
from bench.profile import ENTRY_PLACES, PARTS, PATHS, attribute

THREAD_PY = "/usr/lib/python3.11/concurrent/futures/thread.py"


def defined_functions() -> set[str]:
    """Names of the functions and methods defined where a socket's work starts."""
    names = set()
    for place in ENTRY_PLACES:
        found = REPO / place.strip("/")
        for path in sorted(found.glob("*.py")) if found.is_dir() else [found]:
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    names.add(node.name)
    return names


def test_every_entry_point_is_still_defined():
    gone = sorted(set(PATHS) - defined_functions())
    assert gone == [], f"no handler or workflow of these names in {ENTRY_PLACES}: {gone}"


def test_every_stay_path_the_parts_name_exists():
    missing = [
        marker
        for marker, _ in PARTS
        if marker.startswith("/sessions/") and not (REPO / marker.strip("/")).exists()
    ]
    assert missing == []


def _stack(*frames: tuple[str, str]) -> list[str]:
    return [f"{func}\x00{path}" for func, path in frames]


def test_a_database_sample_is_put_under_its_input_and_part():
    store = str(REPO / "sessions" / "store" / "connections.py")
    engine = str(REPO / "sessions" / "engine" / "machine.py")
    stack = _stack(("_worker", THREAD_PY), ("run", THREAD_PY), ("arrive", store), ("x", engine))
    assert attribute(stack, "db") == ("connect or heartbeat (arrive)", "engine")


def test_a_loop_sample_is_put_under_its_handler():
    consumer = str(REPO / "sessions" / "live" / "consumer.py")
    frames = str(REPO / "sessions" / "live" / "frames.py")
    stack = _stack(("on_action", consumer), ("parse", frames))
    assert attribute(stack, "loop") == ("action", "frame validation")
