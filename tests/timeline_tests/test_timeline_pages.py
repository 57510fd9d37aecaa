"""The timeline in pages: bounded whatever the archive's size, navigable by era and decade
without JavaScript, every page at a stable URL that keeps the readers' filters."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from timeline import selectors
from timeline.models import Era, Event, Topic

pytestmark = pytest.mark.django_db


def _archive(count: int, *, era=None) -> list[Event]:
    """``count`` more published events, one a month from January 1950, as an import writes
    them (bulk, with their derived columns)."""
    era = era or Era.objects.order_by("start_year").first()
    events = []
    for n in range(count):
        date = f"{1950 + n // 12}-{n % 12 + 1:02d}"
        values = Event.prepared({"date": date})
        events.append(
            Event(
                slug=f"archive-{n:05d}",
                title_th=f"เหตุการณ์ในคลัง {n}",
                title_en=f"Archive event {n}",
                status="published",
                era=era,
                **{k: v for k, v in values.items() if k != "date"},
                date=date,
            )
        )
    return Event.objects.bulk_create(events)


def _titles(html: str) -> list[str]:
    return re.findall(r'class="event-title"><a href="/en/events/([^/]+)/"', html)


def _ordered_slugs() -> list[str]:
    return list(Event.objects.published().values_list("slug", flat=True))


def test_a_large_timeline_opens_on_its_latest_page_and_links_the_others(client, settings):
    settings.TIMELINE_PAGE_SIZE = 50
    _archive(130)
    ordered = _ordered_slugs()
    last_page = (len(ordered) - 1) // 50 + 1
    html = client.get("/en/").content.decode()
    assert _titles(html) == ordered[(last_page - 1) * 50 :]
    assert f'<link rel="prev" href="?page={last_page - 1}">' in html
    assert 'rel="next"' not in html
    first = client.get("/en/?page=1").content.decode()
    assert _titles(first) == ordered[:50]
    assert '<link rel="next" href="?page=2">' in first and 'rel="prev"' not in first
    assert client.get("/en/?page=9999").status_code == 200  # the nearest page, not an error


def test_decade_links_lead_to_the_page_and_the_event_where_the_decade_begins(client, settings):
    settings.TIMELINE_PAGE_SIZE = 50
    _archive(300)  # 1950 to 1974
    ordered = list(Event.objects.published())
    html = client.get("/en/").content.decode()
    links = dict(re.findall(r'<a href="\?page=(\d+)#(d\d{4})">', html))
    links = {
        anchor: int(page) for page, anchor in re.findall(r'<a href="\?page=(\d+)#(d\d{4})">', html)
    }
    assert {"d1950", "d1960", "d1970"} <= set(links)
    for anchor, page in links.items():
        decade = int(anchor[1:])
        first = next(i for i, e in enumerate(ordered) if e.sort_start.year // 10 * 10 == decade)
        assert page == first // 50 + 1, anchor
        target = client.get(f"/en/?page={page}").content.decode()
        assert f'id="{anchor}"' in target


def test_filters_stay_in_every_page_link(client, settings):
    settings.TIMELINE_PAGE_SIZE = 20
    era = Era.objects.order_by("start_year").first()
    topic = Topic.objects.first()
    for event in _archive(45, era=era):
        event.topics.add(topic)
    html = client.get(f"/en/?era={era.slug}&topic={topic.slug}&page=1").content.decode()
    assert f'href="?era={era.slug}&amp;topic={topic.slug}&amp;page=2"' in html
    assert all(
        Event.objects.get(slug=slug).era == era
        and topic in Event.objects.get(slug=slug).topics.all()
        for slug in _titles(html)
    )


def test_a_page_costs_the_same_queries_and_stays_small_whatever_the_archive(client, settings):
    settings.TIMELINE_PAGE_SIZE = 50

    def cost(path: str) -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        return len(queries), len(response.content)

    _archive(120)
    small = cost("/en/?page=2"), cost("/th/")
    Event.objects.filter(slug__startswith="archive-").delete()
    _archive(2400)
    large = cost("/en/?page=2"), cost("/th/")
    assert [q for q, _size in small] == [q for q, _size in large]
    assert all(size < 300_000 for _q, size in large)


def test_timelinejs_gets_a_bounded_page_and_the_link_to_the_others(client, settings):
    settings.TIMELINEJS_PAGE_SIZE = 30
    _archive(100)
    ordered = _ordered_slugs()
    latest = client.get("/en/timeline.json")
    slides = latest.json()["events"]
    assert len(slides) == len(ordered) - (len(ordered) - 1) // 30 * 30
    assert 'rel="prev"' in latest["Link"] and 'rel="next"' not in latest["Link"]
    first = client.get("/en/timeline.json?page=1")
    assert len(first.json()["events"]) == 30
    assert first["Link"].endswith('/en/timeline.json?page=2>; rel="next"')
    era = Era.objects.order_by("start_year").last()
    only_era = client.get(f"/en/timeline.json?era={era.slug}").json()["events"]
    assert len(only_era) == Event.objects.published().filter(era=era).count()


def test_the_embed_shows_a_page_with_links_to_the_others(client, settings):
    settings.TIMELINE_PAGE_SIZE = 50
    _archive(120)
    html = client.get("/en/embed/").content.decode()
    assert html.count('class="event-title"') <= 50
    assert 'rel="prev" href="?page=' in html
    assert "frame-ancestors *" in client.get("/en/embed/")["Content-Security-Policy"]


def test_a_source_and_a_person_show_their_many_events_a_page_at_a_time(client, settings):
    from newsroom.models import Person, Source
    from timeline.models import Citation

    settings.TIMELINE_PAGE_SIZE = 50
    source, person = Source.objects.published().first(), Person.objects.first()
    archive = _archive(120)
    Citation.objects.bulk_create(Citation(event=e, source=source, passage="…") for e in archive)
    person.events.add(*archive)
    for url, events in (
        (f"/en/sources/{source.slug}/", Event.objects.published().filter(citations__source=source)),
        (f"/en/people/{person.slug}/", Event.objects.published().filter(people=person)),
    ):
        ordered = list(events.distinct().order_by("sort_start", "sort_end", "slug"))
        first = client.get(url).content.decode()
        assert _titles(first) == [e.slug for e in ordered[:50]]
        assert 'rel="next" href="?page=2"' in first
        last = client.get(f"{url}?page=3").content.decode()
        assert _titles(last) == [e.slug for e in ordered[100:150]]
        assert 'rel="prev" href="?page=2"' in last


@pytest.mark.parametrize(
    "edtf, sits_at",
    [
        ("2025~/2025-08", "2025-08-01"),  # some time in 2025, until August: "shortly before"
        ("2025?/2025-08-15", "2025-08-15"),
        ("1955~/1969", "1955-01-01"),  # a long period sits where it begins
        ("2024-10~/2025-08", "2024-10-01"),
        ("2025/2025-08", "2025-01-01"),  # a certain start decides
        ("/2025-08", "0001-01-01"),  # an unknown start: first, as before
    ],
)
def test_a_period_sits_where_a_reader_expects_it(edtf, sits_at):
    assert Event.derived({"date": edtf})["sort_start"].isoformat() == sits_at


def test_shortly_before_august_2025_comes_after_april_2025_everywhere(client):
    shortly = Event.objects.get(slug="trump-orders-strikes-on-iran-nuclear-sites")
    april = Event.objects.get(slug="north-korea-acknowledges-troops-in-kursk")
    for path in ("/en/", "/en/embed/", f"/en/people/{shortly.people.first().slug}/"):
        titles = _titles(client.get(path).content.decode())
        if april.slug in titles and shortly.slug in titles:
            assert titles.index(april.slug) < titles.index(shortly.slug), path
    slides = [s["unique_id"] for s in client.get("/en/timeline.json").json()["events"]]
    assert slides.index(april.slug) < slides.index(shortly.slug)
    previous, _following = selectors.adjacent_events(event=shortly)
    assert previous.sort_start >= april.sort_start


@pytest.mark.django_db
def test_the_counts_by_year_can_be_read_in_the_years_order_from_their_index():
    """The timeline's counts by year: the index event_year (migration timeline 0015) serves
    the query as the timeline makes it, on each database (its expression is the query's).
    PostgreSQL is told not to scan the table, so that a small test table still shows
    whether the index could be used."""
    from django.db.models import Count

    from timeline.expressions import Year

    counts = (
        selectors.public_events()
        .order_by()
        .annotate(year=Year("sort_start"))
        .values("year")
        .annotate(n=Count("*"))
        .order_by("year")
    )
    sql, params = counts.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(
            f"EXPLAIN {sql}" if connection.vendor == "postgresql" else f"EXPLAIN QUERY PLAN {sql}",
            params,
        )
        plan = " ".join(str(row) for row in cursor.fetchall())
    assert "event_year" in plan, plan
    assert list(counts) == sorted(counts, key=lambda row: row["year"])  # the seed's years
    assert sum(row["n"] for row in counts) == selectors.public_events().count()


def test_each_card_shows_its_own_topics_in_the_topics_order(client, settings):
    """Topics are read once a page (every topic, and the page's event-topic pairs), each
    card given its own: none for an event without, in the order of the topic filter."""
    from tests.factories import EventFactory, TopicFactory

    settings.PAGE_CACHE_SECONDS = 0
    zebra, aardvark = TopicFactory(slug="zz-zebra"), TopicFactory(slug="aa-aardvark")
    tagged = EventFactory(date="2030-01", slug="tagged-event")
    tagged.topics.add(zebra, aardvark)
    EventFactory(date="2030-02", slug="untagged-event")
    html = client.get("/en/").content.decode()
    card = html[html.index("/en/events/tagged-event/") : html.index("/en/events/untagged-event/")]
    assert re.findall(r"\?topic=([\w-]+)", card) == ["aa-aardvark", "zz-zebra"]
    rest = html[html.index("/en/events/untagged-event/") :]
    assert "?topic=" not in rest.split("</li>")[0]


def test_the_counts_on_a_page_are_written_with_thousands_separators(client, settings):
    settings.PAGE_CACHE_SECONDS, settings.TIMELINE_PAGE_SIZE = 0, 500
    _archive(1_200)
    total = Event.objects.published().count()
    for language in ("en", "th"):
        html = client.get(f"/{language}/?page=3").content.decode()
        assert f"{total:,}" in html and "1,001" in html, language
