"""Reads for the public: every public page, feed, sitemap and JSON reads through these.

What readers may see is decided here, once: an event or a source that is published and
whose publish time has come; of an event's or a person's quotes and citations, only those
whose source readers may see too; public notes only. Staff who may change an item see it
before it is public (``visible``), as a preview.
"""

from collections import defaultdict

from django.conf import settings
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
    Sum,
    prefetch_related_objects,
)
from django.db.models.expressions import RawSQL
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan, TupleLessThan
from django.db.models.functions import Coalesce
from django.utils import timezone, translation

from newsroom.models import Note, Person, Quote, Source, published_q
from newsroom.publishing.times import with_last_published
from newsroom.statements import Statement
from timeline.expressions import Year
from timeline.models import Citation, Era, Event, EventYearCount, Topic

ORDER = ("sort_start", "sort_end", "slug")  # the timeline's order (index event_order)


def public_events(*, now=None):
    return Event.objects.published(now=now)


def public_sources():
    return Source.objects.published()


def public_citations(*, now=None):
    return Citation.objects.select_related("source").filter(published_q("source__", now=now))


def public_quotes():
    return Quote.objects.select_related("person", "source").filter(published_q("source__"))


def public_notes():
    return Note.objects.filter(is_public=True)


def may_preview(model, *, user) -> bool:
    """Whether ``user`` sees the items of ``model`` before they are public: staff who may
    change them."""
    opts = model._meta
    # Only staff open the admin; a reader's request is answered without asking the backends.
    return user.is_staff and user.has_perm(f"{opts.app_label}.change_{opts.model_name}")


def visible(model, *, user):
    """The items of ``model`` that ``user`` may open: all of them for staff who may change
    them (a preview), the public ones for everyone else."""
    return model.objects.all() if may_preview(model, user=user) else model.objects.published()


def timeline_events(*, era: str = "", topic: str = ""):
    """The timeline's events in order (along the ``event_order`` index), filtered."""
    events = public_events().for_timeline().order_by(*ORDER)
    if era:
        events = events.filter(era__slug=era)
    if topic:
        events = events.filter(topics__slug=topic)
    return events


def attach_eras(events: list[Event], *, eras: list[Era]) -> None:
    """Give each of ``events`` its era from ``eras`` (every era, read once for the page),
    as ``event.era`` reads it: one object an era, where a join made one for each event (and
    read its columns 50 times: 2 to 3 ms a page of 50)."""
    by_id = {era.pk: era for era in eras}
    for event in events:
        Event.era.field.set_cached_value(event, by_id.get(event.era_id))


def attach_topics(events: list[Event], *, topics: list[Topic]) -> None:
    """Give each of ``events`` its ``topic_list``, in the order of ``topics`` (every topic:
    what the timeline's filter lists, read once for the page): one read of the events'
    (event, topic) pairs, and each topic one object however many cards show it. Django's
    prefetch made a topic for each card that shows it: 5 ms for a page of 50 events."""
    order = {topic.pk: n for n, topic in enumerate(topics)}
    by_id = {topic.pk: topic for topic in topics}
    pairs = Event.topics.through.objects.filter(event_id__in=[event.pk for event in events])
    found = defaultdict(list)
    for event_id, topic_id in pairs.values_list("event_id", "topic_id"):
        found[event_id].append(by_id[topic_id])
    for event in events:
        event.topic_list = sorted(found[event.pk], key=lambda topic: order[topic.pk])


def timeline_years(*, era: str = "", now=None) -> dict[int, int]:
    """How many events of the timeline (``timeline_events(era=era)``, no topic) start in
    each year, in the years' order: the counts the database keeps (``EventYearCount``),
    less the events scheduled for later (few: read along the publish_at index). The
    cost is the number of years and eras, not of events."""
    now = timezone.now() if now is None else now
    counts = EventYearCount.objects.all()
    later = Event.objects.scheduled(now=now)
    if era:  # an era that is not there: no counts (era_id = NULL matches none)
        counts = counts.filter(era_id=Subquery(Era.objects.filter(slug=era).values("pk")[:1]))
        later = later.filter(era__slug=era)
    years = dict(
        counts.values("year").annotate(n=Sum("events")).order_by("year").values_list("year", "n")
    )
    for year, n in (
        later.annotate(year=Year("sort_start"))
        .values("year")
        .annotate(n=Count("*"))
        .order_by()
        .values_list("year", "n")
    ):
        years[year] = years.get(year, 0) - n
    return {year: n for year, n in years.items() if n > 0}


def source_texts(path: str) -> tuple[str, ...]:
    """A source's long texts, where a page names the source (by ``path``) but shows neither."""
    return (f"{path}__full_text", f"{path}__summary")


