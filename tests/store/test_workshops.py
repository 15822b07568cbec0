"""Dana's workshop in the store: couples pairing by word, her group commands, its end.

Each couple's room is an ordinary session Dana hosts; the store makes it, gives it a
pairing word unique in the workshop, and fans her commands out one room at a time, a
room that will not take one (finished, paused) skipped rather than failed.
"""

from __future__ import annotations

import pytest

from sessions.codes import new_seat_token
from sessions.models import WORKSHOP_ENDED, WORKSHOP_STARTED, CoupleSession, Workshop
from sessions.store import broadcast, creation, notices, workshops
from sessions.store.seats import SessionFull
from tests.store.workshop_play import arrive, dana_workshop, run, state_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def told(monkeypatch):
    """What the workshop's consoles were told, after commit (type, workshop id, code)."""
    heard: list[tuple] = []
    monkeypatch.setattr(
        broadcast, "tell_workshop", lambda pk, code: heard.append(("room", pk, code))
    )
    monkeypatch.setattr(broadcast, "workshop_changed", lambda pk: heard.append(("changed", pk)))
    return heard


# --- pairing words ------------------------------------------------------------------------


def test_a_pairing_word_is_three_syllables_of_the_plain_alphabet():
    for _ in range(200):
        word = workshops.new_pairing_word()
        assert len(word) == 6
        assert all(ch in workshops.PAIRING_CONSONANTS for ch in word[0::2])
        assert all(ch in workshops.PAIRING_VOWELS for ch in word[1::2])


def test_typing_a_word_is_forgiving_but_its_shape_is_not():
    assert workshops.normalize_word("  Lo-Mi-Ra ") == "lomira"
    for bad in ("", "lomir", "lomiraa", "lomirä", "aomira", "lomi4a", None, 42, "ｌｏｍｉｒａ"):
        with pytest.raises(ValueError):
            workshops.normalize_word(bad)


def test_every_couple_in_a_workshop_gets_its_own_word(dana, monkeypatch):
    workshop = dana_workshop(dana)
    drawn = iter(["lomira", "lomira", "lomira", "bedaki"])
    monkeypatch.setattr(workshops, "new_pairing_word", lambda: next(drawn))
    alex = arrive(workshop, "Alex")
    robin = arrive(workshop, "Robin")  # "lomira" is Alex's: drawn again until free
    assert (alex["word"], robin["word"]) == ("lomira", "bedaki")
    assert workshops.room_for_word(workshop, "LOMIRA").code == alex["code"]


def test_the_same_word_may_open_rooms_in_two_workshops(dana, monkeypatch):
    monkeypatch.setattr(workshops, "new_pairing_word", lambda: "lomira")
    first, second = dana_workshop(dana), dana_workshop(dana)
    assert arrive(first, "Alex")["code"] != arrive(second, "Jo")["code"]
    assert workshops.room_for_word(second, "lomira").workshop_id == second.pk


def test_an_unknown_word_opens_nothing(dana):
    workshop = dana_workshop(dana)
    arrive(workshop, "Alex")
    with pytest.raises(workshops.NoSuchWord):
        workshops.room_for_word(workshop, "zuzuzu")


# --- couples arriving ---------------------------------------------------------------------


def test_alex_starts_a_couple_and_sam_joins_by_the_word(dana, told):
    workshop = dana_workshop(dana)
    alex_and_sam = arrive(workshop, "Alex", "Sam")
    room = CoupleSession.objects.get(code=alex_and_sam["code"])
    assert room.workshop == workshop and room.counselor == dana and room.couple is None
    state = state_of(room.code)
    assert [state["seats"][s]["name"] for s in "ab"] == ["Alex", "Sam"]
    assert state["workshop"]["paced"] is True and state["host"] is not None
    assert ("room", workshop.pk, room.code) in told
    assert workshops.room_of_browser(workshop, alex_and_sam["tokens"]["a"]) == room
    assert workshops.room_of_browser(workshop, new_seat_token()) is None


