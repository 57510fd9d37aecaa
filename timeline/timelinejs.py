"""The published timeline in Knight Lab's TimelineJS3 JSON format, in the active language.

Format: https://timeline.knightlab.com/docs/json-format.html. Dates carry only the
precision the event's fuzzy date has (a year-only event has only ``year``); decades and
centuries become a span of years; ``display_date`` is our own label (Thai: Buddhist Era).
TimelineJS inserts ``headline``, ``text``, ``display_date``, ``group`` and the media
``caption``/``credit`` as HTML, so every value of ours is escaped.
"""

from django.conf import settings
from django.db.models import Prefetch, prefetch_related_objects
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from newsroom.i18n import translated_html
from timeline import selectors
from timeline.dates import DatePart, FuzzyDate, Precision
from timeline.feeds import plain_text
from timeline.models import Era

_SPANS = {Precision.DECADE, Precision.CENTURY}


def date_object(part: DatePart, *, end: bool = False) -> dict:
    """A TimelineJS date with no more precision than ``part`` has."""
    day = part.upper if end else part.lower
    value = {"year": day.year}
    if part.precision in (Precision.MONTH, Precision.DAY):
        value["month"] = day.month
    if part.precision == Precision.DAY:
        value["day"] = day.day
    return value


def slide_dates(fuzzy: FuzzyDate) -> dict:
    start, end = fuzzy.start, fuzzy.end
    if start is None:  # "until ...": the end is the one point we know
        return {"start_date": date_object(end)}
    dates = {"start_date": date_object(start)}
    if fuzzy.is_interval and end:
        dates["end_date"] = date_object(end, end=True)
    elif not fuzzy.is_interval and start.precision in _SPANS:
        dates["end_date"] = date_object(start, end=True)  # 197X: 1970 to 1979
    return dates


def _media(event, build_url) -> dict | None:
    """The first cited passage, as a TimelineJS blockquote credited to its source."""
    for citation in event.citations.all():
        if not citation.passage:
            continue
        source, page = citation.source, build_url(citation.source.get_absolute_url())
        media = {
            "url": format_html(
                '<blockquote lang="{}">{}</blockquote>', source.language, citation.passage
            ),
            "caption": format_html('<a href="{}">{}</a>', page, plain_text(source, "title")),
            "link": source.url or page,
        }
        if source.publisher:
            media["credit"] = escape(source.publisher)
        return media
    return None


def slide(event, *, language: str, build_url) -> dict:
    page = build_url(event.get_absolute_url())
    text = translated_html(event, "summary", tag="div", paragraphs=True)
    text += format_html('<p><a href="{}">{}</a></p>', page, _("The event and its sources"))
    data = {
        "unique_id": event.slug,
        **slide_dates(event.fuzzy_date),
        "display_date": escape(event.date_label(language)),
        "text": {"headline": translated_html(event, "title"), "text": text},
    }
    if event.era:
        data["group"] = escape(plain_text(event.era, "name"))
    if media := _media(event, build_url):
        data["media"] = media
    return data


def era_object(era: Era) -> dict:
    # TimelineJS needs an end: an era that goes on ends this year.
    return {
        "start_date": {"year": era.start_year},
        "end_date": {"year": era.end_year or timezone.localdate().year},
        "text": {"headline": translated_html(era, "name")},
    }


def title_slide() -> dict:
    description = _(
        "The relations between Russia and North Korea since 1945, event by event, "
        "each cited to the news report it comes from."
    )
    return {
        "text": {
            "headline": escape(_("Russia–North Korea: a timeline")),
            "text": format_html("<p>{}</p>", description),
        }
    }


def timeline_json(*, events, build_url) -> dict:
    """``events`` (a page of the published timeline) as TimelineJS slides; ``build_url``
    makes a path absolute (the request's)."""
    language = (get_language() or settings.LANGUAGE_CODE)[:2]
    events = list(events)
    prefetch_related_objects(events, Prefetch("citations", selectors.public_citations()))
    return {
        "title": title_slide(),
        "events": [slide(event, language=language, build_url=build_url) for event in events],
        "eras": [era_object(era) for era in Era.objects.all()],
    }
