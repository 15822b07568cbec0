"""The closed list of event types: the ``type`` of every event the engine emits.

The event log keeps these words for good and the reports read them back years later, so the
engine (which writes them) and the reports (which match on them) take them from here rather
than each spelling them out. A few share their spelling with a status or an action
(``paused``, ``ended``, ``ready``, ``let_in``) but name something else: what happened, once.
docs/engine.md lists each with its fields; tests/engine/test_events.py keeps the two equal.
"""


class EventType:
    """One constant per event type, as stored in the log (plain strings, never renamed)."""

    STARTED = "started"
    STEP_STARTED = "step_started"
    PHASE_STARTED = "phase_started"
    CHECKED_IN = "checked_in"
    REVEALED = "revealed"
    SAT_OUT = "sat_out"
    OVER_TIME = "over_time"
    PAUSED = "paused"
    READY = "ready"
    RESUMED = "resumed"
    COMPLETED = "completed"
    ENDED = "ended"
    SEAT_CLAIMED = "seat_claimed"
    SEAT_RELEASED = "seat_released"
    SEAT_TAKEN_OVER = "seat_taken_over"
    PRESENCE = "presence"
    MOVING_ON = "moving_on"
    NOT_YET = "not_yet"
    KNOCKED = "knocked"
    LET_IN = "let_in"
    KEPT_OUT = "kept_out"
    FORGOTTEN = "forgotten"
    MESSAGE = "message"
    HAND_RAISED = "hand_raised"
    HAND_LOWERED = "hand_lowered"
    PACED = "paced"
    HELD = "held"
    GROUP_TIMER = "group_timer"


EVENT_TYPES = tuple(value for name, value in vars(EventType).items() if name.isupper())
