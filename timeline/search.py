"""Search over published events, sources and people, Thai first.

Thai has no spaces between words: text is indexed segmented (PyThaiNLP ``newmm``, a
zero-width space between words, invisible once shown), after the same cleaning as on
save; queries are cleaned and segmented the same way. One ``SearchEntry`` per item and
language holds what that language's page shows (and, on pages not in English, the English
text too, for Latin-script names); the database's full-text index (FTS5 on SQLite, a
tsvector on PostgreSQL: migration 0004) ranks it, and a trigram index (migration 0008)
finds Thai words inside longer ones. Items are indexed whatever their status; the public
filter is applied when searching, so publishing needs no reindex. How a query is read:
"Searching" below; what it finds, measured against a grep of the seed: bench/search_bench.py.
"""

import datetime
import functools
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, transaction
from django.db.models import BooleanField, F, FloatField, IntegerField, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from newsroom.i18n import LANGUAGE_CODES, localized, other_languages
from newsroom.models import Person, Source
from newsroom.statements import Statement, planned_each_time
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
LATIN_LANGUAGE = "en"


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


def warm_up_queries() -> None:
    """One search in each language, read and thrown away: what the first search builds on
    first use (regular expressions, the SQL's compiled parts, the database's pages) is built
    before a reader's. A database that cannot be reached yet is left for later."""
    from django.db import DatabaseError

    for code, _name in settings.LANGUAGES:
        try:
            entries, _pattern = search_entries(query=Query(text="ไทย Korea"), language=code, page=1)
            list(entries)
        except DatabaseError:
            return


def _joined(*parts: str) -> str:
    return segment("\n".join(part for part in parts if part))


# Documents: what each item's page shows, per language


def _tr(obj, name: str, language: str) -> str:
    return localized(obj, name, language).text


def _others(obj, names: Iterable[str], language: str) -> list[str]:
    """The item's names in the other languages: "Putin" finds ปูติน on a Thai page."""
    return [getattr(obj, f"{n}_{code}") or "" for code in other_languages(language) for n in names]


def _latin(obj, names: Iterable[str], language: str) -> list[str]:
    """On a page in another language, the item's English text too: a Latin-script name
    ("Kursk") finds on the Thai page the items it finds on the English one."""
    if language == LATIN_LANGUAGE:
        return []
    return [getattr(obj, f"{n}_{LATIN_LANGUAGE}") or "" for n in names]


def aliases(item) -> list[str]:
    """An item's other spellings, one a line (people and topics: ``aliases``)."""
    return _lines(getattr(item, "aliases", ""))


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _names(item, language: str) -> list[str]:
    """A related era's, topic's or person's names that an event's entry holds."""
    return [_tr(item, "name", language), *aliases(item), *_latin(item, ["name"], language)]


def _event_entry(event: Event, language: str) -> SearchEntry:
    related = [event.era, *event.topics.all(), *event.people.all()]
    names = [name for item in related if item for name in _names(item, language)]
    return SearchEntry(
        title=_joined(_tr(event, "title", language)),
        body=_joined(_tr(event, "summary", language), _tr(event, "body", language)),
        extra=_joined(
            event.date,
            *names,
            *_others(event, ["title"], language),
            *_latin(event, ["summary", "body"], language),
        ),
        date_start=event.date_start,
        date_end=event.date_end,
    )


def _source_entry(source: Source, language: str) -> SearchEntry:
    return SearchEntry(
        title=_joined(_tr(source, "title", language)),
        body=_joined(_tr(source, "summary", language), source.full_text),
        extra=_joined(
            source.publisher,
            source.author,
            *_others(source, ["title"], language),
            *_latin(source, ["summary"], language),
        ),
    )


