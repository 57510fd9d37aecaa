"""Writes to the timeline: one service per kind of item, for every entry point (the admin's
forms, inlines and actions, revert, commands); each goes through ``newsroom.editing``."""

from collections.abc import Iterable

from django.db import connection, transaction

from newsroom.editing import item_delete, item_save
from timeline.models import Citation, Era, Event, EventYearCount, Topic


def event_save(
    *,
    event: Event,
    by=None,
    topics: Iterable | None = None,
    people: Iterable | None = None,
    comment: str = "",
    validated: bool = False,
) -> Event:
    """Validate and store an event (text cleaned, date bounds derived) and, if given, its
    topics and people; a change to its original (Thai) text makes its translations stale."""
    relations = {
        name: targets
        for name, targets in (("topics", topics), ("people", people))
        if targets is not None
    }
    return item_save(item=event, by=by, relations=relations, comment=comment, validated=validated)


def era_save(*, era: Era, by=None, validated: bool = False) -> Era:
    return item_save(item=era, by=by, validated=validated)


def topic_save(*, topic: Topic, by=None, validated: bool = False) -> Topic:
    return item_save(item=topic, by=by, validated=validated)


def citation_save(*, citation: Citation, by=None, validated: bool = False) -> Citation:
    return item_save(item=citation, by=by, validated=validated)


def citation_delete(*, citation: Citation, by=None) -> None:
    item_delete(item=citation, by=by)


# The counts by year (timeline.models.EventYearCount): rows of +1 and -1 added by the
# database's triggers, summed back to one a year and era once there are this many.
YEAR_COUNTS_COMPACT_AFTER = 500


def year_counts_compact(*, at_least: int = YEAR_COUNTS_COMPACT_AFTER) -> int:
    """Sum the counts' rows to one per year and era (none where they sum to nothing), if
    there are ``at_least`` rows; how many rows there were. Rows another transaction adds
    meanwhile are left for the next time: PostgreSQL deletes and sums in one statement
    the rows it sees; SQLite's transaction holds the write lock."""
    table = EventYearCount._meta.db_table
    with connection.cursor() as cursor:  # read first: no write lock taken for nothing
        cursor.execute(f"SELECT COUNT(*) FROM {table}")
        if (rows := cursor.fetchone()[0]) < max(at_least, 1):
            return rows
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*), MAX(id) FROM {table}")
        rows, last = cursor.fetchone()
        summed = (
            "SELECT era_id, year, SUM(events) FROM {rows} GROUP BY era_id, year"
            " HAVING SUM(events) <> 0"
        )
        if connection.vendor == "postgresql":
            cursor.execute(
                f"WITH gone AS (DELETE FROM {table} RETURNING era_id, year, events)"
                f" INSERT INTO {table} (era_id, year, events) {summed.format(rows='gone')}"
            )
        else:
            cursor.execute(
                f"INSERT INTO {table} (era_id, year, events)"
                f" {summed.format(rows=f'(SELECT * FROM {table} WHERE id <= %s)')}",
                [last],
            )
            cursor.execute(f"DELETE FROM {table} WHERE id <= %s", [last])
    return rows


def on_content_changed(sender, **kwargs) -> None:
    """Once a write of events (or eras: deleting one moves its events) commits, their
    counts by year summed back if they have grown many rows (an import's)."""
    if sender in (Event, Era):
        transaction.on_commit(year_counts_compact, robust=True)
