"""The editorial app: sources, the people they name, quotes and editor's notes."""

import datetime as dt
import functools

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from newsroom.i18n import translated_fields
from newsroom.text import clean_text

LANGUAGE_CHOICES = [("th", _("Thai")), ("en", _("English"))]


def import_export_permissions(model_name: str) -> list[tuple[str, str]]:
    """Bulk import and export are rights of their own (django-import-export checks them)."""
    return [
        (f"import_{model_name}", _("Can import from a file")),
        (f"export_{model_name}", _("Can export to a file")),
    ]


def publish_permission(model_name: str) -> tuple[str, str]:
    """Moving an item to or from the public is a right of its own (chief editors have it)."""
    return (f"publish_{model_name}", _("Can publish, unpublish and archive"))


def _local(moment) -> str:
    """A stored time as the newsroom reads it: in the site's time zone (Bangkok), not UTC."""
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}" if moment else "…"


def _user_field(verbose_name):
    """Who did something; the record stays when the account is deleted."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )


class Status(models.TextChoices):
    DRAFT = "draft", _("draft")
    REVIEW = "review", _("in review")
    PUBLISHED = "published", _("published")
    UNPUBLISHED = "unpublished", _("unpublished")
    ARCHIVED = "archived", _("archived")


def published_q(prefix: str = "", *, now: dt.datetime | None = None) -> Q:
    """Published, and its publish time (if any) reached when the query is made (or at
    ``now``): a scheduled item appears by itself, with no job to run."""
    now = timezone.now() if now is None else now
    return Q(**{f"{prefix}status": Status.PUBLISHED}) & (
        Q(**{f"{prefix}publish_at__isnull": True}) | Q(**{f"{prefix}publish_at__lte": now})
    )


def is_public(item) -> bool:
    """Whether readers see ``item`` now (the Python side of ``published_q``)."""
    return item.status == Status.PUBLISHED and (
        item.publish_at is None or item.publish_at <= timezone.now()
    )


class PublishableQuerySet(models.QuerySet):
    def published(self, *, now: dt.datetime | None = None):
        return self.filter(published_q(now=now))

    def scheduled(self, *, now: dt.datetime | None = None):
        """Published, to appear at a time still to come."""
        now = timezone.now() if now is None else now
        return self.filter(status=Status.PUBLISHED, publish_at__gt=now)

    def hidden(self, *, now: dt.datetime | None = None):
        """What ``published()`` leaves out (readers do not see it), in terms an index serves:
        any other status, or a time still to come (whatever the status: an item not
        published is hidden anyway, and the condition is then the publish_at index's alone)."""
        others = [status for status in Status.values if status != Status.PUBLISHED]
        now = timezone.now() if now is None else now
        return self.filter(Q(status__in=others) | Q(publish_at__gt=now))


class CleanedTextModel(models.Model):
    """Cleans every free-text field (both languages) and derives its own values before it is
    stored: ``prepared`` is the rule, for ``save()`` and for the bulk importer alike."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.prepare()
        super().save(*args, **kwargs)

    @classmethod
    def prepared(cls, values: dict) -> dict:
        """``values`` (by attname) as every write stores them: text cleaned, derived values
        added (``derived``). Raises ValidationError, by field, for a value it cannot derive from."""
        multiline = cleaned_fields(cls)
        cleaned = {
            name: clean_text(value, multiline=multiline[name])
            if name in multiline and value
            else value
            for name, value in values.items()
        }
        return {**cleaned, **cls.derived(cleaned)}

    # The fields ``derived`` reads: a row updated by a file without some of them derives its
    # values from the stored ones (newsroom.imports.engine).
    DERIVED_FROM: tuple[str, ...] = ()

    @classmethod
    def derived(cls, values: dict) -> dict:
        """Values computed from others on the same row (an event's date bounds)."""
        return {}

    def prepare(self) -> None:
        values = {f.attname: getattr(self, f.attname) for f in self._meta.concrete_fields}
        for name, value in type(self).prepared(values).items():
            setattr(self, name, value)

    def clean_fields(self, exclude=None):
        # A related row held as read from the database exists: its foreign key is not asked
        # again (the form that chose it, or the code that read it, did; the database's own
        # constraint still guards the write).
        super().clean_fields(exclude={*(exclude or ()), *held_relations(self)})


def held_relations(obj) -> set[str]:
    """The foreign keys of ``obj`` whose target it holds as read from the database."""
    held = set()
    for field in obj._meta.concrete_fields:
        if not field.many_to_one or field.remote_field.limit_choices_to:
            continue
        target = field.get_cached_value(obj, default=None)
        if (
            target is not None
            and not target._state.adding
            and target.pk is not None
            and target.pk == getattr(obj, field.attname)
        ):
            held.add(field.name)
    return held


@functools.cache
def cleaned_fields(model) -> dict[str, bool]:
    """The free-text columns of ``model`` cleaned on every write: attname -> multi-line.

    modeltranslation's base fields (``title``) read with fallback and write to the active
    language: only the real columns (``title_th``, ``title_en``) are cleaned.
    """
    skipped = set(translated_fields(model))
    return {
        field.attname: isinstance(field, models.TextField)
        for field in model._meta.concrete_fields
        if field.name not in skipped
        and not field.choices
        and isinstance(field, models.CharField | models.TextField)
        and not isinstance(field, models.SlugField | models.URLField)
    }


class TimestampedModel(CleanedTextModel):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class PublishableModel(TimestampedModel):
    """An item that moves through the workflow: its state, and when it goes public."""

    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    publish_at = models.DateTimeField(
        _("publish at"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("Leave empty to publish at once; a later time schedules it."),
    )

    class Meta:
        abstract = True


class Source(PublishableModel):
    """One published document an event rests on, kept whole as it was published."""

    slug = models.SlugField(
        _("slug"),
        max_length=120,
        unique=True,
        help_text=_("ASCII letters, digits and hyphens; part of the URL."),
    )
    title = models.CharField(_("title"), max_length=300)
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    author = models.CharField(_("author"), max_length=200, blank=True)
    url = models.URLField(_("URL"), max_length=500, blank=True)
    published_on = models.DateField(
        _("publication date"),
        null=True,
        blank=True,
        help_text=_("Leave empty when the source does not say."),
    )
    language = models.CharField(
        _("language of the original"), max_length=5, choices=LANGUAGE_CHOICES, default="th"
    )
    summary = models.TextField(_("summary"), blank=True)
    full_text = models.TextField(
        _("full text"),
        blank=True,
        help_text=_("The text as published, in its own language; paragraphs are kept."),
    )
    is_complete = models.BooleanField(
        _("text is complete"),
        default=True,
        help_text=_("Untick when the text we hold is cut off or partial; readers are told."),
    )
    translation_of = models.ForeignKey(
        "self",
        verbose_name=_("translation of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="translations",
        help_text=_("The original this source translates, if any."),
    )

    objects = PublishableQuerySet.as_manager()

    class Meta:
        ordering = ["-published_on", "slug"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        permissions = [*import_export_permissions("source"), publish_permission("source")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(translation_of=models.F("pk")), name="source_not_translation_of_itself"
            ),
        ]

    def __str__(self):
        return self.title or self.slug

    def get_absolute_url(self):
        return reverse("timeline:source-detail", kwargs={"slug": self.slug})


class PersonKind(models.TextChoices):
    PERSON = "person", _("person")
    ORGANISATION = "organisation", _("organisation")


class Person(TimestampedModel):
    """A person or an organisation that the sources name or quote."""

    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=PersonKind.choices, default=PersonKind.PERSON
    )
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(
        _("role"),
        max_length=300,
        blank=True,
        help_text=_("What the person is or was, e.g. leader of North Korea."),
    )
    description = models.TextField(_("description"), blank=True)
    aliases = models.TextField(
        _("other spellings"),
        blank=True,
        help_text=_(
            "One per line, in any language: other names and spellings readers may search"
            " for, e.g. ปูตีน or Putin. Search finds this item, and every text naming it, by"
            " any of them."
        ),
    )
    affiliations = models.ManyToManyField(
        "self",
        verbose_name=_("affiliations"),
        symmetrical=False,
        blank=True,
        related_name="members",
        limit_choices_to={"kind": PersonKind.ORGANISATION},
    )

    class Meta:
        ordering = ["name", "slug"]
        verbose_name = _("person or organisation")
        verbose_name_plural = _("people and organisations")
        permissions = import_export_permissions("person")

    def __str__(self):
        return self.name or self.slug

    def get_absolute_url(self):
        return reverse("timeline:person-detail", kwargs={"slug": self.slug})


class Quote(CleanedTextModel):
    """Words attributed to a person, as a source reports them."""

    # Shown on these items' pages, in no list of its own (newsroom.publishing.dependencies).
    SHOWN_ON = ("person", "source", "event")

    person = models.ForeignKey(
        Person, verbose_name=_("said by"), on_delete=models.CASCADE, related_name="quotes"
    )
    source = models.ForeignKey(
        Source, verbose_name=_("source"), on_delete=models.CASCADE, related_name="quotes"
    )
    event = models.ForeignKey(
        "timeline.Event",
        verbose_name=_("event"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="quotes",
    )
    text = models.TextField(_("quote"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["source", "position", "pk"]
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")

    def __str__(self):
        return f"{self.person}: {self.text[:60]}"


class NoteKind(models.TextChoices):
    NOTE = "note", _("editor's note")
    CORRECTION = "correction", _("correction")


class Note(CleanedTextModel):
    """A dated editor's note or correction, on a source or on an event (never both)."""

    # Shown on these items' pages, in no list of its own (newsroom.publishing.dependencies).
    SHOWN_ON = ("source", "event")

    kind = models.CharField(
        _("kind"), max_length=20, choices=NoteKind.choices, default=NoteKind.NOTE
    )
    noted_on = models.DateField(_("date"))
    text = models.TextField(_("text"))
    is_public = models.BooleanField(_("shown to readers"), default=True)
    source = models.ForeignKey(
        Source,
        verbose_name=_("source"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notes",
    )
    event = models.ForeignKey(
        "timeline.Event",
        verbose_name=_("event"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notes",
    )

    class Meta:
        ordering = ["noted_on", "pk"]
        verbose_name = _("editor's note")
        verbose_name_plural = _("editor's notes")
        constraints = [
            models.CheckConstraint(
                condition=Q(source__isnull=False, event__isnull=True)
                | Q(source__isnull=True, event__isnull=False),
                name="note_on_exactly_one_item",
                violation_error_message=_("Attach the note to a source or to an event, not both."),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.noted_on})"


class ImportRecord(models.Model):
    """One import of a file: who, when, what, and what it changed (so that it can be undone)."""

    class State(models.TextChoices):
        QUEUED = "queued", _("waiting to start")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")
        UNDONE = "undone", _("undone")

    model = models.ForeignKey(
        "contenttypes.ContentType", verbose_name=_("of"), on_delete=models.PROTECT
    )
    user = _user_field(_("by"))
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    file_name = models.CharField(_("file"), max_length=255, blank=True)
    file = models.FileField(
        _("stored file"),
        upload_to="imports/",
        blank=True,
        help_text=_("Kept for imports run in the background."),
    )
    background = models.BooleanField(_("in the background"), default=False)
    notified = models.BooleanField(_("editor told"), default=False)
    file_format = models.CharField(_("format"), max_length=10, blank=True)
    encoding = models.CharField(_("encoding"), max_length=20, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.RUNNING
    )
    rows_total = models.PositiveIntegerField(_("rows in the file"), default=0)
    rows_done = models.PositiveIntegerField(_("rows read"), default=0)
    created = models.PositiveIntegerField(pgettext_lazy("rows", "created"), default=0)
    updated = models.PositiveIntegerField(pgettext_lazy("rows", "updated"), default=0)
    unchanged = models.PositiveIntegerField(pgettext_lazy("rows", "unchanged"), default=0)
    created_ids = models.JSONField(_("rows created"), default=list, blank=True, editable=False)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    notes = models.JSONField(_("notes"), default=list, blank=True)
    # A translation file's import: the translation states it changed, as they were (for undo).
    translation_states = models.JSONField(default=list, blank=True, editable=False)
    undone_at = models.DateTimeField(_("undone"), null=True, blank=True)
    undone_by = _user_field(_("undone by"))

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self):
        return f"{self.file_name or self.model} ({_local(self.started_at)})"


class ImportChange(models.Model):
    """A row an import updated, with the values it had before."""

    record = models.ForeignKey(ImportRecord, on_delete=models.CASCADE, related_name="changes")
    object_id = models.BigIntegerField()
    before = models.JSONField(default=dict, blank=True)

    def __str__(self):
        return f"#{self.object_id}"


class WorkflowLog(models.Model):
    """One move of an event or a source between workflow states: who, when, why."""

    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE)
    object_id = models.BigIntegerField(db_index=True)
    from_status = models.CharField(_("from"), max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=Status.choices)
    publish_at = models.DateTimeField(_("publish at"), null=True, blank=True)
    by = _user_field(_("by"))
    at = models.DateTimeField(_("when"), auto_now_add=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("workflow step")
        verbose_name_plural = _("workflow log")
        indexes = [
            # An item's history, and when it was last published (``publishing.times``).
            models.Index(
                fields=["content_type", "object_id", "to_status", "at"], name="workflowlog_item"
            ),
            # The items published last, newest first (the feeds: ``times.latest_changed``).
            models.Index(fields=["content_type", "to_status", "at"], name="workflowlog_latest"),
        ]

    def __str__(self):
        return f"{self.from_status or '∅'} → {self.to_status}"


class TranslationState(models.Model):
    """What a translation was last confirmed against, and whether the original has moved on."""

    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE)
    object_id = models.BigIntegerField()
    language = models.CharField(_("language"), max_length=5, choices=LANGUAGE_CHOICES)
    source_hash = models.CharField(_("original's fingerprint"), max_length=64, blank=True)
    stale = models.BooleanField(_("original changed since"), default=False)
    # The fields whose original changed since, each with the original's text before.
    originals = models.JSONField(_("originals translated from"), default=dict, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    confirmed_by = _user_field(_("confirmed by"))

    class Meta:
        verbose_name = _("translation state")
        verbose_name_plural = _("translation states")
        # A translator's role: only the fields of their language (every other is read-only).
        permissions = [
            ("translates_into_th", _("Works on the Thai translation only")),
            ("translates_into_en", _("Works on the English translation only")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "language"],
                name="one_translation_state_per_language",
            ),
        ]

    def __str__(self):
        return f"{self.content_type} #{self.object_id} [{self.language}]"


class FailedLogin(models.Model):
    """A wrong password given for an account, kept for a while to slow down guessing
    (``newsroom.logins``)."""

    username = models.CharField(_("username"), max_length=150, db_index=True)
    address = models.GenericIPAddressField(_("address"), null=True, blank=True, db_index=True)
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("failed sign-in")
        verbose_name_plural = _("failed sign-ins")

    def __str__(self):
        return f"{self.username} {self.address or ''} {_local(self.at)}"


class WorkerHeartbeat(models.Model):
    """A background worker (``manage.py db_worker``) says it is alive, every few seconds:
    the work it claimed is taken back when it stops saying so (``newsroom.worker``)."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    seen_at = models.DateTimeField(db_index=True)
    pid = models.PositiveIntegerField(default=0)
    host = models.CharField(max_length=255, blank=True)

    class Meta:
        verbose_name = _("worker")
        verbose_name_plural = _("workers")

    def __str__(self):
        return f"{self.host}:{self.pid} ({self.seen_at:%H:%M:%S})"
