"""What Stay keeps in the database, and deliberately no more.

A couple session is stored as one JSON snapshot guarded by an integer `version`
(the store's optimistic lock) plus an append-only event log. No speech content
is ever stored; answers are the check-in ladder only. Sessions expire so a
couple's data does not linger (see `sessions.store.retention`).
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy

from sessions.engine.vocabulary import (
    ACTIVE,
    COMPLETED,
    ENDED,
    HOST,
    IN_PROGRESS,
    PAUSED,
    SERVER,
    WAITING,
    A,
    B,
)
from sessions.protocols.loader import ProtocolError, builtin_protocols, load_protocol_text


def protocol_text(doc: dict | None, field: str, stored: str, language: str | None = None) -> str:
    """A protocol's ``title``, ``for_whom`` or ``summary`` in ``language`` (the active one
    when not given) where the protocol offers that language, else ``stored``: the row's own
    copy, in the protocol's own language ("es-mx" reads "es").

    Pages show protocols through this (``protocol_title_in``, ``Protocol.texts_in``) rather
    than the stored columns, so a Spanish reader sees the Spanish title of a protocol that
    has one and an English reader sees exactly what was stored.
    """
    code = (language or get_language() or "").lower().split("-")[0]
    texts = (doc or {}).get("texts")
    words = texts.get(code) if isinstance(texts, dict) else None
    text = words.get(field) if isinstance(words, dict) else None
    return text if isinstance(text, str) and text else stored


# Labels in the reader's language (the stored values are the codes).
STATUS_CHOICES = [
    (WAITING, gettext_lazy("Waiting to start")),
    (ACTIVE, gettext_lazy("Active")),
    (PAUSED, gettext_lazy("Paused")),
    (COMPLETED, gettext_lazy("Completed")),
    (ENDED, gettext_lazy("Ended early")),
]
SEAT_CHOICES = [(A, gettext_lazy("Partner A")), (B, gettext_lazy("Partner B"))]
ROLE_CHOICES = [*SEAT_CHOICES, (HOST, gettext_lazy("Host"))]
ACTOR_CHOICES = [*ROLE_CHOICES, (SERVER, gettext_lazy("Server"))]


class Protocol(models.Model):
    """A protocol people can start a session from: built-in, admin-made or a counselor's own.

    `source` (TOML) is the truth; the other descriptive fields and `doc` are filled
    from it by `full_clean()`, so every way of saving one validates by the loader's rules.
    """

    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=200)
    minutes = models.PositiveIntegerField(default=0)
    for_whom = models.TextField(blank=True)
    summary = models.TextField(blank=True)
    source = models.TextField(help_text="The protocol in TOML, as in sessions/protocols/*.toml.")
    doc = models.JSONField(default=dict, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        # A counselor's own protocols go with their account; sessions keep a copy.
        on_delete=models.CASCADE,
        related_name="protocols",
        help_text="Empty for built-in and admin-made protocols.",
    )
    is_builtin = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return f"{self.title} ({self.slug})"

    DERIVED_FIELDS = ("slug", "title", "minutes", "for_whom", "summary", "doc")

    def clean_fields(self, exclude=None) -> None:
        """Derive the descriptive fields from `source` first, so they are checked as filled.

        When the source itself is wrong, only that is reported: complaints about the
        empty fields it would have filled would just be noise.
        """
        exclude = set(exclude or ())
        errors = {}
        if "source" in exclude:
            # A form already refused the source (or does not edit it): nothing to derive.
            exclude |= set(self.DERIVED_FIELDS)
        else:
            try:
                self._derive_from_source()
            except ValidationError as exc:
                errors = exc.update_error_dict(errors)
                exclude |= set(self.DERIVED_FIELDS)
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def clean(self) -> None:
        if not self.doc:
            return  # the source was refused in clean_fields
        if not self.is_builtin and self.slug in builtin_protocols():
            raise ValidationError(
                {"source": f"{self.slug!r} is the name of a built-in protocol; pick another slug."}
            )
        clash = Protocol.objects.filter(slug=self.slug).exclude(pk=self.pk)
        if clash.exists():
            raise ValidationError(
                {"source": f"Another protocol already uses the slug {self.slug!r}; pick another."}
            )

    def _derive_from_source(self) -> None:
        """Validate `source` with the protocol loader, the same rules as the built-in files."""
        name = f"{self.slug or 'protocol'}.toml"
        try:
            doc = load_protocol_text(self.source or "", source=name)
        except ProtocolError as exc:
            raise ValidationError({"source": exc.errors}) from None
        self.fill_from_doc(doc)

    def texts_in(self, language: str | None = None) -> dict:
        """Its ``title``, ``for_whom`` and ``summary`` in ``language`` (the active one when
        not given, as a template asks) where it offers that language, else as stored."""
        return {
            field: protocol_text(self.doc, field, getattr(self, field), language)
            for field in ("title", "for_whom", "summary")
        }

    def fill_from_doc(self, doc: dict) -> None:
        self.doc = doc
        self.slug = doc["slug"]
        self.title = doc["title"]
        self.minutes = doc["minutes"]
        self.for_whom = doc.get("for_whom", "")
        self.summary = doc.get("summary", "")


class Couple(models.Model):
    """A counselor's client couple: first names or initials only, and a private note.

    Everything of a couple (its sessions, practice, measures, link) goes when the
    counselor deletes it; nothing else ever deletes it (README, "Working with couples
    over time"). The standing link's code is kept plain, like a join code, so the
    counselor can show it again; ``link_code`` is null once the link is revoked.
    """

    counselor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="couples"
    )
    name_a = models.CharField(max_length=40)
    name_b = models.CharField(max_length=40)
    note = models.TextField(blank=True, max_length=2000)
    link_code = models.CharField(max_length=64, unique=True, null=True, blank=True)  # noqa: DJ001
    measure_on = models.BooleanField(
        default=False, help_text="Each partner answers the CSI-4 privately before a hosted session."
    )
    # The next appointment as the counselor wrote it down; shown to her and, calmly, on the
    # couple's standing link. Stay schedules nothing: it is a date to see, not a timer.
    next_session_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name_a", "name_b", "pk"]

    def __str__(self) -> str:
        return f"{self.name_a} & {self.name_b}"

    def upcoming_session(self, now=None):
        """The next appointment while it is still ahead (an hour's grace once it began)."""
        when = self.next_session_at
        if when is None or when < (now or timezone.now()) - timedelta(hours=1):
            return None
        return when


class GoneLink(models.Model):
    """That a standing link once worked and no longer does (revoked, replaced, couple deleted).

    Only a hash of the link's code and the day, so the link answers 410 with a page that
    names nothing, never a trace of the couple it opened.
    """

    code_hash = models.CharField(max_length=64, unique=True)
    gone_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"gone {self.gone_at:%Y-%m-%d}"


class PracticeQuerySet(models.QuerySet):
    def with_protocol_doc(self):
        """Each practice with ``protocol_row_doc``: the document of the Protocol row its slug
        names (admin-made or the couple's counselor's own; None when there is none), read
        in the same query, so a list of practice shows each title in the reader's language
        at no extra query (``Practice.protocol_title_in``)."""
        row = Protocol.objects.filter(slug=OuterRef("protocol_slug")).filter(
            Q(owner__isnull=True) | Q(owner=OuterRef("couple__counselor"))
        )
        return self.annotate(
            protocol_row_doc=Subquery(row.values("doc")[:1], output_field=models.JSONField())
        )


class Practice(models.Model):
    """Practice between sessions: a self-guided protocol and how often, assigned to a couple."""

    couple = models.ForeignKey(Couple, on_delete=models.CASCADE, related_name="practices")
    protocol_slug = models.CharField(max_length=80)
    protocol_title = models.CharField(max_length=200)
    times_per_week = models.PositiveSmallIntegerField()
    note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    stopped_at = models.DateTimeField(null=True, blank=True)

    objects = PracticeQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.protocol_title}, {self.times_per_week} a week"

    def protocol_title_in(self, language: str | None = None) -> str:
        """The protocol's title in ``language`` (the active one when not given) where the
        protocol (built-in, admin-made or the counselor's own, found by slug) offers it,
        else the title copied when the practice was given."""
        if hasattr(self, "protocol_row_doc"):  # read with the row (``with_protocol_doc``)
            doc = self.protocol_row_doc
        else:
            row = (
                Protocol.objects.filter(slug=self.protocol_slug)
                .filter(Q(owner__isnull=True) | Q(owner__couples=self.couple_id))
                .only("doc")
                .first()
            )
            doc = row.doc if row is not None else None
        doc = doc or builtin_protocols().get(self.protocol_slug)
        return protocol_text(doc, "title", self.protocol_title, language)


WORKSHOP_OPEN = "open"  # couples are pairing; nothing has started
WORKSHOP_STARTED = "started"  # the facilitator pressed "Start all"
WORKSHOP_ENDED = "ended"  # over: the link and every pairing word stop working
WORKSHOP_STATUS_CHOICES = [
    (WORKSHOP_OPEN, gettext_lazy("Open for couples")),
    (WORKSHOP_STARTED, gettext_lazy("Under way")),
    (WORKSHOP_ENDED, gettext_lazy("Ended")),
]
MAX_WORKSHOP_COUPLES = 60


class Workshop(models.Model):
    """One facilitator, one link, many couples: each pair works in its own room (issue 17).

    The rooms are ordinary hosted sessions (``CoupleSession.workshop``) hosted by the
    facilitator, so every rule of a room holds in each. What the group shares is kept here:
    the step the facilitator has moved everyone to, and, once ended, a content-free summary
    that outlives the rooms' own retention.
    """

    counselor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="workshops"
    )
    code = models.CharField(max_length=64, unique=True)  # the group's link: /w/<code>/
    title = models.CharField(max_length=120)
    protocol_slug = models.CharField(max_length=80)
    protocol_title = models.CharField(max_length=200)
    protocol_doc = models.JSONField(default=dict)
    max_couples = models.PositiveSmallIntegerField()
    paced = models.BooleanField(default=True, help_text="The facilitator moves everyone on.")
    status = models.CharField(max_length=8, choices=WORKSHOP_STATUS_CHOICES, default=WORKSHOP_OPEN)
    step = models.PositiveSmallIntegerField(default=0)  # the group's step (host-paced)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    # Filled when the workshop ends: counts only, never a word from any room.
    summary = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.title} · {self.created_at:%Y-%m-%d}"

    def protocol_title_in(self, language: str | None = None) -> str:
        """The protocol's title in ``language`` (the active one when not given) where the
        workshop's copy of it offers that language, else as stored."""
        return protocol_text(self.protocol_doc, "title", self.protocol_title, language)


