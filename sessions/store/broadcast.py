"""Telling a room's sockets about a committed change: the one place that names a room's group.

Only committed states are ever sent (Zulip's "send on commit" rule): ``tell_room``
waits for the surrounding transaction, so a rolled-back change is never shown on a
screen. It lives beside the store rather than in ``sessions.live`` because the page
views change rooms too (a seat taken over, a session deleted) and must tell its
sockets, and page code may not import socket code. The socket side joins
``group_name(code)`` (``sessions.live.room_group``), sends its own states through
``state_message``, and handles the message types built here (``sessions.live.consumer``).

A lost message costs nothing but time: every socket re-reads the room on its
``sync`` heartbeat and every state carries each seat's mark.
"""

from __future__ import annotations

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from sessions.store import rooms

log = logging.getLogger(__name__)

STATE = "room.state"  # a committed state for every socket in the room
REVOKE = "room.revoke"  # sockets holding this seat re-check their claim (4403 if gone)
EVICT = "room.evict"  # one seat's oldest socket, past the per-seat limit, closes (4409)
END_ACCESS = "room.end_access"  # the couple's link ended: partners' sockets close (4410)
DELETED = "room.deleted"  # the room's row is gone (its couple deleted): every socket closes (4404)
# To a counselor's own group: a session of hers appeared (her dashboard socket watches it).
COUNSELOR_SESSION = "counselor.session"
# To a workshop console's group: a new couple's room to watch, or the workshop row changed.
WORKSHOP_ROOM = "workshop.room"
WORKSHOP_CHANGED = "workshop.changed"


def group_name(code: str) -> str:
    """The channel-layer group every socket of the room with join code ``code`` joins."""
    return f"room.{code}"


def counselor_group(user_id: int) -> str:
    """The group of a counselor's dashboard sockets (``sessions.live.counselor_socket``)."""
    return f"counselor.{user_id}"


def workshop_group(workshop_id: int) -> str:
    """The group of a workshop's console sockets (``sessions.live.workshop_socket``)."""
    return f"workshop.{workshop_id}"


def state_message(state: dict, code: str | None = None) -> dict:
    """A committed state; ``code`` tells a socket watching several rooms (the counselor's)
    which room it is. A room's own sockets know their room and ignore it."""
    message = {"type": STATE, "state": state}
    if code is not None:
        message["code"] = code
    return message


def revoke_message(seat: str) -> dict:
    return {"type": REVOKE, "seat": seat}


def evict_message() -> dict:
    """For one socket's channel, not the group: that socket closes (4409)."""
    return {"type": EVICT}


def tell_room(code: str, *, revoked: tuple[str, ...] = (), state: bool = True) -> None:
    """After the current transaction commits, tell the room's sockets what changed.

    ``revoked`` seats' sockets re-check their claim first; ``state`` then sends the
    room's committed state, read after the commit. Failures are logged, never raised:
    the change is already committed and the sockets' heartbeat will catch up.
    """
    transaction.on_commit(lambda: _send(code, revoked, state))


def _send(code: str, revoked: tuple[str, ...], with_state: bool) -> None:
    layer = get_channel_layer()
    group = group_name(code)
    try:
        for seat in revoked:
            async_to_sync(layer.group_send)(group, revoke_message(seat))
        if with_state:
            async_to_sync(layer.group_send)(group, state_message(rooms.load_state(code), code))
    except Exception:
        log.warning("could not tell room %s… about a change", code[:6], exc_info=True)


def end_access(code: str) -> None:
    """After commit, close the partners' sockets of room ``code`` with 4410 (the host's stay).

    For a couple whose standing link was revoked or who were deleted: their open rooms
    must stop at once. A socket opened afterwards is refused by ``access.for_socket``.
    """
    transaction.on_commit(lambda: _send_to(group_name(code), {"type": END_ACCESS}))


def room_deleted(code: str) -> None:
    """After commit, close every socket of room ``code`` (4404), the host's too.

    For a couple their counselor deleted: her own open host view must not carry on as
    if the room were there until its next heartbeat finds the row gone, and her
    dashboard drops the room at once.
    """
    transaction.on_commit(lambda: _send_to(group_name(code), {"type": DELETED, "code": code}))


def tell_counselor(user_id: int, code: str) -> None:
    """After commit, tell the counselor's dashboard sockets that session ``code`` is hers now."""
    message = {"type": COUNSELOR_SESSION, "code": code}
    transaction.on_commit(lambda: _send_to(counselor_group(user_id), message))


def tell_workshop(workshop_id: int, code: str) -> None:
    """After commit, tell the workshop's consoles that room ``code`` is new: watch it too."""
    message = {"type": WORKSHOP_ROOM, "code": code}
    transaction.on_commit(lambda: _send_to(workshop_group(workshop_id), message))


def workshop_changed(workshop_id: int) -> None:
    """After commit, tell the workshop's consoles to read its row again (status, step)."""
    message = {"type": WORKSHOP_CHANGED}
    transaction.on_commit(lambda: _send_to(workshop_group(workshop_id), message))


def _send_to(group: str, message: dict) -> None:
    try:
        async_to_sync(get_channel_layer().group_send)(group, message)
    except Exception:
        log.warning("could not send %s to a group", message["type"], exc_info=True)
