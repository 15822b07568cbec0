"""What happens to a room in a random session: the move it is waiting for, careless and
malicious inputs, taps racing each other, time passing, phones dropping, knocks at the door.

``People`` is mixed into the state machine; it reads ``self.state``, ``self.now``,
``self.hosted``, ``self.mix`` and ``self.calm`` (no interruptions among the moves the room
waits for) and hands every input to ``self.send``.
"""

from __future__ import annotations

from hypothesis import strategies as st

from sessions.engine import next_deadline as engine_next_deadline
from tests.engine.stateful.common import (
    ACTORS,
    KNOCK_IDS,
    KNOWN_ACTIONS,
    LADDER,
    OTHER,
    PARTNERS,
    PEOPLE,
    PHASES,
    SESSION_ACTIONS,
    STEP_ACTIONS,
    TERMINAL,
    answers_at,
    current_step,
)
from tests.support.personas import NAMES

# ---------------------------------------------------------------- strategies for wild inputs

wild_step = st.one_of(
    st.sampled_from(["current", "current", "previous", "following", "absent"]),
    st.integers(-2, 12),
    st.sampled_from(["1", 1.0, True, None, [0]]),
)
wild_phase = st.sampled_from(["current", "current", "absent", *PHASES, None, "listen"])
_CHECKINS = [
    {"state": "safe", "intensity": 4},
    {"state": "shutdown", "intensity": 9, "word": "heavy"},
    {"state": "mobilized", "intensity": 0, "word": "   "},
    {"state": "happy", "intensity": 4},
    {"state": "mobilized", "intensity": 11},
    {"state": "shutdown", "intensity": -1},
    {"state": "safe", "intensity": True},
    {"state": "safe", "intensity": 2.5},
    {"state": "safe", "intensity": "7"},
    {"state": "safe"},
    {"state": "mobilized", "intensity": None, "word": "tense"},
    {"state": "safe", "intensity": 0, "word": "x" * 41},
    {"state": "safe", "intensity": 10, "word": 7},
    {"state": "safe", "intensity": 3, "word": "a\u0000b"},
    {"state": "safe", "intensity": 3, "word": "\udfff"},
]
_ANSWERS = [{"value": v} for v in ("yes", "not_quite", "more", "no", None)] + [{}]
_PAUSES = [{}, {"reason": "need_a_moment"}, {"reason": "flooding"}, {"reason": "connection"}]
_PAUSES += [{"reason": "bored"}, {"reason": None}]
_PRESENCE = [
    {"seat": "a", "connected": False},
    {"seat": "b", "connected": True},
    {"seat": "host", "connected": False},
    {"seat": "c", "connected": True},
    {"seat": "a", "connected": "yes"},
    {"seat": "b"},
]
_SEATS = [
    {"seat": "a", "name": "Jo", "claimed": True},
    {"seat": "b", "name": None, "claimed": False},
    {"seat": "a", "claimed": False},
    {"seat": "host", "name": "Eve", "claimed": True},
    {"seat": "b", "name": 5, "claimed": True},
    {"seat": "b", "name": "Sam", "claimed": "yes"},
    {"seat": "a", "name": "Al\u0000ex", "claimed": True},
]
_KNOCKS = [{"seat": seat, "id": knock_id} for seat in PARTNERS for knock_id in KNOCK_IDS[:2]]
_KNOCKS += [{"seat": "host", "id": "riley-1"}, {"seat": "a", "id": "no spaces"}, {"seat": "b"}]
_LET_IN = [{"id": knock_id, "answer": answer} for knock_id in KNOCK_IDS for answer in ("yes", "no")]
_LET_IN += [{"id": "riley-1", "answer": "maybe"}, {"answer": "yes"}, {"id": "", "answer": "no"}]
_FORGET = [{"seat": "a"}, {"seat": "b"}, {"seat": "host"}, {}]
_SAY = [{"text": "Take your time."}, {"text": ""}, {"text": "x" * 201}, {"text": "a\nb"}, {}]
_RESUME = [{"override": seats} for seats in ([], ["a"], ["b"], ["a", "b"])]
_RESUME += [{"override": ["c"]}, {"override": "a"}, {}]
# Mostly arguments that fit the action (so the rules behind the checks get exercised), plus
# ones that fit another action or nothing at all.
WILD_ARGS = {
    "checkin": _CHECKINS,
    "answer": _ANSWERS,
    "pause": _PAUSES,
    "presence": _PRESENCE,
    "seat": _SEATS,
    "knock": _KNOCKS,
    "let_in": _LET_IN,
    "forget": _FORGET,
    "say": _SAY,
    "resume": _RESUME,
}
JUNK_ARGS = [{"bogus": 1}, {"value": "yes"}, {"reason": "flooding"}, {"state": "safe"}]

