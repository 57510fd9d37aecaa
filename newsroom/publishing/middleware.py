"""Readers' public pages from the page cache (``newsroom.publishing.cache``)."""

from django.conf import settings

from newsroom.publishing import cache as page_cache
from newsroom.publishing import dependencies


class PageCacheMiddleware:
    """Readers' public pages from the page cache (``cache.py`` beside), marked for browsers.

    It sits after LocaleMiddleware (the key holds the language) and before the CSRF, auth
    and message middleware, whose traces (cookies, Vary) then keep a page out of the cache.
    A cache that cannot be reached is logged once and the pages are rendered without it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not page_cache.is_public(request):
            return self.get_response(request)
        if page_cache.is_personal(request):
            return page_cache.personal_headers(self.get_response(request))
        if not settings.PAGE_CACHE_SECONDS:  # no page cache: marked for browsers only
            response = self.get_response(request)
            page_cache.page_mark(request, response)
            return response
        try:
            generation = page_cache.current_generation()
            stored = page_cache.page_get(request, generation)
            page_cache.cache_up()
            if stored is not None:
                return stored
            clock = dependencies.clock_now()  # before it renders: a write after makes it old
        except page_cache.CACHE_DOWN as error:
            page_cache.cache_down(error)  # rendered without the cache, as if it had none
            return self.get_response(request)
        with dependencies.page_render() as shown:
            response = self.get_response(request)
        try:
            reading = dependencies.reading(clock=clock, tags=shown.tags())
            page_cache.page_store(request, response, generation, reading)
        except page_cache.CACHE_DOWN as error:
            page_cache.cache_down(error)
        return response
