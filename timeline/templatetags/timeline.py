"""Template helpers for the timeline's pages: events' and eras' dates in the page's language."""

from django import template
from django.conf import settings
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext

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
    """An event's date label in the page's language, in a <time> where it is a single day,
    month or year. Thai labels count Buddhist Era years, so those pages add the Christian
    Era years beside them, small."""
    language = _language()
    label, machine = event.date_label(language), event.machine_date
    if machine:
        text = format_html('<time class="date-text" datetime="{}">{}</time>', machine, label)
    else:
        text = format_html('<span class="date-text">{}</span>', label)
    if language in BUDDHIST_ERA_LANGUAGES and (years := event.ce_years):
        ce = gettext("CE %(years)s") % {"years": years}
        text = format_html('{} <small class="date-ce">{}</small>', text, ce)
    return format_html('<span class="date-label">{}</span>', text)


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
