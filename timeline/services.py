"""Writes to the timeline: one code path for the admin, importers and commands."""

import reversion
from django.db import transaction

from newsroom.translation_status import source_hash, translations_mark_stale
from timeline.models import Event


@transaction.atomic
def event_save(*, event: Event) -> Event:
    """Validate and store an event (text cleaned, date fields derived on save); a change to
    its original (Thai) text makes its translations stale."""
    before = source_hash(Event.objects.get(pk=event.pk)) if event.pk else None
    event.full_clean()
    with reversion.create_revision():  # inside the admin's own revision, merged into it
        event.save()
    if before is not None and before != source_hash(event):
        translations_mark_stale(model=Event, pks=[event.pk])
    return event
