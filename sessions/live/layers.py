"""Channel layer for the embedded default (no Redis).

Channels' stock ``InMemoryChannelLayer`` scans every channel and every group
membership (``_clean_expired``) on every ``receive()`` and every ``group_send()``,
so each message costs O(open sockets), which dominated the benchmark's echo
baseline at a few thousand sockets (docs/benchmarks.md).

``FastInMemoryChannelLayer`` keeps the stock layer's behaviour (capacity and
``ChannelFull``, message expiry, an expired message removing its channel from
every group, group membership expiry, flush) but does the expiry work lazily:
every sent message and every group membership leaves one entry in a deque ordered
by its expiry time, and each operation pops only the entries that are due. Every
entry is examined once, so the expiry cost per message is amortised O(1) whatever
the number of open channels and groups. Stale entries (a message already received,
a membership already discarded or renewed) are skipped when they come due, and the
deques are compacted when stale entries outnumber live ones, so memory stays
proportional to what is live.

Every recipient still gets its own copy of a message, as with the stock layer,
but the copy is a pickle round trip (serialised once per broadcast) instead of a
`deepcopy` per recipient, several times cheaper for a room's state. Messages must
be serialisable for any other layer anyway; anything pickle cannot
handle falls back to `deepcopy`.

A channel's queue is an ``_Inbox``, not an ``asyncio.Queue``: every open socket
has one while it waits for a message, and an ``asyncio.Queue`` (four deques, an
``Event``) is many times its size.
"""

import asyncio
import contextlib
import pickle
import random
import string
import time
from collections import deque
from collections.abc import Callable
from copy import deepcopy

from channels.exceptions import ChannelFull
from channels.layers import InMemoryChannelLayer

# Compact a deque once stale entries exceed live ones by this margin; small
# enough to bound memory, large enough that rebuilding stays rare.
_COMPACT_SLACK = 1024


class _Inbox:
    """One channel's messages: the part of ``asyncio.Queue`` the layer uses, lighter.

    ``put_nowait`` (``asyncio.QueueFull`` past ``maxsize``; 0 is unbounded), ``get``,
    ``get_nowait``, ``empty`` and ``qsize`` behave as the queue's, including a
    cancelled ``get`` handing its wake-up to the next waiter; ``_queue`` holds the
    ``(expires_at, message)`` entries, oldest first, as the queue's does.
    """

    __slots__ = ("maxsize", "_queue", "_getters")

    def __init__(self, maxsize: int = 0) -> None:
        self.maxsize = maxsize
        self._queue: list = []
        self._getters: list[asyncio.Future] = []

    def qsize(self) -> int:
        return len(self._queue)

    def empty(self) -> bool:
        return not self._queue

    def full(self) -> bool:
        return 0 < self.maxsize <= len(self._queue)

    def put_nowait(self, item) -> None:
        if self.full():
            raise asyncio.QueueFull
        self._queue.append(item)
        self._wake_next()

    def get_nowait(self):
        if not self._queue:
            raise asyncio.QueueEmpty
        return self._queue.pop(0)

    async def get(self):
        while not self._queue:
            getter = asyncio.get_running_loop().create_future()
            self._getters.append(getter)
            try:
                await getter
            except BaseException:
                getter.cancel()  # in case it was not done yet
                with contextlib.suppress(ValueError):
                    self._getters.remove(getter)
                if self._queue and not getter.cancelled():
                    self._wake_next()  # woken, then cancelled: pass the wake-up on
                raise
        return self._queue.pop(0)

    def _wake_next(self) -> None:
        while self._getters:
            getter = self._getters.pop(0)
            if not getter.done():
                getter.set_result(None)
                return


