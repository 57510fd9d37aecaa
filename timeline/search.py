"""Search over published events, sources and people, Thai first.

Thai has no spaces between words: text is indexed segmented (PyThaiNLP ``newmm``, a
zero-width space between words, invisible once shown), after the same cleaning as on
save; queries are cleaned and segmented the same way. One ``SearchEntry`` per item and
language holds what that language's page shows; the database's full-text index (FTS5 on
SQLite, a tsvector on PostgreSQL: migration 0004) ranks it. Items are indexed whatever
their status; the public filter is applied when searching, so publishing needs no reindex.
"""

import datetime
import functools
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, transaction
from django.db.models import BooleanField, F, Q, TextField, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Concat, Replace
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from newsroom.i18n import LANGUAGE_CODES, localized, other_languages
from newsroom.models import Person, Source
from newsroom.text import clean_text
from timeline import selectors
from timeline.models import Era, Event, SearchEntry, Topic

SEPARATOR = "\u200b"  # between Thai words: both databases split there, no reader sees it
MAX_QUERY_LENGTH = 200
MAX_TERMS = 12
BATCH_SIZE = 500
SNIPPET_LENGTH = 240
_THAI_RUN = re.compile("[\u0e01-\u0e3a\u0e40-\u0e4e\u0e50-\u0e59]+")
# What both indexes count as a word: letters, digits and marks (Thai vowels and tones are marks).
_WORD_CHAR = r"(?:[^\W_]|[\u0300-\u036f\u0e31\u0e34-\u0e3a\u0e47-\u0e4e])"
_WORD = re.compile(f"{_WORD_CHAR}+")
_BREAK = re.compile(f"[ {SEPARATOR}]")
Kind = SearchEntry.Kind
MODELS = {Kind.EVENT: Event, Kind.SOURCE: Source, Kind.PERSON: Person}
KINDS = {model: kind for kind, model in MODELS.items()}


# Segmentation


@functools.cache
def _newmm():
    from pythainlp.tokenize import word_tokenize  # loads a 62k-word dictionary: only when used

    return functools.partial(word_tokenize, engine="newmm", keep_whitespace=False)


@functools.lru_cache(maxsize=50_000)
def _segment_run(run: str) -> str:
    return SEPARATOR.join(_newmm()(run))


def segment(text: str) -> str:
    """``text`` with a separator between Thai words; other scripts have spaces already."""
    return _THAI_RUN.sub(lambda match: _segment_run(match.group()), text) if text else ""


def warm_up() -> None:
    """Load the Thai word list (about 6 s on a busy machine) before any reader waits for it."""
    segment("ความสัมพันธ์ระหว่างรัสเซียและเกาหลีเหนือ")


def _joined(*parts: str) -> str:
    return segment("\n".join(part for part in parts if part))


# Documents: what each item's page shows, per language


def _tr(obj, name: str, language: str) -> str:
    return localized(obj, name, language).text


def _others(obj, names: Iterable[str], language: str) -> list[str]:
    """The item's names in the other languages: "Putin" finds ปูติน on a Thai page."""
    return [getattr(obj, f"{n}_{code}") or "" for code in other_languages(language) for n in names]


def _event_entry(event: Event, language: str) -> SearchEntry:
    related = [event.era, *event.topics.all(), *event.people.all()]
    names = [_tr(item, "name", language) for item in related if item]
    return SearchEntry(
        title=_joined(_tr(event, "title", language)),
        body=_joined(_tr(event, "summary", language), _tr(event, "body", language)),
        extra=_joined(event.date, *names, *_others(event, ["title"], language)),
        date_start=event.date_start,
        date_end=event.date_end,
    )


def _source_entry(source: Source, language: str) -> SearchEntry:
    return SearchEntry(
        title=_joined(_tr(source, "title", language)),
        body=_joined(_tr(source, "summary", language), source.full_text),
        extra=_joined(source.publisher, source.author, *_others(source, ["title"], language)),
    )


