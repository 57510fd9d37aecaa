from newsroom.sitemaps import I18nSitemap, with_last_change
from timeline.models import Event


class EventSitemap(I18nSitemap):
    def items(self):
        return with_last_change(Event.objects.published(), note_field="event").order_by("pk")
