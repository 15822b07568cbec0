"""Forms behind a counselor's couple pages: the couple, its link, practice.

Names are first names or initials only (the least a counselor needs to recognise a
couple), trimmed and checked for control characters as the partners' own names are.
Every form refuses fields it does not take (`form_fields.ClosedFormMixin`). The
protocols offered are those of a new hosted session (`forms.NewSessionForm`): every
protocol in Stay can run without a counselor in the room, so practice picks from the
same list.
"""

from __future__ import annotations

import unicodedata
from datetime import timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from sessions.web.form_fields import ClosedFormMixin, filled_lazy
from sessions.web.forms import NewSessionForm

NAME_MAX = 40
NOTE_MAX = 2000
PRACTICE_NOTE_MAX = 200
TIMES_MIN, TIMES_MAX = 1, 14
TIMES_MESSAGE = gettext_lazy("Choose between 1 and 14 times a week.")
NAME_HINT = gettext_lazy("First names or initials only.")
# Which partner a name is for, said inside ``clean_name``'s messages.
FIRST, SECOND = "first", "second"
NEXT_SESSION_MAX_DAYS = 366


def _has_control(text: str) -> bool:
    """Control, format (soft hyphen, zero-width space, text-direction overrides), private-use
    or unassigned characters: the rule a partner's seat name follows (`seats.clean_display_name`),
    so a name written here can always be taken as a seat's name from the couple's link."""
    return any(unicodedata.category(ch).startswith("C") for ch in text)


def clean_name(value: str, which: str) -> str:
    """A partner's name trimmed and checked; ``which`` is ``FIRST`` or ``SECOND``."""
    name = " ".join((value or "").split())
    if not name:
        if which == FIRST:
            raise ValidationError(_("Write the first partner's first name or initials."))
        raise ValidationError(_("Write the second partner's first name or initials."))
    if len(name) > NAME_MAX:
        if which == FIRST:
            message = _(
                "Keep the first partner's name to %(most)s characters or fewer: a first name "
                "or initials."
            )
        else:
            message = _(
                "Keep the second partner's name to %(most)s characters or fewer: a first name "
                "or initials."
            )
        raise ValidationError(message % {"most": NAME_MAX})
    if _has_control(name):
        raise ValidationError(
            _(
                "A name cannot hold invisible or control characters (such as a zero-width space "
                "or a text-direction mark); please retype it."
            )
        )
    return name


def _name_field(label: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        # Checked after trimming (`clean_name`), so the browser gets a little leeway.
        max_length=NAME_MAX * 4,
        help_text=NAME_HINT,
        strip=False,
        error_messages={
            "required": gettext_lazy("Write a first name or initials."),
            "max_length": filled_lazy(
                gettext_noop("Keep the name to %(most)s characters or fewer."), {"most": NAME_MAX}
            ),
        },
        widget=forms.TextInput(attrs={"autocomplete": "off", "maxlength": NAME_MAX}),
    )


