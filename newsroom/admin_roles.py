"""Translation in the admin: what a translator may change, and the status of translations.

A translator may change the fields of their own language, nothing else.

Every other field is read-only for them, so it is not part of the form at all: a value
posted for it (a tampered form) is ignored, and the stored text stays as it was.
"""

from django.contrib.admin.options import ActionLocation
from django.utils.translation import gettext_lazy as _

from newsroom.admin_filters import StaleTranslationFilter
from newsroom.i18n import translated_fields
from newsroom.services import translator_language
from newsroom.translation_status import (
    source_hash,
    target_languages,
    translation_confirm,
    translations_mark_stale,
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
    """A change to the original's text marks translations stale; translators confirm them."""

    def save_model(self, request, obj, form, change):
        before = source_hash(type(obj).objects.get(pk=obj.pk)) if change else None
        super().save_model(request, obj, form, change)
        if change and before != source_hash(obj):
            translations_mark_stale(model=type(obj), pks=[obj.pk])

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
