"""Readers' public pages from the page cache (``newsroom.publishing.cache``)."""

from newsroom.publishing import cache as page_cache


class PageCacheMiddleware:
    """Readers' public pages from the page cache (``cache.py`` beside), marked for browsers.

    It sits after LocaleMiddleware (the key holds the language) and before the CSRF, auth
    and message middleware, whose traces (cookies, Vary) then keep a page out of the cache.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not page_cache.is_public(request):
            return self.get_response(request)
        if page_cache.is_personal(request):
            return page_cache.personal_headers(self.get_response(request))
        generation = page_cache.current_generation()
        if (stored := page_cache.page_get(request, generation)) is not None:
            return stored
        response = self.get_response(request)
        page_cache.page_store(request, response, generation)
        return response
