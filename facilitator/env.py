"""Plain helpers that read settings from the environment.

Every value that comes from outside is checked here, so a typo in a deployment
stops the process with a message naming the variable instead of running with a
silently wrong configuration.
"""

import os
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


def env_int(name: str, default: int, *, minimum: int = 0, maximum: int | None = None) -> int:
    raw = os.environ.get(name)
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
