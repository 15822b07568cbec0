"""A socket's place in its room's group on the channel layer, kept through a layer outage.

The channel layer (Redis, with several server processes) carries a room's
broadcasts between processes. It can fail while sockets stay open; the database
stays the authority and every socket's `sync` heartbeat repairs what it missed.
What this adds: every layer call is bounded in time, a socket that could not join
its room's group keeps trying, and a state it could not broadcast is sent again as
soon as the layer answers (only the newest). Only sockets that saw the layer fail
retry, and only until it works again.

The group's name and its messages come from `sessions.store.broadcast`, the one
place that names them (page views tell rooms too).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from sessions.store import broadcast

log = logging.getLogger(__name__)

# A channel layer call (Redis) that takes longer than this is given up as failed.
LAYER_TIMEOUT_S = 2.0
# While the layer is down, a socket retries what it could not do this often (then less).
LAYER_RETRY_S = (0.25, 0.5, 1.0, 2.0)


def retry_delay(failures: int) -> float:
    return LAYER_RETRY_S[min(failures, len(LAYER_RETRY_S) - 1)]


async def new_channel(layer) -> str:
    """A channel name for a new socket; raises when the layer does not answer in time."""
    return await asyncio.wait_for(layer.new_channel(), LAYER_TIMEOUT_S)


async def call_layer(what: str, call, *args, retry: bool = False) -> bool:
    """One channel layer call, bounded in time; False (logged) when it failed.

    A retry's failure is logged at debug level: during an outage every socket that
    acted retries every few seconds, and the first failure was already logged.
    """
    try:
        await asyncio.wait_for(call(*args), LAYER_TIMEOUT_S)
    except Exception as exc:
        (log.debug if retry else log.warning)("channel layer failed %s: %r", what, exc)
        return False
    return True


async def _relay(what: str, call, *args) -> bool:
    """`call_layer` for the call's messages, bounded by a timeout scope instead.

    `asyncio.wait_for` starts a task per call on Python 3.11, most of what relaying a
    call.signal cost (bench/signal_cost.py). The states keep `call_layer`: when their
    broadcast runs, relative to the frames a socket handles next, is what the socket
    failure tests pin down.
    """
    try:
        async with asyncio.timeout(LAYER_TIMEOUT_S):
            await call(*args)
    except Exception as exc:
        # By its kind only: an exception's words could quote the message, an SDP.
        log.warning("channel layer failed %s: %s", what, type(exc).__name__)
        return False
    return True


class RoomGroup:
    """One socket's membership of its room's group, and the states it owes the room.

    `closing` tells whether the socket is closing: nothing is retried for a socket
    on its way out.
    """

    def __init__(self, layer, channel_name: str, closing: Callable[[], bool]) -> None:
        self.layer = layer
        self.channel_name = channel_name
        self.closing = closing
        self.name = ""
        self.code = ""
        # Layer work that failed, retried by `_mend`.
        self.unsubscribed = False
        self.unsent: dict | None = None
        self.mender: asyncio.Task | None = None

    async def next_message(self) -> dict:
        """The next message for this socket's channel; a failing layer is waited out."""
        failures = 0
        while True:
            try:
                return await self.layer.receive(self.channel_name)
            except Exception:
                (log.debug if failures else log.warning)(
                    "channel layer receive failed; trying again", exc_info=True
                )
                await asyncio.sleep(retry_delay(failures))
                failures += 1

    async def join(self, code: str) -> None:
        """Join the room's group; if the layer fails, keep trying in the background."""
        self.code = code
        self.name = broadcast.group_name(code)
        if not await call_layer(
            "joining the room group", self.layer.group_add, self.name, self.channel_name
        ):
            self.unsubscribed = True
            self._start_mending()

    async def leave(self) -> None:
        await call_layer(
            "leaving the room group", self.layer.group_discard, self.name, self.channel_name
        )

    def stop(self) -> None:
        """Retry nothing more: the socket is leaving."""
        if self.mender is not None:
            self.mender.cancel()

    async def evict(self, channel: str) -> None:
        """Tell an older socket of the same seat to close (one past the per-seat limit)."""
        await call_layer(
            "evicting an older socket", self.layer.send, channel, broadcast.evict_message()
        )

    async def send_to(self, channel: str, message: dict) -> bool:
        """One message to one socket's channel (in any process); False when the layer failed.

        Not retried: what goes this way (the call's signaling) is out of date a moment
        later, and the browsers start again from what they know.
        """
        return await _relay("sending to one socket", self.layer.send, channel, message)

    async def tell(self, message: dict) -> bool:
        """One message to every socket of the room; False when the layer failed. Not retried."""
        return await _relay("telling the room", self.layer.group_send, self.name, message)

    async def broadcast(self, state: dict) -> bool:
        """Send a committed state to the room; False when the layer failed.

        A state that could not be sent is kept (the newest only) and sent again by
        the mender as soon as the layer answers. While the layer is known to be down,
        the state goes straight to the mender: waiting out a failing call on every
        tap would hold up the person's next frame.
        """
        layer_down = self.mender is not None and not self.mender.done()
        if not layer_down and await call_layer(
            "broadcasting a state",
            self.layer.group_send,
            self.name,
            broadcast.state_message(state, self.code),
        ):
            return True
        if self.unsent is None or state["version"] > self.unsent["version"]:
            self.unsent = state
        self._start_mending()
        return False

    def _start_mending(self) -> None:
        if not self.closing() and (self.mender is None or self.mender.done()):
            self.mender = asyncio.create_task(self._mend())

    async def _mend(self) -> None:
        """While the layer is down: join the room group and send the newest unsent state."""
        failures = 0
        while not self.closing() and (self.unsubscribed or self.unsent is not None):
            await asyncio.sleep(retry_delay(failures))
            failures += 1
            if self.unsubscribed:
                joined = await call_layer(
                    "joining the room group",
                    self.layer.group_add,
                    self.name,
                    self.channel_name,
                    retry=True,
                )
                self.unsubscribed = not joined
                if not joined:
                    continue
            state = self.unsent
            if state is None:
                continue
            sent = await call_layer(
                "broadcasting a state again",
                self.layer.group_send,
                self.name,
                broadcast.state_message(state, self.code),
                retry=True,
            )
            if sent and self.unsent is state:
                self.unsent = None
