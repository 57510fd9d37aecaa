"""Reading translated fields with an honest fallback.

modeltranslation's fallback hides which language a value came from; readers must
see when they get the other language, so pages read fields through ``localized``.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.template.defaultfilters import linebreaks_filter, linebreaksbr
from django.utils.html import format_html
from django.utils.translation import get_language, gettext

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


@dataclass(frozen=True)
class Localized:
    text: str
    language: str
    is_fallback: bool

    def __str__(self):
        return self.text


def localized(obj, field: str, language: str | None = None) -> Localized:
    """The value of ``field`` in ``language``, else in the first language that has one."""
    wanted = (language or get_language() or settings.LANGUAGE_CODE)[:2]
    for code in [wanted, *(c for c in LANGUAGE_CODES if c != wanted)]:
        value = getattr(obj, f"{field}_{code}", None)
        if value:
            return Localized(value, code, code != wanted)
    return Localized("", wanted, False)


def translated_html(obj, field: str, *, tag: str = "span", paragraphs: bool = False) -> str:
    """``field`` of ``obj`` (``localized``) as an element, for ``{% tr %}`` and TimelineJS's
    text: a fallback carries the language of its text and a visible "Not yet translated";
    ``paragraphs`` splits it on blank lines into <p>, else its line breaks become <br>.
    Empty: ""."""
    value = localized(obj, field)
    if not value.text:
        return ""
    body = linebreaks_filter(value.text) if paragraphs else linebreaksbr(value.text)
    if not value.is_fallback:
        return format_html("<{}>{}</{}>", tag, body, tag)
    page, mark = get_language(), gettext("Not yet translated")
    if paragraphs:
        block = '<span class="fallback-mark fallback-mark-block" lang="{}">{}</span>'
        body = format_html(block + "{}", page, mark, body)
    else:
        body = format_html('{}<span class="fallback-mark" lang="{}"> {}</span>', body, page, mark)
    return format_html('<{} lang="{}" class="is-fallback">{}</{}>', tag, value.language, body, tag)


def other_languages(language: str) -> list[str]:
    return [code for code in LANGUAGE_CODES if code != language]


def translated_fields(model) -> tuple[str, ...]:
    """The names of ``model``'s translated fields (empty if it has none)."""
    from modeltranslation.translator import NotRegistered, translator  # models import us

    try:
        return tuple(translator.get_options_for_model(model).fields)
    except NotRegistered:
        return ()


def _empty(field: str):
    return Q(**{f"{field}__isnull": True}) | Q(**{field: ""})


def missing_translation_q(model, language: str):
    """Rows where some field has text in another language but none in ``language``."""
    missing = Q(pk__in=[])
    for name in translated_fields(model):
        has_other = Q()
        for other in other_languages(language):
            has_other |= ~_empty(f"{name}_{other}")
        missing |= _empty(f"{name}_{language}") & has_other
    return missing


def is_missing_translation(obj, language: str) -> bool:
    """Whether ``obj`` is one of the rows ``missing_translation_q`` finds (the Python side)."""
    for name in translated_fields(type(obj)):
        others = (getattr(obj, f"{name}_{other}") for other in other_languages(language))
        if not getattr(obj, f"{name}_{language}") and any(others):
            return True
    return False
