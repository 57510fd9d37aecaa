"""Template tags for sharing: Open Graph values and schema.org JSON-LD."""

from django import template
from django.templatetags.static import static
from django.utils.safestring import mark_safe

from newsroom.publishing import jsonld

register = template.Library()

OG_LOCALES = {"th": "th_TH", "en": "en_US"}
SHARE_IMAGE = "newsroom/share.png"


@register.filter
def og_locale(language_code: str) -> str:
    return OG_LOCALES.get(language_code, language_code)


@register.simple_tag(takes_context=True)
def share_image_url(context) -> str:
    return context["request"].build_absolute_uri(static(SHARE_IMAGE))


def page_language(context) -> str:
    return context.get("LANGUAGE_CODE") or context["request"].LANGUAGE_CODE


@register.simple_tag(takes_context=True)
def source_jsonld(context, source):
    data = jsonld.source_data(source, build_url=context["request"].build_absolute_uri)
    return mark_safe(jsonld.to_script(data))  # escaped by to_script, as json_script does


@register.simple_tag(takes_context=True)
def person_jsonld(context, person):
    data = jsonld.person_data(person, build_url=context["request"].build_absolute_uri)
    return mark_safe(jsonld.to_script(data))  # escaped by to_script, as json_script does