def _person_entry(person: Person, language: str) -> SearchEntry:
    return SearchEntry(
        title=_joined(_tr(person, "name", language)),
        body=_joined(_tr(person, "role", language), _tr(person, "description", language)),
        extra=_joined(*_others(person, ["name", "role"], language)),
    )


DOCUMENTS = {Kind.EVENT: _event_entry, Kind.SOURCE: _source_entry, Kind.PERSON: _person_entry}


def _indexable(kind: str):
    if kind == Kind.EVENT:
        return Event.objects.select_related("era").prefetch_related("topics", "people")
    return MODELS[kind].objects.all()


# Keeping the index current


def _dependent_events(model, pks: list | None) -> list | None:
    """Events whose entries show names of these eras, topics or people (None: all)."""
    if pks is None:
        return None
    if model is Era:
        return list(Event.objects.filter(era__in=pks).values_list("pk", flat=True))
    relation = {Topic: Event.topics, Person: Event.people}[model].through
    column = "topic_id" if model is Topic else "person_id"
    return list(
        relation.objects.filter(**{f"{column}__in": pks}).values_list("event_id", flat=True)
    )


def _index_kind(kind: str, pks: list) -> None:
    objects = list(_indexable(kind).filter(pk__in=pks))
    entries = []
    for obj in objects:
        for language in LANGUAGE_CODES:
            entry = DOCUMENTS[kind](obj, language)
            entry.kind, entry.object_id, entry.language = kind, obj.pk, language
            entries.append(entry)
    SearchEntry.objects.filter(kind=kind, object_id__in=pks).delete()  # deleted items too
    SearchEntry.objects.bulk_create(entries, batch_size=BATCH_SIZE)


def _index_batches(kind: str, pks: list | None, on_batch=None) -> None:
    if pks is None:
        SearchEntry.objects.filter(kind=kind).delete()
        pks = list(MODELS[kind].objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(pks), BATCH_SIZE):
        _index_kind(kind, pks[start : start + BATCH_SIZE])
        if on_batch:
            on_batch(kind, min(start + BATCH_SIZE, len(pks)), len(pks))


def search_index(*, model, pks: list | None) -> None:
    """Reindex these rows of ``model`` (None: all), and the events that show their names."""
    if model in KINDS:
        _index_batches(KINDS[model], pks)
    if model in (Era, Topic, Person):
        events = _dependent_events(model, pks)
        if events != []:
            _index_batches(Kind.EVENT, events)


def on_name_deleting(sender, instance, **kwargs) -> None:
    """Before an era, topic or person goes, note the events whose entries show its name:
    its links to them are gone by the time it is (cascade, SET_NULL), with no signal."""
    instance._search_events = _dependent_events(sender, [instance.pk])


def on_name_deleted(sender, instance, **kwargs) -> None:
    if events := getattr(instance, "_search_events", None):
        _index_batches(Kind.EVENT, events)


@transaction.atomic
def search_rebuild(*, on_batch: Callable[[str, int, int], None] | None = None) -> int:
    """Rebuild the whole index (readers see the old one until done); return its size."""
    for kind in MODELS:
        _index_batches(kind, None, on_batch)
    return SearchEntry.objects.count()


def on_content_changed(sender, pks=None, bulk=False, **kwargs) -> None:
    # Segmenting Thai costs ~5 s per 1,000 events: a large import is indexed by the
    # background worker right after it commits, so the import itself stays fast.
    if bulk and pks and len(pks) > settings.SEARCH_INDEX_INLINE_ROWS:
        from timeline.tasks import search_index_in_background

        label = sender._meta.label
        transaction.on_commit(lambda: search_index_in_background.enqueue(label, list(pks)))
    else:
        search_index(model=sender, pks=pks)


# Searching


