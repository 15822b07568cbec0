"""``apply``: one input in, a new state and its events out — or a refusal that changes nothing.

Checks run in a fixed order so every client sees the same code for the same mistake:
unknown_action → bad_args → status → role → stale → not_now → not_your_turn →
already_answered. The two tables below hold the status and role rules; each step kind's
module holds the rest.
"""

import pickle

from . import args as arguments
from . import consent, message, together, workshop
from .actions import (
    ALL_ACTIONS,
    BACK,
    GROUP_TIMER,
    LOWER_HAND,
    PACE,
    PERSON_ACTIONS,
    RAISE_HAND,
    RESUME,
    SAY,
    SERVER_ACTIONS,
    SKIP,
    STEP_ACTIONS,
    WORKSHOP_ACTIONS,
)
from .deadlines import tick
from .events import EventType
from .flow import advance, current_step, enter_step
from .language import gettext_noop
from .pause import mark_ready, pause_room, resume_for_both
from .presence import set_presence, set_seat
from .rejections import Refusal
from .results import Accepted, Rejected
from .state import upgraded
from .steps import breathe, checkin, info, reflect, speak
from .vocabulary import (
    ACTIVE,
    ACTORS,
    COMPLETED,
    ENDED,
    HOST,
    PARTNERS,
    PAUSED,
    PEOPLE,
    SERVER,
    WAITING,
)

OK = None  # the status lets the action through to the next check

# status -> action -> OK or the rejection code. Server actions are not listed: they are
# accepted in every status (``tick`` does nothing in a finished room; ``knock`` and
# ``forget`` check the status themselves).
STATUS_TABLE: dict[str, dict[str, str | None]] = {
    WAITING: {
        **dict.fromkeys(STEP_ACTIONS, "not_started"),
        "start": OK,
        "pause": "not_started",
        "ready": "not_started",
        "end": OK,
        "let_in": OK,  # a knock can come before the session starts
        SAY: OK,  # "I'll be with you in a minute" before it begins
        RESUME: "not_started",
        # A couple may ask for help before they start; the group may move on without them.
        **dict.fromkeys(WORKSHOP_ACTIONS, OK),
    },
    ACTIVE: {
        **dict.fromkeys(STEP_ACTIONS, OK),
        "start": OK,  # refused later as not_now: the room has already started
        "pause": OK,
        "ready": "not_paused",
        "end": OK,
        "let_in": OK,
        SAY: OK,
        RESUME: "not_paused",
        **dict.fromkeys(WORKSHOP_ACTIONS, OK),
    },
    PAUSED: {
        **dict.fromkeys(STEP_ACTIONS, "paused"),
        "start": OK,  # refused later as not_now
        "pause": "already_paused",
        "ready": OK,
        "end": OK,
        "let_in": OK,  # answering a knock is not moving the room
        SAY: OK,
        RESUME: OK,
        # The group's pace and timer go on; the paused room only records the pace.
        **dict.fromkeys(WORKSHOP_ACTIONS, OK),
    },
    COMPLETED: dict.fromkeys(PERSON_ACTIONS, "finished"),
    ENDED: dict.fromkeys(PERSON_ACTIONS, "finished"),
}

# action -> (who may send it, the code for anyone else). ``start`` depends on the room (the
# host in a hosted session, either partner otherwise). Actions open to every person still
# check later who holds the floor (done, answer).
ROLE_TABLE: dict[str, tuple[tuple[str, ...], str | None]] = {
    "checkin": (PARTNERS, "partners_only"),
    "done": (PEOPLE, None),
    "answer": (PEOPLE, None),
    "next": (PEOPLE, None),
    "not_yet": (PARTNERS, "partners_only"),
    "sit_out": (PARTNERS, "partners_only"),
    SKIP: ((HOST,), "host_only"),
    BACK: ((HOST,), "host_only"),
    "pause": (PEOPLE, None),
    "ready": (PARTNERS, "partners_only"),
    "end": (PEOPLE, None),
    # The knocked seat itself is refused later (not_your_turn): it is who the knock claims.
    "let_in": (PEOPLE, None),
    SAY: ((HOST,), "host_only"),
    RESUME: ((HOST,), "host_only"),
    RAISE_HAND: (PARTNERS, "partners_only"),
    LOWER_HAND: ((HOST,), "host_only"),
    PACE: ((HOST,), "host_only"),
    GROUP_TIMER: ((HOST,), "host_only"),
}

