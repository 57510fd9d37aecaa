"""Template helpers for the timeline's pages: events' and eras' dates in the page's language."""

from django import template
from django.conf import settings
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from newsroom.calendar import BUDDHIST_ERA_LANGUAGES
from newsroom.publishing.jsonld import to_script
from newsroom.templatetags.sharing import share_image_url
from timeline import jsonld
from timeline.labels import years_label

register = template.Library()


def _language() -> str:
    return (get_language() or settings.LANGUAGE_CODE)[:2]


@register.simple_tag
def event_date(event):
    return event.date_label(_language())


@register.simple_tag
def ce_years(event):
    """The CE years of an event where the page's labels count another era, else ""."""
    return event.ce_years if _language() in BUDDHIST_ERA_LANGUAGES else ""


@register.simple_tag
def era_years(era):
    return years_label(era.start_year, era.end_year, language=_language())


@register.simple_tag(takes_context=True)
def event_jsonld(context, event):
    request = context["request"]
    data = jsonld.event_data(
        event,
        build_url=request.build_absolute_uri,
        image=share_image_url(context),
    )
    return mark_safe(to_script(data))  # escaped by to_script, as json_script does
