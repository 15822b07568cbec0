"""A workshop's door: the one link a whole group opens (``/w/<code>/``), and pairing up.

The first partner of a couple "starts a couple" and gets a room of their own (seat a)
with a short pairing word; the other "joins their partner" by typing that word or by
scanning its QR code (``/w/<code>/p/<word>/``) and takes seat b. The word is the only
secret between them, so guessing is limited like join links: an unknown word counts
as a miss against the same per-address limit (`throttle`), and past it every *check of a
word* answers "please wait" whether or not the word exists. The limit is per address, so
at a venue everyone on its network shares it: the door's forms and the QR page stay open
while it lasts (they check no word), and its 429 page gives the browser a CSRF cookie,
so the partner's next try after the minute goes through. A third person on a word meets
the same refusal as a third person on a room ("Both places are taken", 409), shown right
here: never the room's own join page, whose code and "Ask to be let in" would turn a
guessed word into a door to knock on; nor the first partner's name.

A GET never claims anything (link previews); a browser that already holds a place in
one of this workshop's rooms is sent back to it, never given a second room, with one
exception: when both partners pressed "Start as a couple", the one who then types the
other's word (or scans their code) gives up their own room, still waiting alone, and
joins the other's in one transaction (``store.switch_to_partner``). That check
reads the browser's Django session, which a quick second press of "Start as a couple"
reads before the first press has saved it (a double tap sends both, and the browser
keeps only the second answer), so a press is also remembered for a minute in the shared
cache under the browser's CSRF cookie (the one thing both presses carry alike): the second
waits for the first and is given the same seat. Once the workshop has ended the link and
every word stop working (410).
"""

from __future__ import annotations

import hashlib
import time

from django.core.cache import cache
from django.http import Http404
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from sessions import throttle
from sessions.access import find_session, role_for, seat_token, signed_in
from sessions.codes import looks_like_join_code, new_seat_code, new_seat_token, normalize_seat_code
from sessions.engine.vocabulary import FINISHED, PARTNERS, WAITING, A, B
from sessions.models import WORKSHOP_ENDED, CoupleSession, Workshop
from sessions.store import seats
from sessions.store import workshops as store
from sessions.store.broadcast import tell_room
from sessions.web import language_choice
from sessions.web.browser_memory import WORKSHOP_ROOMS_KEY, grant_seat, remember
from sessions.web.responses import to_room
from sessions.web.workshop_forms import Refused, only_fields

ROOMS_KEY = WORKSHOP_ROOMS_KEY
PRESS_SECONDS = 60  # how long a press of "Start" is remembered for a second press
PRESS_WAIT_SECONDS = 10  # how long a second press waits for the first to make its room
PRESS_POLL_SECONDS = 0.1
CSS = "css/workshop.css"
UNKNOWN_WORD = gettext_lazy(
    "We couldn't find a couple with that word. Check it with your partner: it is on their screen."
)
FULL = gettext_lazy(
    "This workshop has all the couples it has room for. Please let your facilitator know; "
    "they can help."
)


def _my_room(request, workshop: Workshop) -> CoupleSession | None:
    """This browser's own room in `workshop`, if it still holds a seat there."""
    kept = request.session.get(ROOMS_KEY)
    code = kept.get(workshop.code) if isinstance(kept, dict) else None
    room = find_session(code) if isinstance(code, str) else None
    if room is None or room.workshop_id != workshop.pk:
        return None
    return room if role_for(room, request.session, request.user) in PARTNERS else None


def _alone(room: CoupleSession) -> bool:
    """Whether ``room`` still waits with seat b free: its partner may have started one too."""
    return room.status == WAITING and not room.seats.filter(seat=B).exists()


