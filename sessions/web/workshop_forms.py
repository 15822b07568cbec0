"""What a facilitator and the people at a workshop's door may send, checked before anything changes.

Shared by the counselor's workshop pages (`workshops.py`) and the public door
(`workshop_door.py`), so neither view module imports the other. Every form refuses
fields it does not take (`form_fields`); numbers are ASCII digits only, because
Django's IntegerField would take " 3" or an Arabic-Indic "٣" and a facilitator
should see the same number she typed, or a plain refusal.
"""

from __future__ import annotations

import re
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop, ngettext

from sessions.engine.args import MESSAGE_MAX
from sessions.models import MAX_WORKSHOP_COUPLES, Workshop
from sessions.web.form_fields import (
    ALWAYS_ALLOWED,
    filled_lazy,
    unexpected_fields,
    unexpected_message,
)
from sessions.web.forms import NewSessionForm

TITLE_MAX = 120
TIMER_MINUTES_MAX = 60
COUPLES_MESSAGE = filled_lazy(
    gettext_noop("Choose between 1 and %(most)s couples, in digits."),
    {"most": MAX_WORKSHOP_COUPLES},
)
MINUTES_MESSAGE = filled_lazy(
    gettext_noop("Give the group timer in whole minutes, from 1 to %(most)s."),
    {"most": TIMER_MINUTES_MAX},
)
# What ending a workshop and removing a room each ask to be confirmed (``confirmed``).
WORKSHOP_END = gettext_lazy(
    "Confirm that you want to end the workshop for every room; nothing changed."
)
ROOM_REMOVAL = gettext_lazy("Confirm that you want to remove this room; nothing changed.")
ROOM_ID = re.compile(r"[0-9a-f]{16}")
PACED, SELF_PACED = "host", "self"


def own_workshop(request, pk: int) -> Workshop:
    """The signed-in facilitator's own workshop, else 404: another's is indistinguishable
    from one that does not exist, as with her sessions and couples."""
    return get_object_or_404(Workshop, pk=pk, counselor=request.user)


def has_control(text: str) -> bool:
    """Control, format, private-use or unassigned characters (the rule names follow)."""
    return any(unicodedata.category(ch).startswith("C") for ch in text)


def small_number(raw: object, low: int, high: int, message: str) -> int:
    """A whole number typed as ASCII digits only, within [low, high]; else `message`."""
    if not isinstance(raw, str) or not (raw.isascii() and raw.isdigit()) or len(raw) > 4:
        raise ValidationError(message)
    value = int(raw)
    if not low <= value <= high:
        raise ValidationError(message)
    return value


class WorkshopForm(NewSessionForm):
    """A new workshop: the protocol every room follows, its title, its size and its pace."""

    title = forms.CharField(
        label=gettext_lazy("Title"),
        # No max_length: Django's own error would name its number, not the 120 checked
        # after trimming in clean_title (and would set the browser's maxlength to it).
        strip=False,
        help_text=gettext_lazy(
            "Shown on the projector and at the door, e.g. “Spring communication evening”."
        ),
        error_messages={
            "required": gettext_lazy("Give the workshop a title people will recognise.")
        },
        widget=forms.TextInput(attrs={"maxlength": TITLE_MAX, "autocomplete": "off"}),
    )
    max_couples = forms.CharField(
        label=gettext_lazy("Largest number of couples"),
        strip=False,
        initial="20",
        help_text=filled_lazy(
            gettext_noop("Up to %(most)s. Each couple gets a room of its own."),
            {"most": MAX_WORKSHOP_COUPLES},
        ),
        error_messages={"required": COUPLES_MESSAGE},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "pattern": "[0-9]*", "size": 4}),
    )
    pacing = forms.ChoiceField(
        label=gettext_lazy("Pace"),
        choices=[
            (PACED, gettext_lazy("I move everyone on to each next step together")),
            (SELF_PACED, gettext_lazy("Each couple moves on at its own pace")),
        ],
        initial=PACED,
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Choose who moves the couples on."),
            "invalid_choice": gettext_lazy("Choose who moves the couples on."),
        },
    )

    def clean(self):
        cleaned = super().clean()
        twice = duplicated_fields(self.data)
        if twice:
            self.add_error(next(iter(self.fields)), duplicated_message(twice))
        return cleaned

    def clean_title(self):
        title = " ".join(self.cleaned_data["title"].split())
        if not title:
            raise ValidationError(_("Give the workshop a title people will recognise."))
        if len(title) > TITLE_MAX:
            raise ValidationError(
                _("Keep the title to %(most)s characters or fewer.") % {"most": TITLE_MAX}
            )
        if has_control(title):
            raise ValidationError(_("The title cannot hold invisible or control characters."))
        return title

    def clean_max_couples(self):
        return small_number(
            self.cleaned_data["max_couples"], 1, MAX_WORKSHOP_COUPLES, COUPLES_MESSAGE
        )


