"""Editors are told of their ended background imports, on their next admin page."""

from django.contrib import messages
from django.utils.translation import gettext as _

from newsroom.models import ImportRecord


def import_notices(get_response):
    def middleware(request):
        user = getattr(request, "user", None)
        # On pages the editor sees (a GET), not on the form posts that lead to them.
        is_page = request.method == "GET" and request.path.startswith("/admin/")
        if is_page and user and user.is_authenticated:
            _tell(request, user)
        return get_response(request)

    return middleware


def _tell(request, user) -> None:
    ended = list(
        ImportRecord.objects.filter(
            user=user,
            background=True,
            notified=False,
            state__in=[ImportRecord.State.DONE, ImportRecord.State.FAILED],
        )
    )
    if not ended:
        return  # a read stays a read: no write (on SQLite, no write lock) on every page
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
    ImportRecord.objects.filter(pk__in=[r.pk for r in ended]).update(notified=True)