def _door(request, code: str, *, pairing: bool = False):
    """(workshop, None) for an open workshop this browser may be at; else (None, the answer).

    ``pairing`` (joining by a word): a browser whose own room still waits alone is let
    through, to give it up for its partner's (``_leave_for``); otherwise a browser with a
    room here goes back to it. The join limit holds up nothing here but an unknown code
    (a workshop's code is a 22-byte join code: the limit guards the six-letter words,
    which each view checks where it looks one up).
    """
    if not looks_like_join_code(code):
        throttle.count_join_attempt(request)
        raise Http404("No such workshop")
    workshop = store.workshop_for_code(code)
    if workshop is not None and not signed_in(request.user):
        mine = _my_room(request, workshop)
        if mine is not None and not (pairing and _alone(mine)):
            return None, to_room(mine.code)  # their own place: never held up by the limit
    if workshop is None:
        if throttle.join_blocked(request):
            return None, _too_many(request, None)
        throttle.count_join_attempt(request)
        raise Http404("No such workshop")
    if signed_in(request.user):
        # A facilitator is never a partner: the owner is sent to her console.
        if workshop.counselor_id != request.user.pk:
            raise Http404("No such workshop")
        return None, redirect("counselor:workshop", pk=workshop.pk)
    if workshop.status == WORKSHOP_ENDED:
        return None, _ended(request)
    return workshop, None


def _too_many(request, workshop: Workshop | None):
    """Past the join limit, in a workshop's words: wait a minute, then the word again.

    The limit counts per address, so this is often someone else's guessing on a shared
    network. The CSRF cookie is set here (``get_token``): a browser whose first page at
    this workshop was this one could not post its word otherwise.
    """
    get_token(request)
    context = {"workshop": workshop, "css": CSS, "wait": throttle.JOIN_WINDOW_SECONDS}
    response = render(request, "sessions/workshop_too_many.html", context, status=429)
    response["Retry-After"] = str(throttle.JOIN_WINDOW_SECONDS)
    return response


def _ended(request):
    return render(request, "sessions/workshop_ended.html", {"css": CSS}, status=410)


def _taken(request, workshop: Workshop, room: CoupleSession):
    """A third person on a word (or a word whose room has finished): refused in place."""
    finished = CoupleSession.objects.filter(pk=room.pk, status__in=FINISHED).exists()
    context = {"workshop": workshop, "finished": finished, "css": CSS}
    return render(request, "sessions/workshop_full.html", context, status=409)


def _joinable(room: CoupleSession) -> bool:
    return room.status not in FINISHED and seats.seats_taken(room) < len(PARTNERS)


def _page(request, workshop: Workshop, *, status: int = 200, language: str = "", **shown):
    context = {
        **language_choice.field(language),
        "workshop": workshop,
        "start_error": "",
        "join_error": "",
        "start_name": "",
        "join_name": "",
        "word": "",
        "css": CSS,
        **shown,
    }
    return render(request, "sessions/workshop_door.html", context, status=status)


@never_cache
@require_http_methods(["GET"])
def door(request, code: str):
    workshop, answer = _door(request, code)
    return answer or _page(request, workshop)


def _seat_for(request, workshop: Workshop, claim, *, press: str | None = None, language=""):
    """Claim a seat with a fresh secret (`claim(token, seat_code)` gives the room), keep it
    in this browser, tell the room; the caller turns the store's refusals into pages.
    `press`: the cache key under which a second press of "Start" finds the same seat.
    `language`: the one the person reads the room in ("": their browser's choice)."""
    token, seat_code = new_seat_token(), new_seat_code()
    room = claim(token, normalize_seat_code(seat_code))
    if press is not None:
        kept = {"room": room.code, "token": token, "seat_code": seat_code}
        cache.set(press, kept, timeout=PRESS_SECONDS)
    return _granted(request, workshop, room, token, seat_code, language)


