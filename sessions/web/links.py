"""Links Stay hands out to be opened on another device: the join link and its QR code.

A link is built on `STAY_PUBLIC_URL` when it is set (`make run LAN=1` sets it to this
machine's address on the local network), so the link shown on a laptop at
127.0.0.1 still opens on a partner's phone. Unset, it carries the host the page
was asked for, as Django builds it.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse


def absolute_url(request, path: str) -> str:
    """`path` (starting with "/") as a full address someone else's device can open."""
    base = settings.STAY.get("PUBLIC_URL") or ""
    if base:
        return base + path
    return request.build_absolute_uri(path)


def join_url(request, code: str) -> str:
    return absolute_url(request, reverse("join", kwargs={"code": code}))


def standing_url(request, couple) -> str | None:
    """The couple's standing link (`/c/<link>/`); None while their counselor has stopped it."""
    if not couple.link_code:
        return None
    return absolute_url(request, reverse("standing", kwargs={"link": couple.link_code}))


def link_for_session(request, session) -> str | None:
    """The link that opens `session` for its partners: a couple's session is joined through
    the couple's standing link (its join link answers "use your counselor's link"), any
    other session through its own join link."""
    if session.couple_id is not None:
        return standing_url(request, session.couple)
    return join_url(request, session.code)


def workshop_url(request, code: str) -> str:
    """A workshop's one link for the whole group (`/w/<code>/`), shown large on the projector."""
    return absolute_url(request, reverse("workshop_door", kwargs={"code": code}))


def pair_url(request, code: str, word: str) -> str:
    """What the first partner's QR code opens: joining them in their room by its word."""
    return absolute_url(request, reverse("workshop_pair", kwargs={"code": code, "word": word}))
