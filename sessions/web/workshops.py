"""A facilitator's workshops: making one, its live console, the projector view, group commands.

Every workshop is looked up together with its facilitator (`workshop_forms.own_workshop`),
so someone else's is a 404, never a 403 that would confirm it exists. The rooms are
ordinary hosted sessions; writing to them goes through `sessions.store.workshops`, which
submits to each room in its own transaction. A group command answers the console's
script (`Accept: application/json`) with `{"ok": true, "line": …}` or a 400 `{"error": …}`,
and a plain form post with a 303 back to the console (or the console with the error).
The console shows each room's status and never a word typed in one
(`store.workshop_console.tile`).
"""

from __future__ import annotations

from datetime import UTC, datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sessions.models import WORKSHOP_ENDED, WORKSHOP_OPEN, Workshop
from sessions.reports import workshop as report
from sessions.store import notices, workshop_console
from sessions.store import workshops as store
from sessions.web import links, qr
from sessions.web.workshop_forms import (
    PACED,
    ROOM_REMOVAL,
    Refused,
    WorkshopForm,
    checked_room_id,
    confirmed,
    only_fields,
    own_workshop,
    room_id,
    say_text,
    timer_seconds,
)

CSS = "css/workshop.css"
FROM_DIGITS = 3  # a protocol has far fewer than 1000 steps
# The console's script fills a copy of this tile for a room that arrives while it is open.
BLANK_TILE = {
    "room": "0" * 16,
    "names": "",
    "named": 0,
    "words": "",
    "line": "",
    "hand": False,
    "status": "waiting",
}


@login_required
@require_GET
def workshop_list(request):
    workshops = Workshop.objects.filter(counselor=request.user).order_by("-created_at")
    return render(request, "counselor/workshop_list.html", {"workshops": workshops, "css": CSS})


@login_required
@require_http_methods(["GET", "POST"])
def workshop_create(request):
    if request.method == "POST":
        form = WorkshopForm(request.POST, owner=request.user)
        if form.is_valid():
            slug, _own = form.cleaned_data["protocol"]
            workshop = store.create_workshop(
                request.user,
                protocol_slug=slug,
                title=form.cleaned_data["title"],
                max_couples=form.cleaned_data["max_couples"],
                paced=form.cleaned_data["pacing"] == PACED,
            )
            return redirect("counselor:workshop", pk=workshop.pk)
    else:
        form = WorkshopForm(owner=request.user, initial={"protocol": request.GET.get("protocol")})
    status = 400 if form.is_bound and form.errors else 200
    return render(
        request, "counselor/workshop_form.html", {"form": form, "css": CSS}, status=status
    )


def _step_count(workshop: Workshop) -> int:
    """Steps as the rooms count them (a partner's turn is two steps each), like the tiles."""
    return len(workshop_console.step_titles(workshop))


def _clock(moment) -> str:
    """A time of day as the site shows one: 19:42 in STAY_TIME_ZONE."""
    return timezone.localtime(moment).strftime("%H:%M")


def _shown(tile: dict) -> dict:
    """A tile as the page draws it: the names once as its heading, then how it stands.

    ``removable`` is the console script's rule too (``removable`` in
    workshop-console.js): a room still waiting with one name or none (the tile's ``named``,
    never the words joining the names, which are in the reader's language). The store
    decides for certain when Dana presses Remove.
    """
    return {
        **tile,
        "state": workshop_console.status_words(tile),
        "removable": tile["status"] in ("waiting", "alone") and tile.get("named", 0) < 2,
    }


def _timer_words(workshop: Workshop) -> dict | None:
    """The group timer as the rooms hold it, in words for the console; None when none is set.

    The workshop row keeps no timer: each room holds its own copy (set by one command,
    a moment apart), so the newest copy among the unfinished rooms is the group's.
    """
    newest = None
    for room in store.rooms_of(workshop):
        state = room.state or {}
        block = state.get("workshop") or {}
        if state.get("status") in ("completed", "ended") or not block.get("timer"):
            continue
        if newest is None or block["timer"]["started_at"] > newest["started_at"]:
            newest = block["timer"]
    return _timer_text(newest) if newest else None


