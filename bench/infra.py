"""What a benchmark run starts and always stops: databases, Redis, server processes.

Everything listens on 127.0.0.1 only, on free ports, with its own database, and
is torn down by `Infra.close()` even when a row fails. Every wait is bounded.
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
import tempfile
import time
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parents[1]
PY = sys.executable
PG_BASE = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(check, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise RuntimeError(f"{what} did not come up within {timeout:.0f} s")


def postgres_answers() -> bool:
    try:
        import psycopg

        with psycopg.connect(PG_BASE, connect_timeout=2):
            return True
    except Exception:
        return False


def postgres_version() -> str:
    import psycopg

    with psycopg.connect(PG_BASE, connect_timeout=2) as conn:
        return conn.execute("SHOW server_version").fetchone()[0]


@dataclass
class Database:
    kind: str  # "postgres" | "sqlite"
    url: str
    name: str
    rooms: list[dict] = field(default_factory=list)

    def env(self) -> dict[str, str]:
        return {"DATABASE_URL": self.url}


@dataclass
class Server:
    kind: str  # "daphne" | "uvicorn" | "floor"
    port: int
    process: subprocess.Popen
    log: Path

    @property
    def pid(self) -> int:
        return self.process.pid

    def rss(self) -> int:
        return psutil.Process(self.pid).memory_info().rss

    def cpu_seconds(self) -> float:
        times = psutil.Process(self.pid).cpu_times()
        return times.user + times.system

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


class Infra:
    """Owns every process and database of one run."""

    def __init__(self) -> None:
        self.tmp = Path(tempfile.mkdtemp(prefix="stay-bench-"))
        self.databases: dict[str, Database] = {}
        self.redis: subprocess.Popen | None = None
        self.redis_url: str | None = None
        self.servers: list[Server] = []

    # -- databases

    def database(self, kind: str) -> Database:
        if kind not in self.databases:
            self.databases[kind] = self._create_database(kind)
        return self.databases[kind]

    def _create_database(self, kind: str) -> Database:
        if kind == "postgres":
            import psycopg

            name = f"stay_bench_{uuid.uuid4().hex[:10]}"
            with psycopg.connect(PG_BASE, autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{name}"')
            url = PG_BASE.rsplit("/", 1)[0] + f"/{name}"
        elif kind == "sqlite":
            name = f"bench-{uuid.uuid4().hex[:8]}.sqlite3"
            url = f"sqlite:///{self.tmp / name}"
        else:
            raise ValueError(f"unknown database kind {kind!r}")
        db = Database(kind, url, name)
        self.manage(db, "migrate", "--noinput")
        self.manage(db, "load_protocols")
        return db

    def manage(self, db: Database, *args: str) -> str:
        proc = subprocess.run(
            [PY, "manage.py", *args],
            cwd=REPO,
            env=self.env(db),
            capture_output=True,
            text=True,
            timeout=300,
        )
        if proc.returncode:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}")
        return proc.stdout

    def ensure_rooms(self, db: Database, count: int) -> list[dict]:
        """At least `count` seated daily-checkin rooms in `db` (created once, reused by rows)."""
        missing = count - len(db.rooms)
        if missing > 0:
            proc = subprocess.run(
                [PY, "bench/setup_rooms.py", str(missing)],
                cwd=REPO,
                env=self.env(db),
                capture_output=True,
                text=True,
                timeout=600,
            )
            if proc.returncode:
                raise RuntimeError(f"setup_rooms failed:\n{proc.stderr[-3000:]}")
            db.rooms.extend(json.loads(proc.stdout))
        return db.rooms[:count]

    def env(self, db: Database | None, layer: str = "fast") -> dict[str, str]:
        env = dict(os.environ)
        env.pop("REDIS_URL", None)
        env.update(
            {
                "DJANGO_SETTINGS_MODULE": "bench.settings",
                "BENCH_LAYER": layer,
                "PYTHONUNBUFFERED": "1",
                "PYTHONPATH": str(REPO),
            }
        )
        if db is not None:
            env.update(db.env())
        if layer.startswith("redis"):
            env["REDIS_URL"] = self.start_redis()
        return env

    # -- redis

    def redis_available(self) -> bool:
        return shutil.which("redis-server") is not None

    def start_redis(self) -> str:
        """A private redis-server on a free port, so the run never touches anyone's data."""
        if self.redis_url:
            return self.redis_url
        if not self.redis_available():
            raise RuntimeError("redis-server is not installed")
        port = free_port()
        self.redis = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--maxclients",
                "20000",
                "--dir",
                str(self.tmp),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(lambda: _redis_ping(port), 15, "redis-server")
        self.redis_url = f"redis://127.0.0.1:{port}/0"
        return self.redis_url

    def flush_redis(self) -> None:
        if self.redis_url:
            port = int(self.redis_url.rsplit(":", 1)[1].split("/")[0])
            with socket.create_connection(("127.0.0.1", port), timeout=2) as sock:
                sock.sendall(b"FLUSHALL\r\n")
                sock.recv(16)

    # -- servers

    def start_server(
        self, kind: str, app: str, db: Database | None, layer: str, extra: dict | None = None
    ) -> Server:
        port = free_port()
        log = self.tmp / f"{kind}-{port}.log"
        target = {"stay": "facilitator.asgi:application", "echo": "bench.echo_app:application"}
        if kind == "daphne":
            cmd = [PY, "-m", "daphne", "-v", "0", "-b", "127.0.0.1", "-p", str(port)]
            cmd += ["--websocket-max-message-size", "65536", target[app]]
        elif kind == "uvicorn":
            cmd = [PY, "-m", "uvicorn", "--host", "127.0.0.1", "--port", str(port)]
            cmd += ["--ws", "websockets", "--ws-max-size", "65536", "--lifespan", "off"]
            cmd += ["--no-access-log", "--log-level", "warning", target[app]]
        elif kind == "floor":
            cmd = [PY, "bench/floor_ws.py", "--port", str(port)]
        else:
            raise ValueError(f"unknown server kind {kind!r}")
        with open(log, "wb") as out:
            process = subprocess.Popen(
                cmd,
                cwd=REPO,
                env={**self.env(db, layer), **(extra or {})},
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        server = Server(kind, port, process, log)
        self.servers.append(server)
        path = "/healthz" if app == "stay" else "/"

        def up() -> bool:
            if process.poll() is not None:
                raise RuntimeError(f"{kind} exited on start:\n{log.read_text()[-3000:]}")
            if kind == "floor":
                with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
                    return True
                return False
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=2) as r:
                    return r.status == 200
            except OSError:
                return False

        wait_for(up, 60, f"{kind} on port {port}")
        return server

    def stop_servers(self) -> None:
        for server in self.servers:
            server.stop()
        self.servers = []

    # -- teardown

    def close(self) -> None:
        self.stop_servers()
        if self.redis and self.redis.poll() is None:
            self.redis.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.redis.wait(timeout=10)
        for db in self.databases.values():
            if db.kind == "postgres":
                with contextlib.suppress(Exception):
                    import psycopg

                    with psycopg.connect(PG_BASE, autocommit=True) as conn:
                        conn.execute(f'DROP DATABASE IF EXISTS "{db.name}" WITH (FORCE)')
        shutil.rmtree(self.tmp, ignore_errors=True)


def _redis_ping(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False