def test_a_third_person_on_a_word_is_refused_like_on_any_room(dana):
    workshop = dana_workshop(dana)
    alex_and_sam = arrive(workshop, "Alex", "Sam")
    room = workshops.room_for_word(workshop, alex_and_sam["word"])
    with pytest.raises(SessionFull):
        workshops.join_partner(workshop, room, "Riley", new_seat_token())


def test_a_full_workshop_takes_no_new_couple(dana):
    workshop = dana_workshop(dana, max_couples=2)
    arrive(workshop, "Alex", "Sam")
    arrive(workshop, "Robin")
    with pytest.raises(workshops.WorkshopFull):
        workshops.start_couple(workshop, "Jo", new_seat_token())
    assert CoupleSession.objects.filter(workshop=workshop).count() == 2


def test_a_bad_name_makes_no_room(dana):
    workshop = dana_workshop(dana)
    with pytest.raises(ValueError):
        workshops.start_couple(workshop, "   ", new_seat_token())
    assert not CoupleSession.objects.filter(workshop=workshop).exists()


def test_an_ended_workshop_closes_its_link_and_every_word(dana):
    workshop = dana_workshop(dana)
    robin = arrive(workshop, "Robin")
    workshops.end_workshop(workshop)
    with pytest.raises(workshops.WorkshopClosed):
        workshops.start_couple(workshop, "Jo", new_seat_token())
    with pytest.raises(workshops.WorkshopClosed):
        workshops.room_for_word(workshop, robin["word"])
    with pytest.raises(workshops.WorkshopClosed):
        workshops.join_partner(workshop, robin["room"], "Riley", new_seat_token())
    assert workshops.workshop_for_code(workshop.code) == workshop  # its page says it ended


def test_a_workshop_link_is_shape_checked_before_any_lookup(dana):
    workshop = dana_workshop(dana)
    assert workshops.workshop_for_code(workshop.code).pk == workshop.pk
    assert workshops.workshop_for_code("short") is None
    assert workshops.workshop_for_code(workshop.code[:-1] + "~") is None


def test_a_workshop_takes_one_to_sixty_couples_of_a_known_protocol(dana):
    for bad in (0, 61, True, "10"):
        with pytest.raises(ValueError):
            dana_workshop(dana, max_couples=bad)
    with pytest.raises(creation.UnknownProtocol):
        workshops.create_workshop(
            dana, protocol_slug="no-such", title="Weekend", max_couples=5, paced=True
        )
    assert not Workshop.objects.exists()


def test_workshop_rooms_stay_off_danas_dashboard(dana):
    workshop = dana_workshop(dana)
    hosted = creation.create_session("reports-test", dana)
    arrive(workshop, "Alex", "Sam")
    assert [watched.code for watched in notices.watched_rooms(dana.pk)] == [hosted.code]


# --- Dana's commands ----------------------------------------------------------------------


def test_start_all_starts_only_the_rooms_with_both_partners(dana, told):
    workshop = dana_workshop(dana)
    alex_and_sam, robin = arrive(workshop, "Alex", "Sam"), arrive(workshop, "Robin")
    assert workshops.start_all(workshop) == 1
    assert workshop.status == WORKSHOP_STARTED
    assert state_of(alex_and_sam["code"])["status"] == "active"
    assert state_of(robin["code"])["status"] == "waiting"
    assert ("changed", workshop.pk) in told
    # Riley arrives late: the room starts as soon as the second seat is taken.
    room = workshops.room_for_word(workshop, robin["word"])
    workshops.join_partner(workshop, room, "Riley", new_seat_token())
    assert state_of(robin["code"])["status"] == "active"
    assert workshops.start_all(workshop) == 0  # nothing left to start


def test_say_all_and_timer_all_reach_every_unfinished_room(dana):
    workshop = dana_workshop(dana)
    couples = [arrive(workshop, "Alex", "Sam"), arrive(workshop, "Robin"), arrive(workshop, "Jo")]
    workshops.start_all(workshop)
    run(couples[0]["code"], "host", "end")
    assert workshops.say_all(workshop, "Take five minutes for this one.") == 2
    assert workshops.timer_all(workshop, 300) == 2
    for couple in couples[1:]:
        state = state_of(couple["code"])
        assert state["message"]["text"] == "Take five minutes for this one."
        assert state["workshop"]["timer"]["seconds"] == 300
    assert state_of(couples[0]["code"])["message"] is None
    assert workshops.timer_all(workshop, None) == 2
    assert state_of(couples[1]["code"])["workshop"]["timer"] is None


