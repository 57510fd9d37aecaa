from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsroomConfig(AppConfig):
    name = "newsroom"
    verbose_name = _("Newsroom")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Connect the content-changed bridge and the page cache's receivers in every
        # process (web, worker, commands), not only where the middleware is loaded.
        from newsroom import signals
        from newsroom.publishing import cache  # noqa: F401

        signals.bridge_connect()