# (action, step kind) -> the step module's handler. A missing pair is refused as not_now.
STEP_HANDLERS = {
    ("checkin", "checkin"): checkin.check_in,
    ("next", "checkin"): checkin.next_step,
    ("next", "info"): info.next_step,
    ("not_yet", "checkin"): together.not_yet,
    ("not_yet", "info"): together.not_yet,
    ("done", "speak"): speak.done,
    ("done", "reflect"): reflect.done,
    ("answer", "reflect"): reflect.answer,
    ("sit_out", "breathe"): breathe.sit_out,
}

NOT_NOW = {
    "checkin": gettext_noop("This isn't a check-in step."),
    "done": gettext_noop("There's no turn to finish in this step."),
    "answer": gettext_noop("There's no question to answer just now."),
    "next": gettext_noop("This step moves on by itself once it's done."),
    "not_yet": gettext_noop(
        "This step moves on by itself once it's done; there's no tap to take back."
    ),
    "sit_out": gettext_noop("You can sit out breathing steps only."),
}


def check_role(state: dict, actor: str, action: str) -> None:
    """Refuse ``actor`` unless the role table (or, for ``start``, the room) lets them send
    ``action``. Public because ``permissions`` asks it too, rather than restating it."""
    if actor == HOST and state["host"] is None:
        raise Refusal("no_host")
    if action == "start":
        if state["host"] is not None and actor != HOST:
            raise Refusal(
                "host_only", gettext_noop("In a session with a counselor, the counselor starts it.")
            )
        return
    allowed, code = ROLE_TABLE[action]
    if actor not in allowed:
        raise Refusal(code)


def _check_intent(state: dict, args: dict) -> None:
    """Refuse a step action meant for a step (or reflect phase) the room has left."""
    if args["step"] != state["index"] or args.get("phase") != state["phase"]:
        raise Refusal("stale")


def _step_action(state: dict, actor: str, action: str, args: dict, now: int) -> list:
    _check_intent(state, args)
    workshop.refuse_if_held(state, action in (SKIP, BACK))
    if action == SKIP:
        # The counselor moves the room by hand: a workshop's gate is hers to pass.
        return advance(state, now, gated=False)
    if action == BACK:
        if state["index"] == 0:
            raise Refusal(
                "not_now", gettext_noop("This is the first step; there's nothing to go back to.")
            )
        return enter_step(state, state["index"] - 1, now)
    step = current_step(state)
    handler = STEP_HANDLERS.get((action, step["kind"]))
    if handler is None:
        raise Refusal("not_now", NOT_NOW[action])
    events, step_over = handler(state, step, actor, args, now)
    if step_over:
        events += advance(state, now, gated=actor != HOST)
    return events


def _start(state: dict, actor: str, now: int) -> list:
    if state["status"] != WAITING:
        raise Refusal("not_now", gettext_noop("The session has already started."))
    if not all(state["seats"][seat]["claimed"] for seat in PARTNERS):
        raise Refusal("seats_not_taken")
    for seat in PARTNERS:
        # Someone who never arrived starts their grace period now.
        if not state["seats"][seat]["connected"] and state["seats"][seat]["gone_since"] is None:
            state["seats"][seat]["gone_since"] = now
    state["status"] = ACTIVE
    return [{"type": EventType.STARTED, "by": actor}, *enter_step(state, 0, now)]


def _end(state: dict, actor: str, now: int) -> list:
    event = {"type": EventType.ENDED, "by": actor, "index": state["index"]}
    if state["pause"] is not None:
        event["paused_ms"] = now - state["pause"]["since"]
    state["status"] = ENDED
    state["knock"] = None  # nobody can answer it any more
    state["moving_on"] = []
    state["pause"] = None
    message.clear_message(state)
    workshop.clear_when_finished(state)
    state["deadline"] = None
    state["remaining"] = None
    state["breathing"] = None
    return [event]


