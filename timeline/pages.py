"""What readers' stored pages learn of writes to events, beyond the events themselves.

An event's page shows its previous and next events. When an event appears or moves, the
pages of its old neighbours change (they loaded it: ``newsroom.publishing.dependencies``
makes them old), and so do the pages of its new neighbours, told here once the write is
committed. A bulk write makes every event's page old anyway (``b:`` tags).
"""

from django.db import transaction

from newsroom.publishing.dependencies import item_tag, tags_bump_now
from timeline import selectors
from timeline.models import Event

# More moved events than this in one write: their neighbours are not looked up one by one
# (an import is a bulk write, which every event page hears of).
NEIGHBOURS_LOOKED_UP_MAX = 20


def neighbours_tags(pks) -> set[str]:
    """The tags of the published events now beside each of ``pks``."""
    tags = set()
    for event in selectors.public_events().filter(pk__in=pks):
        tags.update(item_tag(Event, e.pk) for e in selectors.adjacent_events(event=event) if e)
    return tags


def on_content_changed(sender, pks=None, bulk=False, listed=None, **kwargs) -> None:
    if sender is not Event or bulk or not pks:
        return
    moved = pks if listed is None else listed
    if moved and len(moved) <= NEIGHBOURS_LOOKED_UP_MAX:
        transaction.on_commit(lambda: tags_bump_now(neighbours_tags(moved)))
