"""How to reach every URL of ``sessions/web/urls.py``, for the Spanish page scan.

Each URL name is either in ``PAGES`` (one or more visits: which browser of the world in
``world.py``, which path, GET or POST with what, and the status it must answer) or in
``NOT_PAGES`` with the reason it shows no words of its own (POST-only commands, which
answer a GET with 405; data files). ``test_no_english_left`` fails on a URL in neither
table, so a new page cannot be forgotten, and checks every POST-only claim.

A visit may run with the join or creation limit spent (``blocked``), to reach a 429 page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import URLPattern, URLResolver, get_resolver

from tests.i18n.world import OWN_PROTOCOL, World, spanish_browser

POST_ONLY = "POST only: a command, answered by a redirect or a page listed elsewhere"
DATA = "data, not a page: no sentence of its own"


@dataclass(frozen=True)
class Visit:
    label: str
    browser: str  # a key of World.browsers, "dana", "robin", or "fresh" (a new browser)
    path: Callable[[World], str]
    method: str = "get"
    data: Callable[[World], dict] = field(default=lambda w: {})
    status: int = 200
    blocked: bool = False  # the address has spent its join and creation allowances
    follow: bool = False

    def client(self, world: World):
        if self.browser == "fresh":
            return spanish_browser()
        if self.browser in ("dana", "robin"):
            return getattr(world, self.browser)
        return world.browsers[self.browser]


def get(label, browser, path, status=200, **options) -> Visit:
    return Visit(label, browser, path, status=status, **options)


def post(label, browser, path, data, status=200, **options) -> Visit:
    return Visit(label, browser, path, method="post", data=data, status=status, **options)


def room(w: World, name: str) -> str:
    return f"/s/{w.code(name)}/"


def join(w: World, name: str) -> str:
    return f"/j/{w.code(name)}/"


def dana(path: str) -> str:
    return f"/counselor/{path}"


PAGES: dict[str, list[Visit]] = {
    "home": [get("home", "fresh", lambda w: "/")],
    "web-create": [
        post("an unknown protocol", "fresh", lambda w: "/start/", lambda w: {"protocol": "x"}, 400),
        post(
            "creation limit spent",
            "fresh",
            lambda w: "/start/",
            lambda w: {"protocol": "daily-checkin"},
            429,
            blocked=True,
        ),
    ],
    "web-created": [get("the link to share", "creator", lambda w: f"/new/{w.code('created')}/")],
    "offline": [get("offline", "fresh", lambda w: "/offline/")],
    "offline-in": [get("offline, kept in Spanish", "fresh", lambda w: "/offline/es/")],
    "manifest": [get("web app manifest", "fresh", lambda w: "/manifest.webmanifest")],
    "set_language": [
        post(
            "an unknown language", "fresh", lambda w: "/language/", lambda w: {"language": "x"}, 400
        )
    ],
    "join": [
        get("a free session", "fresh", lambda w: join(w, "free")),
        get("a partner waiting", "fresh", lambda w: join(w, "waiting")),
        post("no name", "fresh", lambda w: join(w, "free"), lambda w: {"display_name": ""}, 400),
        get("both places taken", "fresh", lambda w: join(w, "hosted"), 409),
        get("an expired session (410)", "expired_a", lambda w: join(w, "expired"), 410),
        get("a couple's session (403)", "fresh", lambda w: join(w, "practice"), 403),
        get("join limit spent (429)", "fresh", lambda w: join(w, "free"), 429, blocked=True),
    ],
    "seat_code": [
        post(
            "a wrong seat code",
            "fresh",
            lambda w: f"{join(w, 'hosted')}seat-code/",
            lambda w: {"seat_code": "K7PQ-4XMD"},
            400,
        )
    ],
    "ask": [
        post("nobody to ask", "fresh", lambda w: f"{join(w, 'hosted')}ask/", lambda w: {}, 409)
    ],
    "waiting": [get("waiting to be let in", "knocking", lambda w: f"{join(w, 'lapsed')}waiting/")],
    "room": [
        get("waiting, Alex alone", "waiting_a", lambda w: room(w, "waiting")),
        get("active, Alex", "hosted_a", lambda w: room(w, "hosted")),
        get("active, Sam", "hosted_b", lambda w: room(w, "hosted")),
        get("active, Dana hosting", "dana", lambda w: room(w, "hosted")),
        get("paused (a break)", "paused_b", lambda w: room(w, "paused")),
        get("completed", "completed_a", lambda w: room(w, "completed")),
        get("a workshop room", "workshop_sam", lambda w: f"/s/{w.pair.code}/"),
        get("a workshop room, alone", "workshop_lone", lambda w: f"/s/{w.lone.code}/"),
    ],
    "measure": [get("the private measure", "couple_a", lambda w: f"{room(w, 'couple')}measure/")],
    "standing": [
        get("a couple's link", "fresh", lambda w: f"/c/{w.couple.link_code}/"),
        get("a couple's link, Alex", "couple_a", lambda w: f"/c/{w.couple.link_code}/"),
        get("a couple's link, Dana", "dana", lambda w: f"/c/{w.couple.link_code}/"),
        get("a stopped link (410)", "fresh", lambda w: f"/c/{w.gone_couple_link}/", 410),
    ],
    "standing_join": [
        post("which of you?", "fresh", lambda w: f"/c/{w.couple.link_code}/join/", lambda w: {})
    ],
    "standing_practice": [
        post(
            "which of you, to practise?",
            "fresh",
            lambda w: f"/c/{w.couple.link_code}/practice/",
            lambda w: {"practice": str(w.couple.practices.get().pk)},
        )
    ],
    "workshop_door": [
        get("a workshop's door", "fresh", lambda w: f"/w/{w.workshop.code}/"),
        get("an ended workshop (410)", "fresh", lambda w: f"/w/{w.ended_workshop.code}/", 410),
    ],
    "workshop_start_couple": [
        post("no name", "fresh", lambda w: f"/w/{w.workshop.code}/start/", lambda w: {}, 400)
    ],
    "workshop_join": [
        post(
            "an unknown word",
            "fresh",
            lambda w: f"/w/{w.workshop.code}/join/",
            lambda w: {"word": "lomira", "name": "Riley"},
            404,
        ),
        post(
            "join limit spent (429)",
            "fresh",
            lambda w: f"/w/{w.workshop.code}/join/",
            lambda w: {"word": "lomira", "name": "Riley"},
            429,
            blocked=True,
        ),
    ],
    "workshop_pair": [
        get("join Jo", "fresh", lambda w: f"/w/{w.workshop.code}/p/{w.lone.pairing_word}/"),
        get(
            "a taken room", "fresh", lambda w: f"/w/{w.workshop.code}/p/{w.pair.pairing_word}/", 409
        ),
    ],
    "web-summary": [
        get("completed", "completed_a", lambda w: f"{room(w, 'completed')}summary/"),
        get("not finished yet", "hosted_a", lambda w: f"{room(w, 'hosted')}summary/"),
    ],
    "counselor:login": [get("sign in", "fresh", lambda w: dana("login/"))],
    "counselor:dashboard": [get("dashboard", "dana", lambda w: dana(""))],
    "counselor:invite": [
        get("invite", "dana", lambda w: dana("invite/")),
        get("not allowed (403)", "robin", lambda w: dana("invite/"), 403),
        post(
            "an invitation made",
            "dana",
            lambda w: dana("invite/"),
            lambda w: {"username": "lucia", "name": "", "email": ""},
            201,
        ),
    ],
    "counselor:welcome": [
        get("choose a password", "fresh", lambda w: w.welcome, follow=True),
        get("an invalid link", "fresh", lambda w: dana("welcome/MQ/nope-nope/")),
    ],
    "counselor:protocols": [get("protocols", "dana", lambda w: dana("protocols/"))],
    "counselor:protocol_create": [
        get("new protocol", "dana", lambda w: dana("protocols/new/")),
        post(
            "a broken file",
            "dana",
            lambda w: dana("protocols/new/"),
            lambda w: {"source": 'slug = "x"\ntitle = 3'},
            400,
        ),
    ],
    "counselor:protocol_edit": [
        get("edit protocol", "dana", lambda w: dana(f"protocols/{OWN_PROTOCOL}/edit/"))
    ],
    "counselor:session_new": [get("new session", "dana", lambda w: dana("sessions/new/"))],
    "counselor:share": [get("share", "dana", lambda w: dana(f"s/{w.code('hosted')}/"))],
    "counselor:notes": [
        post(
            "an empty note",
            "dana",
            lambda w: dana(f"s/{w.code('hosted')}/notes/"),
            lambda w: {},
            400,
        )
    ],
    "counselor:summary": [
        get("summary, completed", "dana", lambda w: dana(f"s/{w.code('completed')}/summary/")),
        get("summary, running", "dana", lambda w: dana(f"s/{w.code('hosted')}/summary/")),
    ],
    "counselor:couples": [get("couples", "dana", lambda w: dana("couples/"))],
    "counselor:couple_create": [get("new couple", "dana", lambda w: dana("couples/new/"))],
    "counselor:couple": [get("a couple", "dana", lambda w: dana(f"couples/{w.couple.pk}/"))],
    "counselor:couple_edit": [get("edit", "dana", lambda w: dana(f"couples/{w.couple.pk}/edit/"))],
    "counselor:couple_delete": [
        get("delete?", "dana", lambda w: dana(f"couples/{w.couple.pk}/delete/"))
    ],
    "counselor:practice_assign": [
        post(
            "no protocol",
            "dana",
            lambda w: dana(f"couples/{w.couple.pk}/practice/"),
            lambda w: {},
            400,
        )
    ],
    "counselor:workshops": [get("workshops", "dana", lambda w: dana("workshops/"))],
    "counselor:workshop_create": [get("new workshop", "dana", lambda w: dana("workshops/new/"))],
    "counselor:workshop": [get("console", "dana", lambda w: dana(f"workshops/{w.workshop.pk}/"))],
    "counselor:workshop_screen": [
        get("projector", "dana", lambda w: dana(f"workshops/{w.workshop.pk}/screen/"))
    ],
    "counselor:workshop_summary": [
        get("summary", "dana", lambda w: dana(f"workshops/{w.ended_workshop.pk}/summary/"))
    ],
}

NOT_PAGES: dict[str, str] = {
    "healthz": DATA,
    "js-catalog": DATA + " (the scripts' catalog: test_catalog_complete checks its Spanish)",
    "service-worker": DATA,
    "take_back": POST_ONLY,
    "release": POST_ONLY,
    "web-share": POST_ONLY,
    "web-summary-csv": DATA,
    "web-summary-json": DATA,
    "web-delete": POST_ONLY,
    "web-forget": POST_ONLY,
    "counselor:logout": POST_ONLY,
    "counselor:export_csv": DATA,
    "counselor:export_json": DATA,
    "counselor:couple_link": POST_ONLY,
    "counselor:couple_session_new": POST_ONLY,
    "counselor:practice_stop": POST_ONLY,
    "counselor:couple_csv": DATA,
    "counselor:couple_json": DATA,
    "counselor:workshop_room": "a redirect to the room's own page (listed under room)",
    "counselor:workshop_remove": POST_ONLY,
    "counselor:workshop_start": POST_ONLY,
    "counselor:workshop_next": POST_ONLY,
    "counselor:workshop_say": POST_ONLY,
    "counselor:workshop_timer": POST_ONLY,
    "counselor:workshop_hand": POST_ONLY,
    "counselor:workshop_end": POST_ONLY,
    "counselor:workshop_csv": DATA,
    "counselor:workshop_json": DATA,
}


def url_patterns(resolver=None, namespace: str = "", prefix: str = ""):
    """Every (name, route) of sessions/web/urls.py, names with their namespace
    ("counselor:share"). Django's admin, in Django's own Spanish, is not Stay's."""
    resolver = resolver or get_resolver("sessions.web.urls")
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from url_patterns(entry, inner, route)
        elif isinstance(entry, URLPattern):
            yield f"{namespace}{entry.name}" if entry.name else f"(unnamed) {route}", route


def sample_path(route: str) -> str:
    """A concrete path for a route, each converter filled with a harmless value."""
    import re

    filled = re.sub(r"<int:\w+>", "1", route)
    return "/" + re.sub(r"<(?:\w+:)?\w+>", "x", filled)
