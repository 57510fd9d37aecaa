"""Readers see only what is public: no quote of a draft source, no private note, anywhere."""

import datetime
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from newsroom.models import Note, Person, Quote, Source
from timeline import selectors
from timeline.models import Event

pytestmark = pytest.mark.django_db

QUOTE = {"th": "คำพูดลับที่ยังไม่ควรเผยแพร่", "en": "A remark not yet to be published"}
DRAFT_TITLE = {"th": "ร่างเอกสารลับของกองบรรณาธิการ", "en": "The newsroom's unpublished draft"}
PRIVATE = "บันทึกภายในของกองบรรณาธิการ ห้ามเผยแพร่"
LANGUAGES = ["th", "en"]


def url_in(language: str, name: str, **kwargs) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


def page(client, language: str, name: str, **kwargs) -> str:
    response = client.get(url_in(language, name, **kwargs))
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def event():
    return Event.objects.filter(status="published").first()


@pytest.fixture
def draft_source():
    return Source.objects.create(
        slug="draft-source",
        title_th=DRAFT_TITLE["th"],
        title_en=DRAFT_TITLE["en"],
        url="https://example.org/draft-source",
        status="draft",
    )


@pytest.fixture
def quote(event, draft_source):
    person = Person.objects.create(slug="quoted-person", name_th="ผู้ให้สัมภาษณ์", name_en="Speaker")
    return Quote.objects.create(
        person=person, source=draft_source, event=event, text_th=QUOTE["th"], text_en=QUOTE["en"]
    )


def shows_quote(html: str, language: str) -> bool:
    return QUOTE[language] in html


def shows_draft_source(html: str) -> bool:
    return any(
        text in html for text in (*DRAFT_TITLE.values(), "/sources/draft-source/", "example.org")
    )


