"""Reads for the public: every public page, feed, sitemap and JSON reads through these.

What readers may see is decided here, once: an event or a source that is published and
whose publish time has come; of an event's or a person's quotes and citations, only those
whose source readers may see too; public notes only. Staff who may change an item see it
before it is public (``visible``), as a preview.
"""

from django.db import connection
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Subquery,
    prefetch_related_objects,
)
from django.db.models.expressions import RawSQL
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan, TupleLessThan
from django.db.models.functions import Coalesce

from newsroom.models import Note, Person, Quote, Source, published_q
from newsroom.publishing.times import with_last_published
from timeline.models import Citation, Event

ORDER = ("sort_start", "sort_end", "slug")  # the timeline's order (index event_order)


def public_events():
    return Event.objects.published()


def public_sources():
    return Source.objects.published()


def public_citations():
    return Citation.objects.select_related("source").filter(published_q("source__"))


def public_quotes():
    return Quote.objects.select_related("person", "source").filter(published_q("source__"))


def public_notes():
    return Note.objects.filter(is_public=True)


def visible(model, *, user):
    """The items of ``model`` that ``user`` may open: all of them for staff who may change
    them (a preview), the public ones for everyone else."""
    opts = model._meta
    # Only staff open the admin; a reader's request is answered without asking the backends.
    if user.is_staff and user.has_perm(f"{opts.app_label}.change_{opts.model_name}"):
        return model.objects.all()
    return model.objects.published()


def timeline_events(*, era: str = "", topic: str = ""):
    """The timeline's events in order (along the ``event_order`` index), filtered."""
    events = public_events().for_timeline().order_by(*ORDER)
    if era:
        events = events.filter(era__slug=era)
    if topic:
        events = events.filter(topics__slug=topic)
    return events


def source_texts(path: str) -> tuple[str, ...]:
    """A source's long texts, where a page names the source (by ``path``) but shows neither."""
    return (f"{path}__full_text", f"{path}__summary")


def event_detail_queryset(*, events=None):
    """The event page's query; ``events`` narrows (by default: the published ones). Its quotes
    and notes, which most events lack, are read after it: ``read_event_extras``."""
    events = public_events() if events is None else events
    return (
        with_last_published(events)
        .select_related("era")
        .annotate(has_quotes=_has_rows(Quote), has_notes=_has_rows(Note))
        .prefetch_related(
            "topics",
            "people",
            # One event's: in their own order (Citation's default sorts by event first, a join).
            # Their sources in brief: not the full texts (whole articles) the page never shows.
            Prefetch(
                "citations",
                public_citations().defer(*source_texts("source")).order_by("position", "pk"),
            ),
        )
    )


def _has_rows(model) -> RawSQL:
    """Whether some row of ``model`` names the event (its ``event`` key, an index probe),
    for the event page's own query. Written out: Django builds the same EXISTS for ten times
    what the database takes to answer it, a twentieth of the page (with two of them)."""
    quote = connection.ops.quote_name
    table, key = quote(model._meta.db_table), quote(model._meta.get_field("event").column)
    event = f"{quote(Event._meta.db_table)}.{quote(Event._meta.pk.column)}"
    sql = f"EXISTS (SELECT 1 FROM {table} WHERE {table}.{key} = {event})"
    return RawSQL(sql, (), output_field=BooleanField())


def read_event_extras(event: Event) -> None:
    """The public quotes and notes of ``event`` (from ``event_detail_queryset``), prefetched:
    read only where its query found some (``has_quotes``, ``has_notes``: most events have
    none, and a query that finds nothing costs a page about as much as one that does); the
    others are known to be empty, and ``event.quotes.all()`` answers so without a query."""
    extras = {
        "quotes": lambda: Prefetch("quotes", public_quotes().defer(*source_texts("source"))),
        "notes": lambda: Prefetch("notes", public_notes()),
    }
    found = [name for name in extras if getattr(event, f"has_{name}")]
    prefetch_related_objects([event], *(extras[name]() for name in found))
    cache = event.__dict__.setdefault("_prefetched_objects_cache", {})
    for name in extras.keys() - set(found):
        # As Django's prefetch leaves a relation it read: its results in hand (none here).
        empty = Event._meta.get_field(name).related_model.objects.none()
        empty._result_cache, empty._prefetch_done = [], True
        cache[name] = empty


# What the pager shows of an event's neighbours: its link, title and date label.
NEIGHBOUR_FIELDS = (
    "slug",
    "title",
    "date",
    "display_date",
    "start_qualifier",
    "end_qualifier",
    "start_precision",
    "date_start",
)


def adjacent_events(*, event: Event) -> tuple[Event | None, Event | None]:
    """The published events just before and just after ``event`` in timeline order: two
    short walks along the ``event_order`` index from the event's place, the row
    (sort_start, sort_end, slug) compared as one value (both databases compare rows)."""
    place = Tuple(*(F(name) for name in ORDER))
    key = tuple(getattr(event, name) for name in ORDER)
    events = public_events().only(*NEIGHBOUR_FIELDS)
    previous = (
        events.filter(TupleLessThan(place, key)).order_by(*(f"-{name}" for name in ORDER)).first()
    )
    following = events.filter(TupleGreaterThan(place, key)).order_by(*ORDER).first()
    return previous, following


def source_detail_queryset(*, sources):
    """The source page's query: its public notes, quotes and published translations (its
    events come a page at a time: ``source_events``)."""
    return (
        with_last_published(sources)
        .select_related("translation_of")
        .prefetch_related(
            Prefetch("notes", public_notes()),
            Prefetch("quotes", Quote.objects.select_related("person")),  # its own: seen with it
            Prefetch("translations", public_sources()),
        )
    )


def source_events(source):
    """The published events that cite ``source``, in timeline order."""
    return (
        public_events().for_timeline().filter(citations__source=source).distinct().order_by(*ORDER)
    )


def person_events(person):
    """The published events ``person`` takes part in, in timeline order."""
    return public_events().for_timeline().filter(people=person).order_by(*ORDER)


def people_in_public_events():
    """The people and organisations that take part in at least one public event (the search
    form's choices): each asked whether it has one, which stops at the first."""
    return Person.objects.filter(Exists(public_events().filter(people=OuterRef("pk"))))


def person_detail_queryset():
    """The person page's query (its events come a page at a time: ``person_events``)."""
    return Person.objects.prefetch_related(
        Prefetch("quotes", public_quotes()),
        "affiliations",
        "members",
    )


def with_event_count(queryset):
    """``event_count``: how many public events each row (a source or a person) has.

    All the events the row is linked to, less those readers do not see: the first is read
    along the link table's index alone, the second among the few events that are not public.
    Joining every link to its event to ask whether it is public cost a row lookup per link
    (0.3 s for a list of sources at 50,000 events); this costs milliseconds.
    """
    relation = Event._meta.get_field(queryset.model._meta.get_field("events").remote_field.name)
    through = relation.remote_field.through  # Citation, or the people's link table
    row, event = relation.m2m_reverse_field_name(), relation.m2m_field_name()
    # A row may cite one event twice (two passages); the link tables Django makes may not.
    counted = Count(event, distinct=not through._meta.auto_created)
    links = through.objects.filter(**{row: OuterRef("pk")}).order_by().values(row)
    not_public = Event.objects.hidden().order_by().values("pk")

    def count(links):
        number = links.annotate(number=counted).values("number")
        return Coalesce(Subquery(number, output_field=IntegerField()), 0)

    linked, hidden = count(links), count(links.filter(**{f"{event}__in": not_public}))
    return queryset.annotate(event_count=linked - hidden)
