"""The scene every page is rendered in, in Spanish: rooms in each state, a couple, a workshop.

Dana (a counselor, and the site's superuser so the invitation page opens) hosts a session
with Alex and Sam in it; other rooms wait, run, pause, finish or expire; Dana has a couple
(Alex and Sam again, with the private measure on), one of her own protocols and a workshop
where Jo and Kim are paired. Every browser asks for Spanish (the ``stay_language`` cookie
and ``Accept-Language: es``); every partner chose Español on the join form. Rows are made
through the store and the pages, as the web tests make them.

``OURS`` lists what the scene itself types into pages (names, titles, a note), so the
stop-word scan can cut them out; codes and words are cut per page by the world's ``ours``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from sessions.models import CoupleSession, Protocol, Seat, Workshop
from sessions.store import couples, creation, rooms
from sessions.store import workshops as workshop_store
from tests.support.personas import PASSWORD

LANGUAGE = "es"
PROTOCOL = "daily-checkin"  # a built-in with its Spanish texts
OWN_PROTOCOL = "dana-conexion"
WORKSHOP_TITLE = "Tarde de primavera"
COUPLE_NOTE = "Prefieren las tardes."
OURS = ("Alex", "Sam", "Dana", "Robin", "Riley", "Jo", "Kim", "dana", "robin", "Stay")
BUILTINS = Path(__file__).resolve().parents[2] / "sessions" / "protocols"


def spanish_browser(**options) -> Client:
    """A browser reading Stay in Spanish: its language cookie and Accept-Language say so."""
    browser = Client(HTTP_ACCEPT_LANGUAGE=LANGUAGE, **options)
    browser.cookies[settings.LANGUAGE_COOKIE_NAME] = LANGUAGE
    return browser


def seat(code: str, name: str, browser: Client | None = None) -> Client:
    """A partner who opened the join link in Spanish and chose Español for the room."""
    browser = browser or spanish_browser()
    response = browser.post(f"/j/{code}/", {"display_name": name, "language": LANGUAGE})
    assert response.status_code == 302, response.content[:300]
    return browser


def run(code: str, actor: str, action: str, args: dict | None = None) -> None:
    result = rooms.submit(code, actor, action, args or {})
    assert result.accepted, (actor, action, args, result)


def present(code: str, *seats: str) -> None:
    for who in seats:
        run(code, "server", "presence", {"seat": who, "connected": True})


def started(code: str, *, hosted: bool = False) -> None:
    present(code, "a", "b", *(["host"] if hosted else []))
    run(code, "host" if hosted else "a", "start")


def checked_in(code: str) -> None:
    """Both partners move past the welcome and answer the first check-in."""
    state = rooms.load_state(code)
    while state["steps"][state["index"]]["kind"] != "checkin":
        for who in ("a", "b"):
            run(code, who, "next", {"step": state["index"]})
        state = rooms.load_state(code)
    step = state["index"]
    run(code, "a", "checkin", {"step": step, "state": "safe", "intensity": 3, "word": "cansancio"})
    run(code, "b", "checkin", {"step": step, "state": "mobilized", "intensity": 6})


def to_the_end(code: str, *, hosted: bool = False) -> None:
    """Every step left skipped: the room is completed, its check-in kept."""
    state = rooms.load_state(code)
    while state["status"] == "active":
        at = {"step": state["index"], **({"phase": state["phase"]} if state["phase"] else {})}
        run(code, "host" if hosted else "a", "skip", at)
        state = rooms.load_state(code)
    assert state["status"] == "completed", state["status"]


def new_room(counselor=None, **options) -> CoupleSession:
    return creation.create_session(PROTOCOL, counselor, **options)


@dataclass
class World:
    dana_user: object
    dana: Client
    robin: Client
    rooms: dict[str, CoupleSession] = field(default_factory=dict)
    browsers: dict[str, Client] = field(default_factory=dict)
    couple: object = None
    gone_couple_link: str = ""
    protocol: Protocol | None = None
    workshop: Workshop | None = None
    ended_workshop: Workshop | None = None
    pair: CoupleSession | None = None
    lone: CoupleSession | None = None
    welcome: str = ""

    def code(self, room: str) -> str:
        return self.rooms[room].code

    def ours(self) -> set[str]:
        """Everything this world typed or generated that a page may show back."""
        found = set(OURS) | {WORKSHOP_TITLE, COUPLE_NOTE}
        found |= {room.code for room in self.rooms.values()}
        for workshop in (self.workshop, self.ended_workshop):
            if workshop is not None:
                found |= {workshop.code, workshop.title}
        for room in (self.pair, self.lone):
            if room is not None:
                found |= {room.code, room.pairing_word or ""}
        if self.couple is not None:
            found.add(self.couple.link_code)
        return found


def counselor(username: str, *, superuser: bool = False):
    users = get_user_model()
    make = users.objects.create_superuser if superuser else users.objects.create_user
    return make(username, password=PASSWORD)


def signed_in_browser(user) -> Client:
    browser = spanish_browser()
    browser.force_login(user)
    return browser


def build() -> World:
    """The whole scene (one test's database)."""
    dana_user = counselor("dana", superuser=True)
    world = World(dana_user, signed_in_browser(dana_user), signed_in_browser(counselor("robin")))
    _rooms(world)
    _couple(world)
    _workshops(world)
    world.protocol = _own_protocol(dana_user)
    invited = get_user_model().objects.create_user("nueva")
    invited.set_unusable_password()
    invited.save()
    uid = urlsafe_base64_encode(force_bytes(invited.pk))
    world.welcome = f"/counselor/welcome/{uid}/{default_token_generator.make_token(invited)}/"
    return world


def _rooms(world: World) -> None:
    rooms_, browsers = world.rooms, world.browsers
    rooms_["free"] = new_room()
    # A session started from the home page: its creator's browser sees the link to share.
    browsers["creator"] = spanish_browser()
    made = browsers["creator"].post("/start/", {"protocol": PROTOCOL})
    assert made.status_code == 302, made.content[:300]
    rooms_["created"] = CoupleSession.objects.get(code=made["Location"].strip("/").split("/")[-1])
    rooms_["waiting"] = new_room()
    browsers["waiting_a"] = seat(world.code("waiting"), "Alex")
    rooms_["hosted"] = new_room(world.dana_user)
    browsers["hosted_a"] = seat(world.code("hosted"), "Alex")
    browsers["hosted_b"] = seat(world.code("hosted"), "Sam")
    started(world.code("hosted"), hosted=True)
    checked_in(world.code("hosted"))
    rooms_["paused"] = new_room()
    browsers["paused_a"] = seat(world.code("paused"), "Alex")
    browsers["paused_b"] = seat(world.code("paused"), "Sam")
    started(world.code("paused"))
    run(world.code("paused"), "a", "pause", {"reason": "flooding"})
    rooms_["completed"] = new_room(world.dana_user)
    browsers["completed_a"] = seat(world.code("completed"), "Alex")
    browsers["completed_b"] = seat(world.code("completed"), "Sam")
    started(world.code("completed"), hosted=True)
    checked_in(world.code("completed"))
    to_the_end(world.code("completed"), hosted=True)
    rooms_["expired"] = new_room()
    browsers["expired_a"] = seat(world.code("expired"), "Alex")
    CoupleSession.objects.filter(code=world.code("expired")).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    # Both seats taken, Sam's device long gone: a new phone may ask to be let in.
    rooms_["lapsed"] = new_room()
    seat(world.code("lapsed"), "Alex")
    seat(world.code("lapsed"), "Sam")
    Seat.objects.filter(session__code=world.code("lapsed"), seat="b").update(
        claimed_at=timezone.now() - timedelta(minutes=5)
    )
    browsers["knocking"] = spanish_browser()
    knocked = browsers["knocking"].post(f"/j/{world.code('lapsed')}/ask/", {"seat": "b"})
    assert knocked.status_code == 302, knocked.content[:300]


def _couple(world: World) -> None:
    couple = couples.create_couple(
        world.dana_user, name_a="Alex", name_b="Sam", note=COUPLE_NOTE, measure_on=True
    )
    world.couple = couple
    session = creation.create_session(PROTOCOL, world.dana_user, couple=couple)
    world.rooms["couple"] = session
    for who in ("a", "b"):
        browser = spanish_browser()
        joined = browser.post(f"/c/{couple.link_code}/join/", {"seat": who, "language": LANGUAGE})
        assert joined.status_code == 302, joined.content[:300]
        world.browsers[f"couple_{who}"] = browser
    # As Dana's couple page assigns it: the protocol's title as the counselor read it.
    couples.assign_practice(
        couple, protocol_slug=PROTOCOL, protocol_title=_title(PROTOCOL), times_per_week=3
    )
    # A practice session of theirs, nobody in it yet: its join code is no way in (403).
    world.rooms["practice"] = creation.create_session(
        PROTOCOL, couple=couple, practice=couple.practices.get()
    )
    gone = couples.create_couple(world.dana_user, name_a="Jo", name_b="Kim")
    world.gone_couple_link = gone.link_code
    couples.revoke_link(gone)


def _workshops(world: World) -> None:
    def made(title: str) -> Workshop:
        return workshop_store.create_workshop(
            world.dana_user, protocol_slug=PROTOCOL, title=title, max_couples=10, paced=True
        )

    world.workshop = made(WORKSHOP_TITLE)
    door = f"/w/{world.workshop.code}/"
    for name, key in (("Jo", "lone"), ("Alex", "pair")):
        browser = spanish_browser()
        started_ = browser.post(f"{door}start/", {"name": name, "language": LANGUAGE})
        assert started_.status_code == 302, started_.content[:300]
        code = started_["Location"].strip("/").split("/")[-1]
        setattr(world, key, CoupleSession.objects.get(code=code))
        world.browsers[f"workshop_{key}"] = browser
    sam = spanish_browser()
    paired = sam.post(
        f"{door}join/", {"word": world.pair.pairing_word, "name": "Sam", "language": LANGUAGE}
    )
    assert paired.status_code == 302, paired.content[:300]
    world.browsers["workshop_sam"] = sam
    world.ended_workshop = made("Taller terminado")
    workshop_store.end_workshop(world.ended_workshop)


def _title(slug: str) -> str:
    return creation.protocol_doc_for(slug)["title"]


def _own_protocol(owner) -> Protocol:
    source = (BUILTINS / f"{PROTOCOL}.toml").read_text()
    source = source.replace(f'slug = "{PROTOCOL}"', f'slug = "{OWN_PROTOCOL}"', 1)
    protocol = Protocol(source=source, owner=owner)
    protocol.full_clean()
    protocol.save()
    return protocol
