"""Every page, and every sentence of the room, reads in Spanish: no English word left.

The pages come from ``sessions/web/urls.py`` itself: each URL is either reached by the
visits of ``tests/i18n/pages.py`` (a world of rooms waiting, running, paused and finished,
a couple, a workshop and a signed-in counselor, built by ``tests/i18n/world.py``) or listed
there as no page (a command, a data file), so a new page cannot be left out. Each is
rendered for a browser asking for Spanish (the ``stay_language`` cookie and
``Accept-Language: es``), its readable words taken (text, labels a screen reader speaks,
sentences in its JSON data; not scripts or styles), the names and codes the world typed
cut out, and any English stop-word left is reported with its sentence. Django's own error
pages (400, 403, 404, 500) are rendered the same way.

The room itself is drawn by its scripts from the engine's snapshot: ``view_for(state,
role, words=django.utils.translation)`` under ``translation.override("es")`` must word
every sentence it carries in Spanish, for every pause (each kind, from each seat and the
host), a break, a dropped connection, revealed check-ins, each step of each built-in
protocol and a workshop room. The scripts' own words are checked by the catalog test
(every djangojs msgid has its Spanish) and in a real browser (test_bilingual_room).
"""

from __future__ import annotations

import json
from unittest import mock

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from django.urls import get_resolver
from django.utils import translation

from sessions.engine import view_for
from sessions.protocols.loader import builtin_protocols
from tests.engine.helpers import T0, feeling, here, room_in, run
from tests.i18n import english, world
from tests.i18n.pages import NOT_PAGES, PAGES, POST_ONLY, sample_path, url_patterns

SPANISH = world.LANGUAGE
HOST_NAME = "Dr. Rivera"  # the engine helpers' host
ROLES = ("a", "b", "host")


def readable(response) -> str:
    """What a person reads in a response: a page's words, a JSON body's sentences, text."""
    kind = response.get("Content-Type", "")
    body = response.content.decode()
    if "json" in kind:
        return "\n".join(english._sentences(json.loads(body)))
    if "html" in kind:
        return english.readable_text(body)
    return body


def visit(world_, page):
    """The response to one visit, with the join/creation limits spent if it asks so."""
    cache.clear()  # one visit's misses never spend the next one's join allowance
    client = page.client(world_)
    call = getattr(client, page.method)
    args = (page.path(world_),) + ((page.data(world_),) if page.method == "post" else ())
    if not page.blocked:
        return call(*args, follow=page.follow)
    with (
        mock.patch("sessions.throttle.join_limit", return_value=0),
        mock.patch("sessions.web.partners.allow_creation", return_value=False),
    ):
        return call(*args, follow=page.follow)


# --- every URL is accounted for ------------------------------------------------------------


def test_every_url_is_either_a_page_reached_in_spanish_or_listed_as_no_page():
    """A URL added to urls.py without a way to reach it here fails, named (and a name
    here that urls.py no longer has fails too)."""
    served = {name for name, _route in url_patterns()}
    listed = set(PAGES) | set(NOT_PAGES)
    assert not set(PAGES) & set(NOT_PAGES), "a URL is listed both as a page and as no page"
    assert served - listed == set(), (
        "these URLs have no visit in tests/i18n/pages.py PAGES (nor a reason in NOT_PAGES): "
        f"{sorted(served - listed)}"
    )
    assert listed - served == set(), f"listed but not served any more: {sorted(listed - served)}"


@pytest.mark.django_db
def test_a_url_listed_as_post_only_answers_a_get_with_405(dana_client):
    """What NOT_PAGES calls a command really shows nothing on a GET (so no page hides there)."""
    routes = dict(url_patterns())
    wrong = {}
    for name, reason in NOT_PAGES.items():
        if reason != POST_ONLY:
            continue
        status = dana_client.get(sample_path(routes[name])).status_code
        if status != 405:
            wrong[name] = status
    assert wrong == {}, f"listed as POST only but a GET answered: {wrong}"


# --- every page in Spanish ----------------------------------------------------------------


@pytest.mark.django_db
def test_every_page_reads_in_spanish_with_no_english_word_left():
    """Each visit answers its status in Spanish (<html lang="es">), and no English
    stop-word is left in what a person reads once names and codes are cut out."""
    scene = world.build()
    ours = scene.ours()
    problems, found = [], {}  # found: each English line -> the pages showing it
    for name, visits in PAGES.items():
        for page in visits:
            where = f"{name} ({page.label})"
            response = visit(scene, page)
            if response.status_code != page.status:
                problems.append(f"{where}: status {response.status_code}, not {page.status}")
                continue
            body = response.content.decode()
            if "html" in response.get("Content-Type", "") and '<html lang="es"' not in body:
                problems.append(f'{where}: the page is not <html lang="es">')
            for line in english.english_sentences(readable(response), ours):
                found.setdefault(line, []).append(where)
    assert not problems, "visits that went wrong:\n" + "\n".join(problems)
    assert not found, f"{len(found)} line(s) of English on pages read in Spanish:\n" + "\n".join(
        f"  {line!r}\n      on {', '.join(pages[:3])}"
        + (f" and {len(pages) - 3} more" if len(pages) > 3 else "")
        for line, pages in found.items()
    )


