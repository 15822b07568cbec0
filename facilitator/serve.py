"""`make run`: serve Stay on this computer, or to phones on the same Wi-Fi with `LAN=1`.

    make run                  # http://127.0.0.1:8000, this computer only
    make run LAN=1            # also http://<this machine's LAN address>:8000
    make run HOST=0.0.0.0     # the same as LAN=1
    make run PORT=8080        # another port

On the local network, share links and QR codes must carry an address a phone can
reach, not 127.0.0.1: the address is found on this machine (no network traffic),
handed to the settings as `STAY_PUBLIC_URL` (which also makes it an allowed host)
and printed, with a QR code of it, before Daphne starts. An explicit
`STAY_PUBLIC_URL` wins. Every input is checked first, and a mistake stops here
with a sentence naming the variable.
"""

from __future__ import annotations

import ipaddress
import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from facilitator.env import env_bool, env_origin, port_number

WILDCARDS = ("0.0.0.0", "::")
LOOPBACK_NAMES = ("localhost",)
DEFAULT_PORT = 8000


@dataclass(frozen=True)
class Plan:
    host: str  # what Daphne binds
    port: int
    local_url: str  # for this computer
    public_url: str  # for the other devices ("" when only this computer is served)


def plan(environ: Mapping[str, str], find_address=None) -> Plan:
    """What to bind and which address to hand out, from HOST, PORT, LAN and STAY_PUBLIC_URL."""
    find_address = find_address or lan_address
    lan = env_bool("LAN", False, environ)
    raw_port = environ.get("PORT", "").strip()
    port = port_number("PORT", raw_port) if raw_port else DEFAULT_PORT
    host = environ.get("HOST", "").strip() or ("0.0.0.0" if lan else "127.0.0.1")
    _check_host(host)
    if lan and _is_loopback(host):
        raise ImproperlyConfigured(
            f"LAN=1 serves the local network, but HOST={host} is this computer only. "
            "Leave HOST out (it becomes 0.0.0.0) or give this machine's LAN address."
        )
    local_url = f"http://{'127.0.0.1' if host in WILDCARDS else _url_host(host)}:{port}"

    public_url = env_origin("STAY_PUBLIC_URL", environ)
    if not public_url:
        if host in WILDCARDS:
            address = find_address()
            if not address:
                raise ImproperlyConfigured(
                    "No local network address was found on this machine: is it connected "
                    "to Wi-Fi? You can also name the address phones should use, e.g. "
                    "STAY_PUBLIC_URL=http://192.168.1.20:8000"
                )
            public_url = f"http://{address}:{port}"
        elif not _is_loopback(host):
            public_url = f"http://{_url_host(host)}:{port}"
    return Plan(host=host, port=port, local_url=local_url, public_url=public_url)


def _check_host(host: str) -> None:
    if host in LOOPBACK_NAMES:
        return
    try:
        ipaddress.ip_address(host)
    except ValueError:
        raise ImproperlyConfigured(
            "HOST must be an IP address to listen on, e.g. 127.0.0.1 (this computer only), "
            f"0.0.0.0 (the local network too) or this machine's LAN address; got {host!r}"
        ) from None


def _is_loopback(host: str) -> bool:
    return host in LOOPBACK_NAMES or (
        host not in WILDCARDS and ipaddress.ip_address(host).is_loopback
    )


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


# --- Finding this machine's address on the local network ------------------------------


def lan_address() -> str:
    """This machine's best IPv4 address on a local network, or "" when it has none.

    Only reads what the machine already knows: the addresses its name resolves to,
    `hostname -I` on Linux and `ipconfig getifaddr` on macOS. Nothing is sent anywhere.
    """
    return choose_address(_known_addresses())


def _known_addresses() -> list[str]:
    found: list[str] = []
    try:
        infos = socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)
        found += [info[4][0] for info in infos]
    except OSError:
        pass
    if sys.platform.startswith("linux"):
        found += _command_output("hostname", "-I")
    elif sys.platform == "darwin":
        for interface in ("en0", "en1"):  # Wi-Fi and Ethernet on most Macs
            found += _command_output("ipconfig", "getifaddr", interface)
    return found


def _command_output(program: str, *args: str) -> list[str]:
    path = shutil.which(program)
    if not path:
        return []
    try:
        result = subprocess.run(
            [path, *args], capture_output=True, text=True, timeout=3, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return []
    return result.stdout.split() if result.returncode == 0 else []


# Home and office Wi-Fi first; 172.16/12 last among the private ranges, since container
# bridges (Docker's 172.17.0.1) live there and no phone can reach them.
_PREFERRED = [
    ipaddress.ip_network("192.168.0.0/16"),
    ipaddress.ip_network("10.0.0.0/8"),
    ipaddress.ip_network("172.16.0.0/12"),
]


def choose_address(candidates: list[str]) -> str:
    """The address a phone on the same network most likely reaches, among `candidates`."""
    usable = []
    for raw in candidates:
        try:
            address = ipaddress.ip_address(raw)
        except ValueError:
            continue
        if (
            address.version != 4
            or address.is_loopback
            or address.is_link_local
            or address.is_unspecified
            or address.is_multicast
            or str(address) in usable
        ):
            continue
        usable.append(str(address))

    def rank(text: str) -> int:
        address = ipaddress.ip_address(text)
        for index, network in enumerate(_PREFERRED):
            if address in network:
                return index
        return len(_PREFERRED) if address.is_private else len(_PREFERRED) + 1

    return min(usable, key=rank) if usable else ""  # min keeps the first of equal rank


# --- Start-up ----------------------------------------------------------------------


def banner(current: Plan) -> str:
    lines = ["", f"  Stay is running: open {current.local_url}/ on this computer."]
    if current.public_url:
        lines += [
            f"  On a phone on the same Wi-Fi, open {current.public_url}/",
            "  (or scan the code below); share links and QR codes use this address.",
            "  Anyone on this network can reach it while it runs, in debug mode over",
            "  plain http: use it at home, not on public Wi-Fi. Ctrl-C stops it.",
        ]
    return "\n".join(lines) + "\n"


def terminal_qr(url: str) -> str:
    import io

    import segno

    out = io.StringIO()
    segno.make(url, error="m").terminal(out=out, compact=True)
    return out.getvalue()


def daphne_command(current: Plan) -> list[str]:
    daphne = Path(sys.executable).with_name("daphne")
    return [
        str(daphne),
        "-b",
        current.host,
        "-p",
        str(current.port),
        "--websocket-max-message-size",
        "65536",
        "facilitator.asgi:application",
    ]


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    try:
        current = plan(dict(os.environ))
    except ImproperlyConfigured as error:
        print(f"make run: {error}", file=sys.stderr)
        return 2
    print(banner(current))
    if current.public_url:
        print(terminal_qr(current.public_url + "/"))
    if "--dry-run" in argv:
        print(" ".join(daphne_command(current)))
        print(f"STAY_PUBLIC_URL={current.public_url}")
        return 0
    sys.stdout.flush()
    env = dict(os.environ)
    if current.public_url:
        env["STAY_PUBLIC_URL"] = current.public_url
    command = daphne_command(current)
    os.execve(command[0], command, env)
    return 0  # not reached


if __name__ == "__main__":
    sys.exit(main())
