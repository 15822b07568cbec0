"""What the counselor's tests share: Dana's own protocol, and a hosted room played to its end.

A counselor's pages are only worth testing with a room that has a story in it (check-ins, a
pause, skipped steps), and the protocol pages with a protocol Dana might really write; each
test file builds on these rather than keeping its own copy.
"""

from __future__ import annotations

from sessions.store import rooms

# A protocol as Dana would write it: valid, so a test breaks it on purpose where it needs to.
GOOD_TOML = """\
slug = "dana-evening"
title = "Evening landing"
minutes = 5
for_whom = "Couples who want a short calm moment"
summary = "Arrive, breathe, notice."

[[steps]]
kind = "info"
title = "Is now a good time?"
prompt = "Check with each other that now is a good time. Either of you can pause at any moment."

[[steps]]
kind = "checkin"
title = "Arriving"
prompt = "Where are you right now? There is no wrong answer."

[[steps]]
kind = "breathe"
title = "Breathe"
prompt = "Breathe along if you like; you can sit this one out."
inhale = 5.5
exhale = 5.5
cycles = 2

[[steps]]
kind = "checkin"
title = "Closing"
prompt = "Where are you now?"
"""


def play_to_the_end(code: str, arrival=("safe", 3), closing=("safe", 2)) -> dict:
    """Drive a hosted session through every step: both partners check in, the host skips the rest."""
    for seat in ("a", "b"):  # as when both phones have the room open
        assert rooms.submit(code, "server", "presence", {"seat": seat, "connected": True}).accepted
    result = rooms.submit(code, "host", "start", {})
    assert result.accepted, result
    moments = iter([arrival, closing])
    state = result.state

    def ok(actor, action, args):
        outcome = rooms.submit(code, actor, action, args)
        assert outcome.accepted, (actor, action, args, outcome.code, outcome.message)
        return outcome.state

    paused_once = False
    for _ in range(50):
        if state["status"] != "active":
            break
        index = state["index"]
        kind = state["steps"][index]["kind"]
        if kind == "checkin":
            answer_state, intensity = next(moments, ("safe", 1))
            for seat, word in (("a", "tired"), ("b", "hopeful")):
                args = {"step": index, "state": answer_state, "intensity": intensity, "word": word}
                ok(seat, "checkin", args)
            state = ok("host", "next", {"step": index})
        elif kind == "info":
            state = ok("host", "next", {"step": index})
        else:
            if kind == "breathe" and not paused_once:
                ok("b", "pause", {})  # Sam asks for a moment; both say when they are ready
                ok("a", "ready", {})
                state = ok("b", "ready", {})
                paused_once = True
            target = {"step": index}
            if state["phase"] is not None:
                target["phase"] = state["phase"]
            state = ok("host", "skip", target)
    assert state["status"] == "completed"
    return state
