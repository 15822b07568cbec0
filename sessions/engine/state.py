"""A new session's state: everything the rules need, as one JSON-serialisable dict."""

from .defaults import merge_settings
from .expand import expand_steps
from .roles import PARTNERS, WAITING


def _seat() -> dict:
    return {
        "name": None,
        "claimed": False,
        "connected": False,
        "gone_since": None,
        "resting": False,
        "rejoined_at": None,
        "rejoins": 0,
    }


def new_state(
    protocol_doc: dict,
    seed: int,
    now: int,
    hosted: bool = False,
    host_name: str | None = None,
    settings: dict | None = None,
) -> dict:
    """A waiting session for ``protocol_doc`` (a loaded protocol document).

    ``seed`` decides everything left to chance (who speaks first) so the same inputs always
    give the same session. Raises ValueError for a document or argument the rules cannot run.
    """
    if not isinstance(protocol_doc, dict):
        raise ValueError(f"protocol_doc must be a protocol document (dict), got {protocol_doc!r}")
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise ValueError(f"seed must be an int, got {seed!r}")
    if isinstance(now, bool) or not isinstance(now, int):
        raise ValueError(f"now must be epoch milliseconds as an int, got {now!r}")
    if host_name is not None and not isinstance(host_name, str):
        raise ValueError(f"host_name must be text or None, got {host_name!r}")
    return {
        "version": 0,
        "status": WAITING,
        "seed": seed,
        "protocol": {"slug": protocol_doc.get("slug", ""), "title": protocol_doc.get("title", "")},
        "settings": merge_settings(settings),
        "steps": expand_steps(protocol_doc, seed),
        "index": 0,
        "phase": None,
        "deadline": None,
        "remaining": None,
        "over_time": False,
        "breathing": None,
        "seats": {seat: _seat() for seat in PARTNERS},
        "host": {"name": host_name, "connected": False} if hosted else None,
        "pause": None,
        "checkins": {},
    }
