"""The pause screen's words come with the snapshot, worded for whoever reads them.

A partner who asks for a longer break is flooded, which the note says is nobody's failure;
a counselor who calls one is not flooded herself: the partners read that their counselor
called a longer break of at least the room's length, and she reads that she called it for
the couple. A longer break says when its suggested time is up (`break_ends_at`) and what
the screen says then (`break_over_line`): gently, no blame, no hurry. A revealed check-in
answer carries the line the summaries show too.
"""

from sessions.engine import view_for
from sessions.engine.wording import answer_line, pause_why, who_paused
from tests.engine.helpers import CHECKIN, SPEAK_A, feeling, here, run, started_room, walk_to

FLOODED = "Feeling flooded is a body's signal, not anyone's failure."


def paused(by: str, reason: str = "flooding", *, hosted: bool = True, settings=None) -> dict:
    state = started_room(hosted=hosted, settings=settings)
    state, now = walk_to(state, SPEAK_A)
    return run(state, by, "pause", {"reason": reason}, now)


def test_a_partners_flooding_break_stays_a_pause_they_asked_for():
    state = paused("b")
    alex, sam, dana = (view_for(state, role)["pause"] for role in ("a", "b", "host"))
    assert sam["line"] == "You asked for a pause. Take the time you need."
    assert alex["line"] == "Sam asked for a pause. This time is for you too."
    for pause in (alex, sam):
        assert pause["break_note"].startswith(FLOODED)
        assert (
            "A break of at least 20 minutes lets it settle, for both of you."
            in (pause["break_note"])
        )


def test_dana_reads_a_partners_pause_about_the_couple_never_as_one_of_them():
    state = paused("b")
    dana = view_for(state, "host")["pause"]
    assert (
        dana["line"]
        == "Sam asked for a pause. The room waits until both of them say they're ready."
    )
    assert dana["break_note"] == (
        "Sam is feeling flooded: a body's signal, nobody's failure. A break of at least "
        "20 minutes gives Alex and Sam time to settle. The room carries on once they have "
        "both said they're ready."
    )
    calm = paused("a", "need_a_moment")
    assert view_for(calm, "host")["pause"]["line"] == (
        "Alex asked for a pause. The room waits until both of them say they're ready."
    )
    for words in (dana["line"], dana["break_note"], view_for(calm, "host")["pause"]["line"]):
        assert "for you too" not in words and "both of you" not in words
        assert "Take the time you need" not in words


def test_the_counselor_calls_a_longer_break_for_the_couple_and_is_not_the_one_flooded():
    state = paused("host")
    alex, sam, dana = (view_for(state, role)["pause"] for role in ("a", "b", "host"))
    for partner in (alex, sam):
        assert partner["line"] == "Your counselor called a longer break."
        assert partner["break_note"].startswith(
            "A break of at least 20 minutes gives you both time to settle."
        )
    assert dana["line"] == "You called a longer break for Alex and Sam."
    assert dana["break_note"] == (
        "A break of at least 20 minutes gives Alex and Sam time to settle. "
        "The room carries on once they have both said they're ready."
    )
    for pause in (alex, sam, dana):
        assert "flooded" not in pause["line"] + pause["break_note"]
        assert "Take the time you need" not in pause["line"]


def test_the_break_note_says_the_length_the_room_was_set_up_with():
    state = paused("host", settings={"break_minutes": 45})
    assert "at least 45 minutes" in view_for(state, "a")["pause"]["break_note"]
    assert "at least 45 minutes" in view_for(state, "host")["pause"]["break_note"]
    state = paused("a", hosted=False, settings={"break_minutes": 1})
    assert "A break of at least 1 minute lets" in view_for(state, "b")["pause"]["break_note"]


