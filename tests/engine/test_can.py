"""``can`` in each snapshot says exactly what ``apply`` would take from that person now.

The room page shows a button only for an action in ``can``, so a wrong entry is either a
button that gets refused or an action nobody can reach. Here every reachable room is asked,
for every person and every action: an action in ``can`` is accepted with each valid form of
its arguments (aimed at the current step) and changes the room; an action outside it is
refused for who, when or where it was sent, or changes nothing.

The random rooms come from hypothesis: seats claimed and released, connections dropping, time
jumping past deadlines and grace periods, knocks, and a mix of taps that fit and taps that do
not. One walk-through plays a whole hosted session choosing only from ``can``, so everything
the page needs to show is reachable by following it.
"""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sessions.engine import Accepted, Rejected, allowed_actions, apply, new_state, view_for
from sessions.engine.actions import PERSON_ACTIONS, STEP_ACTIONS, WORKSHOP_ACTIONS
from tests.support.protocols import short_protocol

START = 1_767_000_000_000
SETTINGS = {"grace_ms": 2_000, "lead_in_ms": 500, "break_minutes": 20}
NAMES = {"a": "Alex", "b": "Sam"}
PEOPLE = ("a", "b", "host")
PARTNERS = ("a", "b")
KNOCK_IDS = ("riley-1", "sam-new-phone")
MESSAGES = ("Take your time. I'm here.", "We'll stop in five minutes.")

PROTOCOL = short_protocol("random", cycles=1, speak_seconds=3, reflect_seconds=3)
# Both ways an info step moves on: the opening one waits for both, this one goes at one tap.
PROTOCOL["steps"].insert(
    2, {"kind": "info", "title": "Either", "prompt": "One tap.", "advance": "either"}
)

# Refusals that would mean the test sent something malformed, not that the room said no.
NOT_A_REFUSAL_OF_THE_ROOM = ("bad_args", "unknown_action")


def target(state: dict) -> dict:
    args = {"step": state["index"]}
    if state["phase"] is not None:
        args["phase"] = state["phase"]
    return args


def arg_forms(state: dict, action: str) -> list[dict]:
    """Every valid form of ``action``'s args worth telling apart, aimed at the current step."""
    if action == "checkin":
        return [
            {**target(state), "state": "safe", "intensity": 3},
            {**target(state), "state": "shutdown", "intensity": 10, "word": "far"},
        ]
    if action == "answer":
        return [{**target(state), "value": value} for value in ("yes", "not_quite", "more")]
    if action in STEP_ACTIONS:
        return [target(state)]
    if action == "pause":
        return [{}, {"reason": "need_a_moment"}, {"reason": "flooding"}]
    if action == "let_in":
        knock_id = state["knock"]["id"] if state["knock"] else KNOCK_IDS[0]
        return [{"id": knock_id, "answer": answer} for answer in ("yes", "no")]
    if action == "say":
        # A message other than the one shown (the page never sends the same one again).
        shown = (state.get("message") or {}).get("text")
        return [{"text": text} for text in MESSAGES if text != shown][:1]
    if action == "resume":
        # The counselor's resume names exactly the partners who have not said ready.
        pause = state["pause"] or {"ready": []}
        return [{"override": [seat for seat in PARTNERS if seat not in pause["ready"]]}]
    block = state.get("workshop") or {"to": 0, "timer": None}
    if action == "pace":
        # The console paces the group on; at the last step only an older step is left to
        # send, which changes nothing (the gate only rises), so ``pace`` is not in ``can``.
        to = block["to"]
        return [{"step": to + 1 if to + 1 < len(state["steps"]) else to - 1}]
    if action == "group_timer":
        # A timer other than the one running; clearing only when one runs.
        seconds = 120 if (block["timer"] or {}).get("seconds") == 60 else 60
        return [{"seconds": seconds}] + ([{}] if block["timer"] else [])
    return [{}]


def check_can(state: dict, now: int) -> dict[str, list[str]]:
    """Hold every person's ``can`` against ``apply``; returns each person's ``can``."""
    cans = {}
    for role in PEOPLE:
        can = allowed_actions(state, role)
        if state["host"] is not None or role != "host":
            view = view_for(state, role)
            assert view["can"] == can
            assert json.loads(json.dumps(view))["can"] == can
        assert can == [action for action in PERSON_ACTIONS if action in can], "keeps the order"
        for action in PERSON_ACTIONS:
            for args in arg_forms(state, action):
                result = apply(state, role, action, args, now)
                where = f"{role} {action} {args} in {state['status']} step {state['index']}"
                if action in can:
                    assert isinstance(result, Accepted), f"{where}: in can but {result}"
                    assert result.state["version"] == state["version"] + 1, f"{where}: no-op"
                elif isinstance(result, Rejected):
                    assert result.code not in NOT_A_REFUSAL_OF_THE_ROOM, f"{where}: {result}"
                else:
                    assert result.state == state, f"{where}: not in can but changed the room"
        cans[role] = can
    return cans


