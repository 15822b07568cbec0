"""Alex and Sam's history as Dana reads it: every session, its pauses, check-ins and CSI-4.

Hosted sessions show both partners' first and last check-ins; the couple's own practice
shows what was done (date, duration, pauses, completed) and its check-ins only once both
Alex and Sam ticked "share this practice with our counselor". The CSI-4 is each partner's,
read beside the session it was answered for, and stays when the partners delete that
session.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from sessions.models import CoupleSession
from sessions.reports.history import history, measure_words, overview, session_history
from sessions.reports.practice import done_this_week, week_start
from sessions.store import deletion
from tests.support.couple_play import alex_and_sam, answer_csi4, give_practice, play, seated

pytestmark = pytest.mark.django_db


def only(rows: list[dict]) -> dict:
    assert len(rows) == 1, rows
    return rows[0]


def test_a_hosted_session_says_date_protocol_kind_duration_and_completed(dana):
    couple = alex_and_sam(dana)
    session = play(seated(couple))
    facts = only(session_history(couple))
    assert facts["date"] == session.created_at
    assert facts["protocol"] == "Reports test protocol"
    assert (facts["kind"], facts["outcome"]) == ("hosted", "completed")
    assert facts["duration_seconds"] is not None and facts["duration_text"].endswith("s")


def test_pauses_are_counted_with_who_asked_and_why(dana):
    couple = alex_and_sam(dana)
    play(seated(couple), pause=("b", "flooding"))
    facts = only(session_history(couple))
    assert facts["pause_count"] == 1
    pause = only(facts["pauses"])
    assert pause["words"] == "Sam asked for a pause (feeling flooded)"
    assert (pause["by"], pause["reason"]) == ("b", "flooding")


def test_a_hosted_session_shows_both_first_and_last_check_ins(dana):
    couple = alex_and_sam(dana)
    play(seated(couple), alex=("mobilized", 8), closing=(("safe", 2), ("shutdown", 5)))
    facts = only(session_history(couple))
    assert facts["checkins_shared"]
    assert facts["first"]["a"] == {"state": "mobilized", "intensity": 8, "word": ""}
    assert facts["last"]["b"]["state"] == "shutdown"
    cells = {c["name"]: c for c in facts["checkin_cells"]}
    assert cells["Alex"]["first"] == "On edge, 8 of 10"
    assert cells["Sam"]["last"] == "Shut down, 5 of 10"


def test_an_early_end_and_a_session_not_started_say_so(dana):
    couple = alex_and_sam(dana)
    play(seated(couple), end_early=True)
    seated(couple)
    ended, waiting = session_history(couple)
    assert ended["outcome"] == "ended early" and ended["last"] == {"a": None, "b": None}
    assert waiting["outcome"] == "not started" and waiting["duration_text"] == "–"


@pytest.mark.parametrize(
    ("share_a", "share_b", "shown"),
    [(False, False, False), (True, False, False), (False, True, False), (True, True, True)],
    ids=["nobody", "alex-only", "sam-only", "both"],
)
def test_practice_check_ins_reach_dana_only_when_both_shared(dana, share_a, share_b, shown):
    couple = alex_and_sam(dana)
    session = play(seated(couple, give_practice(couple)), alex=("shutdown", 9))
    CoupleSession.objects.filter(pk=session.pk).update(share_a=share_a, share_b=share_b)
    facts = only(session_history(couple))
    assert facts["kind"] == "practice" and facts["outcome"] == "completed"
    assert facts["checkins_shared"] is shown
    if shown:
        assert facts["first"]["a"]["state"] == "shutdown"
    else:
        assert facts["first"] is None and facts["last"] is None and facts["checkin_cells"] == []
        assert "shutdown" not in repr(facts) and "Shut down" not in repr(facts)


def test_unshared_practice_still_shows_duration_and_pauses(dana):
    couple = alex_and_sam(dana)
    play(seated(couple, give_practice(couple)), pause=("a", "need_a_moment"))
    facts = only(session_history(couple))
    assert not facts["checkins_shared"]
    assert facts["pause_count"] == 1 and facts["pauses"][0]["words"] == "Alex asked for a pause"
    assert facts["duration_seconds"] is not None


def test_each_partners_csi4_sits_beside_its_session_and_below_13_5_is_marked(dana):
    couple = alex_and_sam(dana, measure_on=True)
    session = play(seated(couple))
    answer_csi4(session, "a", [4, 4, 4, 4])  # 16
    answer_csi4(session, "b", [2, 3, 3, 3])  # 11
    facts = only(session_history(couple))
    assert facts["csi4"]["a"]["total"] == 16 and not facts["csi4"]["a"]["below"]
    assert facts["csi4"]["b"]["total"] == 11 and facts["csi4"]["b"]["below"]
    words = {c["name"]: c["words"] for c in facts["csi4_cells"]}
    assert words == {"Alex": "16 of 21", "Sam": "11 of 21, below 13.5"}


def test_a_skipped_csi4_is_a_skip_not_a_score(dana):
    couple = alex_and_sam(dana, measure_on=True)
    session = play(seated(couple))
    answer_csi4(session, "a", None)
    facts = only(session_history(couple))
    assert facts["csi4"]["a"]["skipped"] and facts["csi4"]["a"]["total"] is None
    assert measure_words(facts["csi4"]["a"]) == "skipped"
    assert measure_words(None) == "no answer"


def test_csi4_answers_stay_when_the_partners_delete_the_session(dana):
    couple = alex_and_sam(dana, measure_on=True)
    session = play(seated(couple))
    answer_csi4(session, "a", [1, 1, 1, 1])
    deletion.delete_session(session)
    data = history(couple)
    assert data["sessions"] == []
    row = only(data["measures"])
    assert row["a"]["total"] == 4 and row["label"].startswith("Reports test protocol")


def test_only_the_couples_own_sessions_are_in_their_history(dana):
    couple = alex_and_sam(dana)
    play(seated(alex_and_sam(dana)))
    assert session_history(couple) == []


def test_done_this_week_counts_completed_practice_since_monday(dana):
    couple = alex_and_sam(dana)
    practice = give_practice(couple, times=3)
    old = play(seated(couple, practice))
    play(seated(couple, practice))
    CoupleSession.objects.filter(pk=old.pk).update(finished_at=week_start() - timedelta(minutes=1))
    assert done_this_week(practice) == 1
    assert week_start().weekday() == 0 and week_start() <= timezone.now()


def test_the_overview_names_the_last_and_the_current_hosted_session(dana):
    couple = alex_and_sam(dana)
    last = play(seated(couple))
    current = seated(couple)["session"]
    give_practice(couple, times=2)
    row = overview(couple)
    assert row["last"].pk == last.pk and row["current"].pk == current.pk
    assert only(row["practice"])["line"].endswith("done 0 of 2 this week")
