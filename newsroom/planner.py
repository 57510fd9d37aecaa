"""The query planner's statistics, refreshed after a bulk write (PostgreSQL).

PostgreSQL plans from statistics that autovacuum gathers a while after a table changes. Right
after an import of thousands of rows they describe the tables as they were: a query may then
walk the wrong index (the feeds read one row of the workflow log an event along an index that
does not name the event: 1.3 s instead of 10 ms). As PostgreSQL's manual advises after a bulk
load, the writes that add or change many rows run ``ANALYZE`` once they commit. SQLite keeps no
statistics unless asked (``ANALYZE``), and its plans here are made without them.
"""

from django.conf import settings
from django.db import DatabaseError, connection, transaction


def planner_statistics_refresh(*, rows: int) -> None:
    """Once the current transaction commits, ``ANALYZE`` on PostgreSQL if ``rows`` (written
    in bulk) are at least ``PLANNER_ANALYZE_ROWS``."""
    if connection.vendor != "postgresql" or rows < settings.PLANNER_ANALYZE_ROWS:
        return
    transaction.on_commit(_analyze)


def _analyze() -> None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    except DatabaseError:  # statistics are an optimisation: autovacuum gathers them later
        return


def on_content_changed(sender, pks=None, bulk=False, **kwargs) -> None:
    if bulk and pks:
        planner_statistics_refresh(rows=len(pks))
