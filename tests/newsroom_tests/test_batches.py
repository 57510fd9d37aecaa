"""Lists of keys longer than one statement may bind: PostgreSQL takes at most 65,535
parameters a statement (the server binds them), and an import or a translation file may name
more rows than that. Each test fails there without ``key_chunks``."""

import pytest

from newsroom.batches import KEYS_PER_QUERY, key_chunks
from newsroom.imports.service import _log_status_restore
from newsroom.models import WorkflowLog
from newsroom.translations.exchange import _items
from newsroom.translations.status import translation_states_snapshot
from newsroom.translations.xliff import Unit
from timeline.models import Event

pytestmark = pytest.mark.django_db

MANY = 70_000  # keys: more than one PostgreSQL statement binds
HIGH = 10**9  # keys of rows that do not exist (nothing to create; the query is the point)


def test_keys_come_in_order_a_bounded_part_at_a_time():
    parts = list(key_chunks(range(2 * KEYS_PER_QUERY + 1)))
    assert [len(p) for p in parts] == [KEYS_PER_QUERY, KEYS_PER_QUERY, 1]
    assert [k for p in parts for k in p] == list(range(2 * KEYS_PER_QUERY + 1))
    assert list(key_chunks([])) == []


def test_a_translation_snapshot_of_more_items_than_one_statement_binds():
    pks = list(range(HIGH, HIGH + MANY))
    snapshot = translation_states_snapshot(model=Event, pks=pks, language="en")
    assert [entry["object_id"] for entry in snapshot] == pks
    assert all(entry["state"] is None for entry in snapshot)


def test_a_translation_file_naming_more_items_than_one_statement_binds_is_read():
    event = Event.objects.first()
    units = [
        Unit(kind="events", pk=pk, field="title", source="") for pk in range(HIGH, HIGH + MANY)
    ]
    units.append(Unit(kind="events", pk=event.pk, field="title", source=""))
    assert _items(units) == {("events", event.pk): event}


def test_undoing_the_status_of_more_rows_than_one_statement_binds():
    event = Event.objects.first()
    objects = [Event(pk=pk, status="") for pk in range(HIGH, HIGH + MANY)]
    objects.append(Event(pk=event.pk, status="draft"))
    logged = set(WorkflowLog.objects.values_list("pk", flat=True))
    _log_status_restore(Event, objects, by=None)
    log = WorkflowLog.objects.exclude(pk__in=logged).get()  # the one row that moves
    assert (log.from_status, log.to_status) == (event.status, "draft")
