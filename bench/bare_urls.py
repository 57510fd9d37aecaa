"""The project's URLs and /bare/: the least a Django view can do, for the web bench."""

import os

from django.db import connections
from django.http import HttpResponse
from django.urls import path

from newsroom.urls import urlpatterns as site_urlpatterns


def bare(request):
    return HttpResponse(b"ok\n", content_type="text/plain")


def bench_headers(get_response):
    """Middleware, outermost: which gunicorn worker answered (X-Worker-Pid), so the bench
    warms each, and how many SQL queries the request ran, the page cache's included
    (X-Query-Count; a page served from the cache runs none)."""

    def middleware(request):
        queries = [0]

        def count(execute, sql, params, many, context):
            queries[0] += 1
            return execute(sql, params, many, context)

        with connections["default"].execute_wrapper(count):
            response = get_response(request)
        response["X-Worker-Pid"] = str(os.getpid())
        response["X-Query-Count"] = str(queries[0])
        return response

    return middleware


urlpatterns = [path("bare/", bare), *site_urlpatterns]
