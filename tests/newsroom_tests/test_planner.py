"""After a bulk write, PostgreSQL's planner statistics are refreshed (newsroom.planner)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from newsroom.signals import content_changed_send
from timeline.models import Event

pytestmark = pytest.mark.django_db


def _analyzed(django_capture_on_commit_callbacks, **change) -> bool:
    with (
        CaptureQueriesContext(connection) as queries,
        django_capture_on_commit_callbacks(execute=True),
    ):
        content_changed_send(model=Event, **change)
    return any(q["sql"].strip().upper() == "ANALYZE" for q in queries.captured_queries)


def test_a_bulk_write_of_many_rows_analyzes_on_postgresql_once_it_commits(
    settings, django_capture_on_commit_callbacks
):
    settings.PLANNER_ANALYZE_ROWS = 3
    pks = list(Event.objects.values_list("pk", flat=True)[:3])
    on_postgresql = connection.vendor == "postgresql"
    assert _analyzed(django_capture_on_commit_callbacks, pks=pks, bulk=True) is on_postgresql
    # Fewer rows, or one item's save: the statistics autovacuum gathers will do.
    assert not _analyzed(django_capture_on_commit_callbacks, pks=pks[:2], bulk=True)
    assert not _analyzed(django_capture_on_commit_callbacks, pks=pks, bulk=False)
