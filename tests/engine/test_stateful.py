"""Random sessions thrown at the engine, checking its promises after every single input.

The example tests show that each rule works when people behave; this file shows the rules
still hold when they do not. A hypothesis state machine plays Alex (seat ``a``), Sam (seat
``b``), a counselor (``host``) and the server all at once: right and wrong actions, stale
``step``/``phase`` targets, junk arguments, dropped connections, and time jumping forward
(sometimes straight past a deadline). After every input it checks what couples rely on:

* nobody but the floor holder and the right listener moves a speak or reflect step;
* nothing advances and no deadline fires while the room is paused, and a pause ends only
  when both partners have said they are ready;
* the version goes up by one on every change and never on a rejection or a no-op, and a
  rejection leaves the state exactly as it was;
* ``completed`` and ``ended`` are final;
* the state and every per-role snapshot survive a JSON round trip unchanged, and a partner
  never sees the other's check-in before both have answered;
* ``apply`` never mutates what it is given, and replaying the same inputs gives the same states;
* a step that ends by a tap never moves on at one partner's ``next`` unless it says
  ``advance = "either"`` (the counselor's ``next`` moves it at once); ``moving_on`` only ever
  holds partners, and only on such a step while the room runs;
* a knock is answered only by the other partner or the counselor, never by the knocked seat,
  only once, and only while the session runs; a ``seat`` input for that seat clears it;
* ``forget`` only lands in a finished session, and a forgotten seat keeps no name and no answer;
* no name or check-in word holds a control character or a lone surrogate.

A guided rule sends the move the room is waiting for, so random runs really get through every
step kind and reflect phase to the end; the last test asserts they did.
"""

from __future__ import annotations

import copy
import json
from collections import Counter

import pytest
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    rule,
    run_state_machine_as_test,
)

from sessions.engine import REJECTION_CODES, Accepted, Rejected, apply, new_state, view_for
from sessions.engine import next_deadline as engine_next_deadline
from tests.support.personas import NAMES
from tests.support.protocols import short_protocol

START = 1_767_000_000_000  # server epoch ms; any fixed moment will do
SETTINGS = {"grace_ms": 2_000, "lead_in_ms": 500, "break_minutes": 20}
OTHER = {"a": "b", "b": "a"}
PARTNERS = ("a", "b")
PEOPLE = ("a", "b", "host")
ACTORS = ("a", "b", "host", "server")
PHASES = ("mirror", "check", "validate", "empathize")
STEP_ACTIONS = ("checkin", "done", "answer", "next", "not_yet", "sit_out", "skip", "back")
SESSION_ACTIONS = ("start", "pause", "ready", "end", "let_in")
SERVER_ACTIONS = ("tick", "presence", "seat", "knock", "forget")
TAP_KINDS = ("info", "checkin")
KNOCK_IDS = ("riley-1", "riley-2", "sam-new-phone")
KNOWN_ACTIONS = STEP_ACTIONS + SESSION_ACTIONS + SERVER_ACTIONS
TERMINAL = ("completed", "ended")
LADDER = ("safe", "mobilized", "shutdown")

# What the random runs must have reached, summed over all examples (see the last test).
REACHED: Counter[str] = Counter()
MUST_REACH = (
    "step:info",
    "step:checkin",
    "step:breathe",
    "step:speak",
    "step:reflect",
    "phase:mirror",
    "phase:check",
    "phase:validate",
    "phase:empathize",
    "checkin revealed",
    "reflect back to mirror",
    "speak floor:a",
    "speak floor:b",
    "speak over time",
    "breathing ended on schedule",
    "sat out breathing",
    "paused:need_a_moment",
    "paused:flooding",
    "paused:connection",
    "resumed",
    "completed:hosted",
    "completed:unhosted",
    "ended",
    "host skipped",
    "host went back",
    "seat taken over",
    "rejected:stale",
    "waiting for the other to move on",
    "moved on together",
    "counselor moved the room on",
    "either step moved at one tap",
    "took a tap back",
    "knocked",
    "let in",
    "kept out",
    "knock cleared by a seat input",
    "rejected:not_your_turn for the knocked seat",
    "forgot",
)


