"""Editors are told of their ended background imports; readers get pages from the cache."""

from django.contrib import messages
from django.utils.translation import gettext as _

from newsroom.models import ImportRecord
from newsroom.publishing import cache as page_cache


def import_notices(get_response):
    def middleware(request):
        user = getattr(request, "user", None)
        if request.path.startswith("/admin/") and user and user.is_authenticated:
            _tell(request, user)
        return get_response(request)

    return middleware


def _tell(request, user) -> None:
    ended = ImportRecord.objects.filter(
        user=user,
        background=True,
        notified=False,
        state__in=[ImportRecord.State.DONE, ImportRecord.State.FAILED],
    )
    for record in ended:
        if record.state == ImportRecord.State.DONE:
            messages.success(
                request,
                _(
                    "Your import of %(file)s has finished: %(created)s created, %(updated)s "
                    "updated, %(unchanged)s unchanged."
                )
                % {
                    "file": record.file_name,
                    "created": record.created,
                    "updated": record.updated,
                    "unchanged": record.unchanged,
                },
            )
        else:
            messages.error(
                request,
                _(
                    "Your import of %(file)s failed with %(count)s error(s); nothing was "
                    "written. See Imports."
                )
                % {"file": record.file_name, "count": len(record.errors)},
            )
    ended.update(notified=True)


class PageCacheMiddleware:
    """Readers' public pages from the page cache (newsroom/cache.py), marked for browsers.

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