def _person_entry(person: Person, language: str) -> SearchEntry:
    return SearchEntry(
        title=_joined(_tr(person, "name", language)),
        body=_joined(_tr(person, "role", language), _tr(person, "description", language)),
        extra=_joined(
            *aliases(person),
            *_others(person, ["name", "role"], language),
            *_latin(person, ["description"], language),
        ),
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


# SQLite's word index numbers an entry's row newest_prefix + id (migration 0014): its
# language's place in LANGUAGES, then its day (0: undated), then its id. Read backwards
# within a language's range, a word's matches come newest first (``_newest_words``).
ID_BITS, DAY_BITS = 32, 22  # ids below 2**32; date.toordinal() to 9999-12-31 below 2**22


def newest_prefix(*, language: str, date_start: datetime.date | None) -> int:
    """The entry's place in its language's newest-first order, less its id."""
    codes = LANGUAGE_CODES
    position = codes.index(language) if language in codes else len(codes)  # as 0014
    day = date_start.toordinal() if date_start else 0
    return (position << (ID_BITS + DAY_BITS)) | (day << ID_BITS)


def _language_rows(language: str) -> tuple[int, int]:
    """The first and last row number of a language's entries in the word index."""
    first = newest_prefix(language=language, date_start=None)
    return first, first + (1 << (ID_BITS + DAY_BITS)) - 1


@functools.cache
def _numbered_as_languages() -> bool:
    """Whether the entries' row numbers hold their language's place in LANGUAGES as it is
    now (asked once a process: its warm-up). LANGUAGES reordered, the entries written before
    keep the old order's numbers until ``rebuild_search_index``: meanwhile the search reads
    the matches as before migration 0014 (the same results, slower), never another
    language's rows. The oldest entry of each language tells: ids only grow, so when the
    oldest was numbered in the order of now, every later one was."""
    with connection.cursor() as cursor:
        for language in LANGUAGE_CODES:
            cursor.execute(
                "SELECT newest_prefix FROM timeline_searchentry WHERE language = %s"
                " ORDER BY id LIMIT 1",
                [language],
            )
            row = cursor.fetchone()
            first, last = _language_rows(language)
            if row and not first <= row[0] <= last:
                return False
    return True


def _index_kind(kind: str, pks: list) -> None:
    objects = list(_indexable(kind).filter(pk__in=pks))
    entries = []
    for obj in objects:
        for language in LANGUAGE_CODES:
            entry = DOCUMENTS[kind](obj, language)
            entry.kind, entry.object_id, entry.language = kind, obj.pk, language
            entry.newest_prefix = newest_prefix(language=language, date_start=entry.date_start)
            entries.append(entry)
    SearchEntry.objects.filter(kind=kind, object_id__in=pks).delete()  # deleted items too
    SearchEntry.objects.bulk_create(entries, batch_size=BATCH_SIZE)
    if any(entry.pk >= 1 << ID_BITS for entry in entries):  # 4 billion entries written
        raise OverflowError(
            "Search entry ids have passed 2**32, which SQLite's word index numbers its rows"
            " with (migration timeline 0014): renumber the entries (ids from 1) and rebuild."
        )


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
#
# A query is parts an item must all match: each word typed (a Thai run typed without
# spaces is one part) and each phrase in quotes. A part may be written several ways: a
# word or phrase that is one of a person's or topic's other spellings (``aliases``) stands
# for all of that name's spellings. Two indexes answer, best first:
#   1. the word index (full text, ranked): the part's words as words (a phrase: next to
#      each other; the last typed word may be the start of a word);
#   2. the substring index (trigrams), for the rest: the part's letters anywhere, even
#      inside a longer word (ทหาร in ทางทหาร, คูร์สก์ as คูรสก์: the thanthakhat is left
#      out on both sides). Always for Thai, whose compounds hide words; for a query in
#      Latin script only when the words find nothing ("onsan" for Wonsan).

THANTHAKHAT = "\u0e4c"
MIN_SUBSTRING = 3  # the trigram indexes find nothing shorter
PAGE_SIZE = 20  # results on a page of the search
_FOLD = str.maketrans("", "", SEPARATOR + THANTHAKHAT)
_QUOTED = re.compile('["“”]([^"“”]*)["“”]?')  # an unclosed quote runs to the end


def fold(text: str) -> str:
    """Text as the substring index holds it: lower case, no separators, no thanthakhat."""
    return " ".join(text.lower().translate(_FOLD).split())


@dataclass(frozen=True)
class Spelling:
    """One way to write a part of the query."""

    words: tuple[str, ...]  # as the word index holds them: segmented, lower case
    text: str  # as the substring index holds it (``fold``)
    phrase: bool  # the words next to each other, the last one whole
    typed: str = field(default="", compare=False)

    @classmethod
    def of(cls, text: str, *, phrase: bool) -> "Spelling":
        words = _WORD.findall(segment(text).lower())[:MAX_TERMS]
        unique = tuple(dict.fromkeys(words) if not phrase else words)
        return cls(unique, fold(text), phrase, " ".join(text.split()))


@dataclass(frozen=True)
class Part:
    spellings: tuple[Spelling, ...]

    @property
    def is_thai(self) -> bool:
        return any(_THAI_RUN.search(spelling.text) for spelling in self.spellings)


@dataclass
class Query:
    text: str = ""
    era: str = ""
    topic: str = ""
    person: str = ""
    year_from: int | None = None
    year_to: int | None = None
    parts: list[Part] = field(init=False)

    def __post_init__(self):
        self.text = clean_text(self.text[:MAX_QUERY_LENGTH])
        self.parts = _with_aliases(_parts(self.text), self.text)

    @property
    def filters_events(self) -> bool:
        return bool(self.era or self.topic or self.person or self.year_from or self.year_to)

    @property
    def is_empty(self) -> bool:
        return not self.parts and not self.filters_events


def _parts(text: str) -> list[Part]:
    """The parts typed: words (what ``_WORD`` finds in the text as typed) and phrases."""
    spellings, position = [], 0
    for match in _QUOTED.finditer(text):
        spellings += [
            Spelling.of(word, phrase=False)
            for word in _WORD.findall(text[position : match.start()])
        ]
        spellings.append(Spelling.of(match.group(1), phrase=True))
        position = match.end()
    spellings += [Spelling.of(word, phrase=False) for word in _WORD.findall(text[position:])]
    unique = dict.fromkeys(spelling for spelling in spellings if spelling.words)
    return [Part((spelling,)) for spelling in unique][:MAX_TERMS]


def _with_aliases(parts: list[Part], text: str) -> list[Part]:
    """A part, or the whole query, that is a name of a person or topic (in any language)
    or one of its other spellings (``aliases``) stands for all of them."""
    if not parts:
        return parts
    whole = Spelling.of(re.sub('["“”]', " ", text), phrase=True)
    groups = _name_groups([whole, *(part.spellings[0] for part in parts)])
    if whole.text in groups and len(parts) > 1:
        return [Part((whole, *groups[whole.text]))]
    return [Part((part.spellings[0], *groups.get(part.spellings[0].text, ()))) for part in parts]


def _name_groups(typed: list[Spelling]) -> dict[str, tuple[Spelling, ...]]:
    """For each of these that names a person or topic: all the spellings of its name (one
    query on people, one on topics)."""
    condition = Q(pk__in=[])
    columns = [f"name_{code}" for code in LANGUAGE_CODES]
    for text in dict.fromkeys(spelling.typed for spelling in typed):  # a word may be the query
        if len(text) >= 2:  # a single letter is in every other name
            condition |= Q(aliases__icontains=text)
        for column in columns:
            condition |= Q(**{f"{column}__iexact": text})
    wanted = {spelling.text for spelling in typed}
    groups: dict[str, list[Spelling]] = defaultdict(list)
    for model in (Person, Topic):
        # A plain QuerySet: the condition names each language's column itself.
        rows = QuerySet(model).filter(condition).values_list(*columns, "aliases")
        for *names, other_spellings in rows:
            spellings = [name for name in [*names, *_lines(other_spellings)] if name]
            for text in wanted & {fold(spelling) for spelling in spellings}:
                groups[text] += [Spelling.of(name, phrase=True) for name in spellings]
    return {
        text: tuple(dict.fromkeys(s for s in found if s.words)) for text, found in groups.items()
    }


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
    """Entries of items readers may see now; with event filters, of those events only.
    Without, every entry but those of the few items readers do not see (``hidden()``):
    checked a row at a time while the newest matches are read, that costs a lookup in a
    short list, where "among every public event" was a list of the whole archive."""
    if query.filters_events:
        return Q(kind=Kind.EVENT, object_id__in=_events(query).values("pk"))
    hidden_events, hidden_sources = _hidden_parts()
    return ~hidden_events & ~hidden_sources


def _hidden_parts(*, now: datetime.datetime | None = None) -> tuple[Q, Q]:
    return (
        Q(kind=Kind.EVENT, object_id__in=Event.objects.hidden(now=now).values("pk")),
        Q(kind=Kind.SOURCE, object_id__in=Source.objects.hidden(now=now).values("pk")),
    )


def _hidden_entries(*, language: str, now: datetime.datetime, limit: int):
    """The ids of the first ``limit`` entries in ``language`` of the items readers do not
    see: each kind's read from its hidden items (an OR would read every entry of the
    language)."""
    each = [
        SearchEntry.objects.filter(part, language=language).values_list("id", flat=True)
        for part in _hidden_parts(now=now)
    ]
    return each[0].union(*each[1:], all=True)[:limit]


@functools.cache
def _hidden_statement(limit: int) -> Statement:
    return Statement(
        functools.partial(_hidden_entries, limit=limit),
        language=SearchEntry._meta.get_field("language"),
        now=Event._meta.get_field("publish_at"),
    )


def _hidden(*, language: str) -> set[int] | None:
    """The entries in ``language`` of the items readers do not see (what ``_public`` leaves
    out, with no event filters), or None when there are more than RANK_LIMIT of them."""
    statement = _hidden_statement(RANK_LIMIT + 1)
    found = set(statement(language=language, now=timezone.now()))
    return found if len(found) <= RANK_LIMIT else None


# The word index


def _either(alternatives: list[str], separator: str) -> str:
    return alternatives[0] if len(alternatives) == 1 else f"({separator.join(alternatives)})"


def _is_prefix(spelling: Spelling) -> bool:
    """Whether its last word may be the start of a word (the last typed one, in Latin
    script: Thai words inside longer ones are the substring index's, ranked after)."""
    return not spelling.phrase and not _THAI_RUN.search(spelling.words[-1])


def _may_begin_words(parts: list[Part]) -> bool:
    """Whether the last word typed is looked for as the start of longer words too."""
    return any(_is_prefix(spelling) for spelling in parts[-1].spellings)


def _fts5_query(parts: list[Part], *, whole: bool = False) -> str:
    """FTS5's syntax: "a b" a phrase, "a"* a prefix, (x OR y), x AND y. ``whole``: the last
    word as typed only, not as the start of longer ones."""
    last = parts[-1]
    found = []
    for part in parts:
        alternatives = []
        for spelling in part.spellings:
            if spelling.phrase:
                alternatives.append('"' + " ".join(spelling.words) + '"')
            else:
                words = [f'"{word}"' for word in spelling.words]
                if part is last and _is_prefix(spelling) and not whole:
                    words[-1] += "*"
                alternatives.append(_either(words, " AND "))
        found.append(_either(alternatives, " OR "))
    return " AND ".join(found)  # not side by side: FTS5 refuses "(a OR b) c"


def _tsquery(parts: list[Part], *, whole: bool = False) -> str:
    """PostgreSQL's syntax: 'a' <-> 'b' a phrase, 'a':* a prefix, | either, & all."""
    last = parts[-1]
    found = []
    for part in parts:
        alternatives = []
        for spelling in part.spellings:
            words = [f"'{word}'" for word in spelling.words]
            if part is last and _is_prefix(spelling) and not whole:
                words[-1] += ":*"
            alternatives.append(_either(words, " <-> " if spelling.phrase else " & "))
        found.append(_either(alternatives, " | "))
    return " & ".join(found)


FTS = "timeline_searchentry_fts"
TSVECTOR = "timeline_searchentry.search_vector @@ to_tsquery('simple', %s)"


FTS_ID = f"rowid & {(1 << ID_BITS) - 1}"  # the entry's id, from a row of the word index


def _matching_rows(table: str) -> str:
    """SQLite: the ids of the entries an FTS5 table finds for the query given as its
    parameter (the word index numbers its rows newest_prefix + id; the trigram table, id)."""
    return f"SELECT {FTS_ID if table == FTS else 'rowid'} FROM {table} WHERE {table} MATCH %s"


def _words_sql(parts: list[Part], *, whole: bool = False) -> tuple[str, list]:
    """A condition: the entry holds these parts as words (unranked; ``whole``: as typed)."""
    if connection.vendor == "postgresql":
        return TSVECTOR, [_tsquery(parts, whole=whole)]
    return f"timeline_searchentry.id IN ({_matching_rows(FTS)})", [_fts5_query(parts, whole=whole)]


def _with_words(entries, parts: list[Part], *, whole: bool = False):
    """Entries holding these parts as words, unranked (``whole``: as typed)."""
    return entries.filter(RawSQL(*_words_sql(parts, whole=whole), output_field=BooleanField()))


# The substring index (migration 0008): the same folded text on both databases.

GRAMS = "timeline_searchentry_grams"
SUBSTRING_TEXT = (  # PostgreSQL: the expression of the trigram index (migration 0013)
    "lower(translate(timeline_searchentry.title || ' ' || timeline_searchentry.body"
    " || ' ' || timeline_searchentry.extra, chr(8203) || chr(3660), ''))"
)


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def substring_texts(part: Part) -> tuple[str, ...]:
    """What the substring index looks for of a part: its spellings long enough for it."""
    return tuple(dict.fromkeys(s.text for s in part.spellings if len(s.text) >= MIN_SUBSTRING))


def _grams_query(texts: list[tuple[str, ...]]) -> str:
    """FTS5's syntax for the trigram table: every part, one of its spellings."""
    return " AND ".join(
        _either(['"' + text.replace('"', '""') + '"' for text in part], " OR ") for part in texts
    )


def _substring_sql(texts: list[tuple[str, ...]]) -> tuple[str, list]:
    """A condition: the entry's title, text or related names contain every part (one of
    its spellings), even inside a word. SQLite: a MATCH on the trigram table. PostgreSQL:
    LIKE on the text in lower case (as ``fold`` gives the query; ILIKE was 16 times slower
    on Thai text), which the trigram index serves when the database's LC_CTYPE is UTF-8
    (migration 0004); otherwise a scan, slower but finding the same. PostgreSQL cannot
    tell from its statistics how many rows a LIKE keeps: asked for the newest matches, it
    may check the condition row after row along the newest entries (3 s when none match),
    so a search inside words alone bounds that walk and otherwise reads the matches first,
    from the trigram index (``_newest_inside``)."""
    if connection.vendor == "sqlite":
        return f"timeline_searchentry.id IN ({_matching_rows(GRAMS)})", [_grams_query(texts)]
    like = f"{SUBSTRING_TEXT} LIKE %s ESCAPE '\\'"
    sql = " AND ".join("(" + " OR ".join([like] * len(part)) + ")" for part in texts)
    return f"({sql})", [_like(text) for part in texts for text in part]


class Results:
    """The entries found, best first (the word index's matches by their score, then those
    found inside words), read a page at a time: what the paginator counts and slices.
    ``sql`` selects id, kind, object_id, tier (0: words) and score (lower is better)."""

    def __init__(self, sql: str, params: list, *, whole_words: bool = True):
        self.sql, self.params, self.whole_words = sql, list(params), whole_words
        self._count, self._rows = None, {}
        self.capped = False  # more matched than RANK_LIMIT: these are the newest of them

    @classmethod
    def of(cls, entries, **kwargs) -> "Results":
        columns = entries.order_by().values_list("id", "kind", "object_id", "tier", "score")
        sql, params = columns.query.sql_with_params()
        return cls(sql, params, **kwargs)

    def _read(self, start: int, stop: int | None) -> list[tuple[int, int]]:
        """The (id, tier) of these results; the count comes with them (one query)."""
        if (start, stop) in self._rows:
            return self._rows[start, stop]
        order = "ORDER BY tier, score, kind, object_id"
        limit = f"LIMIT {int(stop - start)} OFFSET {int(start)}" if stop is not None else ""
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id, tier, COUNT(*) OVER () FROM ({self.sql}) AS found {order} {limit}",
                self.params,
            )
            rows = cursor.fetchall()
        if rows:
            self._count = rows[0][2]
        elif start == 0:
            self._count = 0
        self._rows[start, stop] = [(pk, tier) for pk, tier, _count in rows]
        return self._rows[start, stop]

    def prefetch(self, *, page: int, size: int) -> None:
        """Read this page and the count at once (the paginator asks for both)."""
        if page >= 1:
            self._read((page - 1) * size, page * size)

    def count(self) -> int:
        if self._count is None:
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT COUNT(*) FROM ({self.sql}) AS found", self.params)
                self._count = cursor.fetchone()[0]
        return self._count

    def __len__(self) -> int:
        return self.count()

    def _cached(self, start: int, stop: int | None) -> list[tuple[int, int]] | None:
        for (first, last), rows in self._rows.items():
            if first == start and (last is None or (stop is not None and stop <= last)):
                return rows if stop is None else rows[: stop - start]
        return None

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start, stop = index.start or 0, index.stop
        rows = self._cached(start, stop)
        tiers = dict(rows if rows is not None else self._read(start, stop))
        entries = SearchEntry.objects.in_bulk(list(tiers))
        for pk, entry in entries.items():
            entry.whole_words = tiers[pk] == 0 and self.whole_words  # else: inside words
        return [entries[pk] for pk in tiers if pk in entries]


