"""The engine must stay pure: no Django, no Channels, no web server.

The engine holds every rule of a session, and its tests run thousands of random inputs
through it. That only stays fast and trustworthy while it is plain Python that takes time as
an argument; the moment it imports the web framework it can start reading settings, the
database or the clock behind our backs. These tests fail as soon as such an import appears,
directly (a static scan of the source) or indirectly (a fresh interpreter's ``sys.modules``).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
ENGINE_DIR = REPO / "sessions" / "engine"

# Top-level packages the engine must never pull in, even indirectly.
FORBIDDEN_PACKAGES = ("django", "channels", "channels_redis", "daphne", "asgiref")

_FORBIDDEN_IMPORT = re.compile(
    r"^\s*(?:from\s+(?P<from>[\w.]+)\s+import\b|import\s+(?P<imp>[\w.]+(?:\s*,\s*[\w.]+)*))",
    re.MULTILINE,
)


def forbidden_imports(source: str) -> list[str]:
    """Names of forbidden top-level packages imported by one source text, in order."""
    found = []
    for match in _FORBIDDEN_IMPORT.finditer(source):
        names = [match.group("from")] if match.group("from") else match.group("imp").split(",")
        for name in names:
            top = name.strip().split(".")[0]
            if top in FORBIDDEN_PACKAGES:
                found.append(top)
    return found


def engine_sources() -> list[Path]:
    return sorted(ENGINE_DIR.rglob("*.py"))


def test_the_scanner_recognises_every_way_of_importing_the_framework():
    sample = (
        "import django\n"
        "from channels.layers import get_channel_layer\n"
        "    import json, daphne.server\n"
        "from django.conf import settings  # inside a function\n"
        "from asgiref.sync import async_to_sync\n"
    )
    assert forbidden_imports(sample) == ["django", "channels", "daphne", "django", "asgiref"]


def test_the_scanner_leaves_plain_python_and_lookalike_names_alone():
    sample = (
        "import json\nfrom dataclasses import dataclass\nimport djangoish\n"
        "from .channels_of_steps import x\n# import django (only a comment)\n"
    )
    assert forbidden_imports(sample) == []


def test_no_engine_source_file_imports_django_or_channels():
    sources = engine_sources()
    assert sources, f"no Python files found under {ENGINE_DIR}; is the engine there?"
    offenders = {
        str(path.relative_to(REPO)): names
        for path in sources
        if (names := forbidden_imports(path.read_text(encoding="utf-8")))
    }
    assert offenders == {}, f"the engine must stay pure Python, but these import: {offenders}"


def test_importing_the_engine_in_a_fresh_interpreter_loads_no_framework_module():
    probe = (
        "import json, sys\n"
        "from sessions.engine import apply, new_state, view_for\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert completed.returncode == 0, f"importing sessions.engine failed:\n{completed.stderr}"
    loaded = json.loads(completed.stdout.strip().splitlines()[-1])
    assert "sessions.engine" in loaded
    leaked = sorted(name for name in loaded if name.split(".")[0] in FORBIDDEN_PACKAGES)
    assert leaked == [], f"importing sessions.engine loaded framework modules: {leaked}"
