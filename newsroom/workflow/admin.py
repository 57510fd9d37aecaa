"""Workflow in the admin: bulk moves between states, scheduling, the log; no free status edit."""

from django.contrib import admin, messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from newsroom.models import Status, WorkflowLog
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


class WorkflowAdmin(admin.ModelAdmin):
    """Status changes only through the workflow service; each one is logged."""

    actions = (
        _move(Status.REVIEW, _("Submit for review")),
        _move(Status.PUBLISHED, _("Publish (at the publish time, if one is set)")),
        _move(Status.UNPUBLISHED, _("Unpublish")),
        _move(Status.ARCHIVED, _("Archive")),
        _move(Status.DRAFT, _("Back to draft")),
    )

    def get_readonly_fields(self, request, obj=None):
        fields = [*super().get_readonly_fields(request, obj), "status", "workflow_log"]
        opts = self.model._meta
        if not request.user.has_perm(f"{opts.app_label}.publish_{opts.model_name}"):
            fields.append("publish_at")
        return fields

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "publish_at" in form.changed_data and obj.status == Status.PUBLISHED:
            WorkflowLog.objects.create(
                content_type=ContentType.objects.get_for_model(obj),
                object_id=obj.pk,
                from_status=obj.status,
                to_status=obj.status,
                publish_at=obj.publish_at,
                by=request.user,
                reason=str(_("publish time changed")),
            )

    @admin.display(description=_("workflow log"))
    def workflow_log(self, obj):
        if not obj.pk:
            return "—"
        steps = WorkflowLog.objects.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
        ).select_related("by")[:20]
        return "; ".join(f"{s.at:%Y-%m-%d %H:%M} {s} ({s.by or '—'})" for s in steps) or "—"
