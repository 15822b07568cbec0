"""Plain helpers that read settings from the environment.

Every value that comes from outside is checked here, so a typo in a deployment
stops the process with a message naming the variable instead of running with a
silently wrong configuration.
"""

import os
import zoneinfo
from collections.abc import Mapping
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool, environ: Mapping[str, str] | None = None) -> bool:
    raw = (os.environ if environ is None else environ).get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name} must be one of 1/0, true/false, yes/no, on/off; got {raw!r}"
    )


def env_int(
    name: str,
    default: int,
    *,
    minimum: int = 0,
    maximum: int | None = None,
    environ: Mapping[str, str] | None = None,
) -> int:
    raw = (os.environ if environ is None else environ).get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number; got {raw!r}") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}; got {value}")
    if maximum is not None and value > maximum:
        raise ImproperlyConfigured(f"{name} must be at most {maximum}; got {value}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().upper()
    if value not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)}; got {raw!r}")
    return value


def env_time_zone(name: str, default: str = "UTC") -> str:
    """An IANA zone such as `Europe/Berlin`: the dates a counselor types and reads are in it."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip()
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ImproperlyConfigured(
            f"{name} must be a time zone name such as Europe/Berlin; got {raw!r}"
        ) from None
    return value


def env_url(name: str, default: str) -> str:
    """A link shown to people in distress must at least be a web address, not a typo."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip()
    scheme, _, rest = value.partition("://")
    if scheme not in ("http", "https") or not rest or any(ch.isspace() for ch in value):
        raise ImproperlyConfigured(f"{name} must be an http:// or https:// address; got {raw!r}")
    return value


def env_origin(name: str, environ: Mapping[str, str] | None = None) -> str:
    """An address people reach Stay at, like `http://192.168.1.20:8000`: scheme, host, port.

    Empty when unset. A path, query, user name or a port out of range is refused, since
    every share link and QR code is built by appending to it.
    """
    raw = (os.environ if environ is None else environ).get(name)
    if raw is None or raw.strip() == "":
        return ""
    value = raw.strip()
    example = "like http://192.168.1.20:8000 or https://stay.example.org"
    problem = _origin_problem(value)
    if problem:
        raise ImproperlyConfigured(f"{name} must be an address {example} ({problem}); got {raw!r}")
    return value.rstrip("/")


def _origin_problem(value: str) -> str:
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in value):
        return "no spaces or control characters"
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https"):
        return "it must start with http:// or https://"
    if not parts.hostname:
        return "it needs a host name or address"
    if parts.username is not None or parts.password is not None:
        return "no user name or password"
    if parts.path not in ("", "/") or parts.query or parts.fragment or value.endswith(("?", "#")):
        return "nothing after the host and port"
    try:
        port = parts.port
    except ValueError:
        return "the port must be a number from 1 to 65535"
    if port == 0:
        return "the port must be a number from 1 to 65535"
    return ""


def port_number(name: str, raw: str) -> int:
    """A TCP port from 1 to 65535, with a message naming where it came from."""
    try:
        value = int(raw.strip())
    except ValueError:
        raise ImproperlyConfigured(
            f"{name} must be a port number from 1 to 65535; got {raw!r}"
        ) from None
    if not 1 <= value <= 65535:
        raise ImproperlyConfigured(f"{name} must be a port number from 1 to 65535; got {raw!r}")
    return value


# --- Calls: where browsers find each other (STUN) and relay through (TURN) -------------

ICE_POLICIES = ("all", "relay")
# A client receives a username and its HMAC; a short secret could be found from them offline.
TURN_SECRET_MIN_LENGTH = 16
_ICE_EXAMPLES = {
    "stun": "like stun:stun.example.org:3478",
    "turn": "like turn:turn.example.org:3478?transport=udp or turns:turn.example.org:5349",
}


def ice_url_list(name: str, kind: str, environ: Mapping[str, str] | None = None) -> list[str]:
    """A comma-separated list of STUN (`kind="stun"`) or TURN (`kind="turn"`) server URLs.

    Browsers refuse the whole peer connection for one malformed ICE URL, so a typo here
    would break every call; it stops the process instead, naming the variable and the URL.
    """
    raw = (os.environ if environ is None else environ).get(name, "")
    urls = [item.strip() for item in raw.split(",") if item.strip()]
    for url in urls:
        problem = _ice_url_problem(url, kind)
        if problem:
            raise ImproperlyConfigured(
                f"{name} must be {kind}: URLs {_ICE_EXAMPLES[kind]} ({problem}); got {url!r}"
            )
    return urls