def _words_or_substrings_sql(parts: list[Part], texts: list[tuple[str, ...]]) -> tuple[str, list]:
    """A condition: the entry holds every part as words, or inside words."""
    if connection.vendor == "postgresql":
        words, words_params = _words_sql(parts)
        inside, params = _substring_sql(texts)
        return f"({words} OR {inside})", [*words_params, *params]  # the cheaper test first
    # One list of both indexes' rows: SQLite reads "IN (a) OR IN (b)" three times slower.
    both = f"{_matching_rows(FTS)} UNION ALL {_matching_rows(GRAMS)}"
    return f"timeline_searchentry.id IN ({both})", [_fts5_query(parts), _grams_query(texts)]


def _ids_sql(ids: list[int]) -> str:
    return ", ".join(str(int(pk)) for pk in ids)  # ids read from the database: integers


def _ranked(candidates: list[int], parts: list[Part]) -> Results:
    """These entries (each known to hold every part, as words or inside words), the word
    index's matches first (tier 0, by score), then those found inside words."""
    within = SearchEntry.objects.filter(id__in=candidates)
    if connection.vendor == "postgresql":
        tsquery = _tsquery(parts)
        rank = "ts_rank(timeline_searchentry.search_vector, to_tsquery('simple', %s), 1)"
        return Results.of(
            within.annotate(
                tier=RawSQL(f"CASE WHEN {TSVECTOR} THEN 0 ELSE 1 END", [tsquery], IntegerField()),
                score=RawSQL(
                    f"CASE WHEN {TSVECTOR} THEN -{rank} ELSE 0 END",
                    [tsquery, tsquery],
                    FloatField(),
                ),
            )
        )
    # The word index's matches among them read once (FTS5's MATCH and bm25 on its table;
    # weights: title, text, related names).
    words = (
        f"WITH words AS MATERIALIZED (SELECT {FTS_ID} AS rid, bm25({FTS}, 10.0, 2.0, 1.0)"
        # A filter on FTS5's rows, not a lookup of each row (one MATCH a row: 1 s)
        f" AS score FROM {FTS} WHERE {FTS} MATCH %s AND {FTS_ID} IN ({_ids_sql(candidates)}))"
    )
    sql, params = within.values_list("id", "kind", "object_id").order_by().query.sql_with_params()
    return Results(
        f"{words} SELECT found.id, found.kind, found.object_id,"
        " CASE WHEN words.rid IS NULL THEN 1 ELSE 0 END AS tier,"
        f" COALESCE(words.score, 0.0) AS score FROM ({sql}) AS found"
        " LEFT JOIN words ON words.rid = found.id",
        [_fts5_query(parts), *params],
    )


