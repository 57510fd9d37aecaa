import os

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db import connections
from django.utils.translation import gettext_lazy as _


class NewsroomConfig(AppConfig):
    default = True  # this module also holds the admin's config
    name = "newsroom"
    verbose_name = _("Newsroom")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Connect the content-changed bridge and the page cache's receivers in every
        # process (web, worker, commands), not only where the middleware is loaded.
        from newsroom import planner, signals
        from newsroom.publishing import cache  # noqa: F401

        signals.bridge_connect()
        signals.content_changed.connect(planner.on_content_changed, dispatch_uid="planner")

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


def apps_warm_up(application=None) -> None:
    """Each app's ``warm_up()`` (if it has one): what a server process loads before it
    serves, rather than in a reader's request (the WSGI and ASGI entry points call it).
    Given the WSGI ``application``, each app's ``warm_up_paths()`` are then asked of it."""
    from django.apps import apps

    configs = apps.get_app_configs()
    for config in configs:
        if warm_up := getattr(config, "warm_up", None):
            warm_up()
    if application is None:  # ASGI: requests are answered on other threads than this one
        connections.close_all()
        return
    paths = [p for c in configs if hasattr(c, "warm_up_paths") for p in c.warm_up_paths()]
    warm_up_requests(application, paths)
    # WSGI: the connections stay open, warm (on PostgreSQL, its server process has read the
    # tables' catalogue), for the process's first reader; closed if it forks first.
    global _close_at_fork
    _close_at_fork = True


_close_at_fork = False  # the warm-up's connections are open


def _close_before_fork() -> None:
    """A server that loads the application, then forks its workers (gunicorn --preload),
    must not hand them the warm-up's database connections: they are closed before."""
    global _close_at_fork
    if _close_at_fork:
        _close_at_fork = False
        connections.close_all()


os.register_at_fork(before=_close_before_fork)


def warm_up_requests(application, paths) -> None:
    """Each of ``paths`` asked of ``application`` (WSGI) once, through the whole stack
    (middleware, view, form, templates, the database's pages), the answer thrown away: what
    a first request builds on first use is built before a reader's. Not when the database
    cannot be reached yet (the page would fail and be logged as an error)."""
    import io
    import logging
    from urllib.parse import urlsplit

    from django.conf import settings
    from django.db import DatabaseError, connections

    try:
        for connection in connections.all():
            connection.ensure_connection()
    except DatabaseError:
        return
    hosts = [h.lstrip(".") for h in settings.ALLOWED_HOSTS if h.lstrip(".") not in ("", "*")]
    host = hosts[0] if hosts else "localhost"
    secure = settings.SECURE_SSL_REDIRECT
    for path in paths:
        url = urlsplit(path)
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": url.path,
            "QUERY_STRING": url.query,
            "SERVER_NAME": host,
            "SERVER_PORT": "443" if secure else "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": host,
            "REMOTE_ADDR": "127.0.0.1",
            "wsgi.url_scheme": "https" if secure else "http",
            "wsgi.input": io.BytesIO(),
            "wsgi.errors": io.StringIO(),
        }
        if secure and settings.SECURE_PROXY_SSL_HEADER:
            header, value = settings.SECURE_PROXY_SSL_HEADER
            environ[header] = value
        # A page that fails here (a database not migrated yet) is no reader's error.
        errors, errors.disabled = logging.getLogger("django.request"), True
        try:
            response = application(environ, lambda status, headers, exc_info=None: None)
            for _chunk in response:
                pass
            if close := getattr(response, "close", None):  # as WSGI asks of its servers
                close()
        finally:
            errors.disabled = False