def _timer_text(timer: dict) -> dict:
    """What the console says of one group timer, running and once it has run out."""
    ends = datetime.fromtimestamp(timer["ends_at"] / 1000, tz=UTC)
    minutes = max(timer["seconds"] // 60, 1)
    said = {"count": minutes, "clock": _clock(ends)}
    return {
        "ends_at": timer["ends_at"],
        "running": ngettext(
            "A group timer of %(count)s minute is running; it ends at %(clock)s.",
            "A group timer of %(count)s minutes is running; it ends at %(clock)s.",
            minutes,
        )
        % said,
        "over": ngettext(
            "The group timer of %(count)s minute ran out at %(clock)s.",
            "The group timer of %(count)s minutes ran out at %(clock)s.",
            minutes,
        )
        % said,
        "is_over": ends <= timezone.now(),
    }


def _console(request, workshop: Workshop, *, error: str = "", status: int = 200):
    tiles = workshop_console.console_tiles(workshop)
    counts = workshop_console.counts(tiles)
    steps = _step_count(workshop)
    titles = workshop_console.step_titles(workshop)
    group_step = min(workshop.step + 1, steps)
    context = {
        "workshop": workshop,
        "door_url": links.workshop_url(request, workshop.code),
        "tiles": [_shown(tile) for tile in tiles],
        "line": workshop_console.counts_line(counts),
        "steps": steps,
        "step_titles": titles,
        "group_step": group_step,
        "group_step_title": titles[group_step - 1] if 0 < group_step <= len(titles) else "",
        "started_note": _started_note(workshop.started_at) if workshop.started_at else "",
        "timer": _timer_words(workshop),
        "at_last_step": workshop.step + 1 >= steps,
        "from_step": workshop.step,
        "ended": workshop.status == WORKSHOP_ENDED,
        "unfinished_end": _unfinished_end(workshop),
        "started": workshop.status != WORKSHOP_OPEN,
        "error": error,
        "blank_tile": _shown(BLANK_TILE | {"step": 0, "steps": 0, "pause": None}),
        "css": CSS,
    }
    return render(request, "counselor/workshop_console.html", context, status=status)


@login_required
@require_GET
def console(request, pk: int):
    # A refusal a plain form post was redirected here with (see `_command`).
    said = [str(message) for message in messages.get_messages(request)]
    return _console(request, own_workshop(request, pk), error=" ".join(said))


@login_required
@require_GET
def screen(request, pk: int):
    """The projector view: the group's one link, large, and what to do with it."""
    workshop = own_workshop(request, pk)
    url = links.workshop_url(request, workshop.code)
    context = {
        "workshop": workshop,
        "door_url": url,
        "qr_svg": qr.svg_for(url, scale=10),
        "css": CSS,
    }
    return render(request, "counselor/workshop_screen.html", context)


@login_required
@require_GET
def room(request, pk: int, room: str):
    """One room's host panel, the hosted session's own page; only this workshop's rooms."""
    workshop = own_workshop(request, pk)
    wanted = checked_room_id(room)
    for session in store.rooms_of(workshop):
        if notices.room_id(session.code) == wanted:
            return redirect("room", code=session.code)
    raise Http404("No such room")


# --- Group commands ------------------------------------------------------------------------


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _command(request, pk: int, run, *, ending: bool = False, extra=None):
    """Run one group command: `run(workshop)` gives the line to say, or raises `Refused`.

    `Overtaken` (the group moved on since her page showed it: a double click, a second
    tab) is a 409 to the script, and to a plain form the console again by a 303 with the
    message, so reloading that page never posts the command once more.
    """
    workshop = own_workshop(request, pk)
    try:
        if workshop.status == WORKSHOP_ENDED and not (ending and _unfinished_end(workshop)):
            raise Refused(_("This workshop has ended; nothing was changed."))
        line = run(workshop)
    except Overtaken as exc:
        if _wants_json(request):
            return JsonResponse({"error": str(exc)}, status=409)
        messages.error(request, str(exc))
        return _back_to_console(workshop)
    except Refused as exc:
        if _wants_json(request):
            return JsonResponse({"error": str(exc)}, status=400)
        return _console(request, workshop, error=str(exc), status=400)
    if _wants_json(request):
        return JsonResponse({"ok": True, "line": line, **(extra(workshop) if extra else {})})
    return _back_to_console(workshop)


def _back_to_console(workshop: Workshop):
    # 303: the browser comes back to the console with a GET, never posting the command again.
    response = HttpResponseRedirect(reverse("counselor:workshop", args=[workshop.pk]))
    response.status_code = 303
    return response


class Overtaken(Refused):
    """The command was for a state of the workshop that has passed; nothing was changed."""


def _store_call(call, *args):
    """A store refusal (the workshop ended meanwhile, the last step reached) as `Refused`."""
    try:
        return call(*args)
    except store.StepMoved as exc:
        raise Overtaken(str(exc)) from None
    except store.WorkshopClosed:
        raise Refused(_("This workshop has ended; nothing was changed.")) from None
    except ValueError as exc:
        raise Refused(str(exc)) from None


@login_required
@require_POST
def start_all(request, pk: int):
    def run(workshop):
        only_fields(request.POST, [])
        started = _store_call(store.start_all, workshop)
        if started == 0:
            return _(
                "The workshop has started; a couple who arrives now begins as soon as both are "
                "there."
            )
        return ngettext("Started %(count)s room.", "Started %(count)s rooms.", started) % {
            "count": started
        }

    return _command(request, pk, run, extra=_started_words)


def _started_words(workshop: Workshop) -> dict:
    """The Start button's note once the workshop has started, for the console's script."""
    workshop.refresh_from_db(fields=["started_at"])
    if workshop.started_at is None:
        return {}
    return {"started": _started_note(workshop.started_at)}


def _started_note(moment) -> str:
    return _("Started at %(clock)s. A couple who arrives now begins as soon as both are there.") % {
        "clock": _clock(moment)
    }


@login_required
@require_POST
def next_step(request, pk: int):
    def run(workshop):
        from_step = _from_step(request.POST)
        if not workshop.paced:
            raise Refused(
                _("Each couple moves at its own pace in this workshop; nothing was changed.")
            )
        if workshop.step + 1 >= _step_count(workshop):
            raise Refused(_("Everyone is already on the last step; nothing was changed."))
        step = _store_call(lambda: store.next_step(workshop, from_step=from_step))
        return _("Everyone moves on to step %(step)s of %(count)s.") % {
            "step": step + 1,
            "count": _step_count(workshop),
        }

    return _command(request, pk, run)


def _from_step(data) -> int:
    """The group's step the console showed (``Workshop.step``), so one press moves one step.

    Required: without it a double click, a second tab or a retrying script would move
    the group twice, and the console's form and the bench always know it.
    """
    only_fields(data, ["from"])
    if "from" not in data:
        raise Refused(
            _("Say which step the group is moving on from (the field 'from'); nothing was changed.")
        )
    raw = data.get("from", "")
    if not (raw.isascii() and raw.isdigit()) or len(raw) > FROM_DIGITS:
        raise Refused(_("The step this was sent from is not a step number; nothing was changed."))
    return int(raw)


@login_required
@require_POST
def say(request, pk: int):
    def run(workshop):
        text = say_text(request.POST)
        rooms = _store_call(store.say_all, workshop, text)
        if text is None:
            return ngettext(
                "Message taken away in %(count)s room.",
                "Message taken away in %(count)s rooms.",
                rooms,
            ) % {"count": rooms}
        return ngettext(
            "Message shown in %(count)s room.", "Message shown in %(count)s rooms.", rooms
        ) % {"count": rooms}

    return _command(request, pk, run)


@login_required
@require_POST
def timer(request, pk: int):
    def run(workshop):
        seconds = timer_seconds(request.POST)
        rooms = _store_call(store.timer_all, workshop, seconds)
        if seconds is None:
            return ngettext(
                "Group timer cleared in %(count)s room.",
                "Group timer cleared in %(count)s rooms.",
                rooms,
            ) % {"count": rooms}
        minutes = seconds // 60
        in_rooms = ngettext("in %(count)s room", "in %(count)s rooms", rooms) % {"count": rooms}
        return ngettext(
            "Group timer of %(minutes)s minute %(in_rooms)s.",
            "Group timer of %(minutes)s minutes %(in_rooms)s.",
            minutes,
        ) % {"minutes": minutes, "in_rooms": in_rooms}

    # The console's "what is running" line, said as the page says it.
    return _command(request, pk, run, extra=lambda w: {"timer": _timer_words(w)})


@login_required
@require_POST
def hand(request, pk: int):
    def run(workshop):
        room_name = room_id(request.POST)
        if not _store_call(store.lower_hand, workshop, room_name):
            raise Refused(_("That room is not part of this workshop, or its hand is already down."))
        return _("Hand lowered.")

    return _command(request, pk, run)


@login_required
@require_POST
def remove_room(request, pk: int, room: str):
    """Take away a room nobody joined (a first partner who left, a tab opened by mistake).

    Only while it waits with its second place free: once their partner is in, the room is
    theirs and it stays. Another workshop's room, or none, is a 404 like `room`.
    """
    wanted = checked_room_id(room)

    def run(workshop):
        if not any(notices.room_id(s.code) == wanted for s in store.rooms_of(workshop)):
            raise Http404("No such room")
        confirmed(request.POST, ROOM_REMOVAL)
        if not _store_call(store.remove_waiting_room, workshop, wanted):
            raise Refused(
                _("Their partner has joined this room, so it stays; nothing was changed.")
            )
        return _("Room removed.")

    return _command(request, pk, run)


@login_required
@require_POST
def end(request, pk: int):
    def run(workshop):
        confirmed(request.POST)
        # Counted once every room has ended, and kept for after the rooms are purged.
        _store_call(lambda: store.end_workshop(workshop, summary=report.workshop_summary))
        return _("The workshop has ended. Each couple sees their own summary.")

    return _command(request, pk, run, ending=True)


def _unfinished_end(workshop: Workshop) -> bool:
    """Ended, but the end stopped before its summary was kept: ending again finishes it."""
    return workshop.status == WORKSHOP_ENDED and workshop.summary is None


# --- After the workshop ------------------------------------------------------------------------


@login_required
@require_GET
def summary(request, pk: int):
    workshop = own_workshop(request, pk)
    counted = report.workshop_summary(workshop)
    context = {
        "workshop": workshop,
        # The protocol's and the steps' titles in the reader's language (kept as written).
        "summary": report.in_reader_language(counted, workshop),
        # The pauses by kind in the reader's language (the summary's keys stay English).
        "pause_rows": report.pause_rows(counted),
        # The row's own times, shown in STAY_TIME_ZONE like the rest of the site (the
        # summary keeps them as ISO text for its exports).
        "started_at": workshop.started_at,
        "ended_at": workshop.ended_at,
        "css": CSS,
    }
    return render(request, "counselor/workshop_summary.html", context)


@login_required
@require_GET
def export(request, pk: int, fmt: str):
    workshop = own_workshop(request, pk)
    data = report.workshop_summary(workshop)
    stamp = timezone.localtime(workshop.created_at).strftime("%Y-%m-%d")
    filename = f"stay-workshop-{workshop.pk}-{stamp}.{fmt}"
    if fmt == "csv":
        response = HttpResponse(report.export_csv(data), content_type="text/csv; charset=utf-8")
    elif fmt == "json":
        response = HttpResponse(report.export_json(data), content_type="application/json")
    else:
        raise Http404("Unknown export format")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