class CoupleSessionQuerySet(models.QuerySet):
    def live(self, now=None):
        """Sessions not past their expiry: an expired session is treated as gone."""
        now = now or timezone.now()
        return self.filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))

    def expired(self, now=None):
        """Past expiry. Active and paused sessions never expire (their expires_at is null)."""
        now = now or timezone.now()
        return self.filter(expires_at__lte=now).exclude(status__in=sorted(IN_PROGRESS))


class CoupleSession(models.Model):
    """One couple's session: the join code, a frozen protocol copy and the engine snapshot."""

    code = models.CharField(max_length=64, unique=True)
    protocol_slug = models.CharField(max_length=80)
    protocol_title = models.CharField(max_length=200)
    protocol_doc = models.JSONField(
        default=dict, help_text="Copy taken at creation: editing a protocol never changes a room."
    )
    counselor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        # The couple's session outlives a deleted counselor account (it still expires
        # on schedule); CASCADE would silently delete the couple's data mid-session.
        on_delete=models.SET_NULL,
        related_name="hosted_sessions",
    )
    # A couple's session: hosted by its counselor, or practice the couple started from
    # their standing link (no counselor in the room; ``practice`` says which assignment).
    couple = models.ForeignKey(
        Couple, null=True, blank=True, on_delete=models.CASCADE, related_name="sessions"
    )
    practice = models.ForeignKey(
        Practice, null=True, blank=True, on_delete=models.SET_NULL, related_name="sessions"
    )
    # Each partner's private "share this practice with our counselor" tick; the check-in
    # answers of a practice reach the counselor only when both are set.
    share_a = models.BooleanField(default=False)
    share_b = models.BooleanField(default=False)
    # A couple's room in a workshop, and the short word the first partner shows the other.
    workshop = models.ForeignKey(
        Workshop, null=True, blank=True, on_delete=models.CASCADE, related_name="rooms"
    )
    pairing_word = models.CharField(max_length=16, null=True, blank=True)  # noqa: DJ001
    state = models.JSONField(default=dict)
    version = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=16, choices=STATUS_CHOICES, default=WAITING)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(
        null=True, blank=True, db_index=True, help_text="Null while active or paused."
    )
    # Deleting a finished session needs both partners' yes: the first one's request waits
    # here until the other agrees (or either withdraws). `delete_kept_by` is the partner who
    # answered "keep it" to the latest request, so the one who asked can be told.
    delete_requested_by = models.CharField(max_length=1, choices=SEAT_CHOICES, blank=True)
    delete_requested_at = models.DateTimeField(null=True, blank=True)
    delete_kept_by = models.CharField(max_length=1, choices=SEAT_CHOICES, blank=True)

    objects = CoupleSessionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "couple session"
        constraints = [
            models.UniqueConstraint(
                fields=["workshop", "pairing_word"], name="one_pairing_word_per_workshop"
            )
        ]

    def __str__(self) -> str:
        return f"{self.protocol_title} · {self.created_at:%Y-%m-%d %H:%M} · {self.status}"

    def protocol_title_in(self, language: str | None = None) -> str:
        """The protocol's title in ``language`` (the active one when not given) where the
        room's frozen copy offers that language, else as stored."""
        return protocol_text(self.protocol_doc, "title", self.protocol_title, language)

    @property
    def is_practice(self) -> bool:
        """The couple's own practice: a couple's session with no counselor in the room."""
        return self.couple_id is not None and self.counselor_id is None