@dataclass
class Query:
    text: str = ""
    era: str = ""
    topic: str = ""
    person: str = ""
    year_from: int | None = None
    year_to: int | None = None
    terms: list[str] = field(init=False)  # the words looked for, cleaned and segmented

    def __post_init__(self):
        self.text = clean_text(self.text[:MAX_QUERY_LENGTH])
        words = _WORD.findall(segment(self.text).lower())
        self.terms = list(dict.fromkeys(words))[:MAX_TERMS]

    @property
    def filters_events(self) -> bool:
        return bool(self.era or self.topic or self.person or self.year_from or self.year_to)

    @property
    def is_empty(self) -> bool:
        return not self.terms and not self.filters_events


def _events(query: Query):
    events = selectors.public_events()
    if query.era:
        events = events.filter(era__slug=query.era)
    if query.topic:
        events = events.filter(topics__slug=query.topic)
    if query.person:
        events = events.filter(people__slug=query.person)
    if query.year_from:  # an open end (no date) may reach into the range
        first_day = datetime.date(query.year_from, 1, 1)
        events = events.filter(Q(date_end__gte=first_day) | Q(date_end=None))
    if query.year_to:
        last_day = datetime.date(query.year_to, 12, 31)
        events = events.filter(Q(date_start__lte=last_day) | Q(date_start=None))
    return events


def _public(query: Query) -> Q:
    """Entries of items readers may see now; with event filters, of those events only."""
    events = Q(kind=Kind.EVENT, object_id__in=_events(query).values("pk"))
    if query.filters_events:
        return events
    sources = Q(kind=Kind.SOURCE, object_id__in=selectors.public_sources().values("pk"))
    return events | sources | Q(kind=Kind.PERSON)


def _full_text(entries, terms: list[str]):
    """Entries holding every term (the last one as a prefix), best first."""
    if connection.vendor == "postgresql":
        tsquery = " & ".join(f"'{term}'" for term in terms) + ":*"
        matches = "timeline_searchentry.search_vector @@ to_tsquery('simple', %s)"
        rank = "ts_rank(timeline_searchentry.search_vector, to_tsquery('simple', %s), 1)"
        return (
            entries.filter(RawSQL(matches, [tsquery], output_field=BooleanField()))
            .annotate(rank=RawSQL(f"-{rank}", [tsquery]))
            .order_by("rank", "kind", "object_id")
        )
    fts = "timeline_searchentry_fts"  # FTS5 needs the MATCH on its own table: a join
    return entries.extra(
        tables=[fts],
        where=[f"{fts}.rowid = timeline_searchentry.id", f"{fts} MATCH %s"],
        params=[" ".join(f'"{term}"' for term in terms) + "*"],
        select={"rank": f"bm25({fts}, 10.0, 2.0, 1.0)"},  # title, text, related names
    ).order_by("rank", "kind", "object_id")


# The same expression as the trigram index of migration 0004 (PostgreSQL).
TRIGRAM_TEXT = (
    "translate(timeline_searchentry.title || ' ' || timeline_searchentry.body, chr(8203), '')"
)


