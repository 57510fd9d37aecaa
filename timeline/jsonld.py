"""schema.org structured data (JSON-LD) for the event pages: an ``Article`` about an
``Event`` that cites the ``CreativeWork``s of its published sources."""

from newsroom.i18n import localized
from newsroom.publishing import jsonld
from timeline import dates
from timeline.dates import DatePart


def iso_date(part: DatePart, *, end: bool = False) -> str:
    """ISO 8601 with only the precision the date has: "2025-08-22", "2023-09", "1945"."""
    return dates.iso_date(part.upper if end else part.lower, part.precision)


def _about(event) -> dict:
    """The Event with only the ends its date gives: an open or unknown end is left out."""
    fuzzy = event.fuzzy_date
    about = {"@type": "Event", "name": localized(event, "title").text}
    if fuzzy.start:
        about["startDate"] = iso_date(fuzzy.start)
    if fuzzy.end and (fuzzy.is_interval or fuzzy.members or fuzzy.end.spans):
        about["endDate"] = iso_date(fuzzy.end, end=True)
    return about


def event_data(event, *, build_url, image: str) -> dict:
    """The event page: an Article about the event, citing its published sources."""
    sources = {c.source.pk: c.source for c in event.citations.all()}.values()
    page = build_url(event.get_absolute_url())
    headline = localized(event, "title")
    data = {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": headline.text,
        "description": localized(event, "summary").text,
        "inLanguage": headline.language,  # a fallback shows (and is in) the other language
        "url": page,
        "mainEntityOfPage": page,
        "image": image,
        "isAccessibleForFree": True,
        "author": jsonld.organisation(build_url),
        "publisher": jsonld.organisation(build_url),
        "about": _about(event),
        "keywords": [localized(topic, "name").text for topic in event.topics.all()],
        "citation": [jsonld.work(source, build_url) for source in sources],
        "correction": jsonld.corrections(event.notes.all()),
        **jsonld.times(event),
    }
    return jsonld.compact(data)
