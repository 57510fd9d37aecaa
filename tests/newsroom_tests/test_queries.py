"""Every public page runs as many SQL queries with 1,000 published events as with 10.

The pages are counted with no cache (DummyCache), in both languages. The events are made
with ``bulk_create``, each with topics, people, citations, a quote and a correction, so
that every prefetch a page needs is exercised.
"""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from newsroom.models import Note, Person, Quote, Source, Status
from newsroom.signals import content_changed_send
from tests.factories import EraFactory, PersonFactory, SourceFactory, TopicFactory
from timeline.dates import parse_fuzzy_date
from timeline.models import Citation, Event

pytestmark = pytest.mark.django_db

WORDS_TH = ["การเยือน", "สนธิสัญญา", "ความร่วมมือทางทหาร", "เปียงยาง", "มอสโก"]
WORDS_EN = ["visit", "treaty", "military cooperation", "Pyongyang", "Moscow"]


@pytest.fixture
def world():
    """An era, topics, people and sources that every new event is tied to."""
    return {
        "era": EraFactory(slug="bulk-era", start_year=1990),
        "topics": [TopicFactory(slug=f"bulk-topic-{n}") for n in range(2)],
        "people": [PersonFactory(slug=f"bulk-person-{n}") for n in range(2)],
        "sources": [SourceFactory(slug=f"bulk-source-{n}") for n in range(2)],
    }


def _event(n: int, era) -> Event:
    date = f"{1990 + n % 35}-{1 + n % 12:02d}"
    fuzzy = parse_fuzzy_date(date)
    word = n % len(WORDS_TH)
    return Event(
        slug=f"bulk-{n}",
        title_th=f"{WORDS_TH[word]} ตอนที่ {n}",
        title_en=f"{WORDS_EN[word].capitalize()}, episode {n}",
        summary_th=f"สรุป{WORDS_TH[word]}ระหว่างรัสเซียและเกาหลีเหนือ",
        summary_en=f"A summary of the {WORDS_EN[word]} between Russia and North Korea",
        date=date,
        date_start=fuzzy.lower,
        date_end=fuzzy.upper,
        start_precision=fuzzy.start.precision,
        end_precision=fuzzy.end.precision,
        era=era,
        status=Status.PUBLISHED,
    )


def add_events(world, start: int, stop: int) -> None:
    events = Event.objects.bulk_create([_event(n, world["era"]) for n in range(start, stop)])
    for relation, targets in (("topics", world["topics"]), ("people", world["people"])):
        through = getattr(Event, relation).through
        column = relation[:-1] if relation == "topics" else "person"
        through.objects.bulk_create(
            [through(event=e, **{column: t}) for e in events for t in targets]
        )
    Citation.objects.bulk_create(
        [Citation(event=e, source=s, passage="ข้อความ") for e in events for s in world["sources"]]
    )
    person, source = world["people"][0], world["sources"][0]
    Quote.objects.bulk_create(
        [Quote(person=person, source=source, event=e, text="“…”") for e in events]
    )
    Note.objects.bulk_create(
        [
            Note(kind="correction", event=e, noted_on=datetime.date(2025, 1, 1), text="แก้ไข")
            for e in events
        ]
    )
    content_changed_send(model=Event, pks=[e.pk for e in events])  # as an import does


def _public_urls(world) -> dict[str, str]:
    event = Event.objects.get(slug="bulk-0")
    person, source = world["people"][0], world["sources"][0]
    pages = {
        "timeline": (reverse("timeline:event-list"), ""),
        "timeline by era": (reverse("timeline:event-list"), f"?era={world['era'].slug}"),
        "timeline by topic": (reverse("timeline:event-list"), f"?topic={world['topics'][0].slug}"),
        "event": (event.get_absolute_url(), ""),
        "about": (reverse("timeline:about"), ""),
        "sources": (reverse("timeline:source-list"), ""),
        "source": (source.get_absolute_url(), ""),
        "people": (reverse("timeline:person-list"), ""),
        "person": (person.get_absolute_url(), ""),
        # Words only these events hold ("ตอนที่", "episode"): every search lists events alone.
        "search (Thai)": ("timeline:search", "?q=ตอนที่"),
        "search (English)": ("timeline:search", "?q=episode"),
        "search by era": ("timeline:search", f"?era={world['era'].slug}"),
        "feed": ("timeline:feed", ""),
        "atom feed": ("timeline:feed-atom", ""),
        "timeline.json": ("timeline:timeline-json", ""),
        "embed": ("timeline:embed", ""),
    }
    urls = {}
    for name, (path, query) in pages.items():
        if not path.startswith("/"):
            try:  # the pages other parts of the site add, once they are there
                path = reverse(path)
            except NoReverseMatch:
                continue
        urls[name] = path + query
    return urls


def count_queries(world) -> dict[str, int]:
    counts, client = {}, Client()
    for language in ("th", "en"):
        with translation.override(language):
            urls = _public_urls(world)
        for name, url in urls.items():
            ContentType.objects.clear_cache()  # each page pays for its content types
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            assert response.status_code == 200, url
            counts[f"{name} [{language}]"] = len(queries)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/sitemap.xml").status_code == 200
    counts["sitemap.xml"] = len(queries)
    return counts


def test_every_public_page_runs_as_many_queries_for_1000_events_as_for_10(settings, world):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    add_events(world, 0, 10)
    few = count_queries(world)
    add_events(world, 10, 1000)
    assert Event.objects.published().filter(slug__startswith="bulk-").count() == 1000
    many = count_queries(world)
    grown = {page: (few[page], many[page]) for page in few if many[page] != few[page]}
    assert not grown, f"queries (10 events, 1,000 events) per page: {grown}"
    assert set(many) >= {"timeline [th]", "event [en]", "person [th]", "source [en]"}


def test_the_pages_counted_show_the_new_events(settings, world):
    """The count above means something only if the pages list the events made in bulk."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    add_events(world, 0, 10)
    client = Client()
    for url in ("/en/", f"/en/people/{world['people'][0].slug}/", "/en/events/bulk-3/"):
        assert "Pyongyang, episode 3" in client.get(url).content.decode(), url
    assert Person.objects.filter(events__slug="bulk-3").count() == 2
    assert Source.objects.filter(events__slug="bulk-3").count() == 2