# How a run behaves overall, chosen once per run: hypothesis's own rule swarming could
# switch the guided moves off for a whole run and leave the room stuck in the lobby.
TEMPERAMENTS = {
    "cooperative": ["guided"] * 8 + ["wild", "time", "jump in", "door", "console"],
    "chaotic": ["guided"] * 3
    + ["wild"] * 3
    + ["jump in"] * 2
    + ["time"] * 2
    + ["connection"]
    + ["door"] * 2
    + ["console"] * 2,
    "flaky network": ["guided"] * 4 + ["time"] * 3 + ["connection"] * 3 + ["jump in", "door"],
    "impatient clock": ["guided"] * 4 + ["time"] * 5 + ["wild", "console"],
    "eager": ["guided"] * 4 + ["jump in"] * 4 + ["time", "door", "console"],
}


class People:
    """Alex, Sam, the counselor and the server, sensible or not."""

    def someone_at_the_door(self, data):
        """Riley, on a new device, knocks on a seat (it may be Sam's new phone, or not); Alex,
        Sam or the counselor answer, sometimes to an older knock, sometimes from the knocked
        seat itself; after the end a partner asks to be forgotten."""
        when = self.now + data.draw(st.sampled_from([0, 100]), label="delta")
        knock = self.state["knock"]
        choices = ["knock", "knock", "answer", "forget"] + ["answer"] * (3 if knock else 0)
        choice = data.draw(st.sampled_from(choices), label="door")
        if choice == "knock":
            seat = data.draw(st.sampled_from(PARTNERS), label="knocked seat")
            knock_id = data.draw(st.sampled_from(KNOCK_IDS), label="knock id")
            self.send("server", "knock", {"seat": seat, "id": knock_id}, when)
        elif choice == "answer":
            # The knocked seat itself answers often (it must be refused), the others too.
            people = [
                *(PEOPLE if self.hosted else PARTNERS),
                *([knock["seat"]] * 2 if knock else []),
            ]
            who = data.draw(st.sampled_from(people), label="who")
            ids = [knock["id"]] * 3 + list(KNOCK_IDS) if knock else list(KNOCK_IDS)
            knock_id = data.draw(st.sampled_from(ids), label="answer id")
            answer = data.draw(st.sampled_from(["yes", "no"]), label="answer")
            self.send(who, "let_in", {"id": knock_id, "answer": answer}, when)
        else:
            seat = data.draw(st.sampled_from(PARTNERS), label="forgotten seat")
            self.send("server", "forget", {"seat": seat}, when)

    def someone_jumps_in(self, data):
        """A well-formed step action aimed at the current step and phase, from anyone: Sam
        tapping "done" while Alex holds the floor, the counselor skipping during a pause. The
        invariants decide whether it may land; this only makes sure it is tried often."""
        actor = data.draw(st.sampled_from(PEOPLE if self.hosted else PARTNERS), label="who")
        action = data.draw(st.sampled_from(STEP_ACTIONS), label="action")
        when = self.now + data.draw(st.sampled_from([0, 400]), label="delta")
        self.send(actor, action, self.well_formed_args(data, action), when)

    def well_formed_args(self, data, action: str) -> dict:
        """Arguments that pass validation and target the current step and phase."""
        if action not in STEP_ACTIONS:
            return {}
        args = {"step": self.state["index"]}
        if self.state["phase"] is not None:
            args["phase"] = self.state["phase"]
        if action == "checkin":
            args.update(state=data.draw(st.sampled_from(LADDER)), intensity=5)
        if action == "answer":
            args["value"] = data.draw(st.sampled_from(["yes", "not_quite", "more"]))
        return args

    def someone_taps_after_the_end(self, data):
        """Phones still open on the last screen keep sending taps; a finished session stays
        finished, whoever taps what."""
        actor = data.draw(st.sampled_from(PEOPLE if self.hosted else PARTNERS), label="who")
        action = data.draw(st.sampled_from(STEP_ACTIONS + SESSION_ACTIONS), label="action")
        args = self.well_formed_args(data, action)
        refused = f"the session is {self.state['status']}"
        self.send(actor, action, args, self.now + 1_000, must_be_refused=refused)
        if data.draw(st.integers(0, 3), label="remove me?") == 0:
            seat = data.draw(st.sampled_from(PARTNERS), label="forgotten seat")
            self.send("server", "forget", {"seat": seat}, self.now + 1_000)

    def the_move_the_room_is_waiting_for(self, data):
        """Send what would be accepted now (a few times in a row, as people in a flow do), so
        random runs get to the end of the protocol within hypothesis's step budget."""
        for _ in range(data.draw(st.integers(1, 3), label="moves in a row")):
            if self.state["status"] in TERMINAL:
                self.someone_taps_after_the_end(data)
                continue
            moves = self.expected_moves(data)
            if not moves:
                return
            actor, action, args, when = data.draw(st.sampled_from(moves), label="move")
            before = (self.state["index"], self.state["phase"])
            self.send(actor, action, args, when)
            moved = (self.state["index"], self.state["phase"]) != before
            if action in STEP_ACTIONS and moved and data.draw(st.booleans(), label="race?"):
                self.a_racing_tap_arrives_late(data, actor, action, args, when)

    def a_racing_tap_arrives_late(self, data, actor, action, args, when):
        """Both partners tap ``next`` at once, or one taps ``done`` twice: the second tap was
        meant for a step (or phase) the room has already left, so it must not move it again."""
        racer = data.draw(st.sampled_from(sorted({actor, *PEOPLE})), label="racer")
        if racer == "host" and not self.hosted:
            racer = actor
        self.send(racer, action, dict(args), when, must_be_refused="it arrived late")

    def someone_does_something_else(self, data):
        """A careless, late, or malicious input: any actor, any action, any arguments."""
        actor = data.draw(st.sampled_from(ACTORS), label="actor")
        action = data.draw(st.sampled_from((*KNOWN_ACTIONS, "dance", "")), label="action")
        pool = WILD_ARGS.get(action, [{}]) * 3 + JUNK_ARGS
        args = dict(data.draw(st.sampled_from(pool), label="args"))
        if action in STEP_ACTIONS or data.draw(st.integers(0, 4), label="targeted?") == 0:
            step = data.draw(wild_step, label="step")
            index = self.state["index"]
            resolved = {"current": index, "previous": index - 1, "following": index + 1}
            if step != "absent":
                args["step"] = resolved.get(step, step) if isinstance(step, str) else step
            phase = data.draw(wild_phase, label="phase")
            if phase != "absent":
                args["phase"] = self.state["phase"] if phase == "current" else phase
        delta = data.draw(st.sampled_from([0, 0, 1, 250, 1_000, 5_000]), label="delta")
        self.send(actor, action, args, self.now + delta)

    def time_passes(self, data):
        """The server's clock moves: to a deadline, just before or after it, or far beyond."""
        due = engine_next_deadline(self.state)
        choices = [self.now + 1, self.now + 700, self.now + 2_500, self.now + 20 * 60_000]
        if due is not None:
            choices += [due, due, due + 1, due - 1]
        when = max(self.now, data.draw(st.sampled_from(choices), label="when"))
        self.send("server", "tick", {}, when)

    def a_connection_changes(self, data):
        """Phones lock, tabs close, someone opens the room on a new device."""
        seat = data.draw(st.sampled_from(["a", "b", "a", "b", "host"]), label="seat")
        change = data.draw(
            st.sampled_from(["drop", "return", "release", "claim", "take over"]), label="change"
        )
        when = self.now + data.draw(st.sampled_from([0, 300, 3_000]), label="delta")
        if change in ("drop", "return"):
            self.send("server", "presence", {"seat": seat, "connected": change == "return"}, when)
        elif seat == "host":
            return
        elif change == "release":
            self.send("server", "seat", {"seat": seat, "name": None, "claimed": False}, when)
        else:
            name = NAMES[seat] if change == "claim" else f"{NAMES[seat]} (new phone)"
            self.send("server", "seat", {"seat": seat, "name": name, "claimed": True}, when)

    # ------------------------------------------------------------------ guidance

    def expected_moves(self, data) -> list[tuple[str, str, dict, int]]:
        """Inputs that should be accepted right now, with the time to send them at."""
        state, seats = self.state, self.state["seats"]
        soon = self.now + data.draw(st.sampled_from([0, 200, 900]), label="thinking time")
        status = state["status"]
        moves: list[tuple[str, str, dict, int]] = []
        knock = state["knock"]
        if knock is not None and data.draw(st.booleans(), label="at the door?"):
            # Whoever is there answers a knock; after a yes the seat moves to the new device.
            if knock["answer"] is None:
                answer = {"id": knock["id"], "answer": data.draw(st.sampled_from(["yes", "no"]))}
                others = [p for p in (PEOPLE if self.hosted else PARTNERS) if p != knock["seat"]]
                return [(who, "let_in", answer, soon) for who in others]
            if knock["answer"] == "yes":
                name = f"{NAMES[knock['seat']]} (new phone)"
                take_over = {"seat": knock["seat"], "name": name, "claimed": True}
                return [("server", "seat", take_over, soon)]
        reconnect = []
        for seat in PARTNERS:
            if not seats[seat]["claimed"]:
                claim = {"seat": seat, "name": NAMES[seat], "claimed": True}
                reconnect.append(("server", "seat", claim, soon))
            elif not seats[seat]["connected"]:
                presence = {"seat": seat, "connected": True}
                reconnect.append(("server", "presence", presence, soon))
        if status in ("waiting", "paused") and (
            meanwhile := self.the_group_moves_on_meanwhile(data, soon)
        ):
            return meanwhile
        if status == "waiting":
            if any(move[1] == "seat" for move in reconnect):
                return reconnect
            starters = ("host",) if self.hosted else PARTNERS
            return reconnect + [(who, "start", {}, soon) for who in starters]
        if status == "paused":
            not_ready = [seat for seat in PARTNERS if seat not in state["pause"]["ready"]]
            ready = [(seat, "ready", {}, soon) for seat in not_ready if seats[seat]["claimed"]]
            if self.hosted and data.draw(st.integers(0, 5), label="resume for both?") == 0:
                # The counselor resumes for both, naming whom it overrides.
                return [("host", "resume", {"override": not_ready}, soon)]
            return reconnect + ready
        if status != "active":
            return []
        if held := self.the_group_moves_on(soon):
            return held
        if tended := self.dana_tends_the_room(data, soon):
            return tended

        if not self.calm and data.draw(st.integers(0, 9), label="interrupt?") == 0:
            here = {"step": state["index"]}
            kinds = ["pause", "pause", "skip", "skip", "back", "back", "say", "say"]
            kinds = kinds if self.hosted else ["pause"]
            kind = data.draw(st.sampled_from(kinds), label="interruption")
            if data.draw(st.integers(0, 9), label="end instead?") == 7:
                who = data.draw(st.sampled_from(PEOPLE if self.hosted else PARTNERS))
                return [(who, "end", {}, soon)]
            if kind == "say":
                text = data.draw(st.sampled_from(["Take your time.", "", "Nearly there."]))
                return [("host", "say", {"text": text}, soon)]
            if kind != "pause":
                return [("host", kind, here, soon)]
            who = data.draw(st.sampled_from(PEOPLE if self.hosted else PARTNERS), label="who")
            reason = data.draw(st.sampled_from([{}, {"reason": "flooding"}]), label="reason")
            return [(who, "pause", reason, soon)]

        step, index = current_step(state), state["index"]
        here = {"step": index}
        kind, floor = step["kind"], step.get("floor")
        moving = state["moving_on"]
        # Who may still tap to move on (the counselor, if any, moves the room at once), and
        # now and then a partner who tapped takes it back.
        taps = [(who, "next", dict(here), soon) for who in PEOPLE if who not in moving]
        taps = [move for move in taps if move[0] != "host" or self.hosted]
        taps += [(who, "not_yet", dict(here), soon) for who in moving]
        if kind == "info":
            moves += taps
        elif kind == "checkin":
            answers = answers_at(state, index)
            for seat in PARTNERS:
                if answers.get(seat) is None:
                    ladder = data.draw(st.sampled_from(LADDER), label="ladder")
                    answer = {**here, "state": ladder, "intensity": data.draw(st.integers(0, 10))}
                    if data.draw(st.booleans(), label="with a word?"):
                        answer["word"] = "tired"
                    moves.append((seat, "checkin", answer, soon))
            if not moves:
                moves += taps
        elif kind == "breathe":
            due = engine_next_deadline(state)
            if due is not None:
                moves.append(("server", "tick", {}, max(self.now, due)))
            moves += [
                (seat, "sit_out", dict(here), soon)
                for seat in PARTNERS
                if not seats[seat].get("resting")
            ]
        elif kind == "speak":
            moves.append((floor, "done", dict(here), soon))
            due = engine_next_deadline(state)
            if due is not None and not state["over_time"]:
                moves.append(("server", "tick", {}, max(self.now, due)))
        elif kind == "reflect":
            phase = state["phase"]
            target_ = {**here, "phase": phase}
            if phase == "check":
                value = data.draw(st.sampled_from(["yes", "yes", "not_quite", "more"]))
                moves.append((floor, "answer", {**target_, "value": value}, soon))
            else:
                moves.append((OTHER[floor], "done", target_, soon))
        return moves
