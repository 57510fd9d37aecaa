"""How PostgreSQL reads a search: planned with the words each time (never one prepared plan
for any word), the word index's vectors kept in the row (migration 0016). On SQLite, the
same searches find the same entries (neither applies there)."""

import hashlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from newsroom.statements import planned_each_time
from tests.factories import EventFactory
from timeline import search
from timeline.models import Event, SearchEntry

pytestmark = pytest.mark.django_db

# A text whose vector passes 2 kB (TOAST's threshold before 0016) but whose row fits in a
# page: 200 words that do not compress (hexadecimal digests).
LONG_TEXT = " ".join(hashlib.sha256(str(n).encode()).hexdigest()[:12] for n in range(200))


def prepared_statements() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


def test_a_search_run_again_and_again_is_planned_each_time_and_pages_still_prepared():
    events = [EventFactory(title_en=f"Quince accord {n}") for n in range(3)]
    query = search.Query(text="quince")
    runs = [
        [e.object_id for e in search.search_entries(query=query, language="en")[0][:10]]
        for _ in range(8)  # past DATABASE_PREPARE_THRESHOLD (5)
    ]
    assert all(run == runs[0] for run in runs)
    assert sorted(runs[0]) == sorted(event.pk for event in events)
    slug = events[0].slug
    for _ in range(8):  # a page's query, outside a search: prepared as before
        assert Event.objects.filter(slug=slug).exists()
    if connection.vendor == "postgresql":
        statements = prepared_statements()
        assert not [sql for sql in statements if "search_vector" in sql], statements
        assert [sql for sql in statements if '"timeline_event"."slug"' in sql], statements
        assert connection.connection.prepare_threshold == 5  # given back
    else:  # nothing to give back on SQLite
        with planned_each_time():
            assert Event.objects.filter(slug=slug).exists()


def test_the_threshold_is_given_back_when_a_search_fails():
    with pytest.raises(ZeroDivisionError), planned_each_time():
        if connection.vendor == "postgresql":
            assert connection.connection.prepare_threshold is None
        1 / 0  # noqa: B018 (the failure)
    if connection.vendor == "postgresql":
        assert connection.connection.prepare_threshold == 5


def toasted_chunks() -> int:
    """PostgreSQL: how many chunks the search entries' TOAST table holds."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltoastrelid::regclass::text FROM pg_class"
            " WHERE relname = 'timeline_searchentry'"
        )
        toast = cursor.fetchone()[0]
        cursor.execute(f"SELECT count(*) FROM {toast}")
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_a_long_entrys_vector_is_kept_in_its_row_and_back_after_0016_reversed(client, settings):
    """Only entries longer than a page (a seed source's full text) have chunks out of line."""
    settings.PAGE_CACHE_SECONDS = 0
    on_postgresql = connection.vendor == "postgresql"
    chunks = toasted_chunks() if on_postgresql else 0
    event = EventFactory(title_en="Long border", summary_en=LONG_TEXT)
    entry = SearchEntry.objects.get(kind="event", object_id=event.pk, language="en")
    executor = MigrationExecutor(connection)
    leaf = [node for node in executor.loader.graph.leaf_nodes() if node[0] == "timeline"]
    assert executor.migration_plan(leaf) == []  # the schema as migrated to the last
    try:
        if on_postgresql:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_column_size(search_vector) FROM timeline_searchentry WHERE id = %s",
                    [entry.pk],
                )
                assert cursor.fetchone()[0] > 2_000  # past TOAST's threshold of 0015
            assert toasted_chunks() == chunks
        executor.migrate([("timeline", "0015_event_year")])
        if on_postgresql:
            assert toasted_chunks() > chunks  # 0015's storage: vectors moved out again
    finally:
        MigrationExecutor(connection).migrate(leaf)
    if on_postgresql:
        assert toasted_chunks() == chunks
    response = client.get(f"/en/search/?q={LONG_TEXT.split()[-1]}")
    assert [e.item.slug for e in response.context["results"]] == [event.slug]