@pytest.mark.parametrize("status", [400, 403, 404, 500])
def test_the_sites_error_pages_read_in_spanish(status):
    """Django's error handlers (the site's own 404 page, its defaults otherwise) in Spanish."""
    handler = get_resolver().resolve_error_handler(status)
    request = RequestFactory().get("/nowhere/", HTTP_ACCEPT_LANGUAGE=SPANISH)
    request.LANGUAGE_CODE = SPANISH
    with translation.override(SPANISH):
        # handler500 takes only the request; the others the exception too.
        extra = {} if status == 500 else {"exception": Exception("x")}
        response = handler(request, **extra)
    body = response.content.decode()
    text = english.readable_text(body)
    assert response.status_code == status
    assert '<html lang="es"' in body, f'the {status} page is not <html lang="es">: {text!r}'
    left = english.english_sentences(text, world.OURS)
    assert not left, f"the {status} page shows English: {left}"


# --- the room's snapshot in Spanish ---------------------------------------------------------

# Keys whose strings are the people's own (names, the counselor's message), not Stay's words.
DATA_KEYS = {"name", "host_name", "message", "text", "word", "slug", "seed"}
# Keys whose strings are words even when one word long ("Llegar"); other one-word strings
# in a snapshot are codes ("checkin", "flooding").
WORDED_KEYS = {"title", "prompt", "line", "break_note", "break_over_line"}


def sentences(value, key: str = "") -> list[tuple[str, str]]:
    """(where, sentence) for each string with a space in a snapshot, people's data left out."""
    if isinstance(value, dict):
        return [
            found
            for k, v in value.items()
            if k not in DATA_KEYS
            for found in sentences(v, f"{key}.{k}" if key else k)
        ]
    if isinstance(value, list):
        return [found for i, v in enumerate(value) for found in sentences(v, f"{key}[{i}]")]
    worded = key.rsplit(".", 1)[-1].split("[")[0] in WORDED_KEYS
    if isinstance(value, str) and (" " in value.strip() or worded):
        return [(key, value)]
    return []


def room_states():
    """(label, state) for every room state whose snapshot words something."""
    protocols = builtin_protocols()
    for slug, doc in protocols.items():
        state = room_in("active", doc, hosted=True)
        for index in range(len(state["steps"])):
            kind = state["steps"][index]["kind"]
            yield f"{slug} step {index} ({kind})", room_in("active", doc, hosted=True, index=index)
    doc = protocols[world.PROTOCOL]
    checkin = next(
        i for i, s in enumerate(room_in("waiting", doc)["steps"]) if s["kind"] == "checkin"
    )
    for by in ROLES:
        for reason in ("need_a_moment", "flooding"):
            state = room_in("active", doc, hosted=True, index=checkin)
            yield f"paused by {by} ({reason})", run(state, by, "pause", {"reason": reason})
    state = room_in("active", doc, hosted=True, index=checkin)
    state = run(state, "a", "checkin", here(state, **feeling("safe", 3, "cansancio")))
    state = run(state, "b", "checkin", here(state, **feeling("mobilized", None)))
    yield "check-ins revealed", state
    state = run(state, "server", "presence", {"seat": "b", "connected": False})
    yield (
        "a connection dropped",
        run(state, "server", "tick", {}, T0 + state["settings"]["grace_ms"]),
    )
    yield "completed", room_in("completed", doc, hosted=True)
    yield "a workshop room", room_in("active", doc, hosted=True, workshop={"paced": True})
    yield (
        "a paused workshop room",
        run(
            room_in("active", doc, hosted=True, workshop={"paced": True}),
            "b",
            "pause",
            {"reason": "flooding"},
        ),
    )


def test_every_sentence_of_the_room_snapshot_reads_in_spanish():
    """view_for words the pause, break, call line, answers, steps and the protocol's title
    in Spanish for each seat and the host, in every kind of room state."""
    found = []
    with translation.override(SPANISH):
        for label, state in room_states():
            for role in ROLES:
                snapshot = view_for(state, role, words=translation)
                for where, text in sentences(snapshot):
                    left = english.english_left(text, (*world.OURS, HOST_NAME))
                    if left:
                        found.append(f"{label}, {role} — {where}: {text!r}")
    unique = list(dict.fromkeys(found))
    assert not unique, f"{len(unique)} sentence(s) of the room still in English:\n" + "\n".join(
        unique
    )


def test_the_stop_word_scan_finds_english_and_passes_spanish():
    """The scan itself: English is caught with its context, Spanish and cut names are not."""
    page = (
        '<html lang="es"><title>Stay</title><body><p>Sam pidió una pausa.</p>'
        '<button aria-label="Close the menu">x</button><script>const the = 1;</script>'
        '<script type="application/json">{"line": "Your partner asked for a pause"}</script>'
        '<style>.the{}</style><p>Ver <cite lang="en">The ruler <i>and</i> the</cite> y'
        ' <button name="skip" value="yes">Omitir</button></p></body></html>'
    )
    text = english.readable_text(page)
    assert "const" not in text and ".the" not in text
    assert english.english_sentences(text, ("Sam",)) == [
        "Close the menu",
        "Your partner asked for a pause",
    ]
    assert (
        english.english_left("Cuando quieras, tómate el tiempo que necesites. No, gracias.") == []
    )
    assert english.english_left("Sigue allí, o vuelve aquí.") == []  # "allí" is not "all"
    assert english.without("Journal, Jo y Kim", ("Jo", "Kim")).split() == ["Journal,", "y"]
    assert english.english_left("Alex and Sam", ("Alex", "Sam"))
    assert not english.english_left("Alex y Sam", ("Alex", "Sam"))
