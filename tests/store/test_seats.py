"""Creating rooms and sitting down in them, as Alex, Sam and their counselor Dana."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from sessions import codes
from sessions.codes import new_seat_token
from sessions.models import CoupleSession, DeletedSession, Event, Lease, Protocol, Seat
from sessions.store import creation, deletion, rooms, seats
from tests.support.persistence import TINY_TOML, seated_session, started_session, tiny_protocol

pytestmark = pytest.mark.django_db


@pytest.fixture
def dana(dana):
    """The shared Dana, with the full name the couple sees when she hosts."""
    dana.first_name, dana.last_name = "Dana", "Reyes"
    dana.save()
    return dana


def test_a_new_room_waits_for_the_couple_behind_an_unguessable_code(settings):
    session = creation.create_session("daily-checkin")

    assert session.status == "waiting"
    assert session.state["status"] == "waiting"
    assert session.version == session.state["version"]
    assert len(session.code) >= 22  # ≥ 128 random bits in URL-safe base64
    assert set(session.code) <= set(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    )
    assert session.protocol_slug == "daily-checkin"
    assert session.protocol_doc["slug"] == "daily-checkin"
    days = settings.STAY["UNSTARTED_EXPIRY_DAYS"]
    assert session.expires_at == session.created_at + timedelta(days=days)
    assert session.state["host"] is None


def test_two_rooms_never_share_a_code():
    codes = {creation.create_session("breathe-together").code for _ in range(20)}
    assert len(codes) == 20


def test_a_hosted_room_names_the_counselor_to_the_couple(dana):
    session = creation.create_session("daily-checkin", dana)
    assert session.counselor == dana
    assert session.state["host"]["name"] == "Dana Reyes"


def test_an_unknown_protocol_is_refused_by_name():
    with pytest.raises(creation.UnknownProtocol, match="no-such-thing"):
        creation.create_session("no-such-thing")


def test_a_counselors_own_protocol_is_theirs_alone(dana, robin):
    own = Protocol(source=TINY_TOML, owner=dana)
    own.full_clean()
    own.save()

    assert creation.create_session("tiny", dana).protocol_title == "Tiny test protocol"
    with pytest.raises(creation.UnknownProtocol):
        creation.create_session("tiny", robin)
    with pytest.raises(creation.UnknownProtocol):
        creation.create_session("tiny")


def test_editing_a_protocol_never_changes_a_room_already_made():
    protocol = tiny_protocol()
    session = creation.create_session("tiny", protocol=protocol)

    protocol.source = TINY_TOML.replace("Tiny test protocol", "Renamed")
    protocol.full_clean()
    protocol.save()

    session.refresh_from_db()
    assert session.protocol_title == "Tiny test protocol"
    assert session.protocol_doc["title"] == "Tiny test protocol"
    assert creation.create_session("tiny").protocol_title == "Renamed"


def test_alex_sits_in_seat_a_then_sam_in_seat_b_and_the_room_shows_both():
    session, _ = seated_session()
    state = rooms.load_state(session.code)
    assert state["seats"]["a"]["name"] == "Alex"
    assert state["seats"]["b"]["name"] == "Sam"
    assert state["seats"]["a"]["claimed"] and state["seats"]["b"]["claimed"]


def test_a_third_browser_finds_the_room_full():
    session, _ = seated_session()
    with pytest.raises(seats.SessionFull):
        seats.claim_seat(session, "Jo", new_seat_token())


def test_coming_back_on_the_same_browser_keeps_your_seat():
    session, tokens = seated_session()
    before = rooms.load_state(session.code)["version"]
    assert seats.claim_seat(session, "Sam", tokens["b"]) == "b"
    assert rooms.load_state(session.code)["version"] == before


def test_the_seat_secret_is_never_stored_as_is():
    session, tokens = seated_session()
    seat = Seat.objects.get(session=session, seat="a")
    assert tokens["a"] not in seat.token_hash
    assert len(seat.token_hash) == 64
    assert seats.seat_for_token(session, tokens["a"]) == "a"
    assert seats.seat_for_token(session, tokens["b"]) == "b"
    assert seats.seat_for_token(session, new_seat_token()) is None
    assert seats.seat_for_token(session, None) is None
    assert seats.seat_for_token(session, "short") is None


@pytest.mark.parametrize(
    ("name", "complaint"),
    [
        ("   ", "enter a name"),
        ("x" * 41, "40 characters"),
        ("Al\x00ex", "characters"),
        (None, "enter a name"),
    ],
)
def test_a_name_that_cannot_be_shown_is_refused_with_a_reason(name, complaint):
    session = creation.create_session("tiny", protocol=tiny_protocol())
    with pytest.raises(ValueError, match=complaint):
        seats.claim_seat(session, name, new_seat_token())
    assert not Seat.objects.filter(session=session).exists()


def test_names_are_tidied_before_the_partner_sees_them():
    session = creation.create_session("tiny", protocol=tiny_protocol())
    seats.claim_seat(session, "  Alex   Morgan ", new_seat_token())
    assert rooms.load_state(session.code)["seats"]["a"]["name"] == "Alex Morgan"


def test_leaving_a_seat_frees_it_for_someone_else():
    session, tokens = seated_session()
    seats.release_seat(session, "a")

    assert seats.seat_for_token(session, tokens["a"]) is None
    assert not rooms.load_state(session.code)["seats"]["a"]["claimed"]
    assert seats.claim_seat(session, "Jo", new_seat_token()) == "a"


def test_leaving_mid_session_pauses_the_room_for_the_other_partner():
    session, _ = started_session()
    seats.release_seat(session, "b")
    state = rooms.load_state(session.code)
    assert state["status"] == "paused"
    assert state["pause"]["reason"] == "connection"


def lease(session, role: str, channel: str, *, seconds_left: int) -> None:
    """A socket's presence lease; a negative `seconds_left` is one whose heartbeat stopped."""
    Lease.objects.create(
        session=session,
        role=role,
        channel_name=channel,
        expires_at=timezone.now() + timedelta(seconds=seconds_left),
    )


