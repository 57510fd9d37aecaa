"""The timeline's counts by year, kept by the database (migration 0017): after every kind
of write (a save, a workflow move, an import and its undo, a bulk UPDATE, a delete, an era
deleted, a scheduled event coming due) they equal a count of the events themselves, for
the whole timeline and each era, and summing their rows back changes no count."""

import datetime
import threading

import pytest
from django.db import connection, connections, transaction
from django.utils import timezone

from newsroom.imports.service import import_table, import_undo
from newsroom.imports.specs import specs
from newsroom.imports.spreadsheets import open_table
from newsroom.workflow.services import item_transition
from tests.factories import EraFactory, EventFactory
from timeline import paging, selectors, services
from timeline.models import Era, Event, EventYearCount

pytestmark = pytest.mark.django_db
SEED_SOURCE = "ap-russia-north-korea-timeline-th"  # a source of the seed: what events cite


def assert_counted(now=None) -> None:
    """The kept counts are the events' own, the whole timeline's and each era's (and an
    era that is not there has none)."""
    for era in ["", *Era.objects.values_list("slug", flat=True), "no-such-era"]:
        events = selectors.public_events(now=now).order_by(*selectors.ORDER)
        if era:
            events = events.filter(era__slug=era)
        assert selectors.timeline_years(era=era, now=now) == paging._years(events), era


def test_the_seed_is_counted_and_each_write_keeps_the_counts(chief):
    assert EventYearCount.objects.exists()  # the fixtures, counted as loaded
    assert_counted()
    era = EraFactory(slug="later-era", start_year=2030)
    event = EventFactory(date="2031-05", era=era)
    assert_counted()
    event.date = "1999"  # to another year
    event.save()
    assert_counted()
    event.era = None  # out of its era
    event.save()
    assert_counted()
    item_transition(item=event, to="unpublished", by=chief, reason="checking")
    assert_counted()
    Event.objects.filter(pk=event.pk).update(status="published")  # no signal, no Python
    assert_counted()
    moved = EventFactory(date="1960", era=era)
    era.delete()  # its events lose their era (SET_NULL)
    assert Event.objects.get(pk=moved.pk).era_id is None
    assert_counted()
    Event.objects.filter(pk=event.pk).delete()
    EventFactory(date="2001", status="draft")  # not counted
    assert_counted()


def test_a_scheduled_event_is_counted_when_it_comes_due():
    now = timezone.now()
    EventFactory(date="1977", publish_at=now + datetime.timedelta(hours=1))
    before = selectors.timeline_years(now=now)
    assert_counted(now=now)
    later = now + datetime.timedelta(hours=2)
    assert_counted(now=later)
    assert selectors.timeline_years(now=later)[1977] == before.get(1977, 0) + 1


def test_an_import_and_its_undo_are_counted_and_summed_back_to_a_row_a_year(chief):
    rows = "".join(
        f"count-import-{n},{1950 + n % 40},Event {n},Event {n},{SEED_SOURCE},published\n"
        for n in range(120)
    )
    csv = "slug,date,title_th,title_en,sources,status\n" + rows
    report, record = import_table(
        spec=specs()["events"], table=open_table(csv.encode(), filename="x.csv"), user=chief
    )
    assert report.ok, report.errors
    assert_counted()
    assert EventYearCount.objects.count() >= 120  # a row a change, until summed
    services.year_counts_compact(at_least=1)
    assert_counted()
    keys = list(EventYearCount.objects.values_list("era_id", "year"))
    assert len(keys) == len(set(keys))  # one row a year and era
    assert all(EventYearCount.objects.values_list("events", flat=True))  # none of 0
    import_undo(record=record, by=chief)
    assert_counted()


def test_many_writes_are_summed_back_once_they_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(services.YEAR_COUNTS_COMPACT_AFTER):
            EventFactory(date=f"{1950 + n % 30}")
    assert EventYearCount.objects.count() < services.YEAR_COUNTS_COMPACT_AFTER
    assert_counted()


def test_the_timeline_pages_are_numbered_by_the_kept_counts(client, settings):
    settings.PAGE_CACHE_SECONDS, settings.TIMELINE_PAGE_SIZE = 0, 5
    EventFactory.create_batch(12, date="2030")
    response = client.get("/en/?page=1")
    assert response.context["paginator"].count == selectors.public_events().count()
    # The counts as kept: a count taken off by hand shows in the page (they are read).
    EventYearCount.objects.create(era_id=None, year=2030, events=-5)
    response = client.get("/en/?page=1")
    assert response.context["paginator"].count == selectors.public_events().count() - 5
    topic = client.get("/en/?topic=no-such-topic&page=1")  # a topic's: counted as before
    assert topic.context["paginator"].count == 0


@pytest.mark.django_db(transaction=True)
def test_rows_another_transaction_adds_while_summing_are_kept(seeded):
    """PostgreSQL: an event added by another connection, not yet committed while the rows
    are summed, keeps its row (the summing statement neither sees nor waits for it).
    SQLite has one writer at a time (a transaction takes the write lock as it begins):
    the other write comes before or after, never during."""
    EventFactory.create_batch(3, date="1980")
    if connection.vendor != "postgresql":
        EventFactory(date="1980", slug="added-before")
        services.year_counts_compact(at_least=1)
        assert_counted()
        return
    inserted, summed = threading.Event(), threading.Event()
    errors = []

    def other_writer():
        try:
            with transaction.atomic():
                EventFactory(date="1980", slug="added-meanwhile")
                inserted.set()
                assert summed.wait(30)
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=other_writer)
    thread.start()
    assert inserted.wait(30)
    rows = EventYearCount.objects.count()
    services.year_counts_compact(at_least=1)  # does not wait for the other transaction
    assert EventYearCount.objects.count() < rows
    summed.set()
    thread.join(30)
    assert not errors
    assert Event.objects.filter(slug="added-meanwhile").exists()
    assert_counted()


@pytest.mark.django_db(transaction=True)
def test_a_dump_loaded_again_is_counted_once(seeded, tmp_path):
    """dumpdata leaves the counts out (the database keeps them): loaded into an emptied
    database, the events are counted as they are inserted, once."""
    from django.core.management import call_command

    EventFactory.create_batch(3, date="1980")
    dump = tmp_path / "dump.json"
    call_command(  # the search index is written again as the events load
        "dumpdata", "timeline", "newsroom", exclude=["timeline.searchentry"], output=str(dump)
    )
    assert "timeline.eventyearcount" not in dump.read_text()
    counted = selectors.timeline_years()
    call_command("flush", interactive=False, verbosity=0)
    assert selectors.timeline_years() == {}
    call_command("loaddata", str(dump), verbosity=0)
    assert selectors.timeline_years() == counted
    assert_counted()
