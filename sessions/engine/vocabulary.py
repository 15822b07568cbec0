"""The small shared vocabulary of a session: who takes part and which states it moves through.

Kept in one place so the rules, the table and the view cannot drift apart on a spelling.
"""

A = "a"
B = "b"
HOST = "host"
SERVER = "server"

PARTNERS = (A, B)
PEOPLE = (A, B, HOST)
ACTORS = (A, B, HOST, SERVER)

WAITING = "waiting"
ACTIVE = "active"
PAUSED = "paused"
COMPLETED = "completed"
ENDED = "ended"

STATUSES = (WAITING, ACTIVE, PAUSED, COMPLETED, ENDED)
# The two groups every page and query asks about: over, or still going on.
FINISHED = frozenset({COMPLETED, ENDED})
IN_PROGRESS = frozenset({ACTIVE, PAUSED})

# Reflect sub-steps, in the order the Imago dialogue walks through them.
MIRROR = "mirror"
CHECK = "check"
VALIDATE = "validate"
EMPATHIZE = "empathize"
PHASES = (MIRROR, CHECK, VALIDATE, EMPATHIZE)

FEELINGS = ("safe", "mobilized", "shutdown")
# Why someone pauses: a moment to themselves, or a longer break because someone is flooded
# (a partner asks for it for themselves; the counselor may call it for the couple).
NEED_A_MOMENT = "need_a_moment"
FLOODING = "flooding"
PAUSE_REASONS = (NEED_A_MOMENT, FLOODING)
CONNECTION = "connection"
ANSWERS = ("yes", "not_quite", "more")

# How a step that ends by a tap moves on: when both partners have tapped ``next`` (the
# default), or at one partner's tap. Steps that end otherwise (a clock, a turn) have no rule.
BOTH = "both"
EITHER = "either"
ADVANCE_RULES = (BOTH, EITHER)
TAP_KINDS = ("info", "checkin")

# The answer to a knock: someone on a new device asking to continue in a seat.
LET_IN_ANSWERS = ("yes", "no")


def other(seat: str) -> str:
    """The partner across from ``seat``: the listener when ``seat`` holds the floor."""
    return B if seat == A else A
