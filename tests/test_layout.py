"""The layout of docs/architecture.md holds, and only the store writes a room.

import-linter (`make test` runs `lint-imports`, contracts in pyproject.toml) checks which
package imports which. What it cannot see is checked here, by reading the source: how many
modules sit loose in sessions/, whether each sub-package says what it may import, whether
the writer contract still covers every part of sessions/, whether the page (socket.js's
CLOSE) and the server name the same close codes. That only the store writes a room is
checked at the database during every test (tests/support/room_guard.py, how it judges a
write is pinned here); the source scan here adds only what the guard cannot see. Source
scans (and node for socket.js) only; no database, no server.
"""

from __future__ import annotations

import ast
import json
import shutil
import subprocess
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SESSIONS = REPO / "sessions"
TESTS = REPO / "tests"

MAX_TOP_LEVEL_MODULES = 8
# Laid out where Django expects them, not by what they hold (docs/architecture.md).
DJANGO_FOLDERS = {"management", "migrations"}
# The two places allowed to touch a room's fields: the engine computes them, the store
# persists them.
WRITERS = {"store"}
RULES = {"engine"}
ENGINE_WRITES = {"apply", "apply_at", "settle"}
# Django's async ORM writes: run on a worker thread, whose stack the room guard walks
# without the coroutine that asked.
ASYNC_WRITES = {
    "acreate",
    "abulk_create",
    "abulk_update",
    "aget_or_create",
    "aupdate_or_create",
    "aupdate",
    "adelete",
    "asave",
}
WRITER_CONTRACT = "only-store-writes"
MAX_TEST_LINES = 400


def _relative(path: Path) -> str:
    return path.relative_to(REPO).as_posix()


def app_sources() -> Iterator[Path]:
    """Every Python file that runs as part of Stay or its tools, tests excepted."""
    for top in ("sessions", "facilitator", "bench"):
        for path in sorted((REPO / top).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path
    yield from sorted(REPO.glob("*.py"))


def _part_of_sessions(path: Path) -> str | None:
    """The sub-package of sessions/ a file is in (None outside sessions/ or at its top)."""
    parts = path.relative_to(REPO).parts
    if parts[0] != "sessions" or len(parts) < 3:
        return None
    return parts[1]


def subpackages() -> list[Path]:
    return sorted(p.parent for p in SESSIONS.glob("*/__init__.py"))


# -- the shape of sessions/ ----------------------------------------------------------------


def test_sessions_keeps_only_a_handful_of_modules_at_its_top():
    loose = sorted(p.name for p in SESSIONS.glob("*.py"))
    assert len(loose) <= MAX_TOP_LEVEL_MODULES, (
        f"sessions/ has {len(loose)} .py files at its top (at most {MAX_TOP_LEVEL_MODULES}): "
        f"{loose}; put the new one in the sub-package it belongs to"
    )


def test_every_subpackage_says_what_it_holds_and_what_it_may_import():
    missing = []
    for package in subpackages():
        if package.name in DJANGO_FOLDERS:
            continue
        doc = ast.get_docstring(ast.parse((package / "__init__.py").read_text())) or ""
        if "import" not in doc.lower():
            missing.append(_relative(package / "__init__.py"))
    assert missing == [], (
        "each sub-package's __init__.py docstring states its job and what it may import "
        f"(the rules pyproject.toml's import contracts enforce); these do not: {missing}"
    )


def test_the_writer_contract_covers_every_part_of_sessions_but_the_store_and_engine():
    config = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["importlinter"]
    contract = next(c for c in config["contracts"] if c.get("id") == WRITER_CONTRACT)
    names = {p.stem for p in SESSIONS.glob("*.py") if p.stem != "__init__"}
    names |= {p.name for p in subpackages()}
    expected = {f"sessions.{name}" for name in names - WRITERS - RULES} | {"facilitator"}
    assert set(contract["source_modules"]) == expected


# -- only the store writes a room ----------------------------------------------------------
# The room guard (tests/support/room_guard.py) sees every write a test makes, at the database.
# A source scan adds two things it cannot see: the engine's apply/settle used outside the
# store (a room computed in memory, to be written somewhere else), and Django's async ORM
# writes (their worker thread's stack does not hold the code that asked).


def engine_writer_imports(source: str, module: str) -> list[str]:
    """`from sessions.engine import apply` and the like: the package re-exports the engine's
    apply/settle, so import-linter sees only an import of the package."""
    package = module.rsplit(".", 1)[0]
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.ImportFrom):
            continue
        target = node.module or ""
        if node.level:
            base = package.split(".")[: len(package.split(".")) - node.level + 1]
            target = ".".join(base + ([node.module] if node.module else []))
        if target == "sessions.engine":
            found += [
                f"{node.lineno}: from sessions.engine import {a.name}"
                for a in node.names
                if a.name in ENGINE_WRITES
            ]
    return found


def async_writes(source: str) -> list[str]:
    """Calls of Django's async ORM writes (`await seat.adelete()`), as 'line: .name()'."""
    return [
        f"{node.lineno}: .{node.func.attr}()"
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in ASYNC_WRITES
    ]


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    return ".".join(parts)


def test_the_scanner_finds_what_the_room_guard_cannot_see():
    assert engine_writer_imports("from sessions.engine import view_for, apply_at\n", "x.y") == [
        "1: from sessions.engine import apply_at"
    ]
    assert engine_writer_imports("from ..engine import settle\n", "sessions.web.x") == [
        "1: from sessions.engine import settle"
    ]
    sample = "await seat.adelete()\nawait Seat.objects.filter(pk=1).aupdate(**fields)\n"
    assert async_writes(sample) == ["1: .adelete()", "2: .aupdate()"]