class Seat(models.Model):
    """A claimed partner seat, bound to one browser by a secret only that browser holds."""

    session = models.ForeignKey(CoupleSession, on_delete=models.CASCADE, related_name="seats")
    seat = models.CharField(max_length=1, choices=SEAT_CHOICES)
    name = models.CharField(max_length=40)
    # sha256 hex of the browser's token; the token itself is never stored. Empty once the
    # partner removed themselves: no browser holds the seat any more.
    token_hash = models.CharField(max_length=64)
    # Keyed hash of the seat code (`codes.hash_seat_code`) a new device proves the seat with;
    # empty when the seat has none (claimed before seat codes, or its partner removed themselves).
    code_hash = models.CharField(max_length=64, blank=True, default="")
    # Set while the seat is held by approval (a `let_in` yes moved it here): the code hash
    # the seat had before, so the person who held it can take it straight back with their
    # old seat code (a seat code beats an approval). Null when the seat's own code holds it.
    prior_code_hash = models.CharField(max_length=64, null=True, blank=True)  # noqa: DJ001
    claimed_at = models.DateTimeField(default=timezone.now)
    # The language this partner reads the room in (a code from settings.LANGUAGES), chosen
    # on the join page; empty: the browser's own choice. Each partner's may differ.
    language = models.CharField(max_length=8, blank=True, default="")

    class Meta:
        ordering = ["session", "seat"]
        constraints = [
            models.UniqueConstraint(fields=["session", "seat"], name="one_claim_per_seat"),
        ]

    def __str__(self) -> str:
        return f"{self.seat}: {self.name}"