# When a query is in many items (a word in half the archive), ranking every match costs
# what reading every match costs: 0.1 to 1.5 s at 50,000 events. The matches are read
# newest first along the index search_entry_newest (migration 0012), stopping after
# RANK_LIMIT + 1. When no more than RANK_LIMIT match, all of them are ranked: the same
# order as ranking the whole index. When more do, the newest RANK_LIMIT are listed, newest
# first, and the page says so: a word in that many items says little about which is
# best (bm25 gives a word in half the documents no weight), and a newsroom's readers
# asking for it want the latest.
RANK_LIMIT = 1_000
NEWEST = (F("date_start").desc(nulls_last=True), F("id").desc())  # search_entry_newest


def _newest(matching) -> tuple[list[int], bool]:
    """The ids of the newest RANK_LIMIT entries of ``matching`` (events by their date, the
    undated after them), and whether more match."""
    ids = list(matching.order_by(*NEWEST).values_list("id", flat=True)[: RANK_LIMIT + 1])
    return ids[:RANK_LIMIT], len(ids) > RANK_LIMIT


def _newest_words(
    entries, parts: list[Part], *, language: str, filtered: bool
) -> tuple[list[int], bool]:
    """``_newest`` of ``entries`` holding these parts as words (``filtered``: ``entries``
    are some events', by the query's filters). A last word that may begin longer ones is
    looked for as typed first: when more entries hold it whole than are ranked, the
    newest of those are listed ("Pyongyang": not also "Pyongyangers"); else the words it
    begins count too ("Pyong"). FTS5 reads every match of a word's start to give any of
    them (6.5 ms for "pyongyang*" at 50,000 events; 0.5 for "pyongyang").

    SQLite: the word index's matches read backwards along its rows within the language's
    (newest first: migration 0014), stopping after RANK_LIMIT + 1 that ``entries`` holds.
    A word in most of the archive costs the rows listed, where the list of all its
    matches, made to be sorted, cost 20 ms at 50,000 events. Without filters, the rows of
    the items readers do not see (``_hidden``: a few) are read first, and left out as the
    rows come; with, each row is looked up among ``entries``."""
    if connection.vendor != "sqlite" or not _numbered_as_languages():
        read = functools.partial(_newest_as_words, entries, parts)
    elif not filtered and (hidden := _hidden(language=language)) is not None:
        read = functools.partial(_newest_rows, parts, language=language, hidden=hidden)
    else:
        read = functools.partial(_newest_rows, parts, language=language, among=entries)
    if _may_begin_words(parts):
        as_typed = read(whole=True)
        if as_typed[1]:
            return as_typed
    return read(whole=False)


