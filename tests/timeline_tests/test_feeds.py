"""The RSS and Atom feeds: per language, newest first, corrections shown, nothing unpublished."""

import datetime
import xml.etree.ElementTree as ET
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from newsroom.models import Note
from newsroom.workflow.services import item_transition
from tests.factories import CitationFactory, EventFactory
from timeline.feeds import FEED_SIZE
from timeline.models import Event

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def rss_items(client, lang="en"):
    response = client.get(f"/{lang}/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(response.content).find("channel")
    return channel, channel.findall("item")


def atom_entries(client, lang="en"):
    response = client.get(f"/{lang}/feed/atom/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    return feed, feed.findall(f"{ATOM}entry")


def titles(items):
    return [item.findtext("title") for item in items]


@pytest.fixture
def later():
    """A clock that runs ahead of the seed's timestamps, one step per call."""
    start = timezone.now() + datetime.timedelta(days=1)
    return lambda hours: start + datetime.timedelta(hours=hours)


def publish(event, by, at):
    if not event.citations.exists():  # no event is published without its source
        CitationFactory(event=event)
    with mock.patch("django.utils.timezone.now", return_value=at):
        item_transition(item=event, to="published", by=by)


@pytest.mark.parametrize("lang", ["th", "en"])
def test_both_feeds_speak_the_language_of_their_url(client, lang):
    event = Event.objects.published().get(date="2012")
    channel, items = rss_items(client, lang)
    assert channel.findtext("language") == lang
    assert getattr(event, f"title_{lang}") in titles(items)
    assert all(f"/{lang}/events/" in item.findtext("link") for item in items)
    feed, entries = atom_entries(client, lang)
    assert feed.get(XML_LANG) == lang
    assert getattr(event, f"title_{lang}") in [e.findtext(f"{ATOM}title") for e in entries]


def test_every_page_links_both_feeds_of_its_language(client):
    for path in ("/en/", "/en/about/", "/th/sources/"):
        html = client.get(path).content.decode()
        lang = path[1:3]
        assert 'type="application/rss+xml" title="' in html
        assert f'href="/{lang}/feed/"' in html
        assert f'href="/{lang}/feed/atom/"' in html


def test_newly_published_events_come_first_in_the_order_they_went_public(client, chief, later):
    drafts = [EventFactory(status="draft", title_en=f"Fresh {n}") for n in range(3)]
    for hours, event in zip((1, 3, 2), drafts, strict=True):
        publish(event, chief, later(hours))
    with mock.patch("django.utils.timezone.now", return_value=later(4)):
        _channel, items = rss_items(client)
        _feed, entries = atom_entries(client)
    assert titles(items)[:3] == ["Fresh 1", "Fresh 2", "Fresh 0"]
    published = [e.findtext(f"{ATOM}published") for e in entries[:3]]
    assert published == [later(h).isoformat() for h in (3, 2, 1)]
    assert len(items) <= FEED_SIZE


def test_a_correction_moves_its_event_up_with_its_date_and_text(client, chief, later):
    old = Event.objects.published().get(date="2012")
    publish(EventFactory(status="draft", title_en="Newer"), chief, later(1))
    day = later(48).date()
    Note.objects.create(
        event=old,
        kind="correction",
        noted_on=day,
        text_en="We had the year wrong.",
        text_th="ปีที่ระบุผิด",
    )
    Note.objects.create(
        event=old, kind="correction", noted_on=day, text_en="Hidden", is_public=False
    )
    with mock.patch("django.utils.timezone.now", return_value=later(72)):
        _channel, items = rss_items(client)
        _feed, entries = atom_entries(client)
    assert titles(items)[:2] == [old.title_en, "Newer"]
    description = items[0].findtext("description")
    assert "We had the year wrong." in description
    assert f'datetime="{day:%Y-%m-%d}"' in description and day.strftime("%Y") in description
    assert "Hidden" not in description
    updated = datetime.datetime.fromisoformat(entries[0].findtext(f"{ATOM}updated"))
    assert updated.date() == day
    th_items = rss_items(client, "th")[1]
    assert "ปีที่ระบุผิด" in th_items[0].findtext("description")


def test_drafts_unpublished_and_scheduled_events_stay_out_until_their_time(client, chief):
    EventFactory(status="draft", title_en="Still a draft")
    gone = Event.objects.published().get(date="2019")
    item_transition(item=gone, to="unpublished", by=chief)
    soon = timezone.now() + datetime.timedelta(hours=2)
    scheduled = EventFactory(status="draft", title_en="Scheduled")
    CitationFactory(event=scheduled)
    item_transition(item=scheduled, to="published", by=chief, publish_at=soon)
    listed = titles(rss_items(client)[1])
    assert not {"Still a draft", "Scheduled", gone.title_en} & set(listed)
    with mock.patch("django.utils.timezone.now", return_value=soon + datetime.timedelta(seconds=1)):
        _channel, items = rss_items(client)
    assert titles(items)[0] == "Scheduled"
    assert "Still a draft" not in titles(items)
    # Scheduled at 2 h, it went public at 2 h (not when it was scheduled).
    assert items[0].findtext("pubDate") == soon.strftime("%a, %d %b %Y %H:%M:%S +0000")


def test_an_untranslated_title_falls_back_to_thai_and_says_so(client, chief, later):
    publish(EventFactory(status="draft", title_th="ยังไม่แปล", title_en=""), chief, later(1))
    with mock.patch("django.utils.timezone.now", return_value=later(2)):
        first = rss_items(client)[1][0]
    assert first.findtext("title") == "ยังไม่แปล (Not yet translated)"


def test_entry_ids_are_stable_across_slug_changes_and_differ_by_language(client):
    event = Event.objects.published().get(date="2012")

    def guid(lang):
        items = rss_items(client, lang)[1]
        return next(i.findtext("guid") for i in items if f"/{event.slug}/" in i.findtext("link"))

    before = guid("en")
    assert before.startswith("urn:uuid:") and before != guid("th")
    event.slug = "renamed-2012"
    event.save()
    assert guid("en") == before


def _feed_queries(client):
    with CaptureQueriesContext(connection) as queries:
        rss_items(client)
        atom_entries(client, "th")
    return len(queries)


def test_the_feed_costs_the_same_queries_for_few_or_many_events(client):
    few = _feed_queries(client)
    for n in range(30):
        citation = CitationFactory(event__title_en=f"Many {n}")
        Note.objects.create(
            event=citation.event, kind="correction", noted_on=datetime.date(2025, 1, 1), text_en="x"
        )
    assert _feed_queries(client) == few


@pytest.mark.parametrize(("lang", "name"), [("en", "Russia–North Korea: a timeline")])
def test_the_atom_feed_names_the_publication_as_its_author(client, lang, name):
    feed, entries = atom_entries(client, lang)
    authors = feed.findall(f"{ATOM}author")
    assert [a.findtext(f"{ATOM}name") for a in authors] == [name]  # RFC 4287, 4.1.1
    assert entries and all(e.find(f"{ATOM}updated") is not None for e in entries)
    thai, _entries = atom_entries(client, "th")
    assert thai.find(f"{ATOM}author").findtext(f"{ATOM}name")


def test_an_entry_is_updated_when_its_event_is_and_no_other(client, later):
    edited = Event.objects.published().get(date="2012")
    other = Event.objects.published().get(date="2018")
    Event.objects.filter(pk=edited.pk).update(updated_at=later(1))
    _feed, entries = atom_entries(client)
    updated = {e.findtext(f"{ATOM}title"): e.findtext(f"{ATOM}updated") for e in entries}
    assert datetime.datetime.fromisoformat(updated[edited.title_en]) == later(1)
    assert datetime.datetime.fromisoformat(updated[other.title_en]) < later(1)
    assert _feed.findtext(f"{ATOM}updated") == updated[edited.title_en]  # the feed's newest


def test_the_latest_changed_are_found_from_each_time_as_from_all_of_them(chief):
    """The feed reads the latest by each of the four times (created, scheduled, published in
    the log, corrected) rather than dating every event: the same events, in the same order."""
    import random

    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Prefetch

    from newsroom.models import WorkflowLog
    from newsroom.publishing.times import (
        latest_changed,
        publication_times,
        with_last_published,
        with_publication_times,
    )
    from timeline import selectors

    rng = random.Random(7)
    start = timezone.now() - datetime.timedelta(days=400)
    events = [EventFactory() for _ in range(40)]
    for event in events:
        created = start + datetime.timedelta(days=rng.randrange(300))
        Event.objects.filter(pk=event.pk).update(
            created_at=created,
            publish_at=created + datetime.timedelta(days=rng.randrange(60))
            if rng.random() < 0.3
            else None,
        )
        # Published again later through the workflow, up to three times (its latest counts);
        # whole days apart from a start they share, so that events tie.
        for _again in range(rng.choice([0, 0, 1, 3])):
            log = WorkflowLog.objects.create(
                content_type=ContentType.objects.get_for_model(Event),
                object_id=event.pk,
                from_status="unpublished",
                to_status="published",
                by=chief,
            )
            WorkflowLog.objects.filter(pk=log.pk).update(
                at=created + datetime.timedelta(days=rng.randrange(90))
            )
        if rng.random() < 0.3:
            Note.objects.create(
                event=event,
                kind="correction",
                text="แก้ไข",
                noted_on=created.date() + datetime.timedelta(days=rng.randrange(120)),
            )
    public = selectors.public_events()
    for size in (1, 5, 12, 30):
        everything = with_publication_times(public, note_field="event")
        expected = list(everything.order_by("-changed_at", "-pk")[:size])
        assert list(latest_changed(public, note_field="event", size=size)) == expected

    # The one item a page shows is dated by the same rule, from its public notes in hand.
    for event in events[::3]:  # a correction readers do not see changes nothing
        Note.objects.create(
            event=event,
            kind="correction",
            text="ภายใน",
            noted_on=timezone.now().date(),
            is_public=False,
        )
    dated = with_publication_times(Event.objects.all(), note_field="event")
    expected = {event.pk: (event.published_at, event.changed_at) for event in dated}
    shown = with_last_published(
        Event.objects.prefetch_related(Prefetch("notes", selectors.public_notes()))
    )
    assert len(expected) >= len(events) > 0
    assert {e.pk: publication_times(e, notes=e.notes.all()) for e in shown} == expected


def test_events_published_at_the_same_moment_are_all_candidates(chief):
    """Two events whose last publication is the same instant: the feed's tie-break (the
    higher pk first) holds even when the log lists the other first."""
    from django.contrib.contenttypes.models import ContentType

    from newsroom.models import WorkflowLog
    from newsroom.publishing.times import latest_changed
    from timeline import selectors

    long_ago = timezone.now() - datetime.timedelta(days=3000)
    Event.objects.update(created_at=long_ago, publish_at=None)
    first, second = EventFactory(), EventFactory()  # second: the higher pk
    moment = timezone.now() - datetime.timedelta(days=1)
    Event.objects.filter(pk=first.pk).update(created_at=long_ago + datetime.timedelta(days=2))
    Event.objects.filter(pk=second.pk).update(created_at=long_ago + datetime.timedelta(days=1))
    for event in (second, first):  # the first's entry is the log's newer row
        WorkflowLog.objects.create(
            content_type=ContentType.objects.get_for_model(Event),
            object_id=event.pk,
            from_status="unpublished",
            to_status="published",
            by=chief,
        )
    WorkflowLog.objects.filter(object_id__in=[first.pk, second.pk]).update(at=moment)

    latest = list(latest_changed(selectors.public_events(), note_field="event", size=1))
    assert latest == [second]
