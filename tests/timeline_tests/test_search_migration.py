"""Migration 0014 on a database that has a search index already: every entry numbered by
its language and date, SQLite's word index rebuilt with those numbers, and back."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.factories import EventFactory, SourceFactory
from timeline import search
from timeline.models import SearchEntry

pytestmark = pytest.mark.django_db(transaction=True)
BEFORE = ("timeline", "0013_search_substrings_folded")
AFTER = ("timeline", "0014_search_words_newest_first")


def migrate(target: tuple[str, str]) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate([target])


@pytest.fixture(autouse=True)
def _latest_schema_after():
    """The later migrations applied again after each test (migrating back to 0013 and
    forward to 0014 leaves them out), for the tests that run after these."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate([n for n in executor.loader.graph.leaf_nodes() if n[0] == "timeline"])


def prefixes() -> dict[int, int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, newest_prefix FROM timeline_searchentry")
        return dict(cursor.fetchall())


def word_index_rows(word: str) -> list[int]:
    """SQLite: the rows of the word index that hold ``word``."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT rowid FROM {search.FTS} WHERE {search.FTS} MATCH %s", [word])
        return sorted(row[0] for row in cursor.fetchall())


def test_an_existing_index_is_numbered_and_searched_the_same(client, settings):
    settings.PAGE_CACHE_SECONDS = 0
    events = [EventFactory(date=date, title_en="Quince accord") for date in ("1961", "2024-06")]
    SourceFactory(title_en="Quince papers")
    entries = {entry.pk: entry for entry in SearchEntry.objects.all()}
    expected = {
        pk: search.newest_prefix(language=entry.language, date_start=entry.date_start)
        for pk, entry in entries.items()
    }
    before = [e.item.slug for e in client.get("/en/search/?q=quince").context["results"]]
    assert sorted(before)[:2] == sorted(event.slug for event in events)
    try:
        migrate(BEFORE)
        with connection.cursor() as cursor:
            cursor.execute("SELECT * FROM timeline_searchentry LIMIT 1")
            assert "newest_prefix" not in [column[0] for column in cursor.description]
        quince = sorted(
            pk for pk, e in entries.items() if "quince" in f"{e.title} {e.body} {e.extra}".lower()
        )
        if connection.vendor == "sqlite":
            assert word_index_rows("quince") == quince  # 0004's numbers: the ids
    finally:
        migrate(AFTER)
    assert prefixes() == expected
    if connection.vendor == "sqlite":
        assert word_index_rows("quince") == sorted(expected[pk] + pk for pk in quince)
    after = [e.item.slug for e in client.get("/en/search/?q=quince").context["results"]]
    assert after == before
