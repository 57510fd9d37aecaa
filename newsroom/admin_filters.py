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
