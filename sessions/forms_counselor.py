"""Forms behind the counselor pages.

A counselor's protocol is written as TOML and checked by the very loader that
checks the built-in files, so a protocol that saves here runs exactly like one
shipped with Stay, and its errors read the same way.
"""

from django import forms
from django.core.exceptions import ValidationError

from sessions.form_fields import ClosedFormMixin
from sessions.models import Protocol
from sessions.protocols.loader import ProtocolError, builtin_protocols, load_protocol_text

NOTE_MAX_CHARS = 4000
SOURCE_MAX_CHARS = 50_000

EXAMPLE_PROTOCOL = """\
slug = "my-evening-checkin"
title = "Evening check-in"
minutes = 8
for_whom = "Couples who want a short, calm moment together at the end of the day"
summary = "Arrive, breathe together, and say one thing that mattered today."

[[steps]]
kind = "info"
title = "Is now a good time?"
prompt = "Before you begin, check with each other that now is a good time. Either of you can pause at any moment."

[[steps]]
kind = "checkin"
title = "How are you arriving?"
prompt = "Notice how you are right now. There is no wrong answer."
"""


def shared_protocols() -> dict[str, dict]:
    """Protocols every counselor may use: the built-in files and admin-made ones, by slug."""
    shared = {slug: doc for slug, doc in builtin_protocols().items()}
    for row in Protocol.objects.filter(owner__isnull=True).exclude(doc={}):
        shared[row.slug] = row.doc
    return dict(sorted(shared.items(), key=lambda item: item[1]["title"]))


SOURCE_NAME = "protocol"


def _error_lines(error: ProtocolError) -> list[str]:
    """The loader reports every problem at once, one per line; keep them as separate errors.

    Each line starts with the file name, which here is just the text above the
    list, so that prefix is dropped: "step 3 "Breathe": inhale: must be …".
    """
    prefix = f"{SOURCE_NAME}: "
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    lines = [line[len(prefix) :] if line.startswith(prefix) else line for line in lines]
    return lines or ["This protocol could not be read."]


class ProtocolForm(ClosedFormMixin, forms.ModelForm):
    """Create or edit one of the counselor's own protocols from its TOML text."""

    class Meta:
        model = Protocol
        fields = ["source"]
        labels = {"source": "Protocol (TOML)"}
        help_texts = {
            "source": "The same format as the built-in protocol files. Saving checks every "
            "step; problems are listed below the field with the step and the field named."
        }
        widgets = {
            "source": forms.Textarea(
                attrs={"rows": 24, "cols": 80, "spellcheck": "false", "class": "code"}
            )
        }

    def __init__(self, *args, owner, **kwargs):
        super().__init__(*args, **kwargs)
        self.owner = owner
        self.doc = None
        self.fields["source"].required = True
        self.fields["source"].max_length = SOURCE_MAX_CHARS
        self.fields["source"].strip = False
        self.fields["source"].error_messages["required"] = (
            "Paste or write the protocol here; it cannot be empty."
        )
        self.fields["source"].widget.attrs["aria-describedby"] = "source-help"

    def clean_source(self):
        source = self.cleaned_data["source"]
        if len(source) > SOURCE_MAX_CHARS:
            raise ValidationError(
                f"This protocol is too long (over {SOURCE_MAX_CHARS} characters)."
            )
        try:
            doc = load_protocol_text(source, source=SOURCE_NAME)
        except ProtocolError as error:
            raise ValidationError(_error_lines(error)) from error
        slug = doc["slug"]
        if slug in builtin_protocols():
            raise ValidationError(
                f'slug: "{slug}" is the name of a built-in protocol; choose another slug.'
            )
        taken = Protocol.objects.filter(slug=slug)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise ValidationError(f'slug: "{slug}" is already in use; choose another slug.')
        self.doc = doc
        return source

    def _post_clean(self):
        # The model's own clean() runs the same loader again and fills slug, title, doc…;
        # when the loader already refused the text, its messages under the field say it all.
        self.instance.owner = self.owner
        if not self.has_error("source"):
            super()._post_clean()
        if self.has_error("source"):
            attrs = self.fields["source"].widget.attrs
            attrs["aria-describedby"] = "source-help source-errors"
            attrs["aria-invalid"] = "true"


class NoteForm(ClosedFormMixin, forms.Form):
    """A private note: only ever stored for, and shown to, the counselor who wrote it."""

    also_allowed = ("next",)  # where to go back to; checked by the view

    text = forms.CharField(
        label="Private note",
        max_length=NOTE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Write something before saving the note.",
            "max_length": f"A note can hold up to {NOTE_MAX_CHARS} characters.",
        },
    )


class NewSessionForm(ClosedFormMixin, forms.Form):
    """Pick the protocol a new hosted session will follow: a built-in one or one of your own."""

    protocol = forms.ChoiceField(
        label="Protocol",
        error_messages={"invalid_choice": "Choose one of the protocols in the list."},
    )

    def __init__(self, *args, owner, **kwargs):
        super().__init__(*args, **kwargs)
        own = Protocol.objects.filter(owner=owner).order_by("title")
        choices = [("Built-in", [(slug, doc["title"]) for slug, doc in shared_protocols().items()])]
        if own:
            choices.append(("Your protocols", [(p.slug, p.title) for p in own]))
        self.fields["protocol"].choices = choices
        self.owner = owner

    def clean_protocol(self):
        """Returns `(slug, own Protocol or None)`; a slug not offered above is refused."""
        slug = self.cleaned_data["protocol"]
        own = Protocol.objects.filter(owner=self.owner, slug=slug).first()
        if own is None and slug not in shared_protocols():
            raise ValidationError("Choose one of the protocols in the list.")
        return slug, own