def room(hosted: bool, seed: int, workshop: dict | None = None) -> dict:
    host_name = "Dana" if hosted else None
    return new_state(PROTOCOL, seed, START, hosted, host_name, SETTINGS, workshop=workshop)


def applied(state: dict, actor: str, action: str, args: dict, now: int) -> dict:
    result = apply(state, actor, action, args, now)
    return result.state if isinstance(result, Accepted) else state


def must(state: dict, actor: str, action: str, args: dict, now: int) -> dict:
    result = apply(state, actor, action, args, now)
    assert isinstance(result, Accepted), f"{actor} {action} {args}: {result}"
    return result.state


def awaited(state: dict, now: int) -> tuple[str, str, dict, int] | None:
    """The move the room is waiting for, so random runs get through the whole session."""
    seats = state["seats"]
    for seat in PARTNERS:
        if not seats[seat]["claimed"]:
            return "server", "seat", {"seat": seat, "name": NAMES[seat], "claimed": True}, now
        if not seats[seat]["connected"]:
            return "server", "presence", {"seat": seat, "connected": True}, now
    if state["status"] == "waiting":
        return ("host" if state["host"] is not None else "a"), "start", {}, now
    if state["status"] == "paused":
        seat = next(seat for seat in PARTNERS if seat not in state["pause"]["ready"])
        return seat, "ready", {}, now
    if state["status"] != "active":
        return None
    if state["workshop"] is not None and state["workshop"]["held"]:
        # Held at the group's gate: the facilitator paces everyone on.
        if state["host"] is None:
            return None
        return "host", "pace", {"step": state["index"] + 1}, now
    step = state["steps"][state["index"]]
    kind, floor = step["kind"], step["floor"]
    if kind == "breathe":
        return "server", "tick", {}, max(now, state["deadline"])
    if kind == "speak":
        return floor, "done", target(state), now
    if kind == "reflect":
        if state["phase"] == "check":
            return floor, "answer", {**target(state), "value": "yes"}, now
        return ("b" if floor == "a" else "a"), "done", target(state), now
    answers = state["checkins"].get(str(state["index"]), {})
    for seat in PARTNERS:
        if kind == "checkin" and answers[seat] is None:
            return seat, "checkin", {**target(state), "state": "safe", "intensity": 4}, now
    seat = next(seat for seat in PARTNERS if seat not in state["moving_on"])
    return seat, "next", target(state), now


@st.composite
def an_input(draw, state: dict, now: int) -> tuple[str, str, dict, int]:
    """(actor, action, args, now): mostly a tap, sometimes the server or time passing."""
    kinds = ("awaited",) * 3 + ("follow",) * 3 + ("tap", "presence", "seat", "knock", "time")
    kind = draw(st.sampled_from(kinds))
    if kind == "awaited" and (move := awaited(state, now)) is not None:
        return move
    if kind in ("awaited", "follow"):
        # What the page would offer, leaving ending early to the random taps so that runs
        # get through every step kind and reflect phase.
        role = draw(st.sampled_from(PEOPLE))
        can = [action for action in allowed_actions(state, role) if action != "end"]
        if can:
            action = draw(st.sampled_from(can))
            return role, action, draw(st.sampled_from(arg_forms(state, action))), now
        kind = "tap"
    if kind == "tap":
        action = draw(st.sampled_from(PERSON_ACTIONS))
        args = draw(st.sampled_from(arg_forms(state, action)))
        return draw(st.sampled_from(PEOPLE)), action, args, now
    if kind == "presence":
        seat = draw(st.sampled_from(PEOPLE if state["host"] is not None else PARTNERS))
        return "server", "presence", {"seat": seat, "connected": draw(st.booleans())}, now
    if kind == "seat":
        seat = draw(st.sampled_from(PARTNERS))
        args = {"seat": seat, "claimed": draw(st.booleans()), "name": NAMES[seat]}
        return "server", "seat", args, now
    if kind == "knock":
        args = {"seat": draw(st.sampled_from(PARTNERS)), "id": draw(st.sampled_from(KNOCK_IDS))}
        return "server", "knock", args, now
    later = now + draw(st.sampled_from((0, 500, 2_500)))
    if state["deadline"] is not None and draw(st.booleans()):
        later = max(later, state["deadline"])
    return "server", "tick", {}, later


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    hosted=st.booleans(),
    seed=st.integers(0, 3),
    head_start=st.integers(0, 30),
    workshop=st.sampled_from([None, None, {"paced": True}, {"paced": True, "to": 2}]),
    data=st.data(),
)
def test_can_lists_exactly_what_apply_would_take(hosted, seed, head_start, workshop, data):
    """``head_start`` awaited moves first (unchecked, so each run spends its checks deep in
    the session), then random inputs, checking every room they reach. A workshop room is
    hosted (its facilitator) and paced, its group on the first or the third step."""
    state, now = room(hosted or workshop is not None, seed, workshop), START
    for _ in range(head_start):
        move = awaited(state, now)
        if move is None:
            break
        actor, action, args, now = move
        state = must(state, actor, action, args, now)
    check_can(state, now)
    for _ in range(data.draw(st.integers(5, 40), label="inputs")):
        actor, action, args, now = data.draw(an_input(state, now))
        state = applied(state, actor, action, args, now)
        check_can(state, now)