def test_a_message_the_rooms_would_refuse_is_refused_once(dana):
    workshop = dana_workshop(dana)
    arrive(workshop, "Alex")
    with pytest.raises(ValueError):
        workshops.say_all(workshop, "x" * 500)
    with pytest.raises(ValueError):
        workshops.timer_all(workshop, 5)


def test_dana_lowers_a_hand_only_in_her_own_workshops_rooms(dana):
    mine, other = dana_workshop(dana), dana_workshop(dana)
    alex_and_sam, jo = arrive(mine, "Alex", "Sam"), arrive(other, "Jo", "Kim")
    workshops.start_all(mine)
    workshops.start_all(other)
    run(alex_and_sam["code"], "a", "raise_hand")
    run(jo["code"], "b", "raise_hand")
    assert not workshops.lower_hand(mine, notices.room_id(jo["code"]))
    assert not workshops.lower_hand(mine, "not-a-room")
    assert state_of(jo["code"])["workshop"]["hand"] is not None
    assert workshops.lower_hand(mine, notices.room_id(alex_and_sam["code"]))
    assert state_of(alex_and_sam["code"])["workshop"]["hand"] is None


def test_next_step_moves_rooms_under_way_and_leaves_paused_ones_paused(dana, told):
    workshop = dana_workshop(dana)
    alex_and_sam, robin_and_riley = (
        arrive(workshop, "Alex", "Sam"),
        arrive(workshop, "Robin", "Riley"),
    )
    workshops.start_all(workshop)
    run(robin_and_riley["code"], "b", "pause", {"reason": "flooding"})
    assert workshops.next_step(workshop, from_step=0) == 1
    assert Workshop.objects.get().step == 1
    assert state_of(alex_and_sam["code"])["index"] == 1
    paused = state_of(robin_and_riley["code"])
    assert (paused["status"], paused["index"], paused["workshop"]["to"]) == ("paused", 0, 1)
    # A couple arriving now starts with the gate at the group's step.
    jo = arrive(workshop, "Jo")
    assert state_of(jo["code"])["workshop"]["to"] == 1


def test_next_step_stops_at_the_last_step_and_is_only_for_paced_workshops(dana):
    paced = dana_workshop(dana)
    workshops.start_all(paced)
    for step in range(4):
        workshops.next_step(paced, from_step=step)
    with pytest.raises(ValueError):
        workshops.next_step(paced, from_step=4)
    with pytest.raises(ValueError):
        workshops.next_step(dana_workshop(dana, paced=False), from_step=0)


def test_next_step_waits_until_dana_has_started_the_workshop(dana):
    workshop = dana_workshop(dana)
    alex_and_sam = arrive(workshop, "Alex", "Sam")
    with pytest.raises(ValueError, match="Start the workshop first"):
        workshops.next_step(workshop, from_step=0)
    assert Workshop.objects.get().step == 0
    assert state_of(alex_and_sam["code"])["workshop"]["to"] == 0


def test_ending_the_workshop_ends_every_room_and_freezes_it(dana, told):
    workshop = dana_workshop(dana)
    couples = [arrive(workshop, "Alex", "Sam"), arrive(workshop, "Robin")]
    workshops.start_all(workshop)
    workshops.end_workshop(workshop, summary=lambda w: {"couples_started": 1, "status": w.status})
    row = Workshop.objects.get()
    assert row.status == WORKSHOP_ENDED and row.ended_at is not None
    assert row.summary == {"couples_started": 1, "status": WORKSHOP_ENDED}
    assert {state_of(c["code"])["status"] for c in couples} == {"ended"}
    for command in (workshops.start_all, lambda w: workshops.next_step(w, from_step=0)):
        with pytest.raises(workshops.WorkshopClosed):
            command(workshop)
    workshops.end_workshop(workshop, summary={"other": 1})  # already over: nothing changes
    assert Workshop.objects.get().summary == {"couples_started": 1, "status": WORKSHOP_ENDED}