def test_a_longer_break_says_when_its_time_is_up_and_then_says_so_gently():
    state = paused("b", settings={"break_minutes": 25})
    since = state["pause"]["since"]
    alex, sam, dana = (view_for(state, role)["pause"] for role in ("a", "b", "host"))
    for pause in (alex, sam, dana):
        assert pause["break_ends_at"] == since + 25 * 60_000
    for pause in (alex, sam):
        assert pause["break_over_line"] == (
            "Your break's time is up. There's no rush — carry on when you both feel ready."
        )
    assert dana["break_over_line"] == (
        "The break's time is up. There's no rush — the room carries on when Alex and Sam both "
        "feel ready."
    )
    for line in (alex["break_over_line"], dana["break_over_line"]):
        assert "flooded" not in line and "Sam's" not in line
    host_break = view_for(paused("host"), "a")["pause"]
    assert host_break["break_ends_at"] == host_break["since"] + 20 * 60_000


def test_a_moments_pause_has_no_break_time_to_be_up():
    for by, reason in (("a", "need_a_moment"), ("host", "need_a_moment")):
        pause = view_for(paused(by, reason), "b")["pause"]
        assert pause["break_ends_at"] is None and pause["break_over_line"] is None


def test_a_moments_pause_has_no_break_note_and_the_counselors_reads_as_before():
    state = paused("host", "need_a_moment")
    assert view_for(state, "a")["pause"]["line"] == "Your counselor asked for a pause."
    assert view_for(state, "a")["pause"]["break_note"] is None
    assert view_for(state, "host")["pause"]["line"] == (
        "You asked for a pause. Take the time you need."
    )


def test_a_dropped_connection_says_the_room_waits():
    state = started_room()
    state, now = walk_to(state, SPEAK_A)
    state = run(state, "server", "presence", {"seat": "a", "connected": False}, now)
    state = run(state, "server", "tick", {}, state["seats"]["a"]["gone_since"] + 60_000)
    assert state["pause"]["reason"] == "connection"
    assert view_for(state, "b")["pause"]["line"] == (
        "Alex's connection dropped. The room waits here until they're back."
    )
    state = run(state, "server", "presence", {"seat": "a", "connected": True}, now + 61_000)
    assert view_for(state, "a")["pause"]["line"] == (
        "Your connection dropped for a moment. You're back now — carry on when you're both ready."
    )
    assert view_for(state, "b")["pause"]["line"].startswith(
        "Alex's connection dropped for a moment. Alex is back"
    )


def test_dana_reads_a_dropped_connection_about_the_couple():
    state = started_room(hosted=True)
    state, now = walk_to(state, SPEAK_A)
    state = run(state, "server", "presence", {"seat": "a", "connected": False}, now)
    state = run(state, "server", "tick", {}, state["seats"]["a"]["gone_since"] + 60_000)
    state = run(state, "server", "presence", {"seat": "a", "connected": True}, now + 61_000)
    assert view_for(state, "host")["pause"]["line"] == (
        "Alex's connection dropped for a moment. Alex is back — the room carries on once both "
        "say they're ready."
    )
    assert view_for(state, "b")["pause"]["line"].endswith("carry on when you're both ready.")


def test_who_paused_is_one_phrase_for_the_room_and_the_summaries():
    names = {"a": "Alex", "b": "Sam"}
    host_break = {"by": "host", "reason": "flooding"}
    assert who_paused(host_break, "a", names) == "Your counselor called a longer break"
    assert who_paused(host_break, "a", names, "Dana") == "Dana called a longer break"
    assert who_paused(host_break, "host", names) == "You called a longer break"
    assert pause_why("flooding", "host") == ""
    assert who_paused({"by": "b", "reason": "flooding"}, "a", names) == "Sam asked for a pause"
    assert pause_why("flooding", "b") == "feeling flooded"
    assert pause_why("need_a_moment", "b") == ""


def test_a_revealed_answer_carries_its_line():
    state = started_room()
    state, now = walk_to(state, CHECKIN)
    state = run(state, "a", "checkin", here(state, **feeling("mobilized", 7, "tense")), now)
    state = run(state, "b", "checkin", here(state, **feeling("shutdown", 2)), now)
    shown = view_for(state, "a")["checkins"][str(CHECKIN)]
    assert shown["a"]["line"] == "On edge, 7 of 10 — “tense”"
    assert shown["b"]["line"] == "Shut down, 2 of 10"
    assert answer_line({"state": "calm", "intensity": 3}) == "calm, 3 of 10"