class CoupleForm(ClosedFormMixin, forms.Form):
    """A couple as their counselor writes them down: two names, a private note, the measure."""

    name_a = _name_field(gettext_lazy("First partner"))
    name_b = _name_field(gettext_lazy("Second partner"))
    note = forms.CharField(
        label=gettext_lazy("Private note (optional)"),
        required=False,
        max_length=NOTE_MAX,
        help_text=gettext_lazy("Only you see this note; the couple never does."),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "max_length": filled_lazy(
                gettext_noop("A note can hold up to %(most)s characters."), {"most": NOTE_MAX}
            )
        },
    )
    measure_on = forms.BooleanField(
        label=gettext_lazy("Ask each partner the CSI-4 privately before a hosted session"),
        required=False,
        help_text=gettext_lazy(
            "Four questions on relationship satisfaction (Funk & Rogge, 2007). Only you see "
            "the answers; either partner can skip it."
        ),
    )

    next_session_at = forms.DateTimeField(
        label=gettext_lazy("Next session (optional)"),
        required=False,
        help_text=gettext_lazy("Shown to you and on their standing link. Stay sends no reminders."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        error_messages={
            "invalid": gettext_lazy("Give the next session as a date and time, or leave it empty.")
        },
    )

    def clean_next_session_at(self):
        when = self.cleaned_data["next_session_at"]
        if when is None:
            return None
        now = timezone.now()
        if when < now - timedelta(days=1):
            raise ValidationError(
                _("That date has passed: give the next session, or leave it empty.")
            )
        if when > now + timedelta(days=NEXT_SESSION_MAX_DAYS):
            raise ValidationError(_("Give a date within the coming year, or leave it empty."))
        return when

    def clean_name_a(self):
        return clean_name(self.cleaned_data["name_a"], FIRST)

    def clean_name_b(self):
        return clean_name(self.cleaned_data["name_b"], SECOND)

    def clean_note(self):
        note = self.cleaned_data["note"].strip()
        if any(unicodedata.category(ch) == "Cc" and ch not in "\n\r\t" for ch in note):
            raise ValidationError(_("The note cannot hold control characters."))
        return note


class LinkForm(ClosedFormMixin, forms.Form):
    """Revoke or replace the standing link: either needs its words ticked on the page.

    Both end the link the couple holds now, so neither happens on one stray click. With
    no link left (it was stopped), "Make a new link" breaks nothing and asks nothing.
    """

    action = forms.ChoiceField(
        choices=[
            ("revoke", gettext_lazy("Stop this link")),
            ("replace", gettext_lazy("Make a new link")),
        ],
        error_messages={
            "required": gettext_lazy("Choose whether to stop the link or make a new one."),
            "invalid_choice": gettext_lazy("Choose whether to stop the link or make a new one."),
        },
    )
    confirm = forms.BooleanField(required=False)

    UNTICKED = {
        "revoke": gettext_lazy(
            "Tick the box to say you want the link to stop working; nothing was changed."
        ),
        "replace": gettext_lazy(
            "Tick the box to say you want a new link (the one they have stops working); "
            "nothing was changed."
        ),
    }

    def __init__(self, *args, has_link: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.has_link = has_link

    def clean(self):
        cleaned = super().clean()
        action = cleaned.get("action")
        needs_tick = action == "revoke" or (action == "replace" and self.has_link)
        if needs_tick and not cleaned.get("confirm"):
            self.add_error("confirm", self.UNTICKED[action])
        return cleaned


class PracticeForm(NewSessionForm):
    """Practice between sessions: a protocol the couple runs alone, and how often."""

    times_per_week = forms.IntegerField(
        label=gettext_lazy("How many times a week"),
        min_value=TIMES_MIN,
        max_value=TIMES_MAX,
        initial=3,
        error_messages={
            "required": TIMES_MESSAGE,
            "invalid": TIMES_MESSAGE,
            "min_value": TIMES_MESSAGE,
            "max_value": TIMES_MESSAGE,
        },
    )
    note = forms.CharField(
        label=gettext_lazy("A word for the couple (optional)"),
        required=False,
        max_length=PRACTICE_NOTE_MAX,
        help_text=gettext_lazy(
            "Shown to both partners with the practice, e.g. “after dinner works well”."
        ),
        error_messages={
            "max_length": filled_lazy(
                gettext_noop("Keep the word for the couple to %(most)s characters."),
                {"most": PRACTICE_NOTE_MAX},
            )
        },
    )

    def __init__(self, *args, owner, **kwargs):
        # The couple's page holds this form beside the new-session form, which has a
        # `protocol` field too: ids of their own, so each label names its own select.
        kwargs.setdefault("auto_id", "practice_%s")
        super().__init__(*args, owner=owner, **kwargs)
        self.fields["protocol"].label = _("Practice")
        self.fields["times_per_week"].widget.attrs.update({"min": TIMES_MIN, "max": TIMES_MAX})

    def clean_note(self):
        note = " ".join(self.cleaned_data["note"].split())
        if _has_control(note):
            raise ValidationError(_("The word for the couple cannot hold control characters."))
        return note
