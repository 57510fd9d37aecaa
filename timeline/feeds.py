"""RSS and Atom feeds, per language, of newly published and newly corrected events."""

import uuid

from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from newsroom.i18n import localized
from newsroom.models import NoteKind
from newsroom.publishing.times import latest_changed
from timeline import selectors

FEED_SIZE = 50
# Entry ids are UUIDs derived from this namespace, the event's pk and the language: they
# survive a change of slug or title, so feed readers do not show an entry twice.
ENTRY_NAMESPACE = uuid.UUID("6f1d3c2e-8a0b-4f5e-9c7d-2b1a0e9f8d47")


def plain_text(obj, field: str) -> str:
    """A translated field as plain text; a fallback says so, as the pages do."""
    value = localized(obj, field)
    if value.is_fallback:
        return f"{value.text} ({_('Not yet translated')})"
    return value.text


def feed_events():
    """The latest published or corrected events, newest change first, with their corrections."""
    corrections = selectors.public_notes().filter(kind=NoteKind.CORRECTION)
    events = selectors.public_events().select_related("era")
    events = events.prefetch_related(Prefetch("notes", corrections, to_attr="corrections"))
    return latest_changed(events, note_field="event", size=FEED_SIZE)


class EventFeed(Feed):
    title = gettext_lazy("Russia–North Korea: a timeline")
    description = gettext_lazy(
        "Newly published and corrected events of the timeline of Russia–North Korea relations."
    )
    description_template = "timeline/feed_description.html"
    item_guid_is_permalink = False
    # RFC 4287 wants an author on the feed or on every entry: the publication writes them.
    author_name = gettext_lazy("Russia–North Korea: a timeline")

    def link(self):
        return reverse("timeline:event-list")

    def items(self):
        return feed_events()

    def item_title(self, item):
        return plain_text(item, "title")

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        """Its last change: a correction, a republication, or any edit of the event itself."""
        return max(item.changed_at, item.updated_at)

    def item_guid(self, item):
        return uuid.uuid5(ENTRY_NAMESPACE, f"event:{item.pk}:{get_language()}").urn

    def item_categories(self, item):
        return [plain_text(item.era, "name")] if item.era else []

    def get_context_data(self, **kwargs):
        return {"event": kwargs["item"]}


class AtomEventFeed(EventFeed):
    feed_type = Atom1Feed
    subtitle = EventFeed.description