def test_a_hosted_session_played_from_can_alone_reaches_every_action():
    """Every action shows up in someone's ``can``, and taking only those gets to the end."""
    seen: set[str] = set()
    now = START
    state = room(hosted=True, seed=0)

    def step(actor: str, action: str, **extra) -> None:
        nonlocal state
        cans = check_can(state, now)
        seen.update(action for can in cans.values() for action in can)
        assert action in cans[actor], f"{actor} {action} not in {cans[actor]}"
        args = {**target(state), **extra} if action in STEP_ACTIONS else extra
        state = must(state, actor, action, args, now)

    assert check_can(state, now) == {"a": ["end"], "b": ["end"], "host": ["end", "say"]}
    for seat in PARTNERS:
        state = must(
            state, "server", "seat", {"seat": seat, "name": NAMES[seat], "claimed": True}, now
        )
        state = must(state, "server", "presence", {"seat": seat, "connected": True}, now)
    state = must(state, "server", "knock", {"seat": "b", "id": "sam-new-phone"}, now)
    assert "let_in" not in allowed_actions(state, "b"), "the knocked seat never answers"
    step("a", "let_in", id="sam-new-phone", answer="no")
    step("host", "start")
    step("a", "next")  # info, waits for both
    assert allowed_actions(state, "a") == ["not_yet", "pause", "end"]
    step("a", "not_yet")
    step("a", "next")
    step("b", "next")
    step("a", "checkin", state="safe", intensity=2)
    assert "next" not in allowed_actions(state, "b"), "not before both answers are in"
    step("b", "checkin", state="mobilized", intensity=6)
    step("host", "pause", reason="flooding")  # the counselor may call a longer break
    step("a", "ready")
    assert "ready" not in allowed_actions(state, "a")
    step("b", "ready")
    step("host", "say", text="Take your time. I'm here.")
    step("host", "pause")
    step("a", "ready")
    step("host", "resume", override=["b"])  # she resumes for both, overriding Sam's pause
    step("host", "next")  # the host moves a revealed check-in at once
    step("host", "back")
    step("host", "skip")
    step("b", "next")  # an "either" step moves at one tap
    step("a", "sit_out")
    assert "sit_out" not in allowed_actions(state, "a")
    step("host", "skip")
    speaker = state["steps"][state["index"]]["floor"]
    listener = "b" if speaker == "a" else "a"
    step(speaker, "done")
    step(listener, "done")  # mirror
    assert allowed_actions(state, listener) == ["pause", "end"], "the speaker answers"
    step(speaker, "answer", value="more")
    step(listener, "done")
    step(speaker, "answer", value="yes")
    step(listener, "done")  # validate
    step(listener, "done")  # empathize
    step("b", "end")
    assert state["status"] == "ended"
    assert check_can(state, now) == {"a": [], "b": [], "host": []}
    assert state["message"] is None, "a finished session keeps no message"
    assert seen == set(PERSON_ACTIONS) - set(WORKSHOP_ACTIONS), "a workshop's only in workshops"


def test_a_paced_workshop_room_played_from_can_alone_reaches_every_workshop_action():
    """Alex and Sam in Dana's paced workshop: a hand, the group's timer, a hold at the gate
    and her pace on, each offered by ``can`` exactly when it would be taken."""
    seen: set[str] = set()
    now = START
    state = room(hosted=True, seed=0, workshop={"paced": True})

    def step(actor: str, action: str, **extra) -> None:
        nonlocal state
        cans = check_can(state, now)
        seen.update(action for can in cans.values() for action in can)
        assert action in cans[actor], f"{actor} {action} not in {cans[actor]}"
        args = {**target(state), **extra} if action in STEP_ACTIONS else extra
        state = must(state, actor, action, args, now)

    for seat in PARTNERS:
        state = must(
            state, "server", "seat", {"seat": seat, "name": NAMES[seat], "claimed": True}, now
        )
        state = must(state, "server", "presence", {"seat": seat, "connected": True}, now)
    step("a", "raise_hand")
    assert "raise_hand" not in allowed_actions(state, "b"), "one hand up is enough"
    step("host", "lower_hand")
    step("host", "group_timer", seconds=300)
    step("host", "start")
    step("a", "next")
    step("b", "next")  # the info step is over, and the group is still on it: held
    assert state["workshop"]["held"] and state["index"] == 0
    assert allowed_actions(state, "a") == ["pause", "end", "raise_hand"]
    assert {"skip", "back", "next"} & set(allowed_actions(state, "host")) == {"skip"}
    step("host", "pace", step=1)
    assert not state["workshop"]["held"] and state["index"] == 1
    step("b", "end")
    assert check_can(state, now) == {"a": [], "b": [], "host": []}
    assert state["workshop"]["timer"] is None
    assert set(WORKSHOP_ACTIONS) <= seen
