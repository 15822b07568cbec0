"""Forms behind the counselor pages.

A counselor's protocol is written as TOML and checked by the very loader that
checks the built-in files, so a protocol that saves here runs exactly like one
shipped with Stay, and its errors read the same way.
"""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy, gettext_noop
from django.utils.translation import gettext as _

from sessions.models import Protocol
from sessions.protocols import in_language
from sessions.protocols.loader import ProtocolError, builtin_protocols, load_protocol_text
from sessions.web.form_fields import ClosedFormMixin, filled_lazy

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
    """Protocols every counselor may use, and anyone may start from the home page: the
    built-in files and admin-made ones (an admin's replaces a built-in of the same slug)."""
    shared = {slug: doc for slug, doc in builtin_protocols().items()}
    for row in Protocol.objects.filter(owner__isnull=True).exclude(doc={}):
        shared[row.slug] = row.doc
    return dict(sorted(shared.items(), key=lambda item: item[1]["title"]))


def in_reader_language(doc: dict) -> dict:
    """A protocol document with its title, summary and the rest in the active language where
    it has them (``protocols.in_language``), for a page that lists protocols."""
    return in_language(doc, get_language())


SOURCE_NAME = "protocol"


def _error_lines(error: ProtocolError) -> list[str]:
    """The loader reports every problem at once, one per line; keep them as separate errors,
    each worded in the counselor's language, the field she wrote shown as code (a TOML key
    is not translated): "step 3 "Breathe": <code>inhale</code>: must be …".

    Each line starts with the file name, which here is just the text above the
    list, so it is left out.
    """
    lines = []
    for problem in error.problems:
        pieces = problem.pieces(translation, with_source=problem.source != SOURCE_NAME)
        shown = [
            format_html("<code>{}</code>", text) if name == "field" else conditional_escape(text)
            for name, text in pieces
        ]
        if shown:
            lines.append(mark_safe(": ".join(shown)))  # noqa: S308 (each piece escaped above)
    return lines or [_("This protocol could not be read.")]


class ProtocolForm(ClosedFormMixin, forms.ModelForm):
    """Create or edit one of the counselor's own protocols from its TOML text."""

    class Meta:
        model = Protocol
        fields = ["source"]
        labels = {"source": gettext_lazy("Protocol (TOML)")}
        help_texts = {
            "source": gettext_lazy(
                "The same format as the built-in protocol files. Saving checks every "
                "step; problems are listed below the field with the step and the field named."
            )
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
        self.fields["source"].error_messages["required"] = _(
            "Paste or write the protocol here; it cannot be empty."
        )
        self.fields["source"].widget.attrs["aria-describedby"] = "source-help"

    def clean_source(self):
        source = self.cleaned_data["source"]
        if len(source) > SOURCE_MAX_CHARS:
            raise ValidationError(
                _("This protocol is too long (over %(most)s characters).")
                % {"most": SOURCE_MAX_CHARS}
            )
        try:
            doc = load_protocol_text(source, source=SOURCE_NAME)
        except ProtocolError as error:
            raise ValidationError(_error_lines(error)) from error
        slug = doc["slug"]
        if slug in builtin_protocols():
            raise ValidationError(
                _('slug: "%(slug)s" is the name of a built-in protocol; choose another slug.')
                % {"slug": slug}
            )
        taken = Protocol.objects.filter(slug=slug)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise ValidationError(
                _('slug: "%(slug)s" is already in use; choose another slug.') % {"slug": slug}
            )
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
        label=gettext_lazy("Private note"),
        max_length=NOTE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": gettext_lazy("Write something before saving the note."),
            "max_length": filled_lazy(
                gettext_noop("A note can hold up to %(most)s characters."),
                {"most": NOTE_MAX_CHARS},
            ),
        },
    )


class NewSessionForm(ClosedFormMixin, forms.Form):
    """Pick the protocol a new hosted session will follow: a built-in one or one of your own."""

    protocol = forms.ChoiceField(
        label=gettext_lazy("Protocol"),
        error_messages={"invalid_choice": gettext_lazy("Choose one of the protocols in the list.")},
    )

    def __init__(self, *args, owner, **kwargs):
        super().__init__(*args, **kwargs)
        own = Protocol.objects.filter(owner=owner).order_by("title")
        choices = [
            (
                _("Built-in"),
                [
                    (slug, in_reader_language(doc)["title"])
                    for slug, doc in shared_protocols().items()
                ],
            )
        ]
        if own:
            choices.append((_("Your protocols"), [(p.slug, p.texts_in()["title"]) for p in own]))
        self.fields["protocol"].choices = choices
        self.owner = owner

    def clean_protocol(self):
        """Returns `(slug, own Protocol or None)`; a slug not offered above is refused."""
        slug = self.cleaned_data["protocol"]
        own = Protocol.objects.filter(owner=self.owner, slug=slug).first()
        if own is None and slug not in shared_protocols():
            raise ValidationError(_("Choose one of the protocols in the list."))
        return slug, own


NAME_MAX_CHARS = 150  # Django's first_name


class InviteForm(ClosedFormMixin, forms.Form):
    """A new counselor account, without a password until the invited person sets one."""

    username = forms.CharField(
        label=gettext_lazy("Username"),
        max_length=150,
        help_text=gettext_lazy("What they will sign in with: letters, digits and @ . + - _ only."),
        error_messages={
            "required": gettext_lazy("Give the new counselor a username to sign in with."),
            "max_length": gettext_lazy("A username can be up to 150 characters."),
        },
    )
    name = forms.CharField(
        label=gettext_lazy("Their name (optional)"),
        required=False,
        max_length=NAME_MAX_CHARS,
        error_messages={
            "max_length": filled_lazy(
                gettext_noop("A name can be up to %(most)s characters."), {"most": NAME_MAX_CHARS}
            )
        },
    )
    email = forms.EmailField(
        label=gettext_lazy("Email (optional)"),
        required=False,
        max_length=254,
        error_messages={"invalid": gettext_lazy("This does not look like an email address.")},
    )

    def clean_username(self):
        User = get_user_model()
        username = self.cleaned_data["username"].strip()
        field = User._meta.get_field(User.USERNAME_FIELD)
        try:
            field.run_validators(username)
        except ValidationError:
            raise ValidationError(
                _("A username can hold only letters, digits and @ . + - _ (no spaces).")
            ) from None
        if User._default_manager.filter(**{f"{User.USERNAME_FIELD}__iexact": username}).exists():
            raise ValidationError(
                _(
                    "There is already an account called “%(username)s”. If they never set a "
                    "password or have lost it, make them a new link from the admin's user list "
                    "(“Make a link to set a password”)."
                )
                % {"username": username}
            )
        return username

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if any(ord(ch) < 32 or ord(ch) == 127 or 0xD800 <= ord(ch) <= 0xDFFF for ch in name):
            raise ValidationError(_("A name cannot hold control characters."))
        return name

    def clean_email(self):
        return self.cleaned_data["email"].strip()
