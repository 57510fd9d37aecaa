"""The timeline: events with fuzzy dates, grouped in eras, tagged with topics, cited to sources."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from newsroom.i18n import missing_translation_q
from newsroom.models import (
    PublishableModel,
    PublishableQuerySet,
    Source,
    TimestampedModel,
    import_export_permissions,
    publish_permission,
)
from timeline.dates import (
    SORT_FIRST,
    SORT_LAST,
    FuzzyDate,
    Precision,
    Qualifier,
    iso_date,
    parse_fuzzy_date,
    sort_position,
)
from timeline.expressions import Year
from timeline.labels import ce_years, date_label


class Era(TimestampedModel):
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    start_year = models.PositiveSmallIntegerField(_("first year"))
    end_year = models.PositiveSmallIntegerField(
        _("last year"), null=True, blank=True, help_text=_("Empty while the era goes on.")
    )

    class Meta:
        ordering = ["start_year", "slug"]
        verbose_name = _("era")
        verbose_name_plural = _("eras")
        permissions = import_export_permissions("era")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__isnull=True) | Q(end_year__gte=F("start_year")),
                name="era_ends_after_it_starts",
            ),
        ]

    def __str__(self):
        return self.name or self.slug

    @property
    def years(self) -> str:
        return f"{self.start_year}–{self.end_year or ''}"


class Topic(TimestampedModel):
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    aliases = models.TextField(
        _("other spellings"),
        blank=True,
        help_text=_(
            "One per line, in any language: other names and spellings readers may search"
            " for. Search finds this topic's events, and every text naming it, by any of them."
        ),
    )

    class Meta:
        ordering = ["slug"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        permissions = import_export_permissions("topic")

    def __str__(self):
        return self.name or self.slug


class EventQuerySet(PublishableQuerySet):
    def for_timeline(self):
        """As lists show events (the timeline, a source's or person's events, TimelineJS):
        without their bodies, which no list shows. The timeline's pages show their eras
        and topics too: ``selectors.attach_eras`` and ``attach_topics``."""
        return self.defer("body")

    def untranslated(self, language: str):
        """Events with text in another language that ``language`` still lacks."""
        return self.filter(missing_translation_q(self.model, language))

    def uncited(self):
        return self.filter(citations__isnull=True)


class Event(PublishableModel):
    """Something that happened, dated as precisely as the sources allow."""

    slug = models.SlugField(
        _("slug"),
        max_length=120,
        unique=True,
        help_text=_("ASCII letters, digits and hyphens; part of the URL."),
    )
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), blank=True)
    body = models.TextField(_("body"), blank=True)
    date = models.CharField(
        _("date (EDTF)"),
        max_length=64,
        help_text=_(
            "2025-08-22 (day), 2025-04 (month), 2012 (year), 197X (decade), "
            "1945/1948 (period), 1955~ (approximate), 2024? (uncertain)."
        ),
    )
    start_qualifier = models.CharField(
        _("start qualifier"),
        max_length=8,
        blank=True,
        choices=Qualifier.choices,
        help_text=_("Early, mid or late in the start period."),
    )
    end_qualifier = models.CharField(
        _("end qualifier"), max_length=8, blank=True, choices=Qualifier.choices
    )
    display_date = models.CharField(
        _("date as shown"),
        max_length=120,
        blank=True,
        help_text=_("Leave empty to use the generated label; fill to say it better."),
    )
    sorts_as = models.CharField(
        _("sorts as (EDTF)"),
        max_length=64,
        blank=True,
        help_text=_(
            "Where the timeline places the event, if not where its date says: an EDTF date "
            "such as 2025-08 (the date as shown does not change). Empty: by its date."
        ),
    )
    # Derived from `date` on save: what sorting and range filters use.
    date_start = models.DateField(_("earliest date"), null=True, editable=False, db_index=True)
    date_end = models.DateField(_("latest date"), null=True, editable=False, db_index=True)
    # Where the event sits in the timeline: the bounds, an unknown start first and an
    # unknown end last; never null, so that one index serves every page's order.
    sort_start = models.DateField(_("sorts from"), default=SORT_FIRST, editable=False)
    sort_end = models.DateField(_("sorts to"), default=SORT_LAST, editable=False)
    start_precision = models.CharField(
        _("start precision"), max_length=10, editable=False, choices=Precision.choices, blank=True
    )
    end_precision = models.CharField(
        _("end precision"), max_length=10, editable=False, choices=Precision.choices, blank=True
    )
    era = models.ForeignKey(
        Era,
        verbose_name=_("era"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
    )
    topics = models.ManyToManyField(
        Topic, verbose_name=_("topics"), blank=True, related_name="events"
    )
    people = models.ManyToManyField(
        "newsroom.Person", verbose_name=_("people"), blank=True, related_name="events"
    )
    sources = models.ManyToManyField(
        Source, verbose_name=_("sources"), through="Citation", related_name="events"
    )

    objects = EventQuerySet.as_manager()
    # Readers are promised that every event cites its source: the workflow publishes none
    # with no row in this relation (``newsroom.workflow.services.source_error``).
    publish_requires = "sources"

    class Meta:
        ordering = ["sort_start", "sort_end", "slug"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        permissions = [*import_export_permissions("event"), publish_permission("event")]
        # The public pages' order, whole and era by era: the timeline's pages, previous
        # and next, feeds and the sitemap read along these (status first: published only).
        indexes = [
            models.Index(
                fields=["status", "sort_start", "sort_end", "slug", "publish_at"],
                name="event_order",
            ),
            models.Index(
                fields=["status", "era", "sort_start", "sort_end", "slug", "publish_at"],
                name="event_era_order",
            ),
            # The feeds' newest events (``newsroom.publishing.times.latest_changed``).
            models.Index(fields=["status", "created_at"], name="event_created"),
            # The timeline's counts by year (``timeline.paging``): read in the years' order,
            # not each row's year made and sorted (SQLite: 17 -> 6.5 ms at 50,000 events).
            models.Index(F("status"), Year("sort_start"), F("publish_at"), name="event_year"),
            # A source's and a person's events counted by year (their ids matched against
            # the published events'): on PostgreSQL the published events' ids and years read
            # from this index alone rather than the table (55 -> 10 ms for a source cited
            # by 3,849 events at 50,000). The id a key column (SQLite has no INCLUDE).
            models.Index(
                fields=["status", "publish_at", "sort_start", "id"], name="event_published"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(date_start__isnull=True)
                | Q(date_end__isnull=True)
                | Q(date_end__gte=F("date_start")),
                name="event_ends_after_it_starts",
            ),
        ]

    def __str__(self):
        return self.title or self.slug

    # Set by timeline.paging.mark_decades on the first event of a decade on a timeline page;
    # "" elsewhere (a template's lookup of a missing attribute costs a dir() of the instance).
    decade_anchor = ""

    def get_absolute_url(self):
        return reverse("timeline:event-detail", kwargs={"slug": self.slug})

    DERIVED_FROM = ("date", "sorts_as")

    @classmethod
    def derived(cls, values: dict) -> dict:
        """The date's bounds and precisions, from the EDTF string, and where the event sorts
        (by its ``sorts_as`` if an editor gave one, else by its date)."""
        if "date" not in values:
            return {}
        text = (values["date"] or "").strip()
        try:
            fuzzy = parse_fuzzy_date(text)
        except ValidationError as error:
            raise ValidationError({"date": error.messages}) from error
        placed = sort_position(fuzzy)
        if placement := (values.get("sorts_as") or "").strip():
            try:
                placed = sort_position(parse_fuzzy_date(placement))
            except ValidationError as error:
                raise ValidationError({"sorts_as": error.messages}) from error
        return {
            "date": text,
            "date_start": fuzzy.lower,
            "date_end": fuzzy.upper,
            **dict(zip(("sort_start", "sort_end"), placed, strict=True)),
            "start_precision": fuzzy.start.precision if fuzzy.start else "",
            "end_precision": fuzzy.end.precision if fuzzy.end else "",
        }

    def clean(self):
        super().clean()
        # A date that is not EDTF: the field's error.
        type(self).derived({"date": self.date, "sorts_as": self.sorts_as})

    def prepare(self) -> None:
        super().prepare()
        self.__dict__.pop("fuzzy_date", None)  # the date may have changed

    @cached_property
    def fuzzy_date(self) -> FuzzyDate:
        return parse_fuzzy_date(self.date)

    def generated_date_label(self, language: str) -> str:
        return date_label(
            self.fuzzy_date,
            language=language,
            start_qualifier=self.start_qualifier,
            end_qualifier=self.end_qualifier,
        )

    def date_label(self, language: str) -> str:
        """The editor's wording if given in ``language``, else the generated label."""
        return getattr(self, f"display_date_{language}", "") or self.generated_date_label(language)

    @property
    def machine_date(self) -> str:
        """The value for <time datetime>: set only for a single day, month or year."""
        precise = self.start_precision in (Precision.DAY, Precision.MONTH, Precision.YEAR)
        fuzzy = self.fuzzy_date
        if fuzzy.is_interval or fuzzy.members or not precise or not self.date_start:
            return ""
        if fuzzy.start.spans:  # a season is its months: no one month to give
            return iso_date(self.date_start, Precision.YEAR)
        return iso_date(self.date_start, self.start_precision)

    @property
    def ce_years(self) -> str:
        return ce_years(self.fuzzy_date)


