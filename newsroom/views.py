"""The project's own small views."""

import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template import loader
from django.templatetags.static import static
from django.utils import translation
from django.views import defaults

# The database is down, restarting, or (SQLite) held by a writer for longer than the wait.
DATABASE_DOWN = (OperationalError, InterfaceError)


def favicon(request):
    """Browsers ask for /favicon.ico on every page, the admin's too."""
    return redirect(static("newsroom/favicon.svg"), permanent=True)


def server_error(request):
    """A 500 page, or, when the database cannot be reached (or SQLite is locked for longer
    than its timeout), a 503 in the reader's language that asks to come back shortly: the
    database comes back by itself, the page with it."""
    if isinstance(sys.exc_info()[1], DATABASE_DOWN):
        return database_unavailable(request)
    return defaults.server_error(request)


def database_unavailable(request):
    language = translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
    # No request context: its processors could ask the database that is not there.
    html = loader.render_to_string("503.html", {"language": language})
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(settings.RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response
