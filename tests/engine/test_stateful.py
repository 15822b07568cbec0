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
* no name or check-in word holds a control character or a lone surrogate;
* in a workshop room (hosted by Dana, paced or not) the group's pace, hands and timer keep
  theirs (``stateful/workshop.py``): a paused room never changes step by ``pace``, a paced
  room passes the group's step only by Dana's own ``skip``/``next``, and held means no deadline.

A guided rule sends the move the room is waiting for, so random runs really get through every
step kind and reflect phase to the end; the test asserts they did. Hypothesis builds its 200
examples from only some 40 rooms (each replayed with variations), so every label must be likely
in a single room: a couple without a counselor usually starts under way, and in a workshop room
Dana's hands-and-timer moves are part of that flow. What people do to the room
is in ``stateful/inputs.py``, what must hold after each input in ``stateful/promises.py``.
"""

from __future__ import annotations

import copy
import json

import pytest
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    rule,
    run_state_machine_as_test,
)

from sessions.engine import Accepted, Rejected, apply, new_state
from sessions.engine import next_deadline as engine_next_deadline
from tests.engine.stateful.common import (
    MUST_REACH,
    REACHED,
    SETTINGS,
    START,
    TERMINAL,
    canonical,
    property_protocol,
)
from tests.engine.stateful.desk import DeskPromises
from tests.engine.stateful.inputs import TEMPERAMENTS, People
from tests.engine.stateful.promises import Promises
from tests.engine.stateful.workshop import WorkshopPeople, WorkshopPromises


class EngineMachine(
    People, WorkshopPeople, Promises, DeskPromises, WorkshopPromises, RuleBasedStateMachine
):
    """One couple's session, driven by a mix of sensible and careless inputs."""

    def __init__(self):
        super().__init__()
        self.inputs: list[tuple[str, str, dict, int]] = []
        self.outcomes: list[tuple] = []
        self.broken = False
        self.calm = False

    # ------------------------------------------------------------------ set-up

    @initialize(
        hosted=st.booleans(),
        seed=st.integers(0, 2**31 - 1),
        first=st.sampled_from(["a", "b", "random"]),
        reflect_limit=st.sampled_from([None, 4.0]),
        cycles=st.integers(1, 2),
        temperament=st.sampled_from(sorted(TEMPERAMENTS)),
        info_advance=st.sampled_from(["both", "both", "either"]),
        workshop=st.sampled_from([None, None, None, None, "paced", "paced", "self-paced"]),
        group_step=st.integers(0, 3),
        under_way=st.sampled_from([0, 5, 7, 7]),
        data=st.data(),
    )
    def create(
        self,
        hosted,
        seed,
        first,
        reflect_limit,
        cycles,
        temperament,
        info_advance,
        workshop,
        group_step,
        under_way,
        data,
    ):
        # A workshop room is always hosted: Dana facilitates every room of her workshop.
        self.workshop = None if workshop is None else {"paced": workshop == "paced"}
        if self.workshop is not None:
            hosted, self.workshop["to"] = True, group_step
        self.hosted = hosted
        # Dana's console reaches a workshop room more often than a stray one reaches any room.
        self.mix = TEMPERAMENTS[temperament] + (["console"] if self.workshop else [])
        self.created_with = {
            "protocol_doc": property_protocol(first, reflect_limit, cycles, info_advance),
            "seed": seed,
            "now": START,
            "hosted": hosted,
            "host_name": "Dana" if hosted else None,
            "settings": dict(SETTINGS),
            "workshop": self.workshop,
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
        event(f"workshop={workshop}")
        self.check_state(self.state)
        self.check_desk_state(self.state)
        self.check_workshop_state(self.state)
        # A couple on their own has no counselor to move a stuck step on, and the trouble
        # below keeps most of them from the end; so most are already under way when it
        # starts: they calmly play the moves the room waits for up to a later step first
        # (every input sent and checked as usual), and then often reach the end.
        under_way, self.calm = (0 if hosted else under_way), True
        for _ in range(40 if under_way else 0):
            if self.state["status"] in TERMINAL or self.state["index"] >= under_way:
                break
            self.the_move_the_room_is_waiting_for(data)
        self.calm = False
        event(f"under way from step {self.state['index']}" if under_way else "from the start")

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
            "console": self.at_the_console,
        }[kind](data)

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
            self.check_desk(old, new, actor, action, args, events)
            self.check_workshop(old, new, actor, action, args, events)
        self.state, self.state_json = new, canonical(new)
        self.check_state(new)
        self.check_desk_state(new)
        self.check_workshop_state(new)
        return result

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