def _newest_as_words(entries, parts: list[Part], *, whole: bool) -> tuple[list[int], bool]:
    return _newest(_with_words(entries, parts, whole=whole))


def _newest_rows(
    parts: list[Part], *, language: str, whole: bool, hidden=frozenset(), among=None
) -> tuple[list[int], bool]:
    """SQLite's walk (``_newest_words``): the word index's matches in the language's range,
    backwards, leaving out the ``hidden`` entries as they come, or, given ``among``, each
    row looked up among those entries."""
    first, last = _language_rows(language)
    check, params = "", []
    if among is not None:
        listed = among.filter(id=RawSQL(f"{FTS}.{FTS_ID}", [])).values("id")
        sql, params = listed.query.sql_with_params()
        check = f" AND EXISTS ({sql})"
    walk = (
        f"SELECT {FTS_ID} FROM {FTS} WHERE {FTS} MATCH %s AND rowid BETWEEN %s AND %s"
        f"{check} ORDER BY rowid DESC LIMIT %s"
    )
    limit = RANK_LIMIT + 1 + len(hidden)  # every hidden one may be among them
    with connection.cursor() as cursor:
        cursor.execute(walk, [_fts5_query(parts, whole=whole), first, last, *params, limit])
        ids = [row[0] for row in cursor.fetchall() if row[0] not in hidden][: RANK_LIMIT + 1]
    return ids[:RANK_LIMIT], len(ids) > RANK_LIMIT


