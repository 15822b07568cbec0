"""Tunable numbers of a session, with the defaults the domain notes argue for."""

from types import MappingProxyType

DEFAULT_SETTINGS = MappingProxyType(
    {
        # A phone screen locking for a few seconds must not stop the room.
        "grace_ms": 15_000,
        # Time to settle before the first breath of a breathing schedule.
        "lead_in_ms": 3_000,
        # Gottman: after flooding, a break of at least twenty minutes.
        "break_minutes": 20,
    }
)


def merge_settings(settings: dict | None) -> dict:
    """Defaults overlaid with ``settings``; unknown keys or non-positive values are refused
    loudly because they would silently change how every room behaves."""
    merged = dict(DEFAULT_SETTINGS)
    for key, value in (settings or {}).items():
        if key not in DEFAULT_SETTINGS:
            raise ValueError(f"unknown engine setting {key!r}; known: {sorted(DEFAULT_SETTINGS)}")
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(f"engine setting {key!r} must be a whole number ≥ 0, got {value!r}")
        merged[key] = value
    return merged
