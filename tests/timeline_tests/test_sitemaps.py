"""sitemap.xml (every public page in both languages, with alternates) and robots.txt."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from newsroom.models import Note, Person, Source
from tests.factories import EventFactory, PersonFactory, SourceFactory
from timeline.models import Event

pytestmark = pytest.mark.django_db

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


def sections(client) -> list[str]:
    """The sitemaps /sitemap.xml (an index, as robots.txt names it) lists."""
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    root = ET.fromstring(response.content)
    assert root.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}sitemapindex"
    return [loc.text for loc in root.findall("s:sitemap/s:loc", NS)]


def sitemap(client) -> dict[str, ET.Element]:
    """Every URL of every sitemap the index lists."""
    urls = {}
    for location in sections(client):
        response = client.get(location.removeprefix("http://testserver"))
        assert response.status_code == 200
        root = ET.fromstring(response.content)
        assert len(root.findall("s:url", NS)) <= 50_000
        urls |= {url.findtext("s:loc", namespaces=NS): url for url in root.findall("s:url", NS)}
    return urls


def alternates(url: ET.Element) -> dict[str, str]:
    return {link.get("hreflang"): link.get("href") for link in url.findall("x:link", NS)}


def test_every_public_page_is_listed_in_both_languages_with_its_alternates(client):
    urls = sitemap(client)
    event = Event.objects.published().get(date="2012")
    source = Source.objects.published().first()
    person = Person.objects.first()
    for path in (
        "/",
        "/about/",
        "/sources/",
        "/people/",
        event.get_absolute_url()[3:],
        f"/sources/{source.slug}/",
        f"/people/{person.slug}/",
    ):
        for lang in ("th", "en"):
            url = urls[f"http://testserver/{lang}{path}"]
            assert alternates(url) == {
                "th": f"http://testserver/th{path}",
                "en": f"http://testserver/en{path}",
                # As the pages' own <link hreflang="x-default">: the Thai page.
                "x-default": f"http://testserver/th{path}",
            }
    assert len([u for u in urls if "/events/" in u]) == 2 * Event.objects.published().count()


def test_items_carry_their_last_change_and_a_correction_counts(client):
    event = Event.objects.published().get(date="2012")
    url = f"http://testserver/en{event.get_absolute_url()[3:]}"
    assert sitemap(client)[url].findtext("s:lastmod", namespaces=NS) == str(event.updated_at.date())
    day = event.updated_at.date() + datetime.timedelta(days=30)
    Note.objects.create(event=event, kind="correction", noted_on=day, text_en="Fixed.")
    assert sitemap(client)[url].findtext("s:lastmod", namespaces=NS) == str(day)
    source = Source.objects.published().first()
    source_url = f"http://testserver/th/sources/{source.slug}/"
    assert sitemap(client)[source_url].findtext("s:lastmod", namespaces=NS)


def test_unpublished_and_scheduled_items_are_not_listed(client):
    EventFactory(slug="a-draft", status="draft")
    EventFactory(
        slug="not-yet",
        publish_at=datetime.datetime(2999, 1, 1, tzinfo=datetime.UTC),
    )
    SourceFactory(slug="hidden-source", status="unpublished")
    listed = " ".join(sitemap(client))
    assert "/events/a-draft/" not in listed
    assert "/events/not-yet/" not in listed
    assert "/sources/hidden-source/" not in listed


def _sitemap_queries(client):
    with CaptureQueriesContext(connection) as queries:
        sitemap(client)
    return len(queries)


def test_the_sitemap_costs_the_same_queries_for_few_or_many_items(client):
    few = _sitemap_queries(client)
    EventFactory.create_batch(25)
    SourceFactory.create_batch(10)
    PersonFactory.create_batch(10)
    assert _sitemap_queries(client) == few


def test_robots_txt_keeps_crawlers_out_of_the_admin_and_points_at_the_sitemap(client, settings):
    settings.ALLOWED_HOSTS = ["news.example.org"]
    response = client.get("/robots.txt", HTTP_HOST="news.example.org", secure=True)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain"
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /admin/" in lines
    assert {"Disallow: /th/search/", "Disallow: /en/search/"} <= set(lines)
    assert "Sitemap: https://news.example.org/sitemap.xml" in lines


def test_a_large_section_is_split_into_pages_the_index_lists(client, monkeypatch):
    from newsroom.publishing.sitemaps import I18nSitemap

    monkeypatch.setattr(I18nSitemap, "limit", 8)  # 4 items a page, in two languages
    listed = sections(client)
    events = Event.objects.published().count()
    pages = -(-events // 4)
    assert [u for u in listed if "sitemap-events.xml" in u] == [
        "http://testserver/sitemap-events.xml"
    ] + [f"http://testserver/sitemap-events.xml?p={n}" for n in range(2, pages + 1)]
    assert len([u for u in sitemap(client) if "/events/" in u]) == 2 * events


def test_the_index_dates_each_section_by_its_latest_item(client):
    """A section's lastmod in the index is its items' latest: a public correction newer
    than every update counts; one on an event readers do not see, or a private one, not."""

    def index_lastmods() -> dict[str, str]:
        root = ET.fromstring(client.get("/sitemap.xml").content)
        return {
            entry.findtext("s:loc", namespaces=NS): entry.findtext("s:lastmod", namespaces=NS)
            for entry in root.findall("s:sitemap", NS)
        }

    def items_latest(section: str) -> str:
        found = [
            url.findtext("s:lastmod", namespaces=NS)
            for location, url in sitemap(client).items()
            if f"/{section}/" in location and not location.endswith(f"/{section}/")  # items
        ]
        return max(found)

    events = "http://testserver/sitemap-events.xml"
    assert index_lastmods()[events][:10] == items_latest("events")
    later = (Event.objects.latest("updated_at").updated_at + datetime.timedelta(days=9)).date()
    draft = EventFactory(status="draft")
    Note.objects.create(event=draft, kind="correction", noted_on=later, text_en="Hidden.")
    shown = Event.objects.published().first()
    Note.objects.create(
        event=shown, kind="correction", noted_on=later, text_en="Private.", is_public=False
    )
    assert index_lastmods()[events][:10] < str(later)
    Note.objects.create(
        event=shown, kind="correction", noted_on=later, text_en="Fixed.", is_public=True
    )
    assert index_lastmods()[events][:10] == str(later) == items_latest("events")
    sources = "http://testserver/sitemap-sources.xml"
    assert index_lastmods()[sources][:10] == items_latest("sources")