class EventYearCount(models.Model):
    """How many published events (those scheduled for later too) start in each year, era by
    era: what the timeline's pages are numbered by, read instead of counting the archive.

    Written by the database itself, never by Django: triggers on the events' table add a
    row of +1 or -1 for each event that is published, unpublished, deleted or moved to
    another year or era, however it was written (a save, an import, an UPDATE in a shell);
    a year's count is the sum of its rows. Adding rows takes no lock another writer waits
    for (an import of 50,000 events, one transaction, holds none that an editor's save
    needs). ``services.year_counts_compact`` sums them back to a row per year and era
    after writes (migration 0017 has the triggers). Not managed by Django: a test
    database's flush must not empty it apart from the events (the triggers, and on
    PostgreSQL a TRUNCATE trigger, keep it right)."""

    era_id = models.BigIntegerField(_("era"), null=True)
    year = models.IntegerField(_("year"))
    events = models.IntegerField(_("events"))

    class Meta:
        managed = False
        db_table = "timeline_eventyearcount"
        verbose_name = _("count of events by year")
        verbose_name_plural = _("counts of events by year")

    def __str__(self):
        return f"{self.year} ({self.era_id}): {self.events:+d}"


class CitationManager(models.Manager):
    def get_queryset(self):
        # A citation is named by its source (``__str__``: the history, the admin): with it.
        return super().get_queryset().select_related("source")