class Listed(Results):
    """Entries as read, newest first (unranked): the newest RANK_LIMIT when more matched
    (``capped``: ranking them would read every match again), or those found only inside
    words, which have no score. ``inside_from``: where, in ``ids``, the entries found only
    inside words (tier 1) begin, after those found as words (by default: none are)."""

    def __init__(
        self,
        ids: list[int],
        *,
        capped: bool,
        whole_words: bool = True,
        inside_from: int | None = None,
    ):
        super().__init__("", [], whole_words=whole_words)
        self.ids, self.capped, self._count = ids, capped, len(ids)
        self.inside_from = len(ids) if inside_from is None else inside_from

    def _read(self, start: int, stop: int | None) -> list[tuple[int, int]]:
        return [
            (pk, int(n >= self.inside_from)) for n, pk in enumerate(self.ids[start:stop], start)
        ]


def _results(candidates: list[int], capped: bool, parts: list[Part], *, page: int, inside: bool):
    """``candidates``, the newest RANK_LIMIT matches (``_newest``'s): ranked if they are
    every match (and may be found as words), else listed as read. ``inside``: found
    inside words (tier 1); else as words, or either."""
    if not candidates:
        return SearchEntry.objects.none()
    if capped or inside:
        start = 0 if inside else None
        results = Listed(candidates, capped=capped, whole_words=not inside, inside_from=start)
    else:
        results = _ranked(candidates, parts)
    results.prefetch(page=page, size=PAGE_SIZE)
    return results


