"""The one base class of the editorial admins (sources, people, events, eras, topics, ...).

Every hook of a change form is here, once: which fields are read-only (the status always,
the publish time without the publish right, other languages for a translator, a published
correction's kind), the form (the editor's reason, the translation confirmation), the
fieldsets, the actions, and the save, which calls the kind's service (``save_item``) with
the form's relations, then saves each inline row through its own service. Two views of
its own: the translation view (``newsroom.translations.views``, the only one a translator
sees) and the workflow buttons' handler (``newsroom.workflow.views``). What the other
bases bring is views only: ``HistoryViews`` (versions, compare, revert, recover) and
django-import-export's import and export pages (``SpreadsheetAdmin``), and modeltranslation's
fields in both languages, with our one language switch (``newsroom/js/admin-form.js``).
"""

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.options import ActionLocation
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import prefetch_related_objects
from django.shortcuts import redirect
from django.urls import path
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin
from reversion import set_comment

from newsroom.accounts import translator_language
from newsroom.admin.widgets import AutocompleteFields
from newsroom.corrections import CorrectionsKeptFormSet
from newsroom.editing import delete_error, item_delete, item_save, stored_remember
from newsroom.held import HeldChoiceField, HeldMultipleChoiceField, HeldRowsFormSet
from newsroom.history.admin import HistoryViews, ReasonForm
from newsroom.i18n import translated_fields
from newsroom.imports.admin import SpreadsheetAdmin
from newsroom.imports.specs import specs
from newsroom.models import Note, PublishableModel, WorkflowLog
from newsroom.services import note_delete, note_save
from newsroom.signals import content_batch
from newsroom.text import CleanedTextField
from newsroom.translations.admin import (
    CONFIRMED,
    confirm_translation,
    other_fields,
    stale_translations,
    translation_changes_html,
)
from newsroom.translations.file_views import export_selection_action
from newsroom.translations.filters import LANGUAGE_NAMES, StaleTranslationFilter
from newsroom.translations.status import (
    confirmable_languages,
    source_language,
    target_languages,
    translation_confirm,
    writable_languages,
)
from newsroom.translations.views import translate_url, translate_view
from newsroom.workflow.admin import WORKFLOW_ACTIONS
from newsroom.workflow.views import move_view, workflow_panel

# Text as a browser sends it (CRLF, stray spaces, Thai PDF artifacts) is cleaned as it will be
# stored before the form compares it: an untouched field is never reported as changed.
FORM_FIELDS = {
    models.SlugField: {"form_class": forms.SlugField},
    models.URLField: {"form_class": forms.URLField},
    models.CharField: {"form_class": CleanedTextField},
    models.TextField: {"form_class": CleanedTextField, "multiline": True},
    # A foreign key's row the item already holds is not read again (newsroom.held).
    models.ForeignKey: {"form_class": HeldChoiceField},
    models.ManyToManyField: {"form_class": HeldMultipleChoiceField},
}
OURS = ("translation_changes", "translation_confirmed")
ADDED = {*OURS, "change_reason"}


