"""schema.org structured data (JSON-LD) for the event and source pages.

An event page is an ``Article`` about an ``Event`` that cites ``CreativeWork``s; a source page
is the ``CreativeWork`` itself. Public corrections are ``CorrectionComment``s, as schema.org
has them. Everything is built from what the page already shows (prefetched), plus one query
for when the item went public.
"""

import json

from django.utils.translation import gettext as _

from newsroom.i18n import localized
from newsroom.models import NoteKind, is_public
from newsroom.publication import with_publication_times
from timeline.dates import DatePart, Precision

_FORMATS = {Precision.DAY: "%Y-%m-%d", Precision.MONTH: "%Y-%m"}
# What json_script escapes: no "</script>" (or "<!--") can come out of a title.
_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def to_script(data: dict) -> str:
    """``data`` as JSON that is safe inside <script type="application/ld+json">."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True).translate(_ESCAPES)


def iso_date(part: DatePart, *, end: bool = False) -> str:
    """ISO 8601 with only the precision the date has: "2025-08-22", "2023-09", "1945"."""
    day = part.upper if end else part.lower
    fmt = _FORMATS.get(part.precision)
    return day.strftime(fmt) if fmt else f"{day.year:04d}"


def _organisation(build_url) -> dict:
    return {
        "@type": "NewsMediaOrganization",
        "name": _("Russia–North Korea: a timeline"),
        "url": build_url("/"),
    }


def _times(item, note_field: str) -> dict:
    """datePublished (if readers see the item) and dateModified, as feeds give them."""
    row = (
        with_publication_times(type(item).objects.filter(pk=item.pk), note_field=note_field)
        .values("published_at", "changed_at")
        .get()
    )
    modified = max(item.updated_at, row["changed_at"])
    times = {"dateModified": modified.isoformat()}
    if is_public(item):
        times["datePublished"] = row["published_at"].isoformat()
    return times


def corrections(notes) -> list[dict]:
    return [
        {
            "@type": "CorrectionComment",
            "text": localized(note, "text").text,
            "datePublished": note.noted_on.isoformat(),
        }
        for note in notes
        if note.kind == NoteKind.CORRECTION
    ]


def _compact(data: dict) -> dict:
    """Leave out what the item does not have (no empty lists or strings)."""
    return {key: value for key, value in data.items() if value not in ("", [], None)}


def work(source, build_url) -> dict:
    """A source as a schema.org CreativeWork, in brief (for citations and translations).

    Its name is its title in its own language; the page's translation is an alternate name.
    """
    name = localized(source, "title", source.language).text
    shown = localized(source, "title").text
    data = {
        "@type": "CreativeWork",
        "name": name,
        "alternateName": shown if shown != name else "",
        "url": build_url(source.get_absolute_url()),
        "inLanguage": source.language,
    }
    if source.url:
        data["sameAs"] = source.url
    if source.publisher:
        data["publisher"] = {"@type": "NewsMediaOrganization", "name": source.publisher}
    if source.published_on:
        data["datePublished"] = source.published_on.isoformat()
    return _compact(data)


def _about(event) -> dict:
    fuzzy = event.fuzzy_date
    about = {"@type": "Event", "name": localized(event, "title").text}
    start, end = fuzzy.start or fuzzy.end, fuzzy.end or fuzzy.start
    about["startDate"] = iso_date(start)
    if fuzzy.is_interval or start.precision in (Precision.DECADE, Precision.CENTURY):
        about["endDate"] = iso_date(end, end=True)
    return about


def event_data(event, *, build_url, language: str, image: str) -> dict:
    """The event page: an Article about the event, citing its published sources."""
    sources = {c.source.pk: c.source for c in event.citations.all()}.values()
    page = build_url(event.get_absolute_url())
    data = {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": localized(event, "title").text,
        "description": localized(event, "summary").text,
        "inLanguage": language,
        "url": page,
        "mainEntityOfPage": page,
        "image": image,
        "isAccessibleForFree": True,
        "author": _organisation(build_url),
        "publisher": _organisation(build_url),
        "about": _about(event),
        "keywords": [localized(topic, "name").text for topic in event.topics.all()],
        "citation": [work(source, build_url) for source in sources],
        "correction": corrections(event.notes.all()),
        **_times(event, "event"),
    }
    return _compact(data)


def source_data(source, *, build_url) -> dict:
    """The source page: the document itself, in its own language."""
    data = {
        "@context": "https://schema.org",
        **work(source, build_url),
        "description": localized(source, "summary").text,
        "mainEntityOfPage": build_url(source.get_absolute_url()),
        "correction": corrections(source.notes.all()),
        "workTranslation": [work(t, build_url) for t in source.translations.all()],
        # Its datePublished is the original's (from work()), not the day we put it online.
        "dateModified": _times(source, "source")["dateModified"],
    }
    if source.author:
        data["author"] = {"@type": "Person", "name": source.author}
    if source.translation_of:
        data["translationOfWork"] = work(source.translation_of, build_url)
    return _compact(data)