class Citation(TimestampedModel):
    """The passage of a source that an event rests on."""

    # Shown on these items' pages, in no list of its own (newsroom.publishing.dependencies).
    SHOWN_ON = ("event", "source")

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="citations"
    )
    source = models.ForeignKey(
        Source, verbose_name=_("source"), on_delete=models.PROTECT, related_name="citations"
    )
    passage = models.TextField(
        _("passage"), blank=True, help_text=_("The words of the source, in its own language.")
    )
    note = models.TextField(_("note"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    objects = CitationManager()

    class Meta:
        ordering = ["event", "position", "pk"]
        # A source's events counted from this index alone (``selectors.with_event_count``).
        indexes = [models.Index(fields=["source", "event"], name="citation_source_event")]
        verbose_name = _("citation")
        verbose_name_plural = _("citations")

    def __str__(self):
        return f"{self.event} ← {self.source}"


class SearchEntry(models.Model):
    """One item's searchable text in one language, kept by ``timeline.search``.

    Thai words are separated by a zero-width space (the databases split there, readers
    never see it). The full-text index lives beside it: an FTS5 table kept in sync by
    triggers on SQLite, a generated ``search_vector`` column on PostgreSQL (migration
    0004). A migration that rebuilds this table must recreate them.
    """

    class Kind(models.TextChoices):
        EVENT = "event", _("event")
        SOURCE = "source", _("source")
        PERSON = "person", _("person or organisation")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    object_id = models.BigIntegerField(_("object id"))
    language = models.CharField(_("language"), max_length=5)
    title = models.TextField(_("title"))
    body = models.TextField(_("text"), blank=True)
    extra = models.TextField(_("related names"), blank=True)
    # Events only: what the date filters and the timeline order use.
    date_start = models.DateField(_("earliest date"), null=True)
    date_end = models.DateField(_("latest date"), null=True)
    # SQLite's word index numbers the entry's row newest_prefix + id (migration 0014; set
    # by timeline.search.newest_prefix): read backwards, a word's matches come newest first.
    newest_prefix = models.BigIntegerField(
        _("place among the newest"), db_default=0, editable=False
    )

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id", "language"], name="one_search_entry_per_language"
            ),
        ]
        # Migration 0012 adds search_entry_newest: (language, date_start DESC NULLS LAST,
        # id DESC), what timeline.search walks when too many entries match to rank them all.

    def __str__(self):
        return f"{self.kind} #{self.object_id} [{self.language}]"
