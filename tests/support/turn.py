"""A real TURN server (Debian's coturn) on loopback, and a tiny TURN client to ask it things.

The call tests check Stay's TURN credentials against the server they are made for, not
against a copy of its algorithm: coturn runs here exactly as README "Calls" tells a
deployment to run it (`use-auth-secret` with a `static-auth-secret`), on free loopback
ports, logging to a file the test can show when something fails. `allocate` is the one
request a browser makes with those credentials (a TURN Allocate, RFC 8656, with the
long-term credential mechanism), so a test can see coturn accept or refuse one.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import random
import secrets
import socket
import struct
import subprocess
import time
from pathlib import Path

TURNSERVER = "/usr/bin/turnserver"
REALM = "stay.test"
MISSING = f"coturn is not installed at {TURNSERVER} (Debian package `coturn`)"

_MAGIC = 0x2112A442
_BINDING, _ALLOCATE = 0x0001, 0x0003
_USERNAME, _INTEGRITY, _ERROR_CODE = 0x0006, 0x0008, 0x0009
_REALM, _NONCE, _TRANSPORT = 0x0014, 0x0015, 0x0019
_UDP = b"\x11\x00\x00\x00"  # REQUESTED-TRANSPORT: 17, UDP


def installed() -> bool:
    return os.access(TURNSERVER, os.X_OK)


def _free_udp_and_tcp_port() -> int:
    """A port free for both UDP and TCP on 127.0.0.1 (coturn listens on both)."""
    for _ in range(50):
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
            udp.bind(("127.0.0.1", 0))
            port = udp.getsockname()[1]
            with socket.socket() as tcp:
                try:
                    tcp.bind(("127.0.0.1", port))
                except OSError:
                    continue
                return port
    raise RuntimeError("no free port for coturn")


class TurnServer:
    """coturn on 127.0.0.1 with a static auth secret, relaying between loopback peers only.

    `allow-loopback-peers` is for this test only: a deployment denies loopback and
    private peers (docs/turnserver.conf), so a relay cannot reach the server's own network.
    """

    def __init__(self, directory: Path, secret: str | None = None) -> None:
        self.directory = directory
        self.secret = secret or secrets.token_urlsafe(24)
        self.port = _free_udp_and_tcp_port()
        self.min_port = random.randrange(50000, 64000, 200)
        self.max_port = self.min_port + 199
        self.log_path = directory / "turnserver.log"
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        """What `STAY_TURN_URLS` says to reach this server over UDP."""
        return f"turn:127.0.0.1:{self.port}?transport=udp"

    def command(self) -> list[str]:
        return [
            TURNSERVER,
            "-n",  # no configuration file: every setting is on this line
            "--listening-ip=127.0.0.1",
            "--relay-ip=127.0.0.1",
            f"--listening-port={self.port}",
            f"--min-port={self.min_port}",
            f"--max-port={self.max_port}",
            "--use-auth-secret",
            f"--static-auth-secret={self.secret}",
            f"--realm={REALM}",
            "--allow-loopback-peers",
            "--no-tls",
            "--no-dtls",
            "--no-cli",
            "--no-rfc5780",
            "--fingerprint",
            f"--userdb={self.directory / 'turndb'}",
            f"--pidfile={self.directory / 'turnserver.pid'}",
            f"--log-file={self.log_path}",
            "--simple-log",
            "--no-stdout-log",
            "--verbose",
        ]

    def start(self, timeout: float = 10.0) -> TurnServer:
        self.process = subprocess.Popen(
            self.command(),
            cwd=self.directory,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            if self.answers():
                return self
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"coturn did not answer on port {self.port}:\n{self.log()[-3000:]}")

    def answers(self) -> bool:
        """True when a STUN Binding request on the TURN port gets an answer."""
        try:
            with _client(self.port, timeout=0.2) as sock:
                kind, _ = _ask(sock, _message(_BINDING, []))
        except OSError:
            return False
        return kind == 0x0101

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)

    def __enter__(self) -> TurnServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def allocate(self, username: str, credential: str) -> int:
        """Ask for a relay with these credentials: 0 when granted, else the STUN error code.

        Done the way a browser does it: an Allocate without credentials draws a 401 with
        the realm and a nonce; the second Allocate carries the username and a
        MESSAGE-INTEGRITY keyed with MD5(username:realm:credential) (RFC 8489 9.2).
        """
        with _client(self.port) as sock:  # one socket: coturn's nonce is per client address
            return self._allocate(sock, username, credential)

    def _allocate(self, sock: socket.socket, username: str, credential: str) -> int:
        kind, attrs = _ask(sock, _message(_ALLOCATE, [(_TRANSPORT, _UDP)]))
        if kind == 0x0103:
            return 0
        realm, nonce = attrs.get(_REALM, b""), attrs.get(_NONCE, b"")
        key = hashlib.md5(  # noqa: S324 - the long-term credential key is MD5 by RFC
            username.encode() + b":" + realm + b":" + credential.encode()
        ).digest()
        request = _message(
            _ALLOCATE,
            [(_TRANSPORT, _UDP), (_USERNAME, username.encode()), (_REALM, realm), (_NONCE, nonce)],
            integrity_key=key,
        )
        kind, attrs = _ask(sock, request)
        if kind == 0x0103:
            return 0
        return _error_code(attrs)


def _attribute(kind: int, value: bytes) -> bytes:
    padding = b"\x00" * (-len(value) % 4)
    return struct.pack("!HH", kind, len(value)) + value + padding


def _message(method: int, attrs: list[tuple[int, bytes]], integrity_key: bytes | None = None):
    body = b"".join(_attribute(kind, value) for kind, value in attrs)
    txid = secrets.token_bytes(12)
    if integrity_key is None:
        return struct.pack("!HHI", method, len(body), _MAGIC) + txid + body
    # The integrity covers the header as if MESSAGE-INTEGRITY (24 bytes) were already there.
    header = struct.pack("!HHI", method, len(body) + 24, _MAGIC) + txid
    digest = hmac.new(integrity_key, header + body, hashlib.sha1).digest()
    return header + body + _attribute(_INTEGRITY, digest)


def _client(port: int, timeout: float = 2.0) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.settimeout(timeout)
    sock.connect(("127.0.0.1", port))
    return sock


def _ask(sock: socket.socket, request: bytes) -> tuple[int, dict[int, bytes]]:
    sock.send(request)
    data = sock.recv(4096)
    kind, length = struct.unpack("!HH", data[:4])
    attrs: dict[int, bytes] = {}
    offset = 20
    while offset + 4 <= 20 + length:
        attr, size = struct.unpack("!HH", data[offset : offset + 4])
        attrs.setdefault(attr, data[offset + 4 : offset + 4 + size])
        offset += 4 + size + (-size % 4)
    return kind, attrs


def _error_code(attrs: dict[int, bytes]) -> int:
    value = attrs.get(_ERROR_CODE, b"\x00\x00\x00\x00")
    return (value[2] & 0x07) * 100 + value[3]


def skip_reason() -> str | None:
    """Why a test that needs coturn cannot run here, or None when it can."""
    return None if installed() else MISSING
