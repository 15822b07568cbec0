"""Dana's console reaching one room of her workshop, and what must hold of a workshop room.

``WorkshopPeople`` sends what her console sends (pace the group on, or back, or to a step
that does not exist; start, restart or clear the group timer; lower a hand) and Alex or Sam
raising a hand, to workshop rooms and to rooms outside any workshop alike (which must refuse
them all). ``WorkshopPromises`` checks, after every input:

* a paused room never changes step by ``pace`` (it joins the group's step only on resume);
* the group's step ``to`` only rises: a ``pace`` at or below it changes nothing;
* a paced room's index never passes the group's step ``to`` except by Dana's own ``skip``
  or ``next``; a room is held only at the end of a step past which the gate is closed;
* held means nothing runs: no deadline, no breathing, no remaining time, nobody moving on;
* a hand is raised by a partner and lowered by Dana, the timer set and cleared only by her,
  the gate moved only by her ``pace``; a finished room keeps no hand, no timer, no hold;
* every person sees the same block, and a room outside a workshop has none.

Mixed into the state machine beside ``People`` and ``Promises``; reads ``self.state``,
``self.now``, ``self.hosted`` and ``self.workshop`` (the block it was created with, or None).
"""

from __future__ import annotations

from hypothesis import strategies as st

from sessions.engine import view_for
from tests.engine.stateful.common import (
    PARTNERS,
    PEOPLE,
    REACHED,
    TERMINAL,
    WORKSHOP_ACTIONS,
    held,
)

_TIMERS = [{"seconds": 60}, {"seconds": 600}, {}, {}, {"seconds": 9}, {"seconds": "60"}]


class WorkshopPeople:
    """Dana at her console, and a hand going up in the room."""

    def at_the_console(self, data):
        state, block = self.state, self.state["workshop"]
        when = self.now + data.draw(st.sampled_from([0, 300]), label="delta")
        # Dana answers what her console shows: a raised hand, a timer that has done its job.
        choices = ["pace", "pace", "timer", "timer", "hand", "lower"]
        if block and block["hand"]:
            choices += ["lower"] * 4
        if block and block["timer"]:
            choices += ["clear"] * 4
        choice = data.draw(st.sampled_from(choices), label="console")
        if choice == "pace":
            to = block["to"] if block else 0
            count = len(state["steps"])
            step = data.draw(
                st.sampled_from(
                    [to + 1, to + 1, to + 1, to, to - 1, state["index"] + 1, count, "2"]
                ),
                label="paced to",
            )
            actor = data.draw(st.sampled_from(["host"] * 4 + ["a"]), label="who")
            action, args = "pace", {"step": step}
        elif choice == "timer":
            actor, action = "host", "group_timer"
            args = dict(data.draw(st.sampled_from(_TIMERS), label="timer"))
        elif choice == "clear":
            actor, action, args = "host", "group_timer", {}
        elif choice == "hand":
            actor, action, args = data.draw(st.sampled_from(PEOPLE)), "raise_hand", {}
        else:
            actor, action, args = (
                data.draw(st.sampled_from(["host", "host", "b"])),
                "lower_hand",
                {},
            )
        refused = "the room is not part of a workshop" if block is None else ""
        self.send(actor, action, args, when, must_be_refused=refused)

    def the_group_moves_on_meanwhile(self, data, soon: int) -> list:
        """While this couple is still in the lobby or on a break, Dana now and then paces the
        rest of a paced workshop on; the room must keep its own step until it runs again."""
        block, count = self.state["workshop"], len(self.state["steps"])
        if not (block and block["paced"]) or block["to"] + 1 >= count:
            return []
        if data.draw(st.integers(0, 3), label="the group moves on meanwhile?"):
            return []
        return [("host", "pace", {"step": block["to"] + 1}, soon)]

    def dana_tends_the_room(self, data, soon: int) -> list:
        """In a running workshop room Dana answers what her console shows (a raised hand, a
        group timer she set), and now and then a partner raises a hand or she starts a timer:
        part of the room's flow, so each workshop run sees a hand and a timer come and go."""
        block = self.state["workshop"]
        if block is None:
            return []
        if block["hand"] is not None and data.draw(st.booleans(), label="Dana sees the hand?"):
            return [("host", "lower_hand", {}, soon)]
        if block["timer"] is not None and data.draw(st.integers(0, 3), label="timer done?") == 0:
            return [("host", "group_timer", {}, soon)]
        moment = data.draw(st.integers(0, 11), label="a workshop moment?")
        if moment == 0 and block["hand"] is None:
            return [(data.draw(st.sampled_from(PARTNERS)), "raise_hand", {}, soon)]
        if moment == 1:
            seconds = data.draw(st.sampled_from([60, 600]), label="timer seconds")
            return [("host", "group_timer", {"seconds": seconds}, soon)]
        return []

    def the_group_moves_on(self, soon: int) -> list:
        """A held room waits for Dana: she paces the group on to the next step."""
        if not held(self.state):
            return []
        return [("host", "pace", {"step": self.state["index"] + 1}, soon)]