def _ice_url_problem(url: str, kind: str) -> str:
    """What is wrong with one STUN/TURN URL (RFC 7064, RFC 7065), or "" when nothing is."""
    schemes = (kind, kind + "s")
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in url):
        return "no spaces or control characters"
    scheme, colon, rest = url.partition(":")
    if not colon or scheme.lower() not in schemes:
        return f"it must start with {schemes[0]}: or {schemes[1]}:"
    if rest.startswith("//"):
        return f"write {scheme}:host, without //"
    address, _, query = rest.partition("?")
    if query and kind == "stun":
        return "nothing after the host and port"
    if query and query.lower() not in ("transport=udp", "transport=tcp"):
        return "the only option is ?transport=udp or ?transport=tcp"
    if "@" in address or "/" in address:
        return "no user name, password or path: Stay issues the credentials"
    host, port = _split_host_port(address)
    if not host:
        return "it needs a host name or address"
    if port is not None and not (port.isdigit() and 1 <= int(port) <= 65535):
        return "the port must be a number from 1 to 65535"
    return ""


def _split_host_port(address: str) -> tuple[str, str | None]:
    if address.startswith("["):  # [IPv6]:port
        host, bracket, after = address[1:].partition("]")
        if not bracket or (after and not after.startswith(":")):
            return "", None
        return host, (after[1:] if after else None)
    host, colon, port = address.partition(":")
    return host, (port if colon else None)


def ice_settings(environ: Mapping[str, str] | None = None) -> dict:
    """STUN and TURN servers for calls, checked together (README "Calls").

    A TURN server needs both its URLs and coturn's `static-auth-secret`: one without the
    other cannot issue a working credential, so it is an error naming both variables, as is
    `STAY_ICE_POLICY=relay` (relay only, to hide each person's address) with no TURN server.
    """
    env = os.environ if environ is None else environ
    stun = ice_url_list("STAY_STUN_URLS", "stun", env)
    turn = ice_url_list("STAY_TURN_URLS", "turn", env)
    secret = env.get("STAY_TURN_SECRET", "").strip()
    if turn and not secret:
        raise ImproperlyConfigured(
            "STAY_TURN_URLS is set but STAY_TURN_SECRET is not: a TURN server needs both"
            " (STAY_TURN_SECRET is the static-auth-secret in its turnserver.conf)"
        )
    if secret and not turn:
        raise ImproperlyConfigured(
            "STAY_TURN_SECRET is set but STAY_TURN_URLS is not: a TURN server needs both"
            " (STAY_TURN_URLS says where browsers reach it, like turn:turn.example.org:3478)"
        )
    if secret and len(secret) < TURN_SECRET_MIN_LENGTH:
        raise ImproperlyConfigured(
            f"STAY_TURN_SECRET must be at least {TURN_SECRET_MIN_LENGTH} characters (a short"
            " one can be guessed from a credential; make one with `openssl rand -hex 32`)"
        )
    policy = (env.get("STAY_ICE_POLICY") or "all").strip().lower() or "all"
    if policy not in ICE_POLICIES:
        raise ImproperlyConfigured(
            f"STAY_ICE_POLICY must be one of {', '.join(ICE_POLICIES)};"
            f" got {env.get('STAY_ICE_POLICY')!r}"
        )
    if policy == "relay" and not turn:
        raise ImproperlyConfigured(
            "STAY_ICE_POLICY=relay needs a TURN server: set STAY_TURN_URLS and STAY_TURN_SECRET"
        )
    return {
        "STUN_URLS": stun,
        "TURN_URLS": turn,
        "TURN_SECRET": secret,
        # Each credential is good for this long; a page asks for a fresh one before then.
        "TURN_TTL_SECONDS": env_int(
            "STAY_TURN_TTL_SECONDS", 3600, minimum=60, maximum=24 * 60 * 60, environ=env
        ),
        "ICE_POLICY": policy,
    }
