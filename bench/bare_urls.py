"""The project's URLs and /bare/: the least a Django view can do, for the web bench."""

from django.http import HttpResponse
from django.urls import path

from newsroom.urls import urlpatterns as site_urlpatterns


def bare(request):
    return HttpResponse(b"ok\n", content_type="text/plain")


urlpatterns = [path("bare/", bare), *site_urlpatterns]
