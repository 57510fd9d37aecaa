from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class NewsroomConfig(AppConfig):
    default = True  # this module also holds the admin's config
    name = "newsroom"
    verbose_name = _("Newsroom")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Connect the content-changed bridge and the page cache's receivers in every
        # process (web, worker, commands), not only where the middleware is loaded.
        from newsroom import signals
        from newsroom.publishing import cache  # noqa: F401

        signals.bridge_connect()

    def warm_up(self) -> None:
        """What Django builds on first use, per language, built before a reader waits for it:
        the URL resolvers' tables (reversing any URL needs them) and the message catalogues."""
        from django.conf import settings
        from django.urls import get_resolver
        from django.utils import translation

        def populate(resolver) -> None:
            for prefix_and_resolver in resolver.namespace_dict.values():
                populate(prefix_and_resolver[1])
            resolver.reverse_dict  # noqa: B018 - built for the active language

        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                populate(get_resolver())


class NewsroomAdminConfig(admin_apps.AdminConfig):
    """Django's admin, with the newsroom's site (its titles and the worklist) as the default."""

    default = False
    default_site = "newsroom.admin_site.NewsroomAdminSite"


def apps_warm_up() -> None:
    """Each app's ``warm_up()`` (if it has one): what a server process loads before it
    serves, rather than in a reader's request (the WSGI and ASGI entry points call it)."""
    from django.apps import apps

    for config in apps.get_app_configs():
        if warm_up := getattr(config, "warm_up", None):
            warm_up()