def test_a_seat_still_connected_elsewhere_cannot_be_taken_over():
    session, tokens = started_session()
    lease(session, "a", "alex-phone", seconds_left=30)
    with pytest.raises(seats.SeatInUse):
        seats.take_over_seat(session, "a", "Alex", new_seat_token())
    assert seats.seat_for_token(session, tokens["a"]) == "a"


def test_alex_moves_to_a_new_device_once_the_old_one_went_quiet():
    session, tokens = started_session()
    lease(session, "a", "alex-old-phone", seconds_left=-1)
    laptop = new_seat_token()

    assert seats.take_over_seat(session, "a", "Alex", laptop) == "a"
    assert seats.seat_for_token(session, laptop) == "a"
    assert seats.seat_for_token(session, tokens["a"]) is None
    assert Seat.objects.filter(session=session).count() == 2


def test_when_the_room_refuses_a_seat_change_no_stray_seat_row_is_left(monkeypatch):
    session = creation.create_session("tiny", protocol=tiny_protocol())
    refusal = rooms.StoreResult(False, False, False, session.state, 0, "finished", "It's over.")
    monkeypatch.setattr(rooms, "submit", lambda *a, **k: refusal)

    with pytest.raises(seats.SeatRefused) as caught:
        seats.claim_seat(session, "Alex", new_seat_token())

    assert caught.value.code == "finished"
    assert not Seat.objects.filter(session=session).exists()


def test_a_protocol_with_a_mistake_is_refused_on_its_source_field():
    bad = Protocol(source=TINY_TOML.replace('kind = "breathe"', 'kind = "breath"'))
    with pytest.raises(ValidationError) as caught:
        bad.full_clean()
    assert "source" in caught.value.message_dict
    assert "breath" in " ".join(caught.value.message_dict["source"])


def test_a_valid_protocol_fills_its_description_from_the_source():
    protocol = Protocol(source=TINY_TOML)
    protocol.full_clean()
    assert (protocol.slug, protocol.title, protocol.minutes) == ("tiny", "Tiny test protocol", 2)
    assert protocol.doc["steps"][0]["title"] == "Welcome"


def test_two_protocols_cannot_share_a_slug():
    tiny_protocol()
    clash = Protocol(source=TINY_TOML)
    with pytest.raises(ValidationError, match="already uses the slug"):
        clash.full_clean()


def test_a_protocol_cannot_take_the_name_of_a_built_in_one():
    clash = Protocol(source=TINY_TOML.replace('slug = "tiny"', 'slug = "daily-checkin"'))
    with pytest.raises(ValidationError, match="built-in"):
        clash.full_clean()


def test_taking_over_without_a_new_name_keeps_the_name_the_partner_knows():
    session, _ = started_session()
    laptop = new_seat_token()
    seats.take_over_seat(session, "b", None, laptop)
    assert rooms.load_state(session.code)["seats"]["b"]["name"] == "Sam"
    assert seats.seat_for_token(session, laptop) == "b"


def test_taking_over_a_free_seat_needs_a_name():
    session, _ = started_session()
    seats.release_seat(session, "b")
    with pytest.raises(ValueError, match="name"):
        seats.take_over_seat(session, "b", None, new_seat_token())


def test_a_form_that_already_refused_the_source_gets_no_second_complaint_from_the_model():
    from django import forms

    class TooShort(forms.ModelForm):
        class Meta:
            model = Protocol
            fields = ["source"]

        def clean_source(self):
            raise ValidationError("Please write a little more.")

    form = TooShort(data={"source": "x"})
    assert not form.is_valid()
    assert form.errors == {"source": ["Please write a little more."]}


# --- Seat codes, removing oneself, deleting by both -------------------------------------------


def ended_session():
    """Alex and Sam seated; Sam ended the room before it started."""
    session, tokens = seated_session()
    assert rooms.submit(session.code, "b", "end").accepted
    session.refresh_from_db()
    return session, tokens