def test_the_scanner_leaves_other_code_alone():
    sample = (
        "state = apply(state)\n"
        "from sessions.engine import view_for\n"
        "row = await Seat.objects.aget(pk=1)\n"
        "await rooms.asubmit(code)\n"
    )
    assert engine_writer_imports(sample, "sessions.web.x") == []
    assert async_writes(sample) == []


def test_nothing_outside_the_store_writes_a_room_where_the_guard_cannot_look():
    offenders = {}
    for path in app_sources():
        part = _part_of_sessions(path)
        top = path.relative_to(REPO).parts[0]
        if part in WRITERS or part in RULES or top not in {"sessions", "facilitator"}:
            continue  # a benchmark may run the pure engine on a state in memory
        source = path.read_text(encoding="utf-8")
        found = engine_writer_imports(source, _module_name(path)) + async_writes(source)
        if found:
            offenders[_relative(path)] = found
    assert offenders == {}, (
        "only sessions/store writes a room (its session row, events, seats, leases and "
        f"deletion markers); call the store instead: {offenders}"
    )


def _never_walked():
    raise AssertionError("the guard walked the stack for a statement that writes no room")
    yield  # pragma: no cover


def test_the_room_guard_judges_a_write_by_the_first_frame_of_stays_own_code():
    from django.contrib.admin import options
    from django.db.models import query

    from tests.support.room_guard import check

    def stack(*frames: tuple[str, int]) -> list[tuple[str, int]]:
        """Innermost first: Django's ORM, then the given frames (paths in the repo)."""
        return [(query.__file__, 1), *((str(REPO / path), line) for path, line in frames)]

    delete_seat = 'DELETE FROM "coregulation_seat" WHERE "coregulation_seat"."id" = %s'
    page_then_store = stack(("sessions/web/joining.py", 60), ("sessions/store/seats.py", 9))
    assert check(delete_seat, page_then_store).startswith(
        "sessions/web/joining.py:60 wrote a room (DELETE Seat) outside sessions/store"
    )
    # A page calling the store is the store writing.
    store_then_page = stack(("sessions/store/seats.py", 9), ("sessions/web/joining.py", 60))
    assert check(delete_seat, store_then_page) is None
    # Tests set the scene themselves; migrations are Django's to run.
    assert check(delete_seat, stack(("tests/web/test_join.py", 5))) is None
    assert check(delete_seat, stack(("sessions/migrations/0001_initial.py", 5))) is None
    # The admin acts for sessions/admin.py: its own saves and deletes are not the store's.
    admin = [(query.__file__, 1), (options.__file__, 1200), (str(REPO / "tests/x.py"), 1)]
    assert "contrib/admin/options.py:1200 wrote a room" in check(delete_seat, admin)
    # Every room table, and each table of the hot path's one statement on PostgreSQL.
    page = stack(("sessions/live/consumer.py", 1))
    for table, model in (("couplesession", "CoupleSession"), ("lease", "Lease")):
        assert f"(UPDATE {model})" in check(f'UPDATE "coregulation_{table}" SET x = 1', page)
    assert "(INSERT DeletedSession)" in check('INSERT INTO "coregulation_deletedsession"', page)
    cte = (
        'WITH s AS (UPDATE "coregulation_couplesession" SET "version" = 2 RETURNING "id") '
        'INSERT INTO "coregulation_event" ("session_id") SELECT "id" FROM s'
    )
    assert "(UPDATE CoupleSession, INSERT Event)" in check(cte, page)
    # Reads and other tables cost no walk up the stack.
    assert check('SELECT "id" FROM "coregulation_seat" FOR UPDATE', _never_walked()) is None
    assert check('UPDATE "coregulation_note" SET "text" = %s', _never_walked()) is None
    assert check("SAVEPOINT s1", _never_walked()) is None


# -- one owner per word ----------------------------------------------------------------------


def _int_constants(body: list[ast.stmt]) -> Iterator[tuple[str, int]]:
    for node in body:
        if (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, int)
        ):
            yield node.targets[0].id, node.value.value


def server_close_codes() -> dict[str, int]:
    """The close codes the socket code names (members of a `Close` class, or CLOSE_*
    constants), read from the source so Django need not be imported."""
    codes = {}
    for path in sorted((SESSIONS / "live").glob("*.py")):
        tree = ast.parse(path.read_text())
        for name, value in _int_constants(tree.body):
            if name.startswith("CLOSE_"):
                codes[name.removeprefix("CLOSE_")] = value
        for node in tree.body:
            if isinstance(node, ast.ClassDef) and node.name == "Close":
                codes.update(_int_constants(node.body))
    return codes


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_the_page_names_the_close_codes_the_server_sends():
    socket_js = (REPO / "static" / "js" / "socket.js").as_uri()
    proc = subprocess.run(
        [
            "node",
            "--input-type=module",
            "-e",
            f"const s = await import({json.dumps(socket_js)});"
            "process.stdout.write(JSON.stringify(s.CLOSE));",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    server = server_close_codes()
    assert server, "found no close codes in sessions/live (a `Close` class or CLOSE_* names)"
    assert json.loads(proc.stdout) == server


# -- tests mirror the code, in files one can read ------------------------------------------


def long_test_files() -> dict[str, int]:
    """Test modules longer than MAX_TEST_LINES, with their lengths."""
    lengths = {
        _relative(path): len(path.read_text(encoding="utf-8").splitlines())
        for path in sorted(TESTS.rglob("*.py"))
    }
    return {path: n for path, n in lengths.items() if n > MAX_TEST_LINES}


def test_no_test_file_is_too_long():
    """A test file a newcomer can read in one sitting: split by behaviour past this length."""
    over = long_test_files()
    assert over == {}, f"test files over {MAX_TEST_LINES} lines; split them by behaviour: {over}"
