"""The embedded default channel layer.

Behaviour tests run against both channels' stock ``InMemoryChannelLayer`` and
``FastInMemoryChannelLayer`` to show the replacement is a drop-in; the expiry and
cost tests drive the fast layer with a fake clock, so nothing here sleeps long.
"""

import asyncio

import pytest
from channels.exceptions import ChannelFull
from channels.layers import InMemoryChannelLayer

from sessions.live.layers import FastInMemoryChannelLayer

ROOM = "room.K7QX2M"


class FakeClock:
    def __init__(self, now: float = 1000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture(params=[InMemoryChannelLayer, FastInMemoryChannelLayer], ids=["stock", "fast"])
def layer(request):
    return request.param(capacity=5)


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def fast(clock):
    return FastInMemoryChannelLayer(expiry=60, group_expiry=3600, capacity=5, clock=clock)


async def nothing_arrives(layer, channel) -> bool:
    try:
        await asyncio.wait_for(layer.receive(channel), timeout=0.05)
    except TimeoutError:
        return True
    return False


# --- Same behaviour as the stock layer -------------------------------------------


async def test_a_message_sent_to_alexs_socket_reaches_it_as_its_own_copy(layer):
    alex = await layer.new_channel()
    original = {"type": "room.state", "version": 3, "seats": {"a": "Alex"}}
    await layer.send(alex, original)
    original["seats"]["a"] = "changed after sending"

    received = await layer.receive(alex)

    assert received == {"type": "room.state", "version": 3, "seats": {"a": "Alex"}}


async def test_each_partner_gets_a_copy_of_a_broadcast_that_the_other_cannot_change(layer):
    alex, sam = await layer.new_channel(), await layer.new_channel()
    await layer.group_add(ROOM, alex)
    await layer.group_add(ROOM, sam)
    await layer.group_send(ROOM, {"type": "room.state", "state": {"pause": {"ready": []}}})

    for_alex = await layer.receive(alex)
    for_alex["state"]["pause"]["ready"].append("a")

    assert (await layer.receive(sam))["state"] == {"pause": {"ready": []}}


async def test_a_message_that_cannot_be_pickled_is_still_delivered_as_a_copy(layer):
    alex = await layer.new_channel()
    shape = {"sides": [1, 2]}
    await layer.send(alex, {"type": "room.note", "key": lambda: None, "shape": shape})
    shape["sides"].append(3)

    received = await layer.receive(alex)

    assert received["shape"] == {"sides": [1, 2]}
    assert callable(received["key"])


async def test_messages_arrive_in_the_order_they_were_sent(layer):
    sam = await layer.new_channel()
    for version in range(1, 4):
        await layer.send(sam, {"type": "room.state", "version": version})

    versions = [(await layer.receive(sam))["version"] for _ in range(3)]

    assert versions == [1, 2, 3]


async def test_a_broadcast_reaches_both_partners_in_the_room_and_nobody_else(layer):
    alex, sam, stranger = [await layer.new_channel() for _ in range(3)]
    await layer.group_add(ROOM, alex)
    await layer.group_add(ROOM, sam)
    await layer.group_add("room.OTHER1", stranger)

    await layer.group_send(ROOM, {"type": "room.state", "version": 7})

    assert (await layer.receive(alex))["version"] == 7
    assert (await layer.receive(sam))["version"] == 7
    assert await nothing_arrives(layer, stranger)


async def test_a_partner_who_left_the_room_gets_no_more_broadcasts(layer):
    alex, sam = await layer.new_channel(), await layer.new_channel()
    await layer.group_add(ROOM, alex)
    await layer.group_add(ROOM, sam)

    await layer.group_discard(ROOM, sam)
    await layer.group_send(ROOM, {"type": "room.state", "version": 8})

    assert (await layer.receive(alex))["version"] == 8
    assert await nothing_arrives(layer, sam)


async def test_the_room_disappears_when_its_last_partner_leaves(layer):
    alex = await layer.new_channel()
    await layer.group_add(ROOM, alex)

    await layer.group_discard(ROOM, alex)

    assert ROOM not in layer.groups


async def test_a_full_socket_refuses_a_direct_send(layer):
    alex = await layer.new_channel()
    for version in range(5):
        await layer.send(alex, {"type": "room.state", "version": version})

    with pytest.raises(ChannelFull):
        await layer.send(alex, {"type": "room.state", "version": 5})


async def test_a_full_socket_does_not_stop_a_broadcast_reaching_the_other_partner(layer):
    alex, sam = await layer.new_channel(), await layer.new_channel()
    await layer.group_add(ROOM, alex)
    await layer.group_add(ROOM, sam)
    for version in range(5):
        await layer.send(alex, {"type": "room.state", "version": version})

    await layer.group_send(ROOM, {"type": "room.state", "version": 99})

    assert (await layer.receive(sam))["version"] == 99
    assert [(await layer.receive(alex))["version"] for _ in range(5)] == [0, 1, 2, 3, 4]


async def test_flush_forgets_every_message_and_room(layer):
    alex = await layer.new_channel()
    await layer.group_add(ROOM, alex)
    await layer.send(alex, {"type": "room.state", "version": 1})

    await layer.flush()

    assert layer.groups == {}
    assert await nothing_arrives(layer, alex)


async def test_new_channel_names_are_valid_and_distinct(layer):
    names = {await layer.new_channel() for _ in range(200)}

    assert len(names) == 200
    assert all(layer.require_valid_channel_name(name) for name in names)


async def test_invalid_group_names_are_refused(layer):
    alex = await layer.new_channel()

    with pytest.raises(TypeError):
        await layer.group_add("room with spaces", alex)


async def test_a_message_nobody_read_in_time_is_dropped_with_its_socket_from_the_room(layer):
    # Real time here, so the stock layer runs the same test: a 50 ms expiry.
    layer.expiry = 0.05
    gone, sam = await layer.new_channel(), await layer.new_channel()
    await layer.group_add(ROOM, gone)
    await layer.group_add(ROOM, sam)
    await layer.group_send(ROOM, {"type": "room.state", "version": 1})
    assert (await layer.receive(sam))["version"] == 1

    await asyncio.sleep(0.1)
    await layer.group_send(ROOM, {"type": "room.state", "version": 2})

    assert gone not in layer.groups.get(ROOM, {})
    assert (await layer.receive(sam))["version"] == 2


# --- Expiry, with a fake clock --------------------------------------------------------


async def test_a_message_older_than_expiry_is_never_delivered(fast, clock):
    alex = await fast.new_channel()
    await fast.send(alex, {"type": "room.state", "version": 1})

    clock.advance(61)

    assert await nothing_arrives(fast, alex)


async def test_a_message_within_expiry_is_still_delivered(fast, clock):
    alex = await fast.new_channel()
    await fast.send(alex, {"type": "room.state", "version": 1})

    clock.advance(59)

    assert (await fast.receive(alex))["version"] == 1


async def test_only_the_expired_messages_of_a_socket_are_dropped(fast, clock):
    alex = await fast.new_channel()
    await fast.send(alex, {"type": "room.state", "version": 1})
    clock.advance(30)
    await fast.send(alex, {"type": "room.state", "version": 2})

    clock.advance(31)

    assert (await fast.receive(alex))["version"] == 2


async def test_a_room_membership_lapses_after_group_expiry(fast, clock):
    alex, sam = await fast.new_channel(), await fast.new_channel()
    await fast.group_add(ROOM, alex)
    clock.advance(3000)
    await fast.group_add(ROOM, sam)

    clock.advance(601)
    await fast.group_send(ROOM, {"type": "room.state", "version": 4})

    assert await nothing_arrives(fast, alex)
    assert (await fast.receive(sam))["version"] == 4


async def test_joining_the_room_again_renews_the_membership(fast, clock):
    alex = await fast.new_channel()
    await fast.group_add(ROOM, alex)
    clock.advance(3000)
    await fast.group_add(ROOM, alex)

    clock.advance(3000)
    await fast.group_send(ROOM, {"type": "room.state", "version": 5})

    assert (await fast.receive(alex))["version"] == 5


async def test_a_dead_sockets_queue_stays_bounded_and_it_leaves_the_room(fast, clock):
    dead, sam = await fast.new_channel(), await fast.new_channel()
    await fast.group_add(ROOM, dead)
    await fast.group_add(ROOM, sam)

    # Ten minutes of broadcasts, one a second; only Sam reads.
    for version in range(600):
        await fast.group_send(ROOM, {"type": "room.state", "version": version})
        assert (await fast.receive(sam))["version"] == version
        assert fast.channels.get(dead) is None or fast.channels[dead].qsize() <= 5
        clock.advance(1)

    assert dead not in fast.groups[ROOM]
    assert dead not in fast.channels
    # The bookkeeping is bounded by what is live, not by the history.
    assert len(fast._message_due) <= 2 * 5 + 1024
    assert len(fast._membership_due) <= 2 * 2 + 1024


# --- Cost does not grow with the number of sockets -------------------------------------


async def one_busy_room_among_many(rooms: int) -> int:
    """Run a fixed workload in one room while ``rooms - 1`` other rooms sit idle.

    Returns how many expiry entries the layer examined during the workload.
    """
    clock = FakeClock()
    layer = FastInMemoryChannelLayer(expiry=60, capacity=100, clock=clock)
    for number in range(rooms):
        for _ in range(2):
            partner = await layer.new_channel()
            await layer.group_add(f"room.R{number}", partner)
            # Every idle socket also holds an unread message (e.g. a welcome frame).
            await layer.send(partner, {"type": "room.state", "version": 0})
    alex, sam = await layer.new_channel(), await layer.new_channel()
    await layer.group_add("room.BUSY", alex)
    await layer.group_add("room.BUSY", sam)

    before = layer.expiry_entries_examined
    for version in range(1, 201):
        await layer.group_send("room.BUSY", {"type": "room.state", "version": version})
        await layer.receive(alex)
        await layer.receive(sam)
        clock.advance(0.1)  # 20 s in all: nothing idle expires meanwhile
    return layer.expiry_entries_examined - before


async def test_a_broadcast_examines_the_same_entries_with_10_or_2000_sockets_open():
    with_ten = await one_busy_room_among_many(5)
    with_two_thousand = await one_busy_room_among_many(1000)

    assert with_ten == with_two_thousand


async def test_expiry_work_is_paid_once_per_message_not_once_per_operation(fast, clock):
    partners = [await fast.new_channel() for _ in range(400)]
    for number, partner in enumerate(partners):
        await fast.group_add(f"room.R{number // 2}", partner)
    sends = 0
    # Half the sockets never read: their messages expire and drop them from rooms.
    for minute in range(5):
        for number in range(200):
            await fast.group_send(f"room.R{number}", {"type": "room.state", "version": minute})
            sends += 2
        for partner in partners[::2]:
            while partner in fast.channels and not fast.channels[partner].empty():
                await fast.receive(partner)
        clock.advance(61)
    await fast.group_send("room.R0", {"type": "room.state", "version": 99})

    # Each sent message and each join is examined at most once when it comes due.
    assert 0 < fast.expiry_entries_examined <= sends + len(partners) + 2
    assert all(
        partner not in fast.groups.get(f"room.R{n // 2}", {})
        for n, partner in enumerate(partners)
        if n % 2 == 1
    )