def _workshop_action(state: dict, actor: str, action: str, args: dict, now: int) -> list:
    if action == RAISE_HAND:
        return workshop.raise_hand(state, actor, now)
    if action == LOWER_HAND:
        return workshop.lower_hand(state)
    if action == GROUP_TIMER:
        return workshop.group_timer(state, args, now)
    events, group_step = workshop.pace(state, args["step"])
    if group_step is not None:
        events += enter_step(state, group_step, now)
    return events


def _person_action(state: dict, actor: str, action: str, args: dict, now: int) -> list:
    code = STATUS_TABLE[state["status"]][action]
    if code is not None:
        raise Refusal(code)
    check_role(state, actor, action)
    if action in STEP_ACTIONS:
        return _step_action(state, actor, action, args, now)
    if action == "start":
        return _start(state, actor, now)
    if action == "pause":
        return pause_room(state, actor, args["reason"], now)
    if action == "ready":
        return mark_ready(state, actor, now)
    if action == "let_in":
        return consent.let_in(state, actor, args, now)
    if action == SAY:
        return message.say(state, args, now)
    if action == RESUME:
        return resume_for_both(state, args, now)
    if action in WORKSHOP_ACTIONS:
        return _workshop_action(state, actor, action, args, now)
    return _end(state, actor, now)


def _server_action(state: dict, action: str, args: dict, now: int) -> list:
    if action == "tick":
        return tick(state, now)
    if action == "presence":
        return set_presence(state, args, now)
    if action == "knock":
        return consent.knock(state, args, now)
    if action == "forget":
        return consent.forget(state, args, now)
    return set_seat(state, args, now)


def _missing_phase(state: dict, action: str, args: dict) -> bool:
    """A step action aimed at the current reflect step must say which phase it meant."""
    return (
        action in STEP_ACTIONS
        and args["step"] == state["index"]
        and state["phase"] is not None
        and "phase" not in args
    )


def apply(state: dict, actor: str, action: str, args: dict | None, now: int) -> Accepted | Rejected:
    """Run one input against ``state`` (never modified) at server time ``now`` (epoch ms)."""
    if actor not in ACTORS:
        raise ValueError(f"actor must be one of {ACTORS}, got {actor!r}")
    if isinstance(now, bool) or not isinstance(now, int):
        raise ValueError(f"now must be epoch milliseconds as an int, got {now!r}")
    # A room stored before a rule existed reads as if it had always had that rule's keys.
    state = upgraded(state)
    try:
        if action not in ALL_ACTIONS or ((actor == SERVER) != (action in SERVER_ACTIONS)):
            raise Refusal(
                "unknown_action",
                gettext_noop("'%(action)s' isn't something you can do here."),
                {"action": action},
            )
        cleaned = arguments.clean_args(action, args)
        if _missing_phase(state, action, cleaned):
            raise Refusal(
                "bad_args",
                gettext_noop("'%(action)s' in a reflect step needs 'phase'."),
                {"action": action},
            )
        if action == PACE:
            workshop.check_pace_step(state, cleaned)
        # The state is plain JSON data; a pickle round trip copies it about five times
        # faster than copy.deepcopy, and this copy runs on every input of every room.
        new = pickle.loads(pickle.dumps(state, pickle.HIGHEST_PROTOCOL))
        if actor == SERVER:
            events = _server_action(new, action, cleaned, now)
        else:
            events = _person_action(new, actor, action, cleaned, now)
    except Refusal as refusal:
        return Rejected(refusal.code, refusal.message, refusal.template, refusal.params)
    if new == state:
        # Nothing changed (a duplicate ready, a tick with nothing due): a no-op.
        return Accepted(state=new, events=())
    new["version"] = state["version"] + 1
    return Accepted(state=new, events=tuple(events))