# a. Quotes of a draft source ----------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_event_page_hides_a_quote_whose_source_is_a_draft(client, event, quote, language):
    html = page(client, language, "timeline:event-detail", slug=event.slug)
    assert not shows_quote(html, language)
    assert not shows_draft_source(html)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_event_page_shows_the_quote_once_its_source_is_published(
    client, event, quote, draft_source, language
):
    Source.objects.filter(pk=draft_source.pk).update(status="published")
    html = page(client, language, "timeline:event-detail", slug=event.slug)
    assert shows_quote(html, language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_person_page_hides_a_quote_whose_source_is_a_draft(client, quote, language):
    html = page(client, language, "timeline:person-detail", slug=quote.person.slug)
    assert not shows_quote(html, language)
    assert not shows_draft_source(html)
    Source.objects.filter(pk=quote.source_id).update(status="published")
    html = page(client, language, "timeline:person-detail", slug=quote.person.slug)
    assert shows_quote(html, language)


# b. Private notes ---------------------------------------------------------------------


def notes_on(event, *, kind: str, is_public: bool) -> list[Note]:
    """The same note on an event and on a source the event cites."""
    source = event.citations.first().source
    common = {"kind": kind, "is_public": is_public, "noted_on": datetime.date.today()}
    return [
        Note.objects.create(event=event, text_th=PRIVATE, text_en=PRIVATE, **common),
        Note.objects.create(source=source, text_th=PRIVATE, text_en=PRIVATE, **common),
    ]


@pytest.fixture(params=["note", "correction"])
def private_notes(request, event):
    """A private note, or a correction not yet made public."""
    return notes_on(event, kind=request.param, is_public=False)


def structured_data(html: str) -> list[dict]:
    scripts = re.findall(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', html, re.S)
    return [json.loads(script) for script in scripts]


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_private_note_is_on_no_public_page(client, private_notes, language):
    event_note, source_note = private_notes
    pages = {
        "event": page(client, language, "timeline:event-detail", slug=event_note.event.slug),
        "source": page(client, language, "timeline:source-detail", slug=source_note.source.slug),
        "feed": page(client, language, "timeline:feed"),
        "atom feed": page(client, language, "timeline:feed-atom"),
    }
    for name, html in pages.items():
        assert PRIVATE not in html, name
    for name in ("event", "source"):
        data = structured_data(pages[name])
        assert data, f"the {name} page has no structured data"
        assert PRIVATE not in json.dumps(data, ensure_ascii=False), name


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_same_text_in_a_public_correction_is_on_those_pages(client, event, language):
    """The check above is real: a public correction shows in each of those places."""
    event_note, source_note = notes_on(event, kind="correction", is_public=True)
    event_page = page(client, language, "timeline:event-detail", slug=event_note.event.slug)
    source_page = page(client, language, "timeline:source-detail", slug=source_note.source.slug)
    for name, html in {"event": event_page, "source": source_page}.items():
        assert PRIVATE in html, name
        assert PRIVATE in json.dumps(structured_data(html), ensure_ascii=False), name
    assert PRIVATE in page(client, language, "timeline:feed")


def reads_of(client, url: str) -> tuple[str, set[str]]:
    """The page, and the tables its queries read rows of (``SELECT "table"."id", ...``)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    tables = {m.group(1) for q in queries for m in [re.match(r'SELECT "(\w+)"\.', q["sql"])] if m}
    return response.content.decode(), tables


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_event_page_reads_quotes_and_notes_only_for_an_event_that_has_some(
    client, event, language
):
    """Most events have neither: the page's own query says so, and they are not read."""
    Quote.objects.filter(event=event).delete()
    Note.objects.filter(event=event).delete()
    url = url_in(language, "timeline:event-detail", slug=event.slug)
    html, tables = reads_of(client, url)
    assert not tables & {"newsroom_quote", "newsroom_note"}
    assert 'id="quotes-heading"' not in html and PRIVATE not in html

    source = event.citations.first().source  # published: its quotes are public
    person = Person.objects.create(slug="quoted-person", name_th="ผู้ให้สัมภาษณ์", name_en="Speaker")
    Quote.objects.create(
        person=person, source=source, event=event, text_th=QUOTE["th"], text_en=QUOTE["en"]
    )
    notes_on(event, kind="correction", is_public=True)
    html, tables = reads_of(client, url)
    assert {"newsroom_quote", "newsroom_note"} <= tables
    assert shows_quote(html, language) and PRIVATE in html


def test_previous_and_next_follow_the_timeline_with_unknown_starts_first():
    ordered = list(Event.objects.published().order_by("sort_start", "sort_end", "slug"))
    for before, event, after in zip(ordered, ordered[1:], ordered[2:], strict=False):
        assert selectors.adjacent_events(event=event) == (before, after), event.slug


def _cards(html: str) -> list[str]:
    """The card titles of a list page, in order."""
    return re.findall(r'class="card-title"><a href="[^"]+">(?:<span[^>]*>)?([^<]+)<', html)


def test_the_sources_list_comes_a_page_at_a_time_with_counts_of_public_events_only(
    client, settings
):
    from tests.factories import CitationFactory, EventFactory, SourceFactory

    settings.DIRECTORY_PAGE_SIZE = 2
    Source.objects.update(status="draft")  # only this test's listed, newest first
    newest, middle, _oldest = (
        SourceFactory(published_on=datetime.date(2025, month, 1), title_en=f"S{month}")
        for month in (3, 2, 1)
    )
    for _ in range(3):
        CitationFactory(source=newest)
    cited_twice = EventFactory()  # one event, two passages of one source: one event
    CitationFactory(source=middle, event=cited_twice)
    CitationFactory(source=middle, event=cited_twice, passage="อีกตอนหนึ่ง")
    CitationFactory(source=middle, event=EventFactory(status="draft"))  # not public
    future = datetime.datetime(2999, 1, 1, tzinfo=datetime.UTC)
    CitationFactory(source=middle, event=EventFactory(publish_at=future))  # not yet
    SourceFactory(status="draft", published_on=datetime.date(2025, 4, 1))  # not listed

    first = client.get(url_in("en", "timeline:source-list"))
    html = first.content.decode()
    assert _cards(html) == ["S3", "S2"]
    assert "Cited by 3 events" in html and re.search(r"Cited by 1 event\b(?!s)", html)
    assert 'rel="next" href="?page=2"' in html and "Page 1 of 2" in html
    second = client.get(url_in("en", "timeline:source-list") + "?page=2").content.decode()
    assert _cards(second) == ["S1"] and "Cited by 0 events" in second
    assert 'rel="prev" href="?page=1"' in second and 'rel="next"' not in second
    assert client.get(url_in("en", "timeline:source-list") + "?page=3").status_code == 404


def test_the_people_list_comes_a_page_at_a_time_people_before_organisations(client, settings):
    from tests.factories import EventFactory, PersonFactory

    settings.DIRECTORY_PAGE_SIZE = 2
    Quote.objects.all().delete()
    Person.objects.all().delete()  # only this test's
    PersonFactory(name_en="Org A", kind="organisation")
    b = PersonFactory(name_en="Person B", kind="person")
    PersonFactory(name_en="Person C", kind="person")
    EventFactory().people.add(b)
    EventFactory(status="draft").people.add(b)

    with translation.override("en"):
        first = client.get(url_in("en", "timeline:person-list")).content.decode()
        second = client.get(url_in("en", "timeline:person-list") + "?page=2").content.decode()
    assert _cards(first) == ["Person B", "Person C"] and "Organisations" not in first
    assert re.search(r"Person B<.*?1 event<", first.replace("\n", ""))
    assert _cards(second) == ["Org A"] and "Organisations" in second


def test_hidden_is_what_published_leaves_out():
    """``hidden()`` (the index's terms, for counting) and ``published()`` split every item."""
    from django.utils import timezone

    from newsroom.models import Status
    from tests.factories import EventFactory

    now = timezone.now()
    for status in Status.values:
        for publish_at in (
            None,
            now - datetime.timedelta(days=1),
            now + datetime.timedelta(days=1),
        ):
            EventFactory(status=status, publish_at=publish_at)
    everything = set(Event.objects.values_list("pk", flat=True))
    shown = set(Event.objects.published().values_list("pk", flat=True))
    hidden = set(Event.objects.hidden().values_list("pk", flat=True))
    assert shown and hidden and not shown & hidden and shown | hidden == everything
    assert set(Source.objects.hidden().values_list("pk", flat=True)).isdisjoint(
        Source.objects.published().values_list("pk", flat=True)
    )


def test_a_source_and_a_persons_pages_list_events_without_reading_topics_they_do_not_show(
    client,
):
    """Their cards show no topics: not read. The timeline's cards show them: read once."""
    event = Event.objects.published().filter(topics__isnull=False, people__isnull=False).first()
    source, person = event.citations.first().source, event.people.first()
    for url in (
        source.get_absolute_url(),
        person.get_absolute_url(),
        reverse("timeline:event-list"),
    ):
        with CaptureQueriesContext(connection) as queries:
            html = client.get(url).content.decode()
        assert event.get_absolute_url() in html or url == reverse("timeline:event-list")
        topics_read = [q for q in queries if '"timeline_event_topics"' in q["sql"]]
        shows_topics = 'class="tags"' in html
        assert len(topics_read) == int(shows_topics), url
        assert shows_topics == (url == reverse("timeline:event-list")), url
