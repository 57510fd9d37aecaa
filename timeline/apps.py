from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TimelineConfig(AppConfig):
    name = "timeline"
    verbose_name = _("Timeline")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_delete, pre_delete

        import timeline.resources  # noqa: F401  (registers the events', eras', topics' files)
        from newsroom.models import Person
        from newsroom.signals import content_changed
        from timeline import pages, services
        from timeline.models import Era, Topic
        from timeline.search import on_content_changed, on_name_deleted, on_name_deleting

        # Every write readers may see, the bulk ones too, keeps the search index current.
        content_changed.connect(on_content_changed, dispatch_uid="timeline-search-index")
        # An event that appears or moves changes its new neighbours' pages.
        content_changed.connect(pages.on_content_changed, dispatch_uid="timeline-neighbours")
        # The counts by year summed back after writes (an import's 50,000 rows).
        content_changed.connect(services.on_content_changed, dispatch_uid="timeline-years")
        for model in (Era, Topic, Person):  # their names are in their events' entries
            pre_delete.connect(on_name_deleting, sender=model, dispatch_uid=f"search-{model}")
            post_delete.connect(on_name_deleted, sender=model, dispatch_uid=f"search-{model}")

    def warm_up(self) -> None:
        """Called by the WSGI entry point in each server process before it serves: the Thai
        word list, the public pages' templates compiled (Django's cached loader compiles
        each on its first use, which would be a reader's request), the SQL of the event
        page and of the search form."""
        import contextlib
        from pathlib import Path

        from django.conf import settings
        from django.db import DatabaseError
        from django.template.loader import get_template

        from timeline import search, selectors

        search.warm_up()
        for folder in settings.TEMPLATES[0]["DIRS"]:
            for path in sorted(Path(folder, "timeline").rglob("*.html")):
                get_template(str(path.relative_to(folder)))
        search.warm_up_queries()
        # PostgreSQL's SQL may depend on its version, asked of the server: with no database
        # yet, it is written in the first reader's request.
        with contextlib.suppress(DatabaseError):
            selectors.statements_prepare()

    def warm_up_paths(self) -> list[str]:
        """A search in each language, asked once through the whole stack when a server
        process starts (``newsroom.apps.warm_up_requests``): a worker's first reader to
        search waits no longer than its tenth."""
        from urllib.parse import urlencode

        from django.conf import settings
        from django.urls import reverse
        from django.utils import translation

        paths = []
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                paths.append(f"{reverse('timeline:search')}?{urlencode({'q': 'เกาหลี Korea'})}")
        return paths
