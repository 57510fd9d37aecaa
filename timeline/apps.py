from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TimelineConfig(AppConfig):
    name = "timeline"
    verbose_name = _("Timeline")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from newsroom.signals import content_changed
        from timeline.search import on_content_changed

        # Every write readers may see, the bulk ones too, keeps the search index current.
        content_changed.connect(on_content_changed, dispatch_uid="timeline-search-index")
