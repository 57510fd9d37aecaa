"""When a public item went public and when it was last corrected, as query annotations.

Feeds, sitemaps and the pages' structured data date items the same way:

- ``published_at``: the latest of the last move to "published" in the workflow log, the
  scheduled ``publish_at`` (a scheduled item goes public at that time, not when it was
  scheduled) and ``created_at`` (nothing is public before it exists). Items that never went
  through the workflow (the seed, raw loads) have only the last two.
- ``corrected_at``: the date of the latest public correction note, taken as the start of that
  day (UTC), so that databases compare it with times the same way.
- ``changed_at``: the later of the two, what readers of a feed see as "updated".
"""

from django.db.models import DateTimeField, OuterRef, Subquery
from django.db.models.functions import Cast, Coalesce, Greatest

from newsroom.models import Note, NoteKind, Status, WorkflowLog


def _last_published_log(model):
    opts = model._meta
    logs = WorkflowLog.objects.filter(
        # Joined by name rather than a ContentType looked up first: no query of its own.
        content_type__app_label=opts.app_label,
        content_type__model=opts.model_name,
        object_id=OuterRef("pk"),
        to_status=Status.PUBLISHED,
    )
    return Subquery(logs.order_by("-at", "-pk").values("at")[:1])


def last_correction(note_field: str):
    """The latest public correction on the outer item (``note_field``: "event" or "source")."""
    notes = Note.objects.filter(
        **{note_field: OuterRef("pk")}, kind=NoteKind.CORRECTION, is_public=True
    )
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
