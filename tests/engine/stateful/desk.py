"""What must hold of the counselor's desk actions: her message (``say``) and resuming for
both (``resume``), whoever sent what. Mixed into the state machine beside ``Promises``, which
calls these after its own checks; counts what it sees in ``REACHED``.
"""

from __future__ import annotations

from sessions.engine import view_for
from tests.engine.stateful.common import PARTNERS, PEOPLE, REACHED, TERMINAL, plain


class DeskPromises:
    """Only the counselor writes to the couple or overrides a pause, and only as she named."""

    def check_desk(self, old, new, actor, action, args, events):
        was, now_status = old["status"], new["status"]
        if was == "paused" and now_status == "active" and action == "resume":
            # The counselor resumed for both, naming exactly whom it overrode, all present.
            assert actor == "host", f"{actor} resumed for both"
            waiting = [seat for seat in PARTNERS if seat not in old["pause"]["ready"]]
            assert sorted(args["override"]) == waiting, f"overrode {args['override']}"
            for seat in waiting:
                assert old["seats"][seat]["claimed"] and old["seats"][seat]["connected"], (
                    f"resumed over {seat}, who was not there"
                )
            assert events[0]["overrode"] == waiting and events[0]["by"] == "host"
            REACHED["counselor resumed for both"] += 1
        if action == "say":
            assert actor == "host" and was not in TERMINAL, f"{actor} wrote in a {was} room"
            if new["message"] is not None:
                REACHED["counselor wrote to the couple"] += 1
        elif now_status not in TERMINAL:
            assert new["message"] == old["message"], f"{action} by {actor} changed the message"

    def check_desk_state(self, state):
        message = state["message"]
        for role in PEOPLE if self.hosted else PARTNERS:
            assert view_for(state, role)["message"] == message, f"{role} sees the message wrongly"
        if message is not None:
            status = state["status"]
            assert status not in TERMINAL, f"a message left in a {status} session"
            assert self.hosted, "a message in a room without a counselor"
            assert plain(message["text"]) and 0 < len(message["text"]) <= 200, message