def _words_then_inside(words: tuple[list[int], bool], either, parts: list[Part], *, page: int):
    """Entries holding the query as words (``words``: ``_newest_words``'s), or ``either``
    as words or inside words, the word matches first. Up to RANK_LIMIT in all, every match
    is ranked. Past it, the newest word matches, then the newest found only inside words
    to the limit (ranked, those would all come after the words): when the words alone pass
    it, the substring index is not read at all (at 50,000 events, matching a common name
    there is most of a search's time)."""
    found_as_words, capped = words
    if capped:
        return _results(found_as_words, capped, parts, page=page, inside=False)
    candidates, capped = _newest(either)
    if not capped:
        return _results(candidates, capped, parts, page=page, inside=False)
    seen = set(found_as_words)
    inside = [pk for pk in candidates if pk not in seen][: RANK_LIMIT - len(seen)]
    results = Listed(found_as_words + inside, capped=True, inside_from=len(found_as_words))
    results.prefetch(page=page, size=PAGE_SIZE)
    return results


# PostgreSQL checks a part of a word against the text of each entry its trigram index
# offers (about 140 µs an entry at 50,000 events): a part in most entries ("ang") had
# 45,000 to check, 6 s. The newest WALK entries are checked first; when more than
# RANK_LIMIT of them match, those are the newest matches, as the index would give them.
WALK = 2_000


