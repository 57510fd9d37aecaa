"""When a public item went public and when it was last corrected, as query annotations.

Feeds, sitemaps and the pages' structured data date items the same way:

- ``published_at``: the latest of the last move to "published" in the workflow log, the
  scheduled ``publish_at`` (a scheduled item goes public at that time, not when it was
  scheduled) and ``created_at`` (nothing is public before it exists). Items that never went
  through the workflow (the seed, raw loads) have only the last two.
- ``corrected_at``: the date of the latest public correction note, taken as the start of that
  day (UTC), so that databases compare it with times the same way.
- ``changed_at``: the later of the two, what readers of a feed see as "updated".

``with_publication_times`` works them out in SQL for many items; ``publication_times`` for
the one item a page shows, from its public notes already in hand and the time of its last
publication read with it (``with_last_published``); a test holds the two to the same answers.
"""

import datetime as dt
import functools
from collections.abc import Iterable

from django.db.models import DateTimeField, OuterRef, Subquery
from django.db.models.functions import Cast, Coalesce, Greatest

from newsroom.models import Note, NoteKind, Status, WorkflowLog


def _published_logs(model):
    opts = model._meta
    return WorkflowLog.objects.filter(
        # Joined by name rather than a ContentType looked up first: no query of its own.
        content_type__app_label=opts.app_label,
        content_type__model=opts.model_name,
        to_status=Status.PUBLISHED,
    )


@functools.cache
def _last_published_log(model):
    """The subquery, built once a model: it holds no value that changes (no time), and a
    query that uses it works on its own copy (``resolve_expression``)."""
    logs = _published_logs(model).filter(object_id=OuterRef("pk"))
    return Subquery(logs.order_by("-at", "-pk").values("at")[:1])


def public_corrections():
    """The notes that date an item's correction: public ones of the kind "correction"."""
    return Note.objects.filter(kind=NoteKind.CORRECTION, is_public=True)


def correction_time(noted_on: dt.date) -> dt.datetime:
    """A correction's day as a time: its start, in UTC (as the SQL side casts it)."""
    return dt.datetime.combine(noted_on, dt.time(), tzinfo=dt.UTC)


def last_correction(note_field: str):
    """The latest public correction on the outer item (``note_field``: "event" or "source")."""
    notes = public_corrections().filter(**{note_field: OuterRef("pk")})
    noted_on = Subquery(notes.order_by("-noted_on").values("noted_on")[:1])
    return Cast(noted_on, DateTimeField())


def with_publication_times(queryset, *, note_field: str):
    """Annotate ``published_at``, ``corrected_at`` and ``changed_at`` (see the module doc)."""
    logged = _last_published_log(queryset.model)
    # NULL-free arguments only: SQLite's MAX() is NULL if any argument is.
    published_at = Greatest(
        "created_at",
        Coalesce("publish_at", "created_at"),
        Coalesce(logged, "created_at"),
    )
    return queryset.annotate(
        published_at=published_at, corrected_at=last_correction(note_field)
    ).annotate(changed_at=Greatest("published_at", Coalesce("corrected_at", "published_at")))


def with_last_published(queryset):
    """Annotate ``last_published``: when the item last moved to "published" in the workflow
    log (None if it never did), what ``publication_times`` needs of the log, read with the
    item (a page's query) rather than in a query of its own."""
    return queryset.annotate(last_published=_last_published_log(queryset.model))


def publication_times(item, *, notes: Iterable) -> tuple[dt.datetime, dt.datetime]:
    """``published_at`` and ``changed_at`` of one item (as ``with_publication_times``), given
    its public notes (``notes``: the page has them prefetched) and ``last_published``
    (``with_last_published``: the page's query reads it)."""
    logged = item.last_published
    published_at = max(t for t in (item.created_at, item.publish_at, logged) if t is not None)
    corrections = [
        note.noted_on for note in notes if note.kind == NoteKind.CORRECTION and note.is_public
    ]
    if not corrections:
        return published_at, published_at
    corrected_at = correction_time(max(corrections))
    return published_at, max(published_at, corrected_at)


def _latest_keys(rows, *, key: str, at: str, allowed, size: int) -> set:
    """The items (``key``) of ``rows`` (log entries, notes) that are in ``allowed`` and among
    the ``size`` latest by their latest ``at``, with any tied with the last: read newest first
    along an index, a chunk at a time, until ``size`` are found (not grouped over every row).
    An item's first row, newest first, is its latest."""
    ordered = rows.exclude(**{key: None}).order_by(f"-{at}", "-pk").values_list(key, at)
    found: dict = {}  # item -> its latest time, newest first
    seen, start, chunk = set(), 0, 4 * size
    while len(found) < size:
        batch = list(ordered[start : start + chunk])
        start += chunk
        new = {}
        for item, time in batch:
            if item not in seen:
                seen.add(item)
                new[item] = time
        public = set(allowed.filter(pk__in=list(new)).values_list("pk", flat=True))
        found.update((item, time) for item, time in new.items() if item in public)
        if len(batch) < chunk:
            break
    if not found:
        return set()
    # Those tied with the last are asked for too (also when fewer were found: as many
    # queries whatever the archive's size).
    last = list(found.values())[min(size, len(found)) - 1]
    latest = {item for item, time in found.items() if time > last}
    tied = rows.filter(**{at: last}).exclude(**{key: None}).values_list(key, flat=True)
    return latest | set(allowed.filter(pk__in=list(set(tied))).values_list("pk", flat=True))


def latest_changed(queryset, *, note_field: str, size: int):
    """The ``size`` items of ``queryset`` changed last (``changed_at``, newest first), with
    their publication times, without working out ``changed_at`` for every item.

    ``changed_at`` is the latest of four times (created, scheduled, last published in the
    log, last corrected): an item among the ``size`` latest by it is among the ``size``
    latest by the time that gave it (each item before it there is before it overall). So the
    ``size`` latest by each of the four, each read along its own index (newest first, stopping
    once found), are the candidates, and only they are dated in full.
    """
    items = queryset.order_by()
    candidates = set()
    candidates.update(items.order_by("-created_at", "-pk").values_list("pk", flat=True)[:size])
    scheduled = items.exclude(publish_at=None).order_by("-publish_at", "-pk")
    candidates.update(scheduled.values_list("pk", flat=True)[:size])
    for rows, key, at in (
        (_published_logs(queryset.model), "object_id", "at"),
        (public_corrections(), note_field, "noted_on"),
    ):
        candidates |= _latest_keys(rows, key=key, at=at, allowed=items, size=size)
    dated = with_publication_times(queryset.filter(pk__in=candidates), note_field=note_field)
    return dated.order_by("-changed_at", "-pk")[:size]