def property_protocol(
    first: str, reflect_limit: float | None, cycles: int, info_advance: str = "both"
) -> dict:
    """The short protocol with a hold in its breath, a closing check-in and only seconds of
    speaking, so random runs reach every step kind and come out the other end."""
    return short_protocol(
        first,
        advance=info_advance,
        breath=(1.0, 0.0, 1.5, 0.5),
        cycles=cycles,
        speak_seconds=3,
        reflect_seconds=reflect_limit,
        closing="checkin",
    )


def plain(text: str) -> bool:
    """No control character and no lone surrogate."""
    return not any(
        ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F or 0xD800 <= ord(c) <= 0xDFFF for c in text
    )


def canonical(value) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def current_step(state: dict) -> dict | None:
    steps = state["steps"]
    return steps[state["index"]] if 0 <= state["index"] < len(steps) else None


def answers_at(state: dict, index: int) -> dict:
    return state["checkins"].get(str(index)) or {"a": None, "b": None}


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
}
JUNK_ARGS = [{"bogus": 1}, {"value": "yes"}, {"reason": "flooding"}, {"state": "safe"}]

# How a run behaves overall, chosen once per run: hypothesis's own rule swarming could
# switch the guided moves off for a whole run and leave the room stuck in the lobby.
TEMPERAMENTS = {
    "cooperative": ["guided"] * 8 + ["wild", "time", "jump in", "door"],
    "chaotic": ["guided"] * 3
    + ["wild"] * 3
    + ["jump in"] * 2
    + ["time"] * 2
    + ["connection"]
    + ["door"] * 2,
    "flaky network": ["guided"] * 4 + ["time"] * 3 + ["connection"] * 3 + ["jump in", "door"],
    "impatient clock": ["guided"] * 4 + ["time"] * 5 + ["wild"],
    "eager": ["guided"] * 4 + ["jump in"] * 4 + ["time", "door"],
}


