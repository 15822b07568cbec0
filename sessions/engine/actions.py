"""The closed list of action names: the public words the WebSocket speaks.

Step actions carry the step (and reflect phase) they were meant for, so a race between two
taps can never move the room twice; session actions carry no target; server actions come
only from the server process, never from a browser. The counselor's two desk actions (a short
message to the couple, and resuming for both with a named override) are session actions, and
so are a workshop room's four (see ``workshop``).
"""

# The host's two moves through the steps; the reports read them back from the log to tell a
# step skipped (or left by going back) from one finished.
SKIP = "skip"
BACK = "back"

SAY = "say"
RESUME = "resume"

# A workshop room's four: a partner asks the facilitator over, she lowers the hand, moves
# the group's gate on (``pace``), or sets the group's timer.
RAISE_HAND = "raise_hand"
LOWER_HAND = "lower_hand"
PACE = "pace"
GROUP_TIMER = "group_timer"
WORKSHOP_ACTIONS = (RAISE_HAND, LOWER_HAND, PACE, GROUP_TIMER)

STEP_ACTIONS = ("checkin", "done", "answer", "next", "not_yet", "sit_out", SKIP, BACK)
SESSION_ACTIONS = ("start", "pause", "ready", "end", "let_in", SAY, RESUME, *WORKSHOP_ACTIONS)
PERSON_ACTIONS = STEP_ACTIONS + SESSION_ACTIONS
SERVER_ACTIONS = ("tick", "presence", "seat", "knock", "forget")
ALL_ACTIONS = PERSON_ACTIONS + SERVER_ACTIONS
