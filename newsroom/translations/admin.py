"""Translation in the admin: what a translator may change, and what changed in the original.

A translator may change the fields of their own language, nothing else. Every other field
is read-only for them, so it is not part of the form at all: a value posted for it (a
tampered form) is ignored, and the stored text stays as it was.
"""

from django import forms
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from newsroom.accounts import translator_language
from newsroom.i18n import translated_fields
from newsroom.translations.filters import LANGUAGE_NAMES
from newsroom.translations.status import (
    confirmable_languages,
    originals,
    source_language,
    stale_fields,
    target_languages,
    translation_confirm,
    translation_record,
)

CONFIRMED = forms.BooleanField(
    label=_("The translation matches the original as saved"),
    required=False,
    help_text=_("Tick it once the translation is up to date: it is no longer stale."),
)


def other_fields(model, language: str) -> list[str]:
    """The editable fields of ``model`` that a translator into ``language`` may not change."""
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


class LanguageLimitedInline:
    """For inlines: a translator changes only the fields of their language."""

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if language := translator_language(request.user):
            fields += [f for f in other_fields(self.model, language) if f not in fields]
        return fields


def confirm_translation(modeladmin, request, queryset):
    """The translations of the selected items match their originals as they are now."""
    languages = confirmable_languages(request.user)
    if not languages:
        modeladmin.message_user(request, _("There is no translation for you to confirm."))
        return
    for obj in queryset:
        for code in languages:
            translation_confirm(obj=obj, language=code, by=request.user)
    modeladmin.message_user(
        request,
        _("%(count)s translation(s) confirmed as up to date.") % {"count": queryset.count()},
    )


confirm_translation.short_description = _("Confirm the translation is up to date")


def stale_translations(obj) -> dict[str, tuple]:
    """Per language whose translation of ``obj`` is stale: its state record and stale fields
    (kept on the object: the fieldsets and the field both ask, once per request)."""
    if not hasattr(obj, "_stale_translations"):
        obj._stale_translations = {}
        for code in target_languages():
            record = translation_record(obj, code)
            if fields := stale_fields(obj, code, record=record):
                obj._stale_translations[code] = (record, fields)
    return obj._stale_translations


def translation_changes_html(obj) -> str:
    """What changed in the original since each stale translation, field by field, word by word."""
    from newsroom.history.diff import words_diff

    model, now, languages = type(obj), originals(obj), []
    for code, (record, fields) in stale_translations(obj).items():
        changes = [
            {
                "field": model._meta.get_field(name).verbose_name,
                "diff": None if before is None else words_diff(True, before, now[name]),
            }
            for name, before in fields.items()
        ]
        languages.append({"name": LANGUAGE_NAMES[code], "state": record, "changes": changes})
    context = {"languages": languages, "original": LANGUAGE_NAMES[source_language()]}
    return render_to_string("newsroom/admin/translation_changes.html", context)