def _granted(
    request, workshop: Workshop, room: CoupleSession, token: str, seat_code: str, language=""
):
    grant_seat(request, room.code, token, seat_code)
    remember(request, ROOMS_KEY, workshop.code, room.code)
    if language:
        seat = seats.seat_for_token(room, token)
        if seat is not None:
            seats.set_language(room, seat, token, language)
    tell_room(room.code)
    return language_choice.remember_language(to_room(room.code), language)


def _press_keys(request, workshop: Workshop) -> tuple[str, str] | None:
    """(lock, made) cache keys for this browser's presses of "Start" here; None without
    a CSRF cookie to know the browser by (then a double press may make two rooms)."""
    browser = request.META.get("CSRF_COOKIE")
    if not isinstance(browser, str) or not browser:
        return None
    digest = hashlib.sha256(f"{workshop.code}:{browser}".encode()).hexdigest()[:40]
    return f"stay:workshop-press:{digest}", f"stay:workshop-made:{digest}"


def _earlier_press(request, workshop: Workshop, keys: tuple[str, str]):
    """(the answer of an earlier press: its seat again, or None; whether this press now
    holds the lock and may make a room). Waits while an earlier press is making one."""
    lock, made = keys
    waited = 0.0
    while True:
        kept = cache.get(made)
        if isinstance(kept, dict):
            room = find_session(kept.get("room", ""))
            token, seat_code = kept.get("token"), kept.get("seat_code")
            if room is not None and seats.seat_for_token(room, token) == A:
                return _granted(request, workshop, room, token, seat_code), False
            cache.delete(made)  # that seat is gone: this press starts afresh
        if cache.add(lock, 1, timeout=PRESS_WAIT_SECONDS):
            return None, True
        if waited >= PRESS_WAIT_SECONDS:
            return None, False  # the earlier press is stuck: go ahead without it
        time.sleep(PRESS_POLL_SECONDS)
        waited += PRESS_POLL_SECONDS


@require_POST
def start_couple(request, code: str):
    workshop, answer = _door(request, code)
    if answer is not None:
        return answer
    raw = request.POST.get("name", "")
    language = ""
    try:
        only_fields(request.POST, ["name", "language"])
        language = language_choice.posted_language(request.POST)
        name = seats.clean_display_name(raw)
    except (Refused, ValueError) as exc:
        shown = {"start_error": str(exc), "start_name": raw[:80], "language": language}
        return _page(request, workshop, status=400, **shown)
    keys = _press_keys(request, workshop)
    locked = False
    if keys is not None:
        again, locked = _earlier_press(request, workshop, keys)
        if again is not None:
            return again
    try:
        return _seat_for(
            request,
            workshop,
            lambda token, seat_code: store.start_couple(workshop, name, token, seat_code),
            press=keys[1] if keys is not None else None,
            language=language,
        )
    except store.WorkshopFull:
        shown = {"start_error": FULL, "start_name": raw[:80], "language": language}
        return _page(request, workshop, status=409, **shown)
    except store.WorkshopClosed:
        return _ended(request)
    finally:
        if locked:
            cache.delete(keys[0])


def _join(request, workshop: Workshop, room: CoupleSession, name: str, language: str = ""):
    """Seat b of ``room`` for this browser, giving up its own room if it waits alone.

    Giving up and joining are one store transaction (``switch_to_partner``): when both
    partners type each other's word at the same moment, one joins and the other finds
    its own room joined and is sent there, so the couple always keeps a room.
    """
    mine = _my_room(request, workshop)
    if mine is not None and mine.pk == room.pk:
        return to_room(mine.code)  # their own word: nothing to join
    if not _joinable(room):
        return _taken(request, workshop, room)  # their own room, if any, stays theirs
    own_token = seat_token(request.session, mine.code) if mine is not None else None

    def claim(token: str, seat_code: str) -> CoupleSession:
        if mine is None:
            return store.join_partner(workshop, room, name, token, seat_code)
        return store.switch_to_partner(
            workshop, mine, room, name, token, seat_code, own_token=own_token
        )

    try:
        return _seat_for(request, workshop, claim, language=language)
    except store.PartnerJoinedYours:
        return to_room(mine.code)  # their partner joined it meanwhile: that is their room
    except store.RoomClosed:
        shown = {"join_name": name, "start_name": name, "language": language}
        return _page(request, workshop, status=404, join_error=store.ROOM_CLOSED, **shown)
    except (seats.SessionFull, seats.SeatRefused):
        return _taken(request, workshop, room)
    except store.WorkshopClosed:
        return _ended(request)