class FastInMemoryChannelLayer(InMemoryChannelLayer):
    """In-process layer whose per-message cost does not grow with open sockets.

    ``clock`` exists so tests can move time without sleeping; it must be
    non-decreasing (``time.monotonic`` by default, so a wall-clock jump neither
    expires everything at once nor keeps dead channels forever).
    """

    extensions = ["groups", "flush"]

    def __init__(
        self,
        expiry=60,
        group_expiry=86400,
        capacity=100,
        channel_capacity=None,
        clock: Callable[[], float] = time.monotonic,
        **kwargs,
    ):
        super().__init__(
            expiry=expiry,
            group_expiry=group_expiry,
            capacity=capacity,
            channel_capacity=channel_capacity,
            **kwargs,
        )
        self._clock = clock
        # How many expiry entries were looked at, in total. The tests use it to
        # show the cost per message does not depend on the number of sockets.
        self.expiry_entries_examined = 0
        self._reset()

    def _reset(self):
        self.channels: dict[str, _Inbox] = {}
        # group -> {channel: joined_at}; same shape as the stock layer.
        self.groups: dict[str, dict[str, float]] = {}
        # channel -> groups it belongs to, so an expired message removes its
        # channel from its own groups without scanning all of them.
        self._memberships: dict[str, set[str]] = {}
        # (expires_at, channel) per sent message, in send order = expiry order.
        self._message_due: deque[tuple[float, str]] = deque()
        # (joined_at, group, channel) per group_add, in join order.
        self._membership_due: deque[tuple[float, str, str]] = deque()
        self._queued = 0
        self._members = 0

    # Channel layer API

    async def send(self, channel, message):
        """Send a message onto a (general or specific) channel."""
        assert isinstance(message, dict), "message is not a dict"
        self.require_valid_channel_name(channel)
        assert "__asgi_channel__" not in message
        self._expire_due()
        self._put(channel, _copier(message)())

    def _put(self, channel: str, message: dict) -> None:
        queue = self.channels.get(channel)
        if queue is None:
            queue = self.channels[channel] = _Inbox(self.get_capacity(channel))
        expires_at = self._clock() + self.expiry
        try:
            queue.put_nowait((expires_at, message))
        except asyncio.QueueFull:
            raise ChannelFull(channel) from None
        self._queued += 1
        self._message_due.append((expires_at, channel))

    async def receive(self, channel):
        """Receive the first message that arrives on the channel.

        If more than one coroutine waits on the same channel, a random one of the
        waiting coroutines gets the message.
        """
        self.require_valid_channel_name(channel)
        self._expire_due()
        queue = self.channels.get(channel)
        if queue is None:
            queue = self.channels[channel] = _Inbox(self.get_capacity(channel))
        try:
            _, message = await queue.get()
            self._queued -= 1
        finally:
            if queue.empty() and self.channels.get(channel) is queue:
                del self.channels[channel]
        return message

    async def new_channel(self, prefix="specific."):
        """Return a new channel name for a process-local specific channel."""
        suffix = "".join(random.choice(string.ascii_letters) for _ in range(12))
        return f"{prefix}.inmemory!{suffix}"

    # Expiry, incremental

    def _clean_expired(self):
        """Kept for callers of the stock API; only the due entries are examined."""
        self._expire_due()

    def _expire_due(self) -> None:
        now = self._clock()
        due = self._message_due
        while due and due[0][0] < now:
            _, channel = due.popleft()
            self.expiry_entries_examined += 1
            self._drop_expired_messages(channel, now)
        joined_before = now - self.group_expiry
        members = self._membership_due
        while members and members[0][0] < joined_before:
            joined_at, group, channel = members.popleft()
            self.expiry_entries_examined += 1
            channels = self.groups.get(group)
            # Skip entries already discarded or renewed by a later group_add.
            if channels is not None and channels.get(channel) == joined_at:
                self._leave(group, channel)
        self._compact_if_stale()

    def _drop_expired_messages(self, channel: str, now: float) -> None:
        queue = self.channels.get(channel)
        if queue is None:
            return
        removed = False
        while not queue.empty() and queue._queue[0][0] < now:
            queue.get_nowait()
            self._queued -= 1
            removed = True
        if removed:
            # As in the stock layer: a channel nobody reads is dropped from every
            # group, so broadcasts stop piling up for a socket that is gone.
            for group in list(self._memberships.get(channel, ())):
                self._leave(group, channel)
            if queue.empty():
                del self.channels[channel]

    def _compact_if_stale(self) -> None:
        if len(self._message_due) > 2 * self._queued + _COMPACT_SLACK:
            entries = [
                (expires_at, channel)
                for channel, queue in self.channels.items()
                for expires_at, _ in queue._queue
            ]
            entries.sort()
            self._message_due = deque(entries)
        if len(self._membership_due) > 2 * self._members + _COMPACT_SLACK:
            entries = [
                (joined_at, group, channel)
                for group, channels in self.groups.items()
                for channel, joined_at in channels.items()
            ]
            entries.sort()
            self._membership_due = deque(entries)

    # Flush extension

    async def flush(self):
        self._reset()

    async def close(self):
        pass

    def _remove_from_groups(self, channel):
        """Remove a channel from all its groups (stock API, now via the reverse index)."""
        for group in list(self._memberships.get(channel, ())):
            self._leave(group, channel)

    # Groups extension

    async def group_add(self, group, channel):
        """Add the channel to a group; adding again renews the membership."""
        self.require_valid_group_name(group)
        self.require_valid_channel_name(channel)
        self._expire_due()
        joined_at = self._clock()
        channels = self.groups.setdefault(group, {})
        if channel not in channels:
            self._members += 1
        channels[channel] = joined_at
        self._memberships.setdefault(channel, set()).add(group)
        self._membership_due.append((joined_at, group, channel))

    async def group_discard(self, group, channel):
        self.require_valid_channel_name(channel)
        self.require_valid_group_name(group)
        self._leave(group, channel)

    def _leave(self, group: str, channel: str) -> None:
        channels = self.groups.get(group)
        if channels is None or channels.pop(channel, None) is None:
            return
        self._members -= 1
        if not channels:
            del self.groups[group]
        groups = self._memberships.get(channel)
        if groups is not None:
            groups.discard(group)
            if not groups:
                del self._memberships[channel]

    async def group_send(self, group, message):
        """Send to every member; a full member is skipped, as in the stock layer."""
        assert isinstance(message, dict), "Message is not a dict"
        self.require_valid_group_name(group)
        self._expire_due()
        members = list(self.groups.get(group, ()))
        if not members:
            return
        copy = _copier(message)
        for channel in members:
            with contextlib.suppress(ChannelFull):
                self._put(channel, copy())


def _copier(message: dict) -> Callable[[], dict]:
    """A function returning a fresh, independent copy of `message` on each call."""
    try:
        frozen = pickle.dumps(message, pickle.HIGHEST_PROTOCOL)
    except Exception:  # not picklable (e.g. a live object): copy the slow way
        return lambda: deepcopy(message)
    return lambda: pickle.loads(frozen)
