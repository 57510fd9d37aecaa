"""What a translator may change in the admin: the fields of their own language, nothing else.

Every other field is read-only for them, so it is not part of the form at all: a value
posted for it (a tampered form) is ignored, and the stored text stays as it was.
"""

from newsroom.i18n import translated_fields
from newsroom.services import translator_language


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
