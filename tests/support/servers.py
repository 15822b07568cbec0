"""Real Daphne processes for tests that need a live server.

pytest-django's live_server cannot serve WebSockets, and the multi-process and
browser tests need to kill and restart servers, so these run Daphne as child
processes. Each test server gets its own database; tests touch it only through
`manage.py` subprocesses (`DaphneServer.manage`), never through the test
process's own connection.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

REPO = Path(__file__).resolve().parents[2]
SERVER_SETTINGS = "tests.settings"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def redis_available(url: str = "redis://127.0.0.1:6379/0") -> bool:
    """True when redis-server is installed and answering (the multi-process tests need it)."""
    if shutil.which("redis-server") is None:
        return False
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname, parts.port or 6379), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


class RedisServer:
    """A private redis-server on a free loopback port; killed and started again on that port.

    Nothing is saved to disk; `start` waits until it answers PING.
    """

    def __init__(self, directory: Path, port: int | None = None) -> None:
        self.directory = directory
        self.port = port or free_port()
        self.process: subprocess.Popen | None = None

    @staticmethod
    def installed() -> bool:
        return shutil.which("redis-server") is not None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self, timeout: float = 15.0) -> RedisServer:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.directory),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if redis_available(self.url):
                return self
            time.sleep(0.05)
        self.kill()
        raise RuntimeError(f"redis-server did not answer on port {self.port} in {timeout} s")

    def kill(self) -> None:
        """SIGKILL, as when Redis crashes: connections are cut, nothing is said."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    def __enter__(self) -> RedisServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.kill()


def _base_env(database_url: str, extra: dict[str, str] | None) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("REDIS_URL", None)  # a server uses Redis only when the test asks for it
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": SERVER_SETTINGS,
            "DATABASE_URL": database_url,
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.update(extra or {})
    return env


def manage(database_url: str, *args: str, env: dict[str, str] | None = None) -> str:
    """Run a management command against `database_url`; return its stdout, raise on failure."""
    proc = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env=_base_env(database_url, env),
        capture_output=True,
        text=True,
        timeout=120,
    )
    if proc.returncode != 0:
        raise RuntimeError(
            f"manage.py {' '.join(args)} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
        )
    return proc.stdout


def manage_json(database_url: str, *args: str, env: dict[str, str] | None = None):
    return json.loads(manage(database_url, *args, env=env))


def seated_rooms(database_url: str, count: int, env: dict[str, str] | None = None) -> list[dict]:
    """`count` daily-checkin rooms with Alex in seat a and Sam in seat b.

    Each is `{"code", "a", "b"}`, the last two being each browser's session cookie
    header; made the way the benchmark makes its rooms (`bench/setup_rooms.py`).
    """
    proc = subprocess.run(
        [sys.executable, "bench/setup_rooms.py", str(count)],
        cwd=REPO,
        env=_base_env(database_url, env),
        capture_output=True,
        text=True,
        timeout=120,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"setup_rooms failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout)


@contextlib.contextmanager
def fresh_database(tmp_path: Path) -> Iterator[str]:
    """A migrated database with the built-in protocols loaded, removed afterwards.

    PostgreSQL when the test process's DATABASE_URL points at it (as in CI), else
    a SQLite file under tmp_path.
    """
    base = os.environ.get("DATABASE_URL", "")
    if base.startswith(("postgres://", "postgresql://")):
        import psycopg

        name = f"stay_live_{uuid.uuid4().hex[:12]}"
        parts = urlsplit(base)
        url = urlunsplit(parts._replace(path=f"/{name}"))
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        try:
            _prepare(url)
            yield url
        finally:
            with psycopg.connect(base, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:
        url = f"sqlite:///{tmp_path / f'live-{uuid.uuid4().hex[:8]}.sqlite3'}"
        _prepare(url)
        yield url


def _prepare(database_url: str) -> None:
    manage(database_url, "migrate", "--noinput")
    manage(database_url, "load_protocols")


class DaphneServer:
    """One Daphne process on a loopback port; can be killed with SIGKILL and started again."""

    def __init__(
        self,
        database_url: str,
        *,
        port: int | None = None,
        redis_url: str | None = None,
        env: dict[str, str] | None = None,
        log_path: Path | None = None,
    ) -> None:
        self.database_url = database_url
        self.port = port or free_port()
        self.extra_env = dict(env or {})
        if redis_url:
            self.extra_env["REDIS_URL"] = redis_url
        self.log_path = log_path
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    @property
    def origin(self) -> str:
        return self.url

    def env(self) -> dict[str, str]:
        return _base_env(self.database_url, self.extra_env)

    def start(self, timeout: float = 30.0) -> DaphneServer:
        log = open(self.log_path, "ab") if self.log_path else subprocess.DEVNULL  # noqa: SIM115
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "daphne",
                "-b",
                "127.0.0.1",
                "-p",
                str(self.port),
                "--websocket-max-message-size",
                "65536",
                "facilitator.asgi:application",
            ],
            cwd=REPO,
            env=self.env(),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self._wait_healthy(timeout)
        return self

    def _wait_healthy(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"daphne exited with {self.process.returncode} on start")
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"daphne did not become healthy on port {self.port} in {timeout} s")

    def kill(self) -> None:
        """SIGKILL: no disconnect handlers run, as when a machine dies."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()

    def manage(self, *args: str) -> str:
        return manage(self.database_url, *args, env=self.extra_env)

    def manage_json(self, *args: str):
        return json.loads(self.manage(*args))

    def seated_rooms(self, count: int) -> list[dict]:
        return seated_rooms(self.database_url, count, env=self.extra_env)

    def rss(self) -> int:
        """The server process's resident memory in bytes."""
        import psutil

        return psutil.Process(self.process.pid).memory_info().rss

    def __enter__(self) -> DaphneServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def event_log(server: DaphneServer, code: str) -> list[dict]:
    """The room's event log as the server's database holds it, oldest first."""
    script = (
        "import json; from sessions.models import Event; "
        f"print(json.dumps(list(Event.objects.filter(session__code={code!r})"
        ".order_by('version').values('version', 'actor', 'action', 'rid'))))"
    )
    return json.loads(server.manage("shell", "-c", script).strip().splitlines()[-1])
