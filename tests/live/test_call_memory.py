"""What a socket remembers of the call when word of it arrives out of order.

Over a channel layer two messages from different sockets can arrive in either order:
Sam's old socket answering Alex's hello may land after Sam's new socket has joined the
call. The newer join is who Sam is now; the late answer must not replace it, or Alex's
offers would go to a socket that is about to close and be refused `not_in_call`.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from sessions.live import call_relay
from sessions.live.call_relay import CallMemory, InCall


@dataclass
class AlexSocket:
    """The part of Alex's room socket the relay touches, recording what it sends."""

    role: str = "a"
    channel_name: str = "alex-channel"
    call: CallMemory = field(default_factory=CallMemory)
    room: object = None
    sent: list = field(default_factory=list)

    async def _send(self, frame) -> None:
        self.sent.append(frame)


def sams_media(channel: str, peer: str, *, answer: bool) -> dict:
    return {
        "type": "call.media",
        "role": "b",
        "peer": peer,
        "channel": channel,
        "mic": True,
        "camera": True,
        "answer": answer,
    }


def test_a_late_hello_answer_from_sams_old_socket_does_not_replace_his_new_join():
    alex = AlexSocket()
    asyncio.run(call_relay.heard_media(alex, sams_media("sam-new", "sam-page-2", answer=False)))
    asyncio.run(call_relay.heard_media(alex, sams_media("sam-old", "sam-page-1", answer=True)))
    assert alex.call.others["b"] == InCall("sam-page-2", "sam-new", True, True)
    assert [frame.peer for frame in alex.sent] == ["sam-page-2"]  # the page never hears it


def test_a_hello_answer_tells_of_someone_not_yet_known():
    alex = AlexSocket()
    asyncio.run(call_relay.heard_media(alex, sams_media("sam-old", "sam-page-1", answer=True)))
    assert alex.call.others["b"].peer == "sam-page-1"
    assert [frame.peer for frame in alex.sent] == ["sam-page-1"]
