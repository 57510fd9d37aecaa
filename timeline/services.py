"""Writes to the timeline: one code path for the admin, importers and commands."""

from django.db import transaction

from timeline.models import Event


@transaction.atomic
def event_save(*, event: Event) -> Event:
    """Validate and store an event (text cleaned, date fields derived on save)."""
    event.full_clean()
    event.save()
    return event
