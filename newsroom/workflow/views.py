"""Workflow on an item's form: the moves the user may make, as buttons in the form's submit
row; each goes through ``item_transition`` (the list actions stay, and go the same way)."""

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from newsroom.models import Status
from newsroom.workflow.services import item_transition, moves_open, unsourced

SCHEDULE = "schedule"  # publish, at the time given
PREFIX = "workflow"
# The buttons' words (the list actions say it their way).
LABELS = {
    Status.DRAFT: gettext_lazy("Back to draft"),
    Status.REVIEW: gettext_lazy("Submit for review"),
    Status.PUBLISHED: gettext_lazy("Publish now"),
    SCHEDULE: gettext_lazy("Schedule at the time above"),
    Status.UNPUBLISHED: gettext_lazy("Unpublish"),
    Status.ARCHIVED: gettext_lazy("Archive"),
}
# Moves that take an item away from its readers: the form asks why.
REASON_ASKED = {Status.UNPUBLISHED, Status.ARCHIVED}


class MoveForm(forms.Form):
    to = forms.ChoiceField(choices=list(LABELS.items()))
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=300, required=False)
    publish_at = forms.DateTimeField(
        label=gettext_lazy("Publish at"), required=False, input_formats=["%Y-%m-%dT%H:%M"]
    )
    without_source = forms.BooleanField(required=False)

    def clean(self):
        data = super().clean()
        to, at = data.get("to"), data.get("publish_at")
        if to == SCHEDULE and (at is None or at <= timezone.now()):
            self.add_error("publish_at", _("Give a time in the future to schedule it."))
        if (to in REASON_ASKED or data.get("without_source")) and not data.get("reason"):
            self.add_error("reason", _("Say why, in a few words: the workflow log keeps it."))
        return data


def move_view(modeladmin, request, object_id):
    """POST from the change form's workflow buttons: make the move, back to the form."""
    obj = modeladmin.get_object(request, unquote(object_id))
    if obj is None:
        raise Http404
    if request.method != "POST" or not modeladmin.has_change_permission(request, obj):
        raise PermissionDenied
    form = MoveForm(request.POST, prefix=PREFIX)
    if not form.is_valid():
        for error in form.errors.values():
            modeladmin.message_user(request, " ".join(error), messages.ERROR)
    else:
        _move(modeladmin, request, obj, form.cleaned_data)
    return redirect(_change_url(obj))


def _move(modeladmin, request, obj, data) -> None:
    to = Status.PUBLISHED if data["to"] == SCHEDULE else data["to"]
    try:
        item_transition(
            item=obj,
            to=to,
            by=request.user,
            publish_at=data["publish_at"] if data["to"] == SCHEDULE else None,
            reason=data["reason"],
            without_source=data["without_source"],
        )
    except (ValidationError, PermissionDenied) as error:
        message = " ".join(getattr(error, "messages", [str(error)]))
        modeladmin.message_user(request, message, messages.ERROR)
        return
    done = _("It is now %(state)s.") % {"state": Status(to).label}
    if obj.publish_at:
        when = timezone.localtime(obj.publish_at).strftime("%Y-%m-%d %H:%M")
        done = _("It is scheduled: readers see it from %(time)s.") % {"time": when}
    modeladmin.message_user(request, done, messages.SUCCESS)


def _change_url(obj) -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[quote(obj.pk)])


def workflow_panel(obj, user) -> dict | None:
    """What the form's workflow buttons need: the moves open to ``user``, and whether the
    item cites no source (publishing it is refused, or a chief editor's decision)."""
    moves = moves_open(item=obj, user=user)
    if not moves:
        return None
    opts = obj._meta
    publishes = Status.PUBLISHED in moves
    buttons = [(to, LABELS[to]) for to in moves]
    if publishes:
        buttons.insert(moves.index(Status.PUBLISHED) + 1, (SCHEDULE, LABELS[SCHEDULE]))
    return {
        "url": reverse(f"admin:{opts.app_label}_{opts.model_name}_workflow", args=[quote(obj.pk)]),
        "state": Status(obj.status).label,
        "buttons": buttons,
        "publishes": publishes,
        "unsourced": publishes and bool(unsourced(type(obj), [obj.pk])),
        "prefix": PREFIX,
    }