def _newest_inside(entries, inside: str, params: list) -> tuple[list[int], bool]:
    """``_newest`` of ``entries`` holding the parts inside words (``_substring_sql``)."""
    if connection.vendor == "sqlite":
        return _newest(entries.filter(RawSQL(inside, params, output_field=BooleanField())))
    # The walk: the newest WALK entries read first (MATERIALIZED: else the planner prefers
    # the trigram index, underestimating its matches), then checked, under the table's
    # name so that the condition reads their columns.
    window, window_params = (
        entries.order_by(*NEWEST)
        .values("id", "date_start", "title", "body", "extra")[:WALK]
        .query.sql_with_params()
    )
    walk = (
        f"WITH walked AS MATERIALIZED ({window}) SELECT timeline_searchentry.id"
        f" FROM walked AS timeline_searchentry WHERE {inside} ORDER BY"
        " timeline_searchentry.date_start DESC NULLS LAST, timeline_searchentry.id DESC"
        " LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(walk, [*window_params, *params, RANK_LIMIT + 1])
        ids = [row[0] for row in cursor.fetchall()]
    if len(ids) > RANK_LIMIT:
        return ids[:RANK_LIMIT], True
    # Fewer: the matches first, from the trigram index (see _substring_sql).
    first = f"timeline_searchentry.id IN (SELECT id FROM timeline_searchentry WHERE {inside})"
    return _newest(entries.filter(RawSQL(first, params, output_field=BooleanField())))


def search_entries(*, query: Query, language: str, page: int = 1):
    """The entries matching ``query`` on pages in ``language``, best first, and the pattern
    that finds in their text what matched (None when nothing is looked for). The results
    of page ``page`` are read with their count. Planned for the words looked for each time
    (``planned_each_time``): how many entries hold them decides the plan."""
    with planned_each_time():
        return _search_entries(query=query, language=language, page=page)


def _search_entries(*, query: Query, language: str, page: int = 1):
    if query.is_empty:
        return SearchEntry.objects.none(), None
    entries = SearchEntry.objects.filter(_public(query), language=language)
    if not query.parts:
        order = (F("date_start").asc(nulls_first=True), "date_end", "object_id")
        return entries.order_by(*order), None
    parts = query.parts
    substrings = [texts for part in parts if (texts := substring_texts(part))]
    if short := [part for part in parts if not substring_texts(part)]:
        entries_inside = _with_words(entries, short)  # too short for trigrams: as words
    else:
        entries_inside = entries
    if substrings and any(part.is_thai for part in parts):
        either = RawSQL(*_words_or_substrings_sql(parts, substrings), BooleanField())
        words = _newest_words(entries, parts, language=language, filtered=query.filters_events)
        found = _words_then_inside(words, entries_inside.filter(either), parts, page=page)
        return found, _pattern(parts, substrings=True)
    newest, capped = _newest_words(entries, parts, language=language, filtered=query.filters_events)
    words = _results(newest, capped, parts, page=page, inside=False)
    if words or not substrings:  # Latin script: inside words only if no word matches
        return words, _pattern(parts, substrings=False)
    newest, capped = _newest_inside(entries_inside, *_substring_sql(substrings))
    found = _results(newest, capped, parts, page=page, inside=True)
    return found, _pattern(parts, substrings=True)


# Showing results


def _pattern(parts: list[Part], *, substrings: bool) -> re.Pattern:
    """What matched, to mark: Thai and (when looked for) parts of words as letters in a
    row, separators and thanthakhat allowed between them; Latin words as whole words, the
    last typed one as a prefix."""
    found = []
    last = parts[-1]
    for part in parts:
        for spelling in part.spellings:
            if substrings or _THAI_RUN.search(spelling.text):
                letters = [r"\s+" if c == " " else re.escape(c) for c in spelling.text]
                found.append(f"[{SEPARATOR}{THANTHAKHAT}]*".join(letters) + f"{THANTHAKHAT}?")
            else:
                words = list(map(re.escape, spelling.words))
                if part is last and not spelling.phrase:
                    words[-1] += f"{_WORD_CHAR}*"
                found.append(f"(?<!{_WORD_CHAR})" + r"\W+".join(words) + f"(?!{_WORD_CHAR})")
    found.sort(key=len, reverse=True)
    return re.compile("|".join(found), re.IGNORECASE)


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


# What a result shows of its item is its title, link and date (the passage is the entry's):
# its long texts, in every language, are not read.
_LONG_TEXTS = {
    Kind.EVENT: ("summary", "body"),
    Kind.SOURCE: ("summary", "full_text"),
    Kind.PERSON: ("description",),
}


def _items(kind: str):
    model, names = MODELS[kind], _LONG_TEXTS[kind]
    columns = {field.name for field in model._meta.concrete_fields}
    codes = ["", *(f"_{code}" for code in LANGUAGE_CODES)]
    return model.objects.defer(*(f"{n}{c}" for n in names for c in codes if f"{n}{c}" in columns))


def attach_items(entries, pattern: re.Pattern | None) -> None:
    """Give a page of entries their items (one query per kind) and their highlighted text."""
    ids = defaultdict(list)
    for entry in entries:
        ids[entry.kind].append(entry.object_id)
    items = {kind: _items(kind).in_bulk(pks) for kind, pks in ids.items()}
    for entry in entries:
        entry.item = items[entry.kind].get(entry.object_id)
        if entry.item is None:  # deleted since it was found: not shown
            continue
        name = "name" if entry.kind == Kind.PERSON else "title"
        entry.title_language = localized(entry.item, name, entry.language).language
        entry.title_html = highlight(entry.title, pattern)
        entry.snippet_html = snippet(entry.body, pattern)
        entry.snippet_language = text_language(entry.body)
