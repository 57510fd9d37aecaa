"""Sitemaps of the public pages, every URL with its Thai and English alternates."""

from django.urls import reverse

from newsroom.models import Person
from newsroom.publishing.sitemaps import I18nSitemap, with_last_change
from timeline import selectors


class EventSitemap(I18nSitemap):
    note_field = "event"

    def items(self):
        events = selectors.public_events()
        return with_last_change(events, note_field=self.note_field).order_by("pk")


class SourceSitemap(I18nSitemap):
    note_field = "source"

    def items(self):
        sources = selectors.public_sources()
        return with_last_change(sources, note_field=self.note_field).order_by("pk")


class PersonSitemap(I18nSitemap):
    # People have no workflow: every person's page is public (as the people list shows).
    def items(self):
        return Person.objects.order_by("pk")


class PageSitemap(I18nSitemap):
    """Pages that are not items: the timeline, the lists and "about"."""

    def items(self):
        return [
            "timeline:event-list",
            "timeline:source-list",
            "timeline:person-list",
            "timeline:about",
        ]

    def location(self, item):
        return reverse(item)

    def lastmod(self, item):
        return None


SITEMAPS = {
    "pages": PageSitemap,
    "events": EventSitemap,
    "sources": SourceSitemap,
    "people": PersonSitemap,
}