class EditorialAdmin(AutocompleteFields, SpreadsheetAdmin, HistoryViews, TranslationAdmin):
    formfield_overrides = FORM_FIELDS
    change_form_template = "newsroom/admin/change_form.html"  # the language switch
    delete_confirmation_template = "newsroom/admin/delete_confirmation.html"

    class Media:
        js = ("newsroom/js/admin-form.js",)

    def changeform_view(self, *args, **kwargs):
        # The item, its relations and its inlines: readers' pages and the search index hear
        # of the save once, at its end.
        with content_batch():
            return super().changeform_view(*args, **kwargs)

    def get_urls(self):
        opts = self.model._meta
        translate = path(
            "<path:object_id>/translate/<str:language>/",
            self.admin_site.admin_view(self.translation_view),
            name=f"{opts.app_label}_{opts.model_name}_translate",
        )
        workflow = path(
            "<path:object_id>/workflow/",
            self.admin_site.admin_view(self.workflow_view),
            name=f"{opts.app_label}_{opts.model_name}_workflow",
        )
        return [translate, workflow, *super().get_urls()]

    def translation_view(self, request, object_id, language):
        return translate_view(self, request, object_id, language)

    def workflow_view(self, request, object_id):
        return move_view(self, request, object_id)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # The workflow's buttons, in the submit row (templates/admin/submit_line.html).
        if obj is not None and self._publishable:
            context["workflow"] = workflow_panel(obj, request.user)
        languages = dict(settings.LANGUAGES)
        context["translation_languages"] = [  # the language switch's, the original first
            (code, languages[code], code == source_language())
            for code in [source_language(), *target_languages()]
        ]
        return super().render_change_form(request, context, add, change, form_url, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """A translator works in the translation view (and the history); an editor's form
        links to it, one link per language they may translate into."""
        if request.method == "GET" and translated_fields(self.model):
            if language := translator_language(request.user):
                return redirect(translate_url(self.model, unquote(object_id), language))
            extra_context = {
                **(extra_context or {}),
                "translate_links": [
                    (LANGUAGE_NAMES[code], translate_url(self.model, unquote(object_id), code))
                    for code in writable_languages(request.user)
                ],
            }
        return super().change_view(request, object_id, form_url, extra_context)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if relations := [f.name for f in self.model._meta.concrete_fields if f.many_to_one]:
            queryset = queryset.select_related(*relations)
        return queryset

    def get_object(self, request, object_id, from_field=None):
        """The item with the rows its form shows (its foreign keys' targets and its
        many-to-many relations), remembered as stored before the form changes it: the save
        reads none of them again (``newsroom.held``)."""
        obj = super().get_object(request, object_id, from_field)
        if obj is not None:
            relations = [
                f.name
                for f in self.model._meta.many_to_many
                if f.remote_field.through._meta.auto_created
            ]
            prefetch_related_objects([obj], *relations)
            stored_remember(obj)
        return obj

    # Rights, read once per request (Django caches a user's permissions on the user).

    def _may(self, request, action: str) -> bool:
        opts = self.model._meta
        return request.user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}")

    @property
    def _publishable(self) -> bool:
        return issubclass(self.model, PublishableModel)

    # The form

    def get_readonly_fields(self, request, obj=None):
        fields = [*self.readonly_fields]
        if self._publishable:
            fields += ["status", "workflow_log"]
            if not self._may(request, "publish"):
                fields.append("publish_at")
        if language := translator_language(request.user):
            fields += [f for f in other_fields(self.model, language) if f not in fields]
        if obj is not None:
            fields.append("translation_changes")
        return fields

    def get_prepopulated_fields(self, request, obj=None):
        if translator_language(request.user):
            return {}  # the slug is read-only for a translator
        return super().get_prepopulated_fields(request, obj)

    def get_form(self, request, obj=None, change=False, **kwargs):
        extra = {"change_reason": ReasonForm.base_fields["reason"]}
        if obj is not None:
            extra["translation_confirmed"] = CONFIRMED
        kwargs["form"] = type("EditorialForm", (kwargs.get("form", self.form),), extra)
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (name, {**options, "fields": [f for f in options["fields"] if f not in ADDED]})
            for name, options in super().get_fieldsets(request, obj)
        ]
        if obj is not None and stale_translations(obj):  # first: what to redo
            fieldsets.insert(0, (_("Translation out of date"), {"fields": sorted(OURS)}))
        elif obj is not None:
            fieldsets.append((_("Translation"), {"fields": ["translation_confirmed"]}))
        return [*fieldsets, (_("History"), {"fields": ["change_reason"]})]

    @admin.display(description=_("What changed in the original"))
    def translation_changes(self, obj):
        return translation_changes_html(obj)

    @admin.display(description=_("workflow log"))
    def workflow_log(self, obj):
        if not obj.pk:
            return "—"
        steps = WorkflowLog.objects.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
        ).select_related("by")[:20]
        return (
            "; ".join(f"{localtime(s.at):%Y-%m-%d %H:%M} {s} ({s.by or '—'})" for s in steps) or "—"
        )

    # The list

    def get_list_filter(self, request):
        return [*super().get_list_filter(request), StaleTranslationFilter]

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location=action_location)
        if self._publishable and not translator_language(request.user):
            for action in WORKFLOW_ACTIONS:
                actions[action.__name__] = (action, action.__name__, action.short_description)
        if self._may(request, "change"):
            actions["confirm_translation"] = (
                confirm_translation,
                "confirm_translation",
                confirm_translation.short_description,
            )
            if self.model in {spec.model for spec in specs().values()}:
                for language in confirmable_languages(request.user):
                    action = export_selection_action(language)
                    actions[action.__name__] = (action, action.__name__, action.short_description)
        return actions

    # The save: the kind's service, then each inline row through its own

    def save_item(self, request, obj, relations: dict) -> None:
        """Store ``obj`` through its kind's service (the kinds' admins name theirs)."""
        item_save(item=obj, by=request.user, relations=relations, validated=True)

    def save_model(self, request, obj, form, change):
        relations = {  # the ones the editor changed (all of them on an add)
            field.name: form.cleaned_data[field.name]
            for field in self.model._meta.many_to_many
            if field.name in form.cleaned_data and (field.name in form.changed_data or not change)
        }
        try:
            self.save_item(request, obj, relations)
        except (ValidationError, PermissionDenied) as error:
            raise PermissionDenied(" ".join(getattr(error, "messages", [str(error)]))) from error

    def save_related(self, request, form, formsets, change):
        # The form's relations went with the item (save_model): only the inlines are left.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)
        if form.cleaned_data.get("translation_confirmed"):
            for code in confirmable_languages(request.user):
                translation_confirm(obj=form.instance, language=code, by=request.user)

    def save_formset(self, request, form, formset, change):
        rows = formset.save(commit=False)
        inline = next(i for i in self.get_inline_instances(request) if i.model is formset.model)
        for row in formset.deleted_objects:
            inline.delete_row(request, row)
        for row in rows:
            inline.save_row(request, row)

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or not delete_error(item=obj, by=request.user))

    def delete_model(self, request, obj):
        reason = request.POST.get("reason", "").strip()[:200]
        item_delete(item=obj, by=request.user, reason=reason)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)

    # The history's comment: the editor's reason, then what changed

    def construct_change_message(self, request, form, formsets, add=False):
        request.history_reason = form.cleaned_data.get("change_reason", "")
        for name in ("change_reason", "translation_confirmed"):
            if name in form.changed_data:
                form.changed_data.remove(name)
        return super().construct_change_message(request, form, formsets, add)

    def log_addition(self, request, obj, message):
        return self._with_reason(request, super().log_addition(request, obj, message))

    def log_change(self, request, obj, message):
        return self._with_reason(request, super().log_change(request, obj, message))

    def _with_reason(self, request, entry):
        reason = getattr(request, "history_reason", "")
        set_comment(" — ".join(filter(None, [reason, entry.get_change_message()])))
        return entry


class EditorialInline(AutocompleteFields):
    """For inlines (citations, notes, quotes): a translator changes only their language's
    fields, and each row is written through its kind's service; the rows the inline read
    are not read again to check them (``newsroom.held``)."""

    formfield_overrides = FORM_FIELDS
    formset = HeldRowsFormSet

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if language := translator_language(request.user):
            fields += [f for f in other_fields(self.model, language) if f not in fields]
        return fields

    def save_row(self, request, row) -> None:
        item_save(item=row, by=request.user, validated=True)

    def delete_row(self, request, row) -> None:
        item_delete(item=row, by=request.user)


class NotesInline(EditorialInline):
    """An item's editor's notes and corrections (on a source or an event): a published
    correction stays, through the note services."""

    model = Note
    formset = CorrectionsKeptFormSet
    fields = ("kind", "noted_on", "text", "is_public")
    extra = 0
    classes = ("collapse",)

    def save_row(self, request, row) -> None:
        note_save(note=row, by=request.user, validated=True)

    def delete_row(self, request, row) -> None:
        note_delete(note=row, by=request.user)
