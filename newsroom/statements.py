"""Reads whose SQL Django writes once a process, run again with each request's values.

On the hottest public page (an event's), building and compiling its queries cost five times
what the database takes to answer them: most of an uncached page. A ``Statement`` is a
function that builds a QuerySet from named values. Its first use (per database and
language) builds it with stand-in values and compiles it; every later use runs that SQL with
the request's values in the stand-ins' places, and Django makes the model instances as it
always does (select_related, annotations and their converters, ``post_init``). The rules
stay in the QuerySet methods the builder calls: only the writing of the SQL is saved.
SQLAlchemy's compiled cache (its "lambda statements") is the model.

A builder may not let a value change the query's shape (a branch on it, a list of it): the
SQL would be another query's. A value that the SQL does not carry as a parameter, as it
was given (a ``contains`` escapes it, say), is found at the first use (``StatementError``).
"""

import contextlib
import copy
import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.db import connections
from django.db.models import Field, QuerySet
from django.utils.translation import get_language


class StatementError(Exception):
    """A builder whose values do not all reach its SQL as parameters."""


@dataclass(frozen=True)
class _Compiled:
    queryset: QuerySet
    compiler: object  # Django's SQLCompiler, set up by as_sql(): select, klass_info...
    sql: str
    params: tuple
    places: dict[str, list[int]]  # each value's positions among the parameters


def _stand_in(field: Field, number: int):
    """A value for ``field`` that no query holds by itself (a date in the year 2...)."""
    kind = field.get_internal_type()
    if kind in {"CharField", "SlugField", "TextField"}:
        return f"\ue000stand-in-{number}\ue000"
    if kind == "DateTimeField":
        return dt.datetime(2, 1, 1, microsecond=number + 1, tzinfo=dt.UTC)
    if kind == "DateField":
        return dt.date(2, 1, number + 1)
    if kind.endswith(("AutoField", "IntegerField")):
        return -(10**9) - number
    raise StatementError(f"No stand-in value for a {kind}.")


class Statement:
    """``build(**values)``'s QuerySet, its SQL written once; ``fields`` says, for each value,
    the model field it is compared with (it is prepared for the database as that field's)."""

    def __init__(self, build: Callable[..., QuerySet], **fields: Field):
        self._build, self._fields = build, fields
        self._compiled: dict[str, _Compiled] = {}

    def __call__(self, **values) -> list:
        """The rows (model instances) the builder's QuerySet finds with these ``values``."""
        if values.keys() != self._fields.keys():
            raise TypeError(f"A statement takes the values {sorted(self._fields)}.")
        compiled = self._compiled_for(get_language())
        connection = connections[compiled.queryset.db]
        params = list(compiled.params)
        for name, places in compiled.places.items():
            value = self._fields[name].get_db_prep_value(values[name], connection)
            for place in places:
                params[place] = value
        compiler = copy.copy(compiled.compiler)
        compiler.connection = connection  # this thread's
        compiler.as_sql = lambda *args, **kwargs: (compiled.sql, params)
        queryset = compiled.queryset._chain()
        queryset.query.get_compiler = lambda *args, **kwargs: compiler
        return list(queryset)

    def prepare(self) -> None:
        """Its SQL written now, for the active language (a server process's warm-up), not
        in a reader's request."""
        self._compiled_for(get_language())

    def _compiled_for(self, language: str) -> _Compiled:
        """Compiled per language: modeltranslation writes a query in the active one."""
        if language not in self._compiled:
            self._compiled[language] = self._compile()
        return self._compiled[language]

    def _compile(self) -> _Compiled:
        stand_ins = {name: _stand_in(f, n) for n, (name, f) in enumerate(self._fields.items())}
        queryset = self._build(**stand_ins)
        if queryset._prefetch_related_lookups:
            raise StatementError("A statement reads one query: no prefetch_related.")
        connection = connections[queryset.db]
        compiler = queryset.query.get_compiler(using=queryset.db)
        sql, params = compiler.as_sql()
        places = {}
        for name, value in stand_ins.items():
            prepared = self._fields[name].get_db_prep_value(value, connection)
            places[name] = [n for n, param in enumerate(params) if param == prepared]
            if not places[name]:
                raise StatementError(f"The value {name!r} is not a parameter of {sql}")
        return _Compiled(queryset, compiler, sql, tuple(params), places)


@contextlib.contextmanager
def planned_each_time(using: str = "default") -> Iterator[None]:
    """Queries run inside are planned with their values each time, never prepared.

    PostgreSQL prepares a query a connection has run DATABASE_PREPARE_THRESHOLD times
    (settings), and after five runs may keep one plan for any values: right for a page's
    queries, wrong where the best plan depends on the values. A search for a word in half
    the archive is read newest first along an index (3 ms at 50,000 events); the plan made
    for any word reads every match from the word index and sorts them (180 ms).
    Elsewhere (SQLite, preparing turned off), it changes nothing."""
    connection = connections[using]
    connection.ensure_connection()
    driver = connection.connection
    if connection.vendor != "postgresql" or driver.prepare_threshold is None:
        yield
        return
    threshold, driver.prepare_threshold = driver.prepare_threshold, None
    try:
        yield
    finally:
        driver.prepare_threshold = threshold
