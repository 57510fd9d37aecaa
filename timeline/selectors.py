"""Reads for the public pages: published items only, with what each page shows prefetched."""

import datetime

from django.db.models import F, Prefetch, Q, Value
from django.db.models.functions import Coalesce

from newsroom.models import Note, Quote, published_q
from timeline.models import Citation, Event

_EARLIEST, _LATEST = datetime.date.min, datetime.date.max


def timeline_events(*, era: str = "", topic: str = ""):
    # Era by era (so each era is one group on the page), then by date within it.
    events = (
        Event.objects.published()
        .for_timeline()
        .order_by(F("era__start_year").asc(nulls_last=True), "era", *Event._meta.ordering)
    )
    if era:
        events = events.filter(era__slug=era)
    if topic:
        events = events.filter(topics__slug=topic)
    return events


def event_detail_queryset(*, events=None):
    """The event page's query; ``events`` narrows (by default: the published ones)."""
    return (
        (Event.objects.published() if events is None else events)
        .select_related("era")
        .prefetch_related(
            "topics",
            "people",
            Prefetch(
                "citations",
                Citation.objects.select_related("source").filter(published_q("source__")),
            ),
            Prefetch("quotes", Quote.objects.select_related("person", "source")),
            Prefetch("notes", Note.objects.filter(is_public=True)),
        )
    )


def _ordering_key():
    return {
        "key_start": Coalesce("date_start", Value(_EARLIEST)),
        "key_end": Coalesce("date_end", Value(_LATEST)),
    }


def adjacent_events(*, event: Event) -> tuple[Event | None, Event | None]:
    """The published events just before and just after ``event`` in timeline order."""
    start, end = event.date_start or _EARLIEST, event.date_end or _LATEST
    events = Event.objects.published().exclude(pk=event.pk).annotate(**_ordering_key())
    later = (
        Q(key_start__gt=start)
        | Q(key_start=start, key_end__gt=end)
        | Q(key_start=start, key_end=end, slug__gt=event.slug)
    )
    previous = events.filter(~later).order_by("-key_start", "-key_end", "-slug").first()
    following = events.filter(later).order_by("key_start", "key_end", "slug").first()
    return previous, following
