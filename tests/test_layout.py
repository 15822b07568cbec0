"""The layout of docs/architecture.md holds, and only the store writes a room.

import-linter (`make test` runs `lint-imports`, contracts in pyproject.toml) checks which
package imports which. What it cannot see is checked here, by reading the source: how many
modules sit loose in sessions/, whether each sub-package says what it may import, whether
the writer contract still covers every part of sessions/, and whether code outside the store
writes a room's state, version or status, or its rows, by hand or through the engine's
re-exported apply/settle; and whether the page (socket.js's CLOSE) and the server name the
same close codes. Source scans (and node for socket.js) only; no database, no server.
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
ROOM_FIELDS = {"state", "version", "status"}
ROOM_MODELS = {"CoupleSession", "Event", "Seat", "Lease"}
ROW_WRITES = {"create", "bulk_create", "get_or_create", "update_or_create"}
ENGINE_WRITES = {"apply", "apply_at", "settle"}
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


def _is_self(node: ast.expr) -> bool:
    return isinstance(node, ast.Name) and node.id in {"self", "cls"}


def room_writes(source: str) -> list[str]:
    """Every place one source text writes a room's fields or rows, as 'line: what'."""
    found = []
    for node in ast.walk(ast.parse(source)):
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AugAssign | ast.AnnAssign):
            targets = [node.target]
        for target in targets:
            for leaf in ast.walk(target):
                if (
                    isinstance(leaf, ast.Attribute)
                    and isinstance(leaf.ctx, ast.Store)
                    and leaf.attr in ROOM_FIELDS
                    and not _is_self(leaf.value)
                ):
                    found.append(f"{leaf.lineno}: .{leaf.attr} =")
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if (
            isinstance(func, ast.Name)
            and func.id == "setattr"
            and len(node.args) >= 2
            and isinstance(node.args[1], ast.Constant)
            and node.args[1].value in ROOM_FIELDS
        ):
            found.append(f"{node.lineno}: setattr(..., {node.args[1].value!r})")
        if not isinstance(func, ast.Attribute):
            continue
        owner = func.value
        if (
            func.attr in ROW_WRITES
            and isinstance(owner, ast.Attribute)
            and owner.attr == "objects"
            and isinstance(owner.value, ast.Name)
            and owner.value.id in ROOM_MODELS
        ):
            found.append(f"{node.lineno}: {owner.value.id}.objects.{func.attr}")
        fields = sorted(k.arg for k in node.keywords if k.arg in ROOM_FIELDS)
        if func.attr == "update" and fields:
            found.append(f"{node.lineno}: .update({', '.join(f'{f}=' for f in fields)})")
    return found


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


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    return ".".join(parts)


def test_the_scanner_finds_every_way_of_writing_a_room():
    sample = (
        "room.state = new\n"
        "session.version += 1\n"
        "self.room.status: str = 'ended'\n"
        "setattr(room, 'state', new)\n"
        "Event.objects.bulk_create(rows)\n"
        "Seat.objects.create(session=s)\n"
        "CoupleSession.objects.filter(pk=1).update(version=2, state={})\n"
    )
    assert [line.split(": ", 1)[1] for line in room_writes(sample)] == [
        ".state =",
        ".version =",
        ".status =",
        "setattr(..., 'state')",
        "Event.objects.bulk_create",
        "Seat.objects.create",
        ".update(state=, version=)",
    ]
    assert engine_writer_imports("from sessions.engine import view_for, apply_at\n", "x.y") == [
        "1: from sessions.engine import apply_at"
    ]
    assert engine_writer_imports("from ..engine import settle\n", "sessions.web.x") == [
        "1: from sessions.engine import settle"
    ]


def test_the_scanner_leaves_other_state_alone():
    sample = (
        "self.state = frame.get('state')\n"
        "Note.objects.create(text='')\n"
        "context.update(title='x')\n"
        "state = apply(state)\n"
        "from sessions.engine import view_for\n"
    )
    assert room_writes(sample) == []
    assert engine_writer_imports(sample, "sessions.web.x") == []


def test_nothing_outside_the_store_writes_a_room():
    offenders = {}
    for path in app_sources():
        part = _part_of_sessions(path)
        if part in WRITERS or part in RULES:
            continue
        source = path.read_text(encoding="utf-8")
        found = room_writes(source)
        if path.relative_to(REPO).parts[0] in {"sessions", "facilitator"}:
            # A benchmark may run the pure engine on a state in memory; app code may not.
            found += engine_writer_imports(source, _module_name(path))
        if found:
            offenders[_relative(path)] = found
    assert offenders == {}, (
        "only sessions/store writes a room (state, version, status, its events, seats and "
        f"leases); call the store instead: {offenders}"
    )


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
