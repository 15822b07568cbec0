"""``manage.py validate_protocol``: an author checks files before a counselor uses them;
it says ok (with steps, minutes and languages) for good files and prints every error, exiting
1, otherwise."""

import os
import subprocess
import sys

from sessions.protocols import builtin_protocols, step_count
from tests.protocols.helpers import PROTOCOL_DIR, ROOT, broken


def run_validate(*files):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"}
    return subprocess.run(
        [sys.executable, "manage.py", "validate_protocol", *map(str, files)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_validate_protocol_says_ok_with_steps_and_minutes_for_good_files():
    result = run_validate(
        PROTOCOL_DIR / "daily-checkin.toml", PROTOCOL_DIR / "breathe-together.toml"
    )
    assert result.returncode == 0, result.stderr
    daily = builtin_protocols()["daily-checkin"]
    assert result.stdout.splitlines() == [
        f"ok: daily-checkin ({step_count(daily)} steps, ~{daily['minutes']} min; "
        "languages: en, es)",
        "ok: breathe-together (3 steps, ~6 min; languages: en, es)",
    ]


def test_validate_protocol_prints_every_error_and_exits_1(tmp_path):
    def two_mistakes(doc):
        doc["minutes"] = 0
        doc["steps"][2]["inhale"] = 0

    bad = tmp_path / "broken.toml"
    bad.write_text(broken(two_mistakes), encoding="utf-8")
    result = run_validate(PROTOCOL_DIR / "daily-checkin.toml", bad)
    assert result.returncode == 1
    assert result.stdout.splitlines() == ["ok: daily-checkin (8 steps, ~10 min; languages: en, es)"]
    assert "broken.toml: minutes: must be at least 1" in result.stderr.splitlines()
    assert (
        'broken.toml: step 3 "Breathe together": inhale: must be greater than 0'
        in result.stderr.splitlines()
    )