def _room_for(request, workshop: Workshop, word: str):
    """(the room with this word, None); (None, None) after counting a miss (the caller
    answers); (None, the 410 page) when the workshop ended since the door looked."""
    try:
        return store.room_for_word(workshop, word), None
    except store.NoSuchWord:
        throttle.count_join_attempt(request)
        return None, None
    except store.WorkshopClosed:
        return None, _ended(request)


@require_POST
def join(request, code: str):
    workshop, answer = _door(request, code, pairing=True)
    if answer is not None:
        return answer
    raw_word, raw_name = request.POST.get("word", ""), request.POST.get("name", "")
    shown = {"word": raw_word[:40], "join_name": raw_name[:80]}
    try:
        only_fields(request.POST, ["word", "name", "language"])
        language = language_choice.posted_language(request.POST)
        shown["language"] = language
        word = store.normalize_word(raw_word)
        name = seats.clean_display_name(raw_name)
    except (Refused, ValueError) as exc:
        return _page(request, workshop, status=400, join_error=str(exc), **shown)
    if throttle.join_blocked(request):
        return _too_many(request, workshop)
    room, answer = _room_for(request, workshop, word)
    if answer is not None:
        return answer
    if room is None:
        if throttle.join_blocked(request):
            return _too_many(request, workshop)
        return _page(request, workshop, status=404, join_error=UNKNOWN_WORD, **shown)
    return _join(request, workshop, room, name, language)


def _first_name(room: CoupleSession) -> str:
    seat = room.seats.filter(seat=A).first()
    return seat.name if seat is not None else ""


@never_cache
@require_http_methods(["GET", "POST"])
def pair(request, code: str, word: str):
    """The first partner's QR code: "Join Alex", with a name field; the POST takes seat b.

    Past the join limit the page still shows its form, but without looking the word up
    (so it names nobody and says nothing of whether the word exists): a real partner on
    a busy network reads it, waits, and presses Join, which checks the word.
    """
    workshop, answer = _door(request, code, pairing=True)
    if answer is not None:
        return answer
    try:
        word = store.normalize_word(word)
    except ValueError:
        throttle.count_join_attempt(request)
        raise Http404("No such word") from None
    mine = _my_room(request, workshop)
    if mine is not None and mine.pairing_word == word:
        return to_room(mine.code)  # their own code, scanned or opened again
    context = {"workshop": workshop, "first": "", "word": word, "css": CSS}
    if throttle.join_blocked(request):
        if request.method == "GET":
            return render(request, "sessions/workshop_pair.html", {**context, "waiting": True})
        return _too_many(request, workshop)
    room, answer = _room_for(request, workshop, word)
    if answer is not None:
        return answer
    if room is None:
        raise Http404("No such word")
    if not _joinable(room):
        return _taken(request, workshop, room)  # before the first partner's name is read
    context["first"] = _first_name(room)
    if request.method == "GET":
        return render(request, "sessions/workshop_pair.html", context)
    raw = request.POST.get("name", "")
    language = ""
    try:
        only_fields(request.POST, ["name", "language"])
        language = language_choice.posted_language(request.POST)
        name = seats.clean_display_name(raw)
    except (Refused, ValueError) as exc:
        context.update({"error": str(exc), "name": raw[:80], **language_choice.field(language)})
        return render(request, "sessions/workshop_pair.html", context, status=400)
    return _join(request, workshop, room, name, language)
