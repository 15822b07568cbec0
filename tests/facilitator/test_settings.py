"""Settings read from the environment: safe by default, loud about mistakes.

Each case runs in a fresh interpreter, since settings are read once at import.
"""

import os
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
# Only what a bare interpreter needs; every setting under test is passed explicitly.
BASE_ENV = {key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ}


def run_python(code: str, env: dict, cwd: Path = REPO) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=cwd,
        env={**BASE_ENV, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def load_settings(env: dict, cwd: Path = REPO) -> subprocess.CompletedProcess:
    return run_python(
        "import facilitator.settings as s; print(s.__file__); print(s.SECRET_KEY)", env, cwd
    )


def test_without_a_secret_key_production_refuses_to_start():
    result = load_settings({})
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"DEBUG": "maybe"}, "DEBUG"),
        ({"SECRET_KEY": "x" * 60, "SECURE_HSTS_SECONDS": "a year"}, "SECURE_HSTS_SECONDS"),
        ({"SECRET_KEY": "x" * 60, "STAY_PRESENCE_GRACE_SECONDS": "0"}, "at least 1"),
        ({"SECRET_KEY": "x" * 60, "SESSION_COOKIE_SECURE": "sometimes"}, "SESSION_COOKIE_SECURE"),
        ({"SECRET_KEY": "x" * 60, "LOG_LEVEL": "loud"}, "LOG_LEVEL"),
        ({"SECRET_KEY": "x" * 60, "STAY_HELP_URL": "findahelpline.com"}, "STAY_HELP_URL"),
        ({"SECRET_KEY": "x" * 60, "STAY_QUICK_EXIT_URL": "javascript:alert(1)"}, "https://"),
        ({"SECRET_KEY": "x" * 60, "STAY_PUBLIC_URL": "192.168.1.20:8000"}, "STAY_PUBLIC_URL"),
        ({"SECRET_KEY": "x" * 60, "EMAIL_PORT": "99999"}, "EMAIL_PORT must be at most 65535"),
        ({"SECRET_KEY": "x" * 60, "PASSWORD_RESET_TIMEOUT": "60"}, "at least 300"),
        ({"SECRET_KEY": "x" * 60, "STAY_PUBLIC_URL": "http://192.168.1.20:99999"}, "65535"),
        (
            {"SECRET_KEY": "x" * 60, "STAY_PUBLIC_URL": "https://stay.example.org/j/"},
            "after the host",
        ),
        (
            {
                "SECRET_KEY": "x" * 60,
                "DATABASE_URL": "postgres://stay@127.0.0.1:5432/stay",
                "DATABASE_PREPARED_STATEMENTS": "perhaps",
            },
            "DATABASE_PREPARED_STATEMENTS",
        ),
        # A break shorter than twenty minutes does not let a flooded body settle.
        ({"DEBUG": "1", "STAY_BREAK_MINUTES": "5"}, "STAY_BREAK_MINUTES"),
        ({"DEBUG": "1", "STAY_BREAK_MINUTES": "twenty"}, "STAY_BREAK_MINUTES"),
        ({"DEBUG": "1", "STAY_TIME_ZONE": "Mars/Olympus"}, "STAY_TIME_ZONE"),
        ({"DEBUG": "1", "STAY_TIME_ZONE": "../etc/passwd"}, "STAY_TIME_ZONE"),
    ],
)
def test_a_mistyped_variable_stops_the_process_and_names_it(env, named):
    result = load_settings(env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert named in result.stderr


def test_local_development_generates_a_key_once_and_keeps_it(tmp_path):
    # A copy of the settings package, so the generated key file lands in tmp_path.
    shutil.copytree(REPO / "facilitator", tmp_path / "facilitator")
    key_file = tmp_path / ".dev-secret-key"

    first = load_settings({"DEBUG": "1"}, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    settings_file, key = first.stdout.split()
    assert Path(settings_file).is_relative_to(tmp_path)
    assert key_file.read_text().strip() == key
    assert len(key) >= 50
    assert key_file.stat().st_mode & 0o077 == 0  # readable by its owner only

    second = load_settings({"DEBUG": "1"}, cwd=tmp_path)
    assert second.stdout.split()[1] == key


def test_the_deployment_checklist_passes_with_production_variables():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO,
        env={
            **BASE_ENV,
            "DJANGO_SETTINGS_MODULE": "facilitator.settings",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "stay.example.org",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(("value", "threshold"), [(None, 5), ("0", None), ("1", 5)])
def test_postgresql_prepares_the_hot_statements_unless_told_not_to(value, threshold):
    env = {"SECRET_KEY": "x" * 60, "DATABASE_URL": "postgres://stay@127.0.0.1:5432/stay"}
    if value is not None:
        env["DATABASE_PREPARED_STATEMENTS"] = value
    result = run_python(
        "import facilitator.settings as s;"
        " print(s.DATABASES['default'].get('OPTIONS', {}).get('prepare_threshold'))",
        env,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(threshold)


# --- Two phones on the same Wi-Fi (`make run LAN=1`) ---------------------------------


def test_the_public_address_becomes_an_allowed_host_so_its_links_open():
    result = run_python(
        "import facilitator.settings as s; print(s.ALLOWED_HOSTS); print(s.STAY['PUBLIC_URL'])",
        {"DEBUG": "1", "STAY_PUBLIC_URL": "http://192.168.1.20:8000/"},
    )
    assert result.returncode == 0, result.stderr
    hosts, public_url = result.stdout.splitlines()
    assert "'192.168.1.20'" in hosts and "'127.0.0.1'" in hosts
    assert public_url == "http://192.168.1.20:8000"


def test_without_a_public_address_only_this_computer_is_allowed_in_development():
    result = run_python(
        "import facilitator.settings as s; print(s.ALLOWED_HOSTS, repr(s.STAY['PUBLIC_URL']))",
        {"DEBUG": "1"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['127.0.0.1', 'localhost', '[::1]'] ''"


def test_a_longer_break_is_read_from_the_environment():
    result = run_python(
        "import facilitator.settings as s; print(s.STAY['BREAK_MINUTES'])",
        {"DEBUG": "1", "STAY_BREAK_MINUTES": "30"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "30"


def test_a_counselors_dates_are_in_the_time_zone_she_names():
    result = run_python(
        "import facilitator.settings as s; print(s.TIME_ZONE)",
        {"DEBUG": "1", "STAY_TIME_ZONE": "Europe/Berlin"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "Europe/Berlin"


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"STAY_ICE_POLICY": "bogus"}, "STAY_ICE_POLICY"),
        ({"STAY_TURN_URLS": "turn:turn.example:3478"}, "STAY_TURN_SECRET"),
        ({"STAY_BREAK_MINUTES": "five"}, "STAY_BREAK_MINUTES"),
    ],
)
def test_make_run_meets_a_mistake_as_one_sentence_not_a_traceback(env, named):
    """`make run` begins with `manage.py migrate`: its first words must be the mistake."""
    result = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--check"],
        cwd=REPO,
        env={**BASE_ENV, "DEBUG": "1", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Stay cannot start: "), result.stderr
    assert named in lines[0]
