"""Writes to the timeline: one code path for the admin, importers and commands."""

import reversion
from django.db import transaction

from newsroom.translations.status import originals, translations_follow_edit
from timeline.models import Event


@transaction.atomic
def event_save(*, event: Event) -> Event:
    """Validate and store an event (text cleaned, date fields derived on save); a change to
    its original (Thai) text makes its translations stale."""
    before = originals(Event.objects.get(pk=event.pk)) if event.pk else None
    event.full_clean()
    with reversion.create_revision():  # inside the admin's own revision, merged into it
        event.save()
    if before is not None:
        translations_follow_edit(obj=event, before=before)
    return event