@functools.cache
def _has_trigram_index(database: str) -> bool:
    """Whether migration 0004 could make the trigram index (once per database name)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = 'timeline_searchentry_trigram'")
        return cursor.fetchone() is not None


def fallback_terms(query: Query) -> list[str]:
    """What a substring search looks for: the words as typed, three letters or more."""
    return [word for word in _WORD.findall(query.text.lower()) if len(word) >= 3][:MAX_TERMS]


def _substring(entries, terms: list[str]):
    """Entries whose title or text contains every term, even inside a word (Thai compounds)."""
    if connection.vendor == "postgresql":
        if not _has_trigram_index(connection.settings_dict["NAME"]):
            return entries.none()
        for term in terms:
            entries = entries.filter(
                RawSQL(f"{TRIGRAM_TEXT} ILIKE %s", [f"%{term}%"], output_field=BooleanField())
            )
    else:
        entries = entries.alias(
            plain=Replace(
                Concat("title", Value(" "), "body", output_field=TextField()),
                Value(SEPARATOR),
                Value(""),
                output_field=TextField(),
            )
        )
        for term in terms:
            entries = entries.filter(plain__icontains=term)
    return entries.order_by("kind", "object_id")


def search_entries(*, query: Query, language: str):
    """The entries matching ``query`` on pages in ``language``, best first, and the pattern
    that finds in their text what matched (None when nothing is looked for)."""
    if query.is_empty:
        return SearchEntry.objects.none(), None
    entries = SearchEntry.objects.filter(_public(query), language=language)
    if not query.terms:
        order = (F("date_start").asc(nulls_first=True), "date_end", "object_id")
        return entries.order_by(*order), None
    found = _full_text(entries, query.terms)
    terms = fallback_terms(query)
    if terms and not found.exists():
        return _substring(entries, terms), _substring_pattern(terms)
    return found, _word_pattern(query.terms)


# Showing results


def _word_pattern(terms: list[str]) -> re.Pattern:
    """Whole words, the last one as a prefix: what the full-text query matched."""
    *whole, last = terms
    words = [*map(re.escape, whole), f"{re.escape(last)}{_WORD_CHAR}*"]
    return re.compile(f"(?<!{_WORD_CHAR})(?:{'|'.join(words)})(?!{_WORD_CHAR})", re.IGNORECASE)


def _substring_pattern(terms: list[str]) -> re.Pattern:
    words = [f"{SEPARATOR}?".join(map(re.escape, term)) for term in terms]
    return re.compile("|".join(words), re.IGNORECASE)


def highlight(text: str, pattern: re.Pattern | None) -> str:
    """``text`` as HTML (escaped first) with each match of ``pattern`` in <mark>."""
    html, position = [], 0
    for match in pattern.finditer(text) if pattern else ():
        html += [escape(text[position : match.start()]), "<mark>", escape(match.group()), "</mark>"]
        position = match.end()
    html.append(escape(text[position:]))
    return mark_safe("".join(html).replace(SEPARATOR, ""))  # every piece escaped above


def snippet(text: str, pattern: re.Pattern | None) -> str:
    """About SNIPPET_LENGTH characters around the first match, cut between words only."""
    text = " ".join(text.split())
    match = pattern.search(text) if pattern else None
    start = 0
    if match and match.start() > SNIPPET_LENGTH // 3:
        cut = _BREAK.search(text, match.start() - SNIPPET_LENGTH // 3, match.start())
        start = cut.end() if cut else match.start()
    end = len(text)
    if end > start + SNIPPET_LENGTH:
        end = max(text.rfind(" ", start, start + SNIPPET_LENGTH), start + SNIPPET_LENGTH // 2)
        end = max(text.rfind(SEPARATOR, start, start + SNIPPET_LENGTH), end)
    before, after = "…" if start else "", "…" if end < len(text) else ""
    return format_html("{}{}{}", before, highlight(text[start:end], pattern), after)


def text_language(text: str) -> str:
    """The language of a snippet, for its lang attribute: Thai if it has Thai letters."""
    return "th" if _THAI_RUN.search(text) else "en"


def attach_items(entries, pattern: re.Pattern | None) -> None:
    """Give a page of entries their items (one query per kind) and their highlighted text."""
    ids = defaultdict(list)
    for entry in entries:
        ids[entry.kind].append(entry.object_id)
    items = {kind: MODELS[kind].objects.in_bulk(pks) for kind, pks in ids.items()}
    for entry in entries:
        entry.item = items[entry.kind].get(entry.object_id)
        name = "name" if entry.kind == Kind.PERSON else "title"
        entry.title_language = localized(entry.item, name, entry.language).language
        entry.title_html = highlight(entry.title, pattern)
        entry.snippet_html = snippet(entry.body, pattern)
        entry.snippet_language = text_language(entry.body)
