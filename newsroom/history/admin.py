"""History in the admin: each object's versions, a diff between any two, revert."""

from contextlib import contextmanager

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from reversion import create_revision, set_user
from reversion.admin import VersionAdmin

from newsroom.history.diff import versions_diff
from newsroom.history.revert import item_revert, may_revert
from newsroom.history.versions import current_values, version_values, versions_of

CURRENT = "current"
NONE = "none"  # before the first version: nothing


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=200,
        required=False,
        help_text=_(
            "A few words kept in the history, e.g. “fixed the date after a reader's note”."
        ),
    )


class HistoryViews(VersionAdmin):
    """The history pages of an item: its versions, a diff of any two, revert, recover.

    Views only: the change form's reason box and every other hook of a save are in
    ``newsroom.admin.base.EditorialAdmin``."""

    object_history_template = "newsroom/admin/history.html"
    recover_list_template = "newsroom/admin/recover_list.html"  # styled breadcrumbs
    recover_form_template = "newsroom/admin/recover_form.html"
    # "Recover deleted" for those who may recover (django-import-export puts its buttons
    # around this template; reversion's own would be replaced by them).
    change_list_template = "newsroom/admin/change_list.html"

    def get_urls(self):
        opts = self.model._meta
        name = f"{opts.app_label}_{opts.model_name}"
        view = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/history/compare/", view(self.compare_view), name=f"{name}_compare"
            ),
            path(
                "<path:object_id>/history/<int:version_id>/revert/",
                view(self.revert_view),
                name=f"{name}_revert",
            ),
            *super().get_urls(),
        ]

    @contextmanager
    def create_revision(self, request):
        # The version joins the request's transaction when there is one (one savepoint less).
        with create_revision(atomic=not transaction.get_connection().in_atomic_block):
            set_user(request.user)
            yield

    # Views --------------------------------------------------------------------------

    def _item(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        return obj

    def _context(self, request, obj, **extra):
        opts = self.model._meta
        return {
            **self.admin_site.each_context(request),
            "opts": opts,
            "object": obj,
            "app_label": opts.app_label,
            "may_revert": may_revert(request.user, self.model),
            "url_name": f"admin:{opts.app_label}_{opts.model_name}",
            **extra,
        }

    def history_view(self, request, object_id, extra_context=None):
        obj = self._item(request, object_id)
        versions = list(versions_of(obj)[:500])
        context = self._context(request, obj, title=_("History: %s") % obj, versions=versions)
        return TemplateResponse(request, self.object_history_template, context)

    def _values(self, obj, version_id: str):
        """A version's values; "current": the item now; "none": nothing (before the first)."""
        if version_id == CURRENT:
            return current_values(obj), None
        if version_id == NONE:
            return {}, None
        version = get_object_or_404(versions_of(obj), pk=version_id)
        return version_values(version), version

    def _latest_change(self, obj) -> tuple[str, str]:
        """The versions to compare when none is chosen: the latest change, that is, the
        newest version against the one before it (or nothing, for the first)."""
        newest, *before = versions_of(obj)[:2]
        return (str(before[0].pk) if before else NONE), str(newest.pk)

    def compare_view(self, request, object_id):
        obj = self._item(request, object_id)
        older_id, newer_id = request.GET.get("older", ""), request.GET.get("newer", "")
        valid = {CURRENT, NONE}
        if not versions_of(obj).exists():
            older_id, newer_id = CURRENT, CURRENT
        elif not (older_id in valid or older_id.isdigit()) or not (
            newer_id in valid or newer_id.isdigit()
        ):
            older_id, newer_id = self._latest_change(obj)
        older, older_version = self._values(obj, older_id)
        newer, newer_version = self._values(obj, newer_id)
        if older_version and newer_version and older_version.pk > newer_version.pk:
            (older, older_version, older_id), (newer, newer_version, newer_id) = (
                (newer, newer_version, newer_id),
                (older, older_version, older_id),
            )
        context = self._context(
            request,
            obj,
            title=_("Changes: %s") % obj,
            older=older_version,
            newer=newer_version,
            older_id=older_id,
            newer_id=newer_id,
            versions=list(versions_of(obj)[:500]),
            changes=versions_diff(model=self.model, older=older, newer=newer),
        )
        return TemplateResponse(request, "newsroom/admin/history_compare.html", context)

    def revert_view(self, request, object_id, version_id):
        obj = self._item(request, object_id)
        if not may_revert(request.user, self.model):
            raise PermissionDenied
        version = get_object_or_404(versions_of(obj), pk=version_id)
        form = ReasonForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                item_revert(
                    item=obj, version=version, by=request.user, reason=form.cleaned_data["reason"]
                )
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
            else:
                self.message_user(request, _("Reverted. The revert is itself a new version."))
                opts = self.model._meta
                return redirect(
                    reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[obj.pk])
                )
        context = self._context(
            request,
            obj,
            title=_("Revert %s") % obj,
            version=version,
            form=form,
            changes=versions_diff(
                model=self.model, older=current_values(obj), newer=version_values(version)
            ),
        )
        return TemplateResponse(request, "newsroom/admin/history_revert.html", context)

    def revision_view(self, request, object_id, version_id, extra_context=None):
        # reversion's own revert form would also put the status back, past the workflow.
        opts = self.model._meta
        return redirect(f"admin:{opts.app_label}_{opts.model_name}_revert", object_id, version_id)

    # Recovering restores the item's status too (and an event's citations): a chief
    # editor's move.

    def _may_recover(self, request) -> bool:
        opts = self.model._meta
        return request.user.has_perm(f"{opts.app_label}.publish_{opts.model_name}")

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "may_recover": self._may_recover(request)}
        return super().changelist_view(request, extra_context)

    def recoverlist_view(self, request, extra_context=None):
        if not self._may_recover(request):
            raise PermissionDenied
        return super().recoverlist_view(request, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        if not self._may_recover(request):
            raise PermissionDenied
        return super().recover_view(request, version_id, extra_context)