def test_a_seat_code_is_kept_only_as_a_keyed_hash_bound_to_its_session_and_seat():
    session = creation.create_session("tiny", protocol=tiny_protocol())
    other = creation.create_session("tiny", protocol=tiny_protocol())
    code = codes.normalize_seat_code(codes.new_seat_code())
    seats.claim_seat(session, "Alex", new_seat_token(), seat_code=code)
    seats.claim_seat(other, "Alex", new_seat_token(), seat_code=code)
    mine, theirs = (Seat.objects.get(session=s, seat="a").code_hash for s in (session, other))
    assert mine != theirs and code not in mine and len(mine) == 64
    assert seats.seat_for_code(session, code) == "a"
    assert seats.seat_for_code(session, codes.normalize_seat_code("ABCD-EFGH")) is None


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("k7pq 4xmd", "K7PQ4XMD"), ("K7PQ-4XMD", "K7PQ4XMD"), (" k7pq—4xmd ", "K7PQ4XMD")],
)
def test_a_seat_code_is_forgiving_about_case_spaces_and_dashes(typed, expected):
    assert codes.normalize_seat_code(typed) == expected


@pytest.mark.parametrize("typed", [None, "", "K7PQ4XM", "K7PQ4XMDD", "K7PQ4XM0", "K7PQ4XMI"])
def test_text_that_cannot_be_a_seat_code_is_refused_with_a_reason(typed):
    with pytest.raises(codes.BadSeatCode, match="seat code"):
        codes.normalize_seat_code(typed)


def test_nobody_new_claims_a_free_seat_once_the_session_has_finished():
    session = creation.create_session("tiny", protocol=tiny_protocol())
    seats.claim_seat(session, "Alex", new_seat_token())
    assert rooms.submit(session.code, "a", "end").accepted
    with pytest.raises(seats.SeatRefused):
        seats.claim_seat(session, "Riley", new_seat_token())
    assert not Seat.objects.filter(session=session, seat="b").exists()


def test_removing_oneself_clears_the_log_of_ones_answers_and_name_but_not_the_partners():
    session, tokens = seated_session()
    code = session.code
    assert rooms.submit(code, "a", "start").accepted
    for seat in ("a", "b"):
        assert rooms.submit(code, seat, "next", {"step": 0}).accepted
    assert rooms.submit(
        code, "a", "checkin", {"step": 1, "state": "safe", "intensity": 3, "word": "rested"}
    ).accepted
    assert rooms.submit(
        code, "b", "checkin", {"step": 1, "state": "mobilized", "intensity": 7, "word": "tense"}
    ).accepted
    assert rooms.submit(code, "a", "end").accepted
    seats.forget_seat(session, "a")
    logged = list(Event.objects.filter(session=session).values_list("actor", "action", "args"))
    alex_checkin = [args for actor, action, args in logged if (actor, action) == ("a", "checkin")]
    assert alex_checkin == [{"step": 1}]
    assert "tense" in str(logged) and "Sam" in str(logged)
    assert "rested" not in str(logged) and "Alex" not in str(logged)
    assert seats.seat_for_token(session, tokens["a"]) is None
    assert seats.seat_for_token(session, tokens["b"]) == "b"
    assert rooms.scrub_seat(code, "a") == 0  # nothing left to scrub
    with pytest.raises(ValueError, match="'a' or 'b'"):
        rooms.scrub_seat(code, "host")


def test_removing_oneself_waits_until_the_session_has_finished():
    session, tokens = started_session()
    with pytest.raises(seats.SeatRefused):
        seats.forget_seat(session, "a")
    assert seats.seat_for_token(session, tokens["a"]) == "a"


def test_the_second_partners_yes_deletes_and_leaves_only_a_hash_of_the_code():
    session, _ = ended_session()
    assert deletion.ask_to_delete(session, "a") is False
    assert deletion.ask_to_delete(session, "a") is False
    assert CoupleSession.objects.filter(pk=session.pk).exists()
    assert deletion.ask_to_delete(session, "b") is True
    assert not CoupleSession.objects.filter(pk=session.pk).exists()
    marker = DeletedSession.objects.get()
    assert session.code not in marker.code_hash
    assert deletion.deleted_by_agreement(session.code)
    assert not deletion.deleted_by_agreement("some-other-code-entirely")


def test_a_partner_who_removed_themselves_counts_as_a_yes():
    session, _ = ended_session()
    seats.forget_seat(session, "b")
    session.refresh_from_db()
    assert deletion.partner_has_left(session, "a")
    assert deletion.ask_to_delete(session, "a") is True


def test_deleting_waits_until_the_session_has_finished():
    session, _ = started_session()
    with pytest.raises(seats.SeatRefused):
        deletion.ask_to_delete(session, "a")
    assert CoupleSession.objects.get(pk=session.pk).delete_requested_by == ""


def test_old_deletion_markers_go_as_new_deletions_come_in(settings):
    stale = DeletedSession.objects.create(
        code_hash="0" * 64,
        deleted_at=timezone.now() - timedelta(days=settings.STAY["FINISHED_RETENTION_DAYS"] + 1),
    )
    session, _ = ended_session()
    deletion.ask_to_delete(session, "a")
    deletion.ask_to_delete(session, "b")
    assert not DeletedSession.objects.filter(pk=stale.pk).exists()
    assert DeletedSession.objects.count() == 1
