"""The page cache: readers get stored pages, and a change drops the pages that show it.

Every test runs twice, on the default cache in local memory and on the Redis at
127.0.0.1:6379 (database 7, emptied before and after). The tests are transactional:
pages are dropped when a change is committed, as in production.
"""

import datetime
import gzip
import time
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from newsroom.models import Source
from newsroom.publishing import dependencies
from newsroom.settings import env
from newsroom.workflow.services import item_transition
from tests.factories import CitationFactory, EventFactory, SourceFactory
from tests.forms import form_data
from timeline import selectors
from timeline.models import Citation, Event
from timeline.services import citation_save, event_save

transactional = pytest.mark.django_db(transaction=True)
CACHES = {"locmem": "locmemcache://", "redis": "redis://127.0.0.1:6379/7"}


def _use(settings, name):
    settings.CACHES = {"default": env.cache_url_config(CACHES[name])}
    cache.clear()


@pytest.fixture(params=list(CACHES))
def backend(request, settings, seeded):
    _use(settings, request.param)
    yield request.param
    cache.clear()


@pytest.fixture
def reader():
    return Client()


def visit(client, url, **headers):
    """The response, and how many SQL queries it took."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, headers=headers)
    return response, len(queries)


def event_url(event, language="en"):
    return f"/{language}/events/{event.slug}/"


@pytest.fixture
def event(backend):
    return Event.objects.published().select_related("era").first()


@transactional
def test_a_second_visit_is_served_from_the_cache_without_a_query(backend, reader, event):
    for url in ("/th/", event_url(event), "/en/sources/", "/th/about/"):
        first, queries = visit(reader, url)
        assert first.status_code == 200 and queries > 0
        again, queries = visit(reader, url)
        assert (again.status_code, queries) == (200, 0), url
        assert again.content == first.content


@transactional
def test_each_language_is_stored_apart(backend, reader, event):
    thai, _queries = visit(reader, "/th/")
    english, queries = visit(reader, "/en/")
    assert queries > 0 and '<html lang="en">' in english.content.decode()
    assert event.title_en in english.content.decode()
    assert event.title_th in visit(reader, "/th/")[0].content.decode()
    assert visit(reader, "/en/")[0].content == english.content
    assert thai.content != english.content


@transactional
def test_an_edit_in_the_admin_shows_at_once(backend, reader, event, editor_client):
    assert event.title_en in reader.get("/en/").content.decode()
    url = f"/admin/timeline/event/{event.pk}/change/"
    data = form_data(editor_client.get(url).content.decode(), "event_form")
    data["title_en"] = ["A title an editor just wrote"]
    assert editor_client.post(url, data).status_code == 302
    for page in ("/en/", event_url(event)):
        assert "A title an editor just wrote" in reader.get(page).content.decode()


@transactional
def test_an_edit_through_the_service_shows_at_once(backend, reader, event):
    reader.get(event_url(event, "th"))
    event.title_th = "หัวข้อที่แก้แล้ว"
    event_save(event=event)
    assert "หัวข้อที่แก้แล้ว" in reader.get(event_url(event, "th")).content.decode()
    assert "หัวข้อที่แก้แล้ว" in reader.get("/th/").content.decode()


@transactional
def test_publishing_and_unpublishing_show_at_once(backend, reader, chief):
    draft = EventFactory(slug="a-draft", title_en="A draft event", status="draft")
    CitationFactory(event=draft)
    assert "A draft event" not in reader.get("/en/").content.decode()
    assert reader.get(event_url(draft)).status_code == 404
    item_transition(item=draft, to="published", by=chief)
    assert "A draft event" in reader.get("/en/").content.decode()
    assert reader.get(event_url(draft)).status_code == 200
    item_transition(item=draft, to="unpublished", by=chief)
    assert "A draft event" not in reader.get("/en/").content.decode()
    assert reader.get(event_url(draft)).status_code == 404


@transactional
def test_an_unpublished_source_leaves_its_page_at_once(backend, reader, chief):
    source = Source.objects.published().first()
    assert reader.get(f"/en/sources/{source.slug}/").status_code == 200
    item_transition(item=source, to="unpublished", by=chief)
    assert reader.get(f"/en/sources/{source.slug}/").status_code == 404
    assert source.title_en not in reader.get("/en/sources/").content.decode()


@transactional
def test_an_import_shows_at_once(backend, reader, chief):
    from newsroom.imports.service import import_table
    from newsroom.imports.specs import specs
    from newsroom.imports.spreadsheets import open_table

    assert "Imported today" not in reader.get("/en/").content.decode()
    SourceFactory(slug="its-source", status="published")
    text = (
        "slug,date,title_en,sources,status\n"
        "imported-today,2025-09-01,Imported today,its-source,published\n"
    )
    report, _record = import_table(
        spec=specs()["events"], table=open_table(text.encode()), user=chief, file_name="x.csv"
    )
    assert report.ok, report.errors
    assert "Imported today" in reader.get("/en/").content.decode()


@transactional
def test_a_scheduled_event_appears_when_the_clock_gets_there(backend, reader, chief):
    draft = EventFactory(slug="a-draft", title_en="A draft event", status="draft")
    CitationFactory(event=draft)
    now = timezone.now()
    at = now + datetime.timedelta(seconds=30)
    item_transition(item=draft, to="published", by=chief, publish_at=at)
    before = reader.get("/en/")
    assert "A draft event" not in before.content.decode()
    assert "max-age=" in before["Cache-Control"]  # browsers too keep it no longer
    assert int(before["Cache-Control"].split("max-age=")[1].split(",")[0]) <= 30
    with mock.patch("django.utils.timezone.now", return_value=at + datetime.timedelta(seconds=1)):
        assert "A draft event" in reader.get("/en/").content.decode()
        assert reader.get(event_url(draft)).status_code == 200


@transactional
def test_staff_never_get_nor_leave_a_stored_page(backend, reader, event, chief_client):
    draft = EventFactory(slug="a-draft", title_en="A draft event", status="draft")
    preview = chief_client.get(event_url(draft))
    assert preview.status_code == 200 and "no-store" in preview["Cache-Control"]
    assert reader.get(event_url(draft)).status_code == 404
    reader.get(event_url(event))
    staff, queries = visit(chief_client, event_url(event))
    assert queries > 0 and "private" in staff["Cache-Control"]
    again, _queries = visit(chief_client, event_url(event))
    assert again.status_code == 200 and "preview-banner" not in again.content.decode()


@transactional
def test_a_reader_with_messages_waiting_is_not_served_a_stored_page(backend, reader, event):
    reader.get(event_url(event))
    reader.cookies["messages"] = "something"
    response, queries = visit(reader, event_url(event))
    assert queries > 0 and "private" in response["Cache-Control"]


@transactional
def test_only_the_public_query_parameters_are_stored(backend, reader, event):
    era = event.era.slug
    for url, stored in ((f"/en/?era={era}", True), ("/en/?utm_source=newsletter", False)):
        reader.get(url)
        response, queries = visit(reader, url)
        assert response.status_code == 200 and (queries == 0) == stored, url


@transactional
def test_a_repeat_visit_gets_304_until_the_page_changes(backend, reader, event):
    first = reader.get(event_url(event))
    assert first["Cache-Control"] == "public, max-age=60"
    assert "Cookie" in first["Vary"] and "Accept-Language" not in first["Vary"]
    etag, modified = first["ETag"], first["Last-Modified"]
    assert reader.get(event_url(event), headers={"if-none-match": etag}).status_code == 304
    assert reader.get(event_url(event), headers={"if-modified-since": modified}).status_code == 304
    event.title_en = "Corrected title"
    # Last-Modified counts whole seconds: the correction comes in a later second.
    time.sleep(1.1)
    event_save(event=event)
    fresh = reader.get(event_url(event), headers={"if-none-match": etag})
    assert fresh.status_code == 200 and "Corrected title" in fresh.content.decode()
    assert reader.get(event_url(event), headers={"if-modified-since": modified}).status_code == 200


@transactional
def test_a_change_made_by_another_process_reaches_a_cache_in_local_memory(settings, seeded, reader):
    _use(settings, "locmem")  # Redis is shared by every process already
    event = Event.objects.published().first()
    other = far_from(event)
    reader.get(event_url(event))
    reader.get(event_url(other))
    # Another process (the import worker, a command) writes: its cache is its own memory,
    # and what it bumps it bumps in the files every process on the machine reads.
    Event.objects.filter(pk=event.pk).update(title_en="Changed by the worker")
    dependencies.FileVersions().bump({dependencies.item_tag(Event, event.pk)})
    assert "Changed by the worker" in reader.get(event_url(event)).content.decode()
    assert visit(reader, event_url(other))[1] == 0


# Only the pages that show what changed ---------------------------------------------------


def cached(client, url) -> bool:
    """Whether ``url`` comes from the page cache (no query at all)."""
    response, queries = visit(client, url)
    assert response.status_code == 200, url
    return queries == 0


@pytest.fixture
def small_pages(settings):
    settings.TIMELINE_PAGE_SIZE = 5  # the seed's events fill several timeline pages


def far_from(event):
    """A published event that is neither ``event`` nor beside it."""
    previous, following = selectors.adjacent_events(event=event)
    near = {event.pk, getattr(previous, "pk", None), getattr(following, "pk", None)}
    return next(e for e in selectors.public_events() if e.pk not in near)


def _lists(client, number, event) -> bool:
    return f"/en/events/{event.slug}/" in client.get(f"/en/?page={number}").content.decode()


def listing_of(client, event, lists=True) -> str:
    """The timeline page that lists ``event`` (or, ``lists=False``, one that does not)."""
    return f"/en/?page={next(n for n in range(1, 20) if _lists(client, n, event) == lists)}"


@transactional
def test_an_edit_in_the_admin_drops_only_the_pages_that_show_the_event(
    backend, reader, small_pages, editor_client
):
    event = selectors.public_events()[3]
    far, other_page, listing = far_from(event), listing_of(reader, event, lists=False), ""
    listing = listing_of(reader, event)
    source = Source.objects.published().exclude(citations__event=event).first()
    pages = [event_url(event), event_url(far), other_page, listing, f"/en/sources/{source.slug}/"]
    for page in pages:
        reader.get(page)
    assert all(cached(reader, page) for page in pages)
    url = f"/admin/timeline/event/{event.pk}/change/"
    data = form_data(editor_client.get(url).content.decode(), "event_form")
    data["title_en"] = ["A title an editor just wrote"]
    assert editor_client.post(url, data).status_code == 302
    assert "A title an editor just wrote" in reader.get(event_url(event)).content.decode()
    assert "A title an editor just wrote" in reader.get(listing).content.decode()
    # The pages that do not show it are still served from the cache.
    assert cached(reader, event_url(far))
    assert cached(reader, other_page)
    assert cached(reader, f"/en/sources/{source.slug}/")


@transactional
def test_a_published_event_reaches_its_neighbours_pages_and_no_other_event_page(
    backend, reader, small_pages, chief
):
    before, after = list(selectors.public_events())[10:12]
    far = selectors.public_events()[0]
    for page in (event_url(before), event_url(after), event_url(far), "/en/"):
        reader.get(page)
    # Sorted right after ``before``: the same date, and a slug that follows its own.
    draft = event_save(
        event=Event(
            slug=f"{before.slug}-0",
            title_th="ระหว่างกลาง",
            title_en="In between",
            summary_th="สรุป",
            date=before.date,
            status="draft",
        )
    )
    source = Source.objects.published().exclude(citations__event=far).first()
    CitationFactory(event=draft, source=source)
    item_transition(item=draft, to="published", by=chief)
    assert selectors.adjacent_events(event=before)[1] == draft
    assert f"/en/events/{draft.slug}/" in reader.get(event_url(before)).content.decode()
    assert f"/en/events/{draft.slug}/" in reader.get(event_url(after)).content.decode()
    assert "In between" in reader.get(listing_of(reader, draft)).content.decode()
    assert cached(reader, event_url(far))


@transactional
def test_a_new_citation_reaches_its_sources_page_and_its_events_page(backend, reader):
    event = selectors.public_events()[5]
    source = Source.objects.published().exclude(citations__event=event).first()
    other = Source.objects.published().exclude(pk=source.pk).first()
    for page in (event_url(event), f"/en/sources/{source.slug}/", f"/en/sources/{other.slug}/"):
        reader.get(page)
    citation_save(citation=Citation(event=event, source=source, passage="A new passage"))
    assert "A new passage" in reader.get(event_url(event)).content.decode()
    assert event.title_en in reader.get(f"/en/sources/{source.slug}/").content.decode()


def test_a_redis_url_gives_djangos_own_redis_cache(monkeypatch):
    monkeypatch.setenv("CACHE_URL", "redis://127.0.0.1:6379/1")
    assert env.cache("CACHE_URL") == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/1",
    }


@transactional
def test_pages_are_stored_compressed_for_browsers_that_accept_gzip(backend, reader, event):
    plain = reader.get(event_url(event))
    zipped, _queries = visit(reader, event_url(event), accept_encoding="gzip, deflate, br")
    again, queries = visit(reader, event_url(event), accept_encoding="gzip, deflate, br")
    assert zipped["Content-Encoding"] == "gzip" and "Accept-Encoding" in zipped["Vary"]
    assert queries == 0 and again.content == zipped.content
    assert gzip.decompress(again.content) == plain.content
    assert len(again.content) < len(plain.content) / 3
    # One ETag whatever the encoding, so that a revalidation gets 304 either way.
    assert again["ETag"] == f"W/{plain['ETag']}"
    revalidated = reader.get(event_url(event), headers={"if-none-match": plain["ETag"]})
    assert revalidated.status_code == 304


@transactional
def test_readers_cannot_fill_the_cache_with_headers_cookies_or_searches(backend, reader, event):
    visit(reader, event_url(event), accept_encoding="gzip")
    for encoding in ("gzip, deflate, br", "br, gzip", "gzip;q=1.0, identity; q=0.5, *;q=0"):
        response, queries = visit(reader, event_url(event), accept_encoding=encoding)
        assert (response.status_code, queries) == (200, 0), encoding
    reader.cookies["_ga"] = "GA1.2.3"  # not a cookie of ours: the same page
    response, queries = visit(reader, event_url(event), accept_encoding="gzip")
    assert (response.status_code, queries) == (200, 0)
    for _visit in range(2):  # a search is rendered each time: readers' words are not stored
        response, queries = visit(reader, "/en/search/?q=Kursk")
        assert response.status_code == 200 and queries > 0