class Refused(Exception):
    """A group command's input that changes nothing; its message says why, for the page."""


def duplicated_fields(data) -> list[str]:
    """Fields sent more than once (``max_couples=3&max_couples=60``).

    A QueryDict answers with the last value, so a field twice would be taken silently,
    and which one is meant is anybody's guess: refused instead.
    """
    lists = data.lists() if hasattr(data, "lists") else ()
    return sorted(name for name, values in lists if len(values) > 1 and name not in ALWAYS_ALLOWED)


def duplicated_message(names: list[str]) -> str:
    listed = ", ".join(f"'{name}'" for name in names)
    return ngettext(
        "The field %(fields)s came more than once; send each field once.",
        "The fields %(fields)s came more than once; send each field once.",
        len(names),
    ) % {"fields": listed}


def only_fields(data, expected: list[str]) -> None:
    extra = unexpected_fields(data, expected)
    if extra:
        raise Refused(unexpected_message(extra) + " " + _("Nothing was changed."))
    twice = duplicated_fields(data)
    if twice:
        raise Refused(duplicated_message(twice) + " " + _("Nothing was changed."))


def say_text(data) -> str | None:
    """The message for every room (None takes it away: `clear`)."""
    only_fields(data, ["text", "clear"])
    if "clear" in data:
        if data.get("text", "").strip():
            raise Refused(_("Send a message or clear it, not both; nothing was changed."))
        return None
    text = " ".join(str(data.get("text", "")).split())
    if not text:
        raise Refused(_("Write a few words first. To take the message away, use Clear."))
    if len(text) > MESSAGE_MAX:
        raise Refused(
            _("Keep the message to %(most)s characters; nothing was sent.") % {"most": MESSAGE_MAX}
        )
    if has_control(text):
        raise Refused(_("The message cannot hold invisible or control characters."))
    return text


def timer_seconds(data) -> int | None:
    """The group timer's length in seconds (None clears it)."""
    only_fields(data, ["minutes", "clear"])
    if "clear" in data:
        if data.get("minutes", ""):
            raise Refused(_("Set a timer or clear it, not both; nothing was changed."))
        return None
    try:
        return 60 * small_number(data.get("minutes"), 1, TIMER_MINUTES_MAX, MINUTES_MESSAGE)
    except ValidationError as exc:
        raise Refused(exc.messages[0]) from None


def room_id(data) -> str:
    """The console's name for one room (16 hex digits: `notices.room_id`)."""
    only_fields(data, ["room"])
    room = data.get("room", "")
    if not isinstance(room, str) or not ROOM_ID.fullmatch(room):
        raise Refused(_("That room is not part of this workshop."))
    return room


def confirmed(data, refusal=WORKSHOP_END) -> None:
    """Ending a workshop (or removing a room: ``ROOM_REMOVAL``) needs its confirmation, so
    one stray click changes nothing; ``refusal`` says what to confirm."""
    only_fields(data, ["confirm"])
    if data.get("confirm") != "yes":
        raise Refused(str(refusal))


def checked_room_id(room: str) -> str:
    """A room id from a URL: the same shape, or 404."""
    if not ROOM_ID.fullmatch(room):
        raise Http404("No such room")
    return room
