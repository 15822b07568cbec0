"""What each person may do right now: the ``can`` list in their snapshot.

The room page shows a button only for an action listed here, so the browser keeps no rule of
its own and cannot disagree with the server about who may pause, start or move on.

An action is listed when ``apply`` would take it from this person now, aimed at the current
step (for the counselor's ``resume``, naming the partners not yet ready; for ``say``, a text
other than the one shown), and the room would change. A tap that would change nothing (a second ``next`` while
waiting for the partner, ``ready`` twice, ``not_yet`` with nothing to take back) is left out,
so the page never offers a button that does nothing.

The status and role rules are ``machine``'s own tables and role check, and which step kind
takes which action is its handler table, so those cannot drift. The rest (whose turn it is,
who has tapped, who is resting or ready, who may answer a knock) restates the step modules'
checks as questions; tests/engine/test_can.py holds every answer against ``apply`` itself in
random rooms, in both directions.
"""

from functools import cache

from .actions import (
    BACK,
    GROUP_TIMER,
    LOWER_HAND,
    PACE,
    PERSON_ACTIONS,
    RAISE_HAND,
    RESUME,
    SAY,
    SKIP,
    STEP_ACTIONS,
)
from .machine import STATUS_TABLE, STEP_HANDLERS, check_role
from .pause import absent, not_ready
from .rejections import Refusal
from .state import upgraded
from .steps import checkin
from .together import rule_of
from .vocabulary import BOTH, CHECK, HOST, PARTNERS, WAITING, other
from .workshop import is_held, is_paced


@cache
def _candidates(status: str, hosted: bool, role: str) -> tuple[str, ...]:
    """The actions that pass the status table and the role check, in ``PERSON_ACTIONS`` order.

    The role check reads nothing of the room but whether it has a host, so its answers are
    worked out once per (status, hosted, role) by asking it, rather than by copying it.
    """
    room = {"host": {} if hosted else None}
    passed = []
    for action in PERSON_ACTIONS:
        if STATUS_TABLE[status][action] is not None:
            continue
        try:
            check_role(room, role, action)
        except Refusal:
            continue
        passed.append(action)
    return tuple(passed)


def _always(state: dict, actor: str) -> bool:
    return True


def _moves_on(state: dict, step: dict, actor: str) -> bool:
    """``together.move_on`` would do something: the host moves the room, and a partner's tap
    counts unless they already tapped on a step that waits for both."""
    return actor == HOST or rule_of(step) != BOTH or actor not in state["moving_on"]


def _tapped(state: dict, step: dict, actor: str) -> bool:
    return actor in state["moving_on"]


# (action, step kind) -> whether that handler would take the action from ``actor`` and change
# the room. One entry per handler in ``machine.STEP_HANDLERS``.
_STEP_RULES = {
    ("checkin", "checkin"): lambda state, step, actor: checkin.answers(state)[actor] is None,
    ("next", "checkin"): lambda state, step, actor: (
        checkin.revealed(state) and _moves_on(state, step, actor)
    ),
    ("next", "info"): _moves_on,
    ("not_yet", "checkin"): _tapped,
    ("not_yet", "info"): _tapped,
    ("done", "speak"): lambda state, step, actor: actor == step["floor"],
    ("done", "reflect"): lambda state, step, actor: (
        state["phase"] != CHECK and actor == other(step["floor"])
    ),
    ("answer", "reflect"): lambda state, step, actor: (
        state["phase"] == CHECK and actor == step["floor"]
    ),
    ("sit_out", "breathe"): lambda state, step, actor: not state["seats"][actor]["resting"],
}
assert set(_STEP_RULES) == set(STEP_HANDLERS)


def _can_start(state: dict, actor: str) -> bool:
    return state["status"] == WAITING and all(state["seats"][seat]["claimed"] for seat in PARTNERS)


def _can_be_ready(state: dict, actor: str) -> bool:
    """``pause.mark_ready`` counts a partner who is there and has not said it yet."""
    seat = state["seats"][actor]
    return actor not in state["pause"]["ready"] and seat["claimed"] and seat["connected"]


def _can_let_in(state: dict, actor: str) -> bool:
    """A knock still waiting for its answer, asked of anyone but the knocked seat."""
    knock = state["knock"]
    return knock is not None and knock["answer"] is None and actor != knock["seat"]


def _can_resume_for_both(state: dict, actor: str) -> bool:
    """``pause.resume_for_both`` overrides only partners who are there to carry on."""
    return not absent(state, not_ready(state))


def _can_raise_hand(state: dict, actor: str) -> bool:
    block = state["workshop"]
    return block is not None and block["hand"] is None


def _can_lower_hand(state: dict, actor: str) -> bool:
    block = state["workshop"]
    return block is not None and block["hand"] is not None


def _can_pace(state: dict, actor: str) -> bool:
    """While the group is not on the last step some step raises the gate (the next one);
    the gate only rises, so at the last step every ``pace`` is a no-op."""
    return is_paced(state) and state["workshop"]["to"] + 1 < len(state["steps"])


def _in_workshop(state: dict, actor: str) -> bool:
    """A timer other than the one running can always be set."""
    return state["workshop"] is not None


_SESSION_RULES = {
    "start": _can_start,
    "pause": _always,
    "ready": _can_be_ready,
    "end": _always,
    "let_in": _can_let_in,
    # Listed while the room runs; the same message again (or clearing none) changes nothing,
    # so the page sends a message only when its text differs from the one shown.
    SAY: _always,
    RESUME: _can_resume_for_both,
    RAISE_HAND: _can_raise_hand,
    LOWER_HAND: _can_lower_hand,
    PACE: _can_pace,
    GROUP_TIMER: _in_workshop,
}


def _back(state: dict, actor: str) -> bool:
    return state["index"] > 0


def _in_step(action: str):
    """The step kind's own rule for ``action``; a kind without a handler for it refuses it."""

    def allowed(state: dict, actor: str) -> bool:
        if is_held(state):  # the step is over; only the counselor's skip and back move it
            return False
        step = state["steps"][state["index"]]
        rule = _STEP_RULES.get((action, step["kind"]))
        return rule is not None and rule(state, step, actor)

    return allowed


# action -> whether it would be taken and change the room, once status and role allow it.
_RULES = {
    **{action: _in_step(action) for action in STEP_ACTIONS},
    SKIP: _always,
    BACK: _back,
    **_SESSION_RULES,
}
assert set(_RULES) == set(PERSON_ACTIONS)


def allowed_actions(state: dict, role: str) -> list[str]:
    """The actions ``role`` ("a", "b" or "host") may send now, in ``PERSON_ACTIONS`` order."""
    state = upgraded(state)
    candidates = _candidates(state["status"], state["host"] is not None, role)
    return [action for action in candidates if _RULES[action](state, role)]
