"""The closed list of action names: the public words the WebSocket speaks.

Step actions carry the step (and reflect phase) they were meant for, so a race between two
taps can never move the room twice; session actions carry no target; server actions come
only from the server process, never from a browser. The counselor's two desk actions (a short
message to the couple, and resuming for both with a named override) are session actions.
"""

# The host's two moves through the steps; the reports read them back from the log to tell a
# step skipped (or left by going back) from one finished.
SKIP = "skip"
BACK = "back"

SAY = "say"
RESUME = "resume"

STEP_ACTIONS = ("checkin", "done", "answer", "next", "not_yet", "sit_out", SKIP, BACK)
SESSION_ACTIONS = ("start", "pause", "ready", "end", "let_in", SAY, RESUME)
PERSON_ACTIONS = STEP_ACTIONS + SESSION_ACTIONS
SERVER_ACTIONS = ("tick", "presence", "seat", "knock", "forget")
ALL_ACTIONS = PERSON_ACTIONS + SERVER_ACTIONS
