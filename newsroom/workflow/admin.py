"""Workflow in the admin: bulk moves between states, scheduling, the log; no free status edit."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from newsroom.models import Status
from newsroom.workflow.services import item_transition


def _move(to: str, description):
    def action(modeladmin, request, queryset):
        moved, refused = 0, []
        for item in queryset:
            try:
                item_transition(
                    item=item,
                    to=to,
                    by=request.user,
                    publish_at=item.publish_at if to == Status.PUBLISHED else None,
                )
                moved += 1
            except (ValidationError, PermissionDenied) as error:
                refused.append(f"{item}: {' '.join(getattr(error, 'messages', [str(error)]))}")
        if moved:
            modeladmin.message_user(
                request,
                _("%(count)s item(s) are now %(state)s.")
                % {"count": moved, "state": Status(to).label},
            )
        for line in refused:
            modeladmin.message_user(request, line, messages.ERROR)

    action.__name__ = f"make_{to}"
    return admin.action(description=description)(action)


# The list actions of every item with a workflow (EditorialAdmin adds them).
WORKFLOW_ACTIONS = (
    _move(Status.REVIEW, _("Submit for review")),
    _move(Status.PUBLISHED, _("Publish (at the publish time, if one is set)")),
    _move(Status.UNPUBLISHED, _("Unpublish")),
    _move(Status.ARCHIVED, _("Archive")),
    _move(Status.DRAFT, _("Back to draft")),
)
