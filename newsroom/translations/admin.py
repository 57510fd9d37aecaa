"""Translation in the admin: what a translator may change, and the status of translations.

A translator may change the fields of their own language, nothing else.

Every other field is read-only for them, so it is not part of the form at all: a value
posted for it (a tampered form) is ignored, and the stored text stays as it was.
"""

from django import forms
from django.contrib import admin
from django.contrib.admin.options import ActionLocation
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from newsroom.accounts import translator_language
from newsroom.i18n import translated_fields
from newsroom.translations.filters import LANGUAGE_NAMES, StaleTranslationFilter
from newsroom.translations.status import (
    originals,
    source_language,
    stale_fields,
    target_languages,
    translation_confirm,
    translation_record,
    translations_follow_edit,
)


def _other_fields(model, language: str) -> list[str]:
    base = set(translated_fields(model))
    return [
        f.name
        for f in model._meta.get_fields()
        if (f.concrete or f.many_to_many)
        and not f.auto_created
        and f.editable
        and not f.primary_key
        and f.name not in base
        and not f.name.endswith(f"_{language}")
    ]


class LanguageLimitedMixin:
    """For ModelAdmin and inline classes alike."""

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        language = translator_language(request.user)
        if language:
            fields += [f for f in _other_fields(self.model, language) if f not in fields]
        return fields

    def get_prepopulated_fields(self, request, obj=None):
        if translator_language(request.user):
            return {}  # the slug is read-only for a translator
        return super().get_prepopulated_fields(request, obj)


def confirm_translation(modeladmin, request, queryset):
    """The translations of the selected items match their originals as they are now."""
    for obj in queryset:
        for language in target_languages():
            translation_confirm(obj=obj, language=language, by=request.user)
    modeladmin.message_user(
        request,
        _("%(count)s translation(s) confirmed as up to date.") % {"count": queryset.count()},
    )


confirm_translation.short_description = _("Confirm the translation is up to date")


class TranslationStatusMixin:
    """A change to the original's text marks translations stale, field by field; the form
    shows a translator what changed in the original, and they confirm in the same save."""

    def save_model(self, request, obj, form, change):
        before = originals(type(obj).objects.get(pk=obj.pk)) if change else None
        super().save_model(request, obj, form, change)
        if change:
            translations_follow_edit(obj=obj, before=before)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if form.cleaned_data.get("translation_confirmed"):
            language = translator_language(request.user)
            for code in [language] if language else target_languages():
                translation_confirm(obj=form.instance, language=code, by=request.user)

    def get_form(self, request, obj=None, change=False, **kwargs):
        confirmed = forms.BooleanField(
            label=_("The translation matches the original as saved"),
            required=False,
            help_text=_("Tick it once the translation is up to date: it is no longer stale."),
        )
        kwargs["form"] = type(
            "TranslationForm",
            (kwargs.get("form", self.form),),
            {"translation_confirmed": confirmed},
        )
        return super().get_form(request, obj, change=change, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "translation_changes"]

    def get_fieldsets(self, request, obj=None):
        ours = {"translation_changes", "translation_confirmed"}
        fieldsets = [
            (name, {**options, "fields": [f for f in options["fields"] if f not in ours]})
            for name, options in super().get_fieldsets(request, obj)
        ]
        if obj is None:
            return fieldsets
        if self._stale(obj):  # first: what to redo
            section = (_("Translation out of date"), {"fields": sorted(ours)})
            return [section, *fieldsets]
        return [*fieldsets, (_("Translation"), {"fields": ["translation_confirmed"]})]

    def _stale(self, obj) -> dict[str, tuple]:
        """Per language whose translation is stale: its state record and stale fields (read
        once per request: the fieldsets and the field both ask)."""
        if not hasattr(obj, "_stale_translations"):
            obj._stale_translations = {}
            for code in target_languages():
                record = translation_record(obj, code)
                if fields := stale_fields(obj, code, record=record):
                    obj._stale_translations[code] = (record, fields)
        return obj._stale_translations

    @admin.display(description=_("What changed in the original"))
    def translation_changes(self, obj):
        from newsroom.history.versions import words_diff

        model, now, languages = type(obj), originals(obj), []
        for code, (record, fields) in self._stale(obj).items():
            changes = [
                {
                    "field": model._meta.get_field(name).verbose_name,
                    "diff": None if before is None else words_diff(True, before, now[name]),
                }
                for name, before in fields.items()
            ]
            languages.append(
                {
                    "name": LANGUAGE_NAMES[code],
                    "state": record,
                    "changes": changes,
                }
            )
        context = {"languages": languages, "original": LANGUAGE_NAMES[source_language()]}
        return render_to_string("newsroom/admin/translation_changes.html", context)

    def get_list_filter(self, request):
        return [*super().get_list_filter(request), StaleTranslationFilter]

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location=action_location)
        opts = self.model._meta
        if request.user.has_perm(f"{opts.app_label}.change_{opts.model_name}"):
            actions["confirm_translation"] = (
                confirm_translation,
                "confirm_translation",
                confirm_translation.short_description,
            )
        return actions


class TranslationAdminMixin(TranslationStatusMixin, LanguageLimitedMixin):
    """Both: what a translator may change, and translation status."""
