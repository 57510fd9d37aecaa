"""Database expressions the timeline's queries and its indexes share."""

from django.db.models.functions import ExtractYear


class Year(ExtractYear):
    """A date's year, made cheaply for the timeline's counts by year. On SQLite, read off the
    stored ISO text ("2025-08-22") in SQL: Django's year extraction there is a Python
    function called once a row (80 ms for the counts at 50,000 events, against 15 ms)."""

    def as_sqlite(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.lhs)
        return f"CAST(SUBSTR({sql}, 1, 4) AS INTEGER)", params

    def as_postgresql(self, compiler, connection, **extra_context):
        # EXTRACT returns a numeric, slow to make 50,000 times; date_part a double (51 → 35 ms).
        sql, params = compiler.compile(self.lhs)
        return f"CAST(date_part('year', {sql}) AS integer)", params