class Event(models.Model):
    """Append-only log of accepted inputs; each row names the version it produced."""

    session = models.ForeignKey(CoupleSession, on_delete=models.CASCADE, related_name="events")
    version = models.PositiveIntegerField()
    actor = models.CharField(max_length=8, choices=ACTOR_CHOICES)
    action = models.CharField(max_length=32)
    args = models.JSONField(default=dict, blank=True)
    events = models.JSONField(default=list, blank=True)
    # NULL (not "") so the conditional unique constraint skips frames without a request id.
    rid = models.CharField(max_length=64, null=True, blank=True)  # noqa: DJ001
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["session", "version"]
        constraints = [
            models.UniqueConstraint(fields=["session", "version"], name="one_event_per_version"),
            # A request id is the sender's own: two people's frames never answer for each other.
            models.UniqueConstraint(
                fields=["session", "actor", "rid"],
                condition=Q(rid__isnull=False),
                name="one_event_per_actor_request_id",
            ),
        ]

    def __str__(self) -> str:
        return f"v{self.version} {self.actor} {self.action}"


class Lease(models.Model):
    """A live connection's claim to presence in a room, renewed by its heartbeat."""

    session = models.ForeignKey(CoupleSession, on_delete=models.CASCADE, related_name="leases")
    role = models.CharField(max_length=8, choices=ROLE_CHOICES)
    channel_name = models.CharField(max_length=200, unique=True)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        indexes = [models.Index(fields=["session", "role", "expires_at"])]

    def __str__(self) -> str:
        return f"{self.role} until {self.expires_at:%H:%M:%S}"


