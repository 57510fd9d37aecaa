"""schema.org structured data (JSON-LD): what every page shares, and the source pages.

A source page is an ``ItemPage`` about a ``CreativeWork``, a person page a ``ProfilePage``
about a ``Person`` (the event pages' ``Article`` is in ``timeline/jsonld.py``). Public
corrections are ``CorrectionComment``s, as schema.org has them. Everything is built from
what the page already shows (prefetched), and when the item last went public, read with it
(``with_last_published``).
"""

import json

from django.utils.translation import gettext as _

from newsroom.i18n import localized
from newsroom.models import NoteKind, is_public
from newsroom.publishing.times import publication_times

# What json_script escapes: no "</script>" (or "<!--") can come out of a title.
_ESCAPES = {"<": "\\u003C", ">": "\\u003E", "&": "\\u0026"}


def to_script(data: dict) -> str:
    """``data`` as JSON that is safe inside <script type="application/ld+json">."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    for character, escaped in _ESCAPES.items():
        text = text.replace(character, escaped)  # str.translate: ~80 times slower on Thai text
    return text


def organisation(build_url) -> dict:
    return {
        "@type": "NewsMediaOrganization",
        "name": _("Russia–North Korea: a timeline"),
        "url": build_url("/"),
    }


def times(item) -> dict:
    """datePublished (if readers see the item) and dateModified, as feeds give them (the
    item's public notes prefetched as ``notes``)."""
    published_at, changed_at = publication_times(item, notes=item.notes.all())
    times = {"dateModified": max(item.updated_at, changed_at).isoformat()}
    if is_public(item):
        times["datePublished"] = published_at.isoformat()
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


def compact(data: dict) -> dict:
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
    return compact(data)


def source_data(source, *, build_url) -> dict:
    """The source page: a page in the reader's language about the document in its own.

    The page's ``inLanguage`` is the language of the title it shows (a fallback shows the
    other one); the document's is the language it was published in.
    """
    shown = localized(source, "title")
    document = {
        **work(source, build_url),
        "correction": corrections(source.notes.all()),
        "workTranslation": [work(t, build_url) for t in source.translations.all()],
        # Its datePublished is the original's (from work()), not the day we put it online.
        "dateModified": times(source)["dateModified"],
    }
    if source.author:
        document["author"] = {"@type": "Person", "name": source.author}
    if source.translation_of:
        document["translationOfWork"] = work(source.translation_of, build_url)
    return compact(
        {
            "@context": "https://schema.org",
            "@type": "ItemPage",
            "name": shown.text,
            "description": localized(source, "summary").text,
            "inLanguage": shown.language,
            "url": build_url(source.get_absolute_url()),
            "mainEntity": compact(document),
        }
    )


def person_data(person, *, build_url) -> dict:
    """The person page: a ProfilePage about a Person (or an Organization), in the language
    its name is shown in; no ``sameAs``, as we keep no other address for anyone."""
    name = localized(person, "name")
    entity = {
        "@type": "Organization" if person.kind == "organisation" else "Person",
        "name": name.text,
        "description": localized(person, "role").text,
        "url": build_url(person.get_absolute_url()),
        "memberOf": [_party(p, build_url) for p in person.affiliations.all()],
        "member": [_party(p, build_url) for p in person.members.all()],
    }
    return compact(
        {
            "@context": "https://schema.org",
            "@type": "ProfilePage",
            "name": name.text,
            "inLanguage": name.language,
            "url": entity["url"],
            "dateModified": person.updated_at.isoformat(),
            "mainEntity": compact(entity),
        }
    )


def _party(person, build_url) -> dict:
    kind = "Organization" if person.kind == "organisation" else "Person"
    url = build_url(person.get_absolute_url())
    return {"@type": kind, "name": localized(person, "name").text, "url": url}