def event_detail_queryset(*, events):
    """The event page's row, of ``events``: the event, its era, when it last went public, and
    whether it has quotes and notes (most events have none: ``read_event_extras``)."""
    return (
        with_last_published(events)
        .select_related("era")
        .annotate(has_quotes=_has_rows(Quote), has_notes=_has_rows(Note))
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


# The event page's reads, their SQL written once a process (newsroom.statements): Django's
# building of these six queries cost five times what the database takes to answer them.
_slug, _when = Event._meta.get_field("slug"), Event._meta.get_field("publish_at")
_event_key, _sort = Event._meta.pk, Event._meta.get_field("sort_start")

_EVENT = Statement(
    lambda *, slug, now: event_detail_queryset(events=public_events(now=now)).filter(slug=slug),
    slug=_slug,
    now=_when,
)
_EVENT_PREVIEW = Statement(  # staff who may change events: any event, as readers will see it
    lambda *, slug: event_detail_queryset(events=Event.objects.all()).filter(slug=slug),
    slug=_slug,
)
_TOPICS = Statement(lambda *, event: Topic.objects.filter(events=event), event=_event_key)
_PEOPLE = Statement(lambda *, event: Person.objects.filter(events=event), event=_event_key)
_CITATIONS = Statement(
    # One event's: in their own order (Citation's default sorts by event first, a join).
    # Their sources in brief: not the full texts (whole articles) the page never shows.
    lambda *, event, now: (
        public_citations(now=now)
        .defer(*source_texts("source"))
        .filter(event=event)
        .order_by("position", "pk")
    ),
    event=_event_key,
    now=_when,
)


def statements_prepare() -> None:
    """The statements of the event page and of the search form written, in every language
    (a process's warm-up)."""
    statements = (_EVENT, _EVENT_PREVIEW, _TOPICS, _PEOPLE, _CITATIONS, *_NEIGHBOURS)
    statements += (_ERAS, _ALL_TOPICS, _PEOPLE_IN_PUBLIC_EVENTS)
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            for statement in statements:
                statement.prepare()


def event_page(*, slug: str, preview: bool = False) -> Event | None:
    """The event of the page at ``slug`` with what the page shows of it (its era, topics,
    people, public citations, quotes and notes), or None if readers may not see it.
    ``preview``: any event, for staff who may change it (``may_preview``)."""
    now = timezone.now()
    found = _EVENT_PREVIEW(slug=slug) if preview else _EVENT(slug=slug, now=now)
    if not found:
        return None
    event = found[0]
    _prefetched(event, "topics", _TOPICS(event=event.pk))
    _prefetched(event, "people", _PEOPLE(event=event.pk))
    _prefetched(event, "citations", _CITATIONS(event=event.pk, now=now))
    read_event_extras(event)
    return event


def _prefetched(instance, name: str, rows: list) -> None:
    """``instance.<name>.all()`` answers with ``rows`` and no query, as Django's prefetch
    leaves a relation it has read."""
    model = type(instance)._meta.get_field(name).related_model
    read = model.objects.none()
    read._result_cache, read._prefetch_done = rows, True
    instance.__dict__.setdefault("_prefetched_objects_cache", {})[name] = read


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
    for name in extras.keys() - set(found):
        _prefetched(event, name, [])


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


def _neighbour(*, before: bool) -> Statement:
    """The published event just before (or after) a place in timeline order: a short walk
    along the ``event_order`` index, the row (sort_start, sort_end, slug) compared as one
    value (both databases compare rows)."""
    compare = TupleLessThan if before else TupleGreaterThan
    order = [f"-{name}" for name in ORDER] if before else list(ORDER)

    def build(*, sort_start, sort_end, slug, now):
        place = Tuple(*(F(name) for name in ORDER))
        events = public_events(now=now).only(*NEIGHBOUR_FIELDS)
        return events.filter(compare(place, (sort_start, sort_end, slug))).order_by(*order)[:1]

    return Statement(build, sort_start=_sort, sort_end=_sort, slug=_slug, now=_when)


_NEIGHBOURS = _PREVIOUS, _NEXT = _neighbour(before=True), _neighbour(before=False)


def adjacent_events(*, event: Event) -> tuple[Event | None, Event | None]:
    """The published events just before and just after ``event`` in timeline order."""
    place = {name: getattr(event, name) for name in ORDER}
    now = timezone.now()
    previous, following = _PREVIOUS(**place, now=now), _NEXT(**place, now=now)
    return (previous or [None])[0], (following or [None])[0]


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
    return _events_among(Citation.objects.filter(source=source))


def person_events(person):
    """The published events ``person`` takes part in, in timeline order."""
    return _events_among(Event.people.through.objects.filter(person=person))


def _events_among(links):
    """The published events of ``links`` (rows with an ``event_id``), in timeline order: a
    list of the ids, not a join. A join made an event citing a source twice appear twice,
    and the DISTINCT that kept it once sorted all of a source's events for a page of them.
    PostgreSQL, a source cited by 3,849 of 50,000 events: its page 121 -> 33 ms in-process
    (with the ``event_published`` index); counted by year, the list costs SQLite 14 ms
    where EXISTS cost 24 and the join 18 to 28."""
    return public_events().for_timeline().filter(pk__in=links.values("event_id")).order_by(*ORDER)


_ERAS = Statement(lambda: Era.objects.all())
_ALL_TOPICS = Statement(lambda: Topic.objects.all())
_PEOPLE_IN_PUBLIC_EVENTS = Statement(
    # Each asked whether it has one, which stops at the first.
    lambda *, now: Person.objects.filter(
        Exists(public_events(now=now).filter(people=OuterRef("pk")))
    ),
    now=_when,
)


def search_choices() -> dict[str, list]:
    """The search form's choices: every era and topic, and the people and organisations
    that take part in at least one public event."""
    return {
        "eras": _ERAS(),
        "topics": _ALL_TOPICS(),
        "people": _PEOPLE_IN_PUBLIC_EVENTS(now=timezone.now()),
    }


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