class DeletedSession(models.Model):
    """That a session was deleted because both partners asked, and nothing else.

    Only a hash of the join code and the day, so a browser that still holds a seat in
    it can be told "you both agreed" instead of "not found"; no names, no protocol. Rows
    older than the finished-session retention are dropped as new deletions come in.
    """

    code_hash = models.CharField(max_length=64, unique=True)
    deleted_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"deleted {self.deleted_at:%Y-%m-%d}"


class Note(models.Model):
    """A counselor's private note; it stays with the counselor when the session is deleted."""

    counselor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notes"
    )
    session = models.ForeignKey(
        CoupleSession,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notes",
    )
    # A note about a couple's session belongs to the couple too: deleting the couple deletes it.
    couple = models.ForeignKey(
        Couple, null=True, blank=True, on_delete=models.CASCADE, related_name="notes"
    )
    # Kept after the session is gone, e.g. "Daily check-in · 2026-11-26".
    session_label = models.CharField(max_length=200, blank=True)
    text = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.session_label or 'note'} · {self.created_at:%Y-%m-%d}"


class MeasureAnswer(models.Model):
    """One partner's private CSI-4 before a hosted session (Funk & Rogge, 2007): counselor only.

    Never in a room's snapshot, never shown to the other partner, never in the partners'
    summary. Kept with the couple (the session may be deleted by the partners; the label
    and day stay), deleted with the couple.
    """

    couple = models.ForeignKey(Couple, on_delete=models.CASCADE, related_name="measures")
    session = models.ForeignKey(
        CoupleSession, null=True, blank=True, on_delete=models.SET_NULL, related_name="measures"
    )
    session_label = models.CharField(max_length=200, blank=True)
    seat = models.CharField(max_length=1, choices=SEAT_CHOICES)
    # The four item scores (0-6, 0-5, 0-5, 0-5); empty when the partner skipped.
    items = models.JSONField(default=list, blank=True)
    total = models.PositiveSmallIntegerField(null=True, blank=True)
    skipped = models.BooleanField(default=False)
    answered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["answered_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "seat"],
                condition=Q(session__isnull=False),
                name="one_measure_per_seat_and_session",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.seat}: {'skipped' if self.skipped else self.total}"