class WorkshopPromises:
    """What a workshop room (and every other room) must keep, whoever sent what."""

    def is_held(self, state: dict) -> bool:
        return held(state)

    def newly_held(self, old: dict, new: dict) -> bool:
        return held(new) and not held(old)

    def caught_up(self, old: dict, new: dict) -> bool:
        """A paused room resumed onto the group's step instead of thawing its own."""
        block = new["workshop"]
        return (
            block is not None
            and old["status"] == "paused"
            and new["status"] == "active"
            and new["index"] != old["index"]
            and new["index"] == block["to"]
        )

    def check_workshop(self, old, new, actor, action, args, events):
        before, after = old["workshop"], new["workshop"]
        if before is None:
            assert after is None and action not in WORKSHOP_ACTIONS, f"{action} outside a workshop"
            return
        assert after["paced"] == before["paced"], "a room changed how its workshop is paced"
        if action in WORKSHOP_ACTIONS:
            assert old["status"] not in TERMINAL, f"{action} in a {old['status']} room"
            assert actor in (PARTNERS if action == "raise_hand" else ("host",)), (actor, action)
        if after["to"] != before["to"]:
            assert action == "pace", f"{action} moved the group's step"
        moved = new["index"] != old["index"]
        if action == "pace":
            # (only changes reach here: a step at or below ``to`` must have been a no-op)
            assert args["step"] > before["to"], "an older step changed the room"
            assert after["paced"] and after["to"] == args["step"]
            if old["status"] != "active":
                assert not moved and new["status"] == old["status"], "pace moved a paused room"
                REACHED[f"paced a {old['status']} room"] += 1
            elif old["index"] < args["step"]:
                assert new["index"] == args["step"] and not after["held"]
                REACHED["paced a room on"] += 1
            else:
                assert not moved, "pace moved a room back"
        passed_by_hand = actor == "host" and action in ("skip", "next")
        if after["paced"] and new["index"] > old["index"] and not passed_by_hand:
            assert new["status"] == "completed" or new["index"] <= after["to"], (
                f"{actor} {action} took the room to {new['index']} past the group's {after['to']}"
            )
        if self.newly_held(old, new):
            assert after["paced"] and not moved and old["index"] + 1 > after["to"]
            assert {"type": "held", "index": old["index"]} in events
            REACHED["held at the group's step"] += 1
        if self.caught_up(old, new):
            assert action in ("ready", "resume"), f"{action} caught a paused room up"
            REACHED["joined the group's step on resume"] += 1
        finished = new["status"] in TERMINAL
        if after["hand"] != before["hand"] and not finished:
            assert action in ("raise_hand", "lower_hand"), f"{action} moved the hand"
            if action == "raise_hand":
                assert before["hand"] is None and after["hand"] == {"seat": actor, "at": self.now}
            REACHED[f"hand {'raised' if after['hand'] else 'lowered'}"] += 1
        if after["timer"] != before["timer"] and not finished:
            assert action == "group_timer", f"{action} changed the group timer"
            REACHED[f"group timer {'set' if after['timer'] else 'cleared'}"] += 1

    def check_workshop_state(self, state):
        block = state["workshop"]
        assert (block is None) == (self.workshop is None), "the room's workshop came or went"
        for role in PEOPLE if self.hosted else PARTNERS:
            assert view_for(state, role)["workshop"] == block, f"{role} sees the block wrongly"
        if block is None:
            return
        status = state["status"]
        to = block["to"]
        assert type(to) is int and 0 <= to < len(state["steps"]), f"the group's step {to!r}"
        if block["held"]:
            assert block["paced"] and status in ("active", "paused"), f"held while {status}"
            assert state["deadline"] is None and state["breathing"] is None
            assert state["remaining"] is None and not state["over_time"]
            assert state["moving_on"] == [], "a held room still waits for a tap"
        if block["hand"] is not None:
            assert block["hand"]["seat"] in PARTNERS
        timer = block["timer"]
        if timer is not None:
            assert 10 <= timer["seconds"] <= 3600
            assert timer["ends_at"] == timer["started_at"] + timer["seconds"] * 1000
        if status in TERMINAL:
            assert block["hand"] is None and timer is None and not block["held"]
