"""Template helpers for bilingual pages: translated fields, date labels, alternates."""

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language

from newsroom.calendar import day_label
from newsroom.i18n import localized, translated_html

register = template.Library()


@register.simple_tag
def tr(obj, field, tag="span", paragraphs=False):
    """Render a translated field; a fallback carries its own lang and a visible marker."""
    return translated_html(obj, field, tag=tag, paragraphs=paragraphs)


@register.simple_tag
def translated_text(obj, field):
    """The plain text of a translated field (with fallback), for attributes and <title>."""
    return localized(obj, field).text


def _language() -> str:
    return (get_language() or settings.LANGUAGE_CODE)[:2]


@register.filter
def local_date(day):
    """A date as this page's readers write it (Buddhist Era year on Thai pages)."""
    return day_label(day, language=_language()) if day else ""


@register.simple_tag(takes_context=True)
def alternates(context):
    """(language code, URL) of the current page in every language, for hreflang and the switcher."""
    request = context["request"]
    url = request.build_absolute_uri(request.path)
    return [(code, translate_url(url, code)) for code, _name in settings.LANGUAGES]
