"""List filters shared by the newsroom and timeline admins."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from newsroom.i18n import LANGUAGE_CODES, missing_translation_q

LANGUAGE_NAMES = {"th": _("Thai"), "en": _("English")}


class MissingTranslationFilter(admin.SimpleListFilter):
    """Rows with text in one language that the other still lacks."""

    title = _("translation")
    parameter_name = "missing"

    def lookups(self, request, model_admin):
        return [
            (code, _("missing %(language)s") % {"language": LANGUAGE_NAMES[code]})
            for code in LANGUAGE_CODES
        ]

    def queryset(self, request, queryset):
        if self.value() in LANGUAGE_CODES:
            return queryset.filter(missing_translation_q(queryset.model, self.value()))
        return queryset


class StaleTranslationFilter(admin.SimpleListFilter):
    """Rows whose original changed after their translation was last confirmed."""

    title = _("translation up to date")
    parameter_name = "stale"

    def lookups(self, request, model_admin):
        from newsroom.translations.status import target_languages

        return [
            (code, _("stale: %(language)s") % {"language": LANGUAGE_NAMES[code]})
            for code in target_languages()
        ]

    def queryset(self, request, queryset):
        from newsroom.translations.status import stale_q, target_languages

        if self.value() in target_languages():
            return queryset.filter(stale_q(queryset.model, self.value()))
        return queryset