class EngineMachine(RuleBasedStateMachine):
    """One couple's session, driven by a mix of sensible and careless inputs."""

    def __init__(self):
        super().__init__()
        self.inputs: list[tuple[str, str, dict, int]] = []
        self.outcomes: list[tuple] = []
        self.broken = False

    # ------------------------------------------------------------------ set-up

    @initialize(
        hosted=st.booleans(),
        seed=st.integers(0, 2**31 - 1),
        first=st.sampled_from(["a", "b", "random"]),
        reflect_limit=st.sampled_from([None, 4.0]),
        cycles=st.integers(1, 2),
        temperament=st.sampled_from(sorted(TEMPERAMENTS)),
        info_advance=st.sampled_from(["both", "both", "either"]),
    )
    def create(self, hosted, seed, first, reflect_limit, cycles, temperament, info_advance):
        self.hosted = hosted
        self.mix = TEMPERAMENTS[temperament]
        self.created_with = {
            "protocol_doc": property_protocol(first, reflect_limit, cycles, info_advance),
            "seed": seed,
            "now": START,
            "hosted": hosted,
            "host_name": "Dana" if hosted else None,
            "settings": dict(SETTINGS),
        }
        self.state = new_state(**copy.deepcopy(self.created_with))
        self.state_json = canonical(self.state)
        again = new_state(**copy.deepcopy(self.created_with))
        assert canonical(again) == canonical(self.state), "new_state is not deterministic"
        assert self.state["status"] == "waiting"
        self.initial = copy.deepcopy(self.state)
        self.now = START
        event(f"hosted={hosted}")
        event(f"temperament={temperament}")
        self.check_state(self.state)

    # ------------------------------------------------------------------ the one rule

    @rule(data=st.data())
    def something_happens(self, data):
        kind = data.draw(st.sampled_from(self.mix), label="what happens")
        {
            "guided": self.the_move_the_room_is_waiting_for,
            "wild": self.someone_does_something_else,
            "time": self.time_passes,
            "connection": self.a_connection_changes,
            "jump in": self.someone_jumps_in,
            "door": self.someone_at_the_door,
        }[kind](data)

    def someone_at_the_door(self, data):
        """Riley, on a new device, knocks on a seat (it may be Sam's new phone, or not); Alex,
        Sam or the counselor answer, sometimes to an older knock, sometimes from the knocked
        seat itself; after the end a partner asks to be forgotten."""
        when = self.now + data.draw(st.sampled_from([0, 100]), label="delta")
        choice = data.draw(st.sampled_from(["knock", "knock", "answer", "forget"]), label="door")
        if choice == "knock":
            seat = data.draw(st.sampled_from(PARTNERS), label="knocked seat")
            knock_id = data.draw(st.sampled_from(KNOCK_IDS), label="knock id")
            self.send("server", "knock", {"seat": seat, "id": knock_id}, when)
        elif choice == "answer":
            who = data.draw(st.sampled_from(PEOPLE if self.hosted else PARTNERS), label="who")
            knock = self.state["knock"]
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
        if status == "waiting":
            if any(move[1] == "seat" for move in reconnect):
                return reconnect
            starters = ("host",) if self.hosted else PARTNERS
            return reconnect + [(who, "start", {}, soon) for who in starters]
        if status == "paused":
            ready = [
                (seat, "ready", {}, soon)
                for seat in PARTNERS
                if seats[seat]["claimed"] and seat not in state["pause"]["ready"]
            ]
            return reconnect + ready
        if status != "active":
            return []

        if data.draw(st.integers(0, 11), label="interrupt?") == 0:
            here = {"step": state["index"]}
            kinds = ["pause", "pause", "skip", "back", "back"] if self.hosted else ["pause"]
            kind = data.draw(st.sampled_from(kinds), label="interruption")
            if data.draw(st.integers(0, 19), label="end instead?") == 13:
                who = data.draw(st.sampled_from(PEOPLE if self.hosted else PARTNERS))
                return [(who, "end", {}, soon)]
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

    # ------------------------------------------------------------------ sending and checking

    def send(self, actor: str, action: str, args: dict, now: int, must_be_refused: str = ""):
        assert now >= self.now, "the test itself must never move time backwards"
        try:
            result = self._send_and_check(actor, action, args, now)
            assert not must_be_refused or isinstance(result, Rejected), (
                f"{actor}'s {action} {args} was accepted although {must_be_refused}"
            )
        except AssertionError:
            self.broken = True
            print("inputs so far (actor, action, args, now):")  # shown by pytest on failure
            for sent in self.inputs:
                print(f"  {sent!r}")
            raise

    def _send_and_check(self, actor, action, args, now):
        old, old_json = self.state, self.state_json
        args_json = canonical(args)
        due_before = engine_next_deadline(old)
        result = apply(old, actor, action, args, now)
        self.inputs.append((actor, action, copy.deepcopy(args), now))
        self.now = now
        assert canonical(old) == old_json, "apply mutated the state it was given"
        assert canonical(args) == args_json, "apply mutated the args it was given"

        if isinstance(result, Rejected):
            self.outcomes.append(("rejected", result.code))
            self.check_rejection(actor, action, result, old)
            return result
        assert isinstance(result, Accepted), f"apply returned {result!r}"
        new = result.state
        events = list(result.events)
        assert isinstance(result.events, tuple), "events must be a tuple"
        assert all(isinstance(e, dict) and isinstance(e.get("type"), str) for e in events)
        assert json.loads(canonical(events)) == events, "events do not survive JSON"
        self.outcomes.append(("accepted", new, events))

        changed = {**new, "version": 0} != {**old, "version": 0}
        if new["version"] == old["version"]:
            assert not changed, f"{action} changed the state without a new version"
            assert events == [], f"a no-op {action} produced events {events}"
        else:
            assert new["version"] == old["version"] + 1, "version must go up by exactly one"
            assert changed, f"{action} bumped the version without changing anything"

        if action == "tick":
            if due_before is None or now < due_before:
                assert not changed, (
                    f"a tick at {now} changed state before its deadline {due_before}"
                )
            else:
                assert changed, f"a tick at {now} past next_deadline {due_before} did nothing"
                again = apply(new, "server", "tick", {}, now)
                assert isinstance(again, Accepted)
                assert again.state["version"] == new["version"], (
                    "a second tick for the same moment changed the state again"
                )

        if changed:
            self.check_transition(old, new, actor, action, args, now, events)
        self.state, self.state_json = new, canonical(new)
        self.check_state(new)
        return result

    def check_rejection(self, actor, action, result, old=None):
        assert result.code in REJECTION_CODES, f"unknown rejection code {result.code!r}"
        knock = old["knock"] if old is not None else None
        if action == "let_in" and knock is not None and actor == knock["seat"]:
            assert result.code in ("not_your_turn", "bad_args"), result.code
            if result.code == "not_your_turn":
                REACHED["rejected:not_your_turn for the knocked seat"] += 1
        assert isinstance(result.message, str) and result.message.strip(), "empty message"
        REACHED[f"rejected:{result.code}"] += 1
        if action not in KNOWN_ACTIONS or (action in SERVER_ACTIONS and actor != "server"):
            assert result.code == "unknown_action", (
                f"{action!r} from {actor} should be unknown_action, got {result.code}"
            )

    def check_transition(self, old, new, actor, action, args, now, events):
        """Rules about who may change what; only called when the state really changed."""
        was, now_status = old["status"], new["status"]
        step = current_step(old)
        kind = step["kind"] if step else None

        assert actor in ACTORS, f"an input from unknown actor {actor!r} was accepted"
        if action in SERVER_ACTIONS:
            assert actor == "server", f"{action} from {actor} was accepted"
        assert action in KNOWN_ACTIONS, f"unknown action {action!r} was accepted"

        # Terminal statuses stay terminal, and their step never moves.
        if was in TERMINAL:
            assert now_status == was, f"{action} by {actor} moved a {was} session to {now_status}"
            assert (new["index"], new["phase"]) == (old["index"], old["phase"])

        # Step actions only land on the step (and phase) they were meant for.
        if action in STEP_ACTIONS and actor != "server":
            assert type(args.get("step")) is int, (
                f"{action} accepted with step={args.get('step')!r}"
            )
            assert args["step"] == old["index"], (
                f"{action} meant for step {args['step']} landed on step {old['index']}"
            )
            if kind == "reflect" and action in ("done", "answer"):
                assert args.get("phase") == old["phase"], (
                    f"{action} meant for phase {args.get('phase')!r} landed in {old['phase']}"
                )

        # In speak and reflect steps, only the floor holder and the listener move things.
        if was == "active" and kind in ("speak", "reflect") and action in STEP_ACTIONS:
            floor = step["floor"]
            if action in ("skip", "back"):
                assert actor == "host"
            elif kind == "speak":
                assert (actor, action) == (floor, "done"), (
                    f"{actor} {action} moved a speak step where {floor} holds the floor"
                )
            elif old["phase"] == "check":
                assert (actor, action) == (floor, "answer"), (
                    f"{actor} {action} moved the check phase; only speaker {floor} answers"
                )
            else:
                assert (actor, action) == (OTHER[floor], "done"), (
                    f"{actor} {action} moved {old['phase']}; only listener {OTHER[floor]} does"
                )

        if action in ("skip", "back"):
            assert actor == "host", f"{action} accepted from {actor}"
            REACHED["host skipped" if action == "skip" else "host went back"] += 1

        if action == "start":
            assert was == "waiting"
            assert all(old["seats"][s]["claimed"] for s in PARTNERS), "started without both seats"
            expected = ("host",) if self.hosted else PARTNERS
            assert actor in expected, f"{actor} started a {'hosted' if self.hosted else ''} room"

        if action == "checkin":
            assert actor in PARTNERS
            assert args.get("state") in LADDER
            intensity = args.get("intensity")
            assert type(intensity) is int and 0 <= intensity <= 10, f"intensity {intensity!r}"
            word = args.get("word")
            assert word is None or (isinstance(word, str) and len(word) <= 40), f"word {word!r}"
            assert answers_at(old, old["index"]).get(actor) is None, "answered twice"

        if action == "answer":
            assert args.get("value") in ("yes", "not_quite", "more"), f"answer {args.get('value')}"

        self.check_moving_on(old, new, actor, action, step)
        self.check_door(old, new, actor, action, args)

        # Pauses: who, why, and how they end.
        if action == "pause" and actor != "server":
            assert was == "active" and now_status == "paused"
            assert args.get("reason", "need_a_moment") in ("need_a_moment", "flooding")
            pause = new["pause"]
            assert pause["by"] == actor and pause["since"] == now
            assert pause["reason"] == args.get("reason", "need_a_moment")
            if pause["reason"] == "flooding":
                assert pause["suggest_break_minutes"] == SETTINGS["break_minutes"]
        if now_status == "paused" and was != "paused":
            assert new["pause"] is not None
            REACHED[f"paused:{new['pause']['reason']}"] += 1
            event(f"paused:{new['pause']['reason']}")
        if was == "paused":
            assert (new["index"], new["phase"]) == (old["index"], old["phase"]), (
                f"{actor} {action} moved the step while paused"
            )
            if now_status == "paused":
                assert new["remaining"] == old["remaining"], "time ran out while paused"
                assert new["over_time"] == old["over_time"], "a deadline fired while paused"
        if was == "paused" and now_status == "active":
            assert action == "ready" and actor in PARTNERS, f"{actor} {action} ended a pause"
            readies = set(old["pause"]["ready"]) | {actor}
            assert readies >= set(PARTNERS), f"resumed with only {sorted(readies)} ready"
            assert new["pause"] is None
            if kind in ("speak", "reflect") and old["remaining"]:
                assert new["deadline"] == now + old["remaining"], "the clock did not continue"
            if kind == "breathe":
                schedule = new["breathing"]
                assert schedule["start"] == now + SETTINGS["lead_in_ms"], "no fresh lead-in"
                assert 1 <= schedule["cycles"] <= step["cycles"]
            REACHED["resumed"] += 1
        dropped = action == "presence" and not args["connected"] and args["seat"] in PARTNERS
        if dropped and was == "paused":
            assert args["seat"] not in new["pause"]["ready"], "a dropped partner stayed ready"
        if action == "tick" and now_status == "paused" and was == "active":
            pause = new["pause"]
            assert pause["reason"] == "connection"
            gone = old["seats"][pause["seat"]]["gone_since"]
            assert gone is not None and now >= gone + SETTINGS["grace_ms"], (
                f"paused for connection at {now}, gone since {gone}, grace {SETTINGS['grace_ms']}"
            )

        # Seats: a new claimer never inherits answers; releasing a seat pauses an active room.
        if action == "seat":
            seat = args["seat"]
            if args["claimed"]:
                for idx, answers in new["checkins"].items():
                    assert answers.get(seat) is None, f"new claimer of {seat} inherited step {idx}"
                if old["seats"][seat]["claimed"]:
                    REACHED["seat taken over"] += 1
            elif was == "active":
                assert now_status == "paused" and new["pause"]["reason"] == "connection"
                assert new["pause"]["seat"] == seat

        if action == "end":
            assert now_status == "ended" and new["pause"] is None
            REACHED["ended"] += 1

        # Ticks never cut a speaker off or skip a reflect phase.
        if action == "tick" and kind in ("speak", "reflect", "info", "checkin"):
            assert (new["index"], new["phase"]) == (old["index"], old["phase"]), (
                f"a tick moved a {kind} step on"
            )
        if action == "tick" and kind == "speak" and new["over_time"] and not old["over_time"]:
            REACHED["speak over time"] += 1
        if action == "tick" and kind == "breathe" and new["index"] != old["index"]:
            schedule = old["breathing"]
            length = sum(schedule["pattern"].values()) * schedule["cycles"] * 1000
            assert now >= schedule["start"] + length - 1, "breathing ended before its schedule"
            REACHED["breathing ended on schedule"] += 1
        if action == "sit_out":
            assert kind == "breathe" and actor in PARTNERS
            REACHED["sat out breathing"] += 1

        # Reflect phases follow mirror -> check -> validate -> empathize, with the loop back.
        if kind == "reflect" and new["index"] == old["index"] and new["phase"] != old["phase"]:
            allowed = {
                "mirror": {"check"},
                "check": {"validate", "mirror"},
                "validate": {"empathize"},
            }.get(old["phase"], set())
            assert new["phase"] in allowed, f"reflect jumped {old['phase']} -> {new['phase']}"
            if new["phase"] == "mirror":
                assert args.get("value") in ("not_quite", "more")
                REACHED["reflect back to mirror"] += 1
            if new["phase"] == "validate":
                assert args.get("value") == "yes"

        # Entering a step starts it fresh.
        entered = current_step(new)
        if new["index"] != old["index"] and now_status == "active" and entered:
            if entered["kind"] == "reflect":
                assert new["phase"] == "mirror", f"reflect step entered at {new['phase']}"
            if entered["kind"] == "checkin":
                fresh = answers_at(new, new["index"])
                assert all(v is None for v in fresh.values()), "a check-in step kept old answers"
            if entered["kind"] == "breathe":
                assert new["breathing"]["start"] == now + SETTINGS["lead_in_ms"]

        # Coverage bookkeeping.
        if now_status == "active" and entered:
            if new["index"] != old["index"] or was != "active":
                REACHED[f"step:{entered['kind']}"] += 1
                if entered["kind"] == "speak":
                    REACHED[f"speak floor:{entered['floor']}"] += 1
            if entered["kind"] == "reflect" and (new["phase"], new["index"]) != (
                old["phase"],
                old["index"],
            ):
                REACHED[f"phase:{new['phase']}"] += 1
            answers = answers_at(new, new["index"])
            if entered["kind"] == "checkin" and action == "checkin" and all(answers.values()):
                REACHED["checkin revealed"] += 1
        if now_status == "completed" and was != "completed":
            REACHED[f"completed:{'hosted' if self.hosted else 'unhosted'}"] += 1
            event("completed")
            assert {"type": "completed"} in events

    def check_moving_on(self, old, new, actor, action, step):
        """Nobody is carried on: a ``both`` step moves at a partner's tap only when the other
        partner had tapped already; ``not_yet`` never moves anything."""
        moved = (new["index"], new["status"]) != (old["index"], old["status"])
        rule = step.get("advance") if step else None
        if action == "next" and old["status"] == "active":
            assert step["kind"] in TAP_KINDS, f"next moved a {step['kind']} step"
            if actor == "host":
                assert moved, "the counselor's next did not move the room"
                REACHED["counselor moved the room on"] += 1
            elif rule == "both" and moved:
                assert OTHER[actor] in old["moving_on"], (
                    f"{actor}'s next moved a both step on though {OTHER[actor]} had not tapped"
                )
                REACHED["moved on together"] += 1
            elif rule == "both":
                assert new["moving_on"] == sorted({*old["moving_on"], actor})
                REACHED["waiting for the other to move on"] += 1
            else:
                assert rule == "either" and moved, f"an {rule} step did not move at one tap"
                REACHED["either step moved at one tap"] += 1
        if action == "not_yet":
            assert actor in PARTNERS and not moved, f"{actor}'s not_yet moved the room"
            assert new["moving_on"] == [s for s in old["moving_on"] if s != actor]
            REACHED["took a tap back"] += 1
        if new["moving_on"] != old["moving_on"] and not moved:
            assert action in ("next", "not_yet", "seat"), f"{action} changed moving_on"
            if action == "seat":
                assert set(new["moving_on"]) <= set(old["moving_on"]), "a seat input added a tap"

    def check_door(self, old, new, actor, action, args):
        """Knocks are answered by the other partner or the counselor, once; forget only after
        the end."""
        before, after = old["knock"], new["knock"]
        if action == "knock":
            assert old["status"] not in TERMINAL, "a finished session took a knock"
            assert old["seats"][args["seat"]]["claimed"], "a knock on a seat nobody holds"
            assert after == {
                "seat": args["seat"],
                "id": args["id"],
                "at": self.now,
                "answer": None,
            }
            REACHED["knocked"] += 1
        if action == "let_in":
            assert before is not None and args["id"] == before["id"], "an answer to no knock"
            assert actor in PEOPLE and actor != before["seat"], (
                f"{actor} answered the knock on seat {before['seat']}"
            )
            assert before["answer"] is None and after["answer"] == args["answer"]
            REACHED["let in" if args["answer"] == "yes" else "kept out"] += 1
        same_knock = (
            before is not None
            and after is not None
            and (before["seat"], before["id"]) == (after["seat"], after["id"])
        )
        if same_knock and before["answer"] != after["answer"]:
            assert action == "let_in", f"{action} changed the answer to a knock"
        if before is not None and after is None and action == "seat":
            assert args["seat"] == before["seat"], "a seat input cleared another seat's knock"
            REACHED["knock cleared by a seat input"] += 1
        if action == "seat" and after is not None:
            assert after["seat"] != args["seat"], "a seat input left a knock on that seat"
        if action == "forget":
            assert old["status"] in TERMINAL, f"forget landed in a {old['status']} session"
            assert new["seats"][args["seat"]]["forgotten"]
            REACHED["forgot"] += 1

    def check_state(self, state):
        """What must hold of every state, however it was reached."""
        assert json.loads(self.state_json) == state, "the state does not survive JSON exactly"
        status = state["status"]
        assert status in ("waiting", "active", "paused", "completed", "ended")
        assert type(state["version"]) is int
        if status == "paused":
            assert state["pause"] is not None, "paused without a pause record"
            assert state["deadline"] is None, "a deadline is set while paused"
            assert state["breathing"] is None, "the breathing schedule runs while paused"
            assert set(state["pause"]["ready"]) <= set(PARTNERS)
        else:
            assert state["pause"] is None, f"a pause record while {status}"
        moving = state["moving_on"]
        assert moving == sorted(set(moving)) and set(moving) <= set(PARTNERS), moving
        if moving:
            step = current_step(state)
            assert status in ("active", "paused"), f"moving_on {moving} while {status}"
            assert step["kind"] in TAP_KINDS and step["advance"] == "both", (
                f"moving_on {moving} on a {step['kind']} step ({step['advance']})"
            )
        knock = state["knock"]
        if knock is not None:
            assert status not in TERMINAL, f"a knock left open in a {status} session"
            assert knock["seat"] in PARTNERS and knock["answer"] in (None, "yes", "no")
            assert state["seats"][knock["seat"]]["claimed"], "a knock on a seat nobody holds"
        for seat in PARTNERS:
            place = state["seats"][seat]
            if place["forgotten"]:
                assert status in TERMINAL and place["name"] is None
                assert all(answers[seat] is None for answers in state["checkins"].values())
            assert place["name"] is None or plain(place["name"]), f"name {place['name']!r}"
        for answers in state["checkins"].values():
            for answer in answers.values():
                word = (answer or {}).get("word")
                assert word is None or plain(word), f"word {word!r}"
        if status in ("active", "paused"):
            step = current_step(state)
            assert step is not None, f"index {state['index']} is outside the protocol"
            if step["kind"] == "reflect":
                assert state["phase"] in PHASES
                assert step["floor"] in PARTNERS
            else:
                assert state["phase"] is None, f"phase {state['phase']} in a {step['kind']} step"
            if step["kind"] == "speak":
                assert step["floor"] in PARTNERS

        roles = PEOPLE if self.hosted else PARTNERS
        for role in roles:
            view = view_for(state, role)
            assert json.loads(canonical(view)) == view, f"{role}'s snapshot does not survive JSON"
            assert view["you"] == role and view["version"] == state["version"]
            assert view["status"] == status
            assert view["step"]["moving_on"] == moving
            if knock is None or role == knock["seat"]:
                assert view["knock"] is None, f"{role} sees a knock they must not"
            else:
                assert view["knock"] == {k: knock[k] for k in ("seat", "id", "answer")}
            if status in ("active", "paused") and current_step(state)["kind"] == "checkin":
                answers = answers_at(state, state["index"])
                answered = [seat for seat in PARTNERS if answers.get(seat) is not None]
                assert sorted(view["step"]["answered"]) == answered, "wrong 'answered' list"
            for idx, answers in state["checkins"].items():
                shown = view["checkins"].get(idx, {"a": None, "b": None})
                both = answers.get("a") is not None and answers.get("b") is not None
                for seat in PARTNERS:
                    if role in ("host", seat) or both:
                        assert shown.get(seat) == answers.get(seat), (
                            f"{role} sees {seat}'s answer at step {idx} wrongly"
                        )
                    else:
                        assert shown.get(seat) is None, (
                            f"{role} saw {seat}'s check-in at step {idx} before both answered"
                        )

    def teardown(self):
        if self.broken or not hasattr(self, "created_with"):
            return
        replayed = new_state(**copy.deepcopy(self.created_with))
        assert canonical(replayed) == canonical(self.initial)
        for number, (actor, action, args, now) in enumerate(self.inputs):
            result = apply(replayed, actor, action, copy.deepcopy(args), now)
            if isinstance(result, Rejected):
                outcome = ("rejected", result.code)
            else:
                outcome = ("accepted", result.state, list(result.events))
                replayed = result.state
            assert outcome == self.outcomes[number], (
                f"replaying input {number} {(actor, action, args, now)} gave a different result"
            )


RUN_SETTINGS = settings(
    max_examples=200,
    stateful_step_count=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


@pytest.mark.timeout(240)
def test_random_sessions_keep_every_promise_and_reach_every_step():
    REACHED.clear()
    run_state_machine_as_test(EngineMachine, settings=RUN_SETTINGS)
    missing = [label for label in MUST_REACH if REACHED[label] == 0]
    assert missing == [], f"random runs never reached: {missing}; seen: {dict(REACHED)}"
