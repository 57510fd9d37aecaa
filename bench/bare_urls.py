"""The project's URLs and /bare/: the least a Django view can do, for the web bench."""

import os

from django.http import HttpResponse
from django.urls import path

from newsroom.urls import urlpatterns as site_urlpatterns


def bare(request):
    return HttpResponse(b"ok\n", content_type="text/plain")


def worker_pid(get_response):
    """Middleware: which gunicorn worker answered (X-Worker-Pid), so the bench warms each."""

    def middleware(request):
        response = get_response(request)
        response["X-Worker-Pid"] = str(os.getpid())
        return response

    return middleware


urlpatterns = [path("bare/", bare), *site_urlpatterns]
