"""Statements: a QuerySet's SQL written once, run with each call's values, finds what the
QuerySet finds (newsroom/statements.py)."""

import datetime
import threading

import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from newsroom.statements import Statement, StatementError
from timeline.models import Event, Topic

pytestmark = pytest.mark.django_db

SLUG, WHEN = Event._meta.get_field("slug"), Event._meta.get_field("publish_at")


def event_with_era(*, slug, now):
    return Event.objects.published(now=now).select_related("era").filter(slug=slug)


def test_it_finds_what_its_queryset_finds_for_every_event():
    statement = Statement(event_with_era, slug=SLUG, now=WHEN)
    now = timezone.now()
    slugs = [*Event.objects.values_list("slug", flat=True), "no-such-event"]
    for slug in slugs:
        expected = list(event_with_era(slug=slug, now=now))
        found = statement(slug=slug, now=now)
        assert found == expected, slug
        if found:  # the era came with it (select_related), with every field as the ORM's
            with CaptureQueriesContext(connection) as queries:
                assert found[0].era == expected[0].era
            assert not queries
            assert [f.value_from_object(found[0]) for f in Event._meta.concrete_fields] == [
                f.value_from_object(expected[0]) for f in Event._meta.concrete_fields
            ]


def test_each_call_runs_the_same_sql_with_its_own_values():
    """A scheduled event: not found before its time, found after, by one statement."""
    event = Event.objects.published().first()
    at = timezone.now() + datetime.timedelta(hours=1)
    Event.objects.filter(pk=event.pk).update(publish_at=at)
    statement = Statement(event_with_era, slug=SLUG, now=WHEN)
    statements = []

    def written(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(written):
        assert statement(slug=event.slug, now=at - datetime.timedelta(seconds=1)) == []
        assert statement(slug=event.slug, now=at) == [event]
        assert statement(slug="no-such-event", now=at) == []
    assert len(statements) == 3 and len(set(statements)) == 1


def test_a_value_the_sql_does_not_carry_as_given_is_refused_at_once():
    """``icontains`` escapes it and wraps it in %: another value than the one given."""
    statement = Statement(
        lambda *, title: Event.objects.filter(title_en__icontains=title), title=SLUG
    )
    with pytest.raises(StatementError, match="'title' is not a parameter"):
        statement(title="Moscow")


def test_it_takes_exactly_the_values_it_was_made_with():
    statement = Statement(event_with_era, slug=SLUG, now=WHEN)
    for values in ({"slug": "x"}, {"slug": "x", "now": timezone.now(), "era": "y"}):
        with pytest.raises(TypeError, match=r"takes the values \['now', 'slug'\]"):
            statement(**values)


def test_a_statement_that_would_read_more_than_one_query_is_refused():
    statement = Statement(
        lambda *, slug: Event.objects.filter(slug=slug).prefetch_related("topics"), slug=SLUG
    )
    with pytest.raises(StatementError, match="no prefetch_related"):
        statement(slug="any")


def test_each_language_has_its_own_sql():
    """modeltranslation writes a query in the active language (here: the order by name)."""
    statement = Statement(
        lambda *, slug: Topic.objects.exclude(slug=slug).order_by("name"), slug=SLUG
    )
    for language in ("th", "en"):
        with translation.override(language):
            expected = list(Topic.objects.exclude(slug="none").order_by(f"name_{language}"))
            with CaptureQueriesContext(connection) as queries:
                assert statement(slug="none") == expected
            assert f"name_{language}" in queries[0]["sql"]


@pytest.mark.django_db(transaction=True)
def test_a_statement_written_on_one_thread_runs_on_another_with_its_connection(seeded):
    """A threaded server: the SQL is shared, each thread runs it on its own connection."""
    statement = Statement(event_with_era, slug=SLUG, now=WHEN)
    event = Event.objects.published().first()
    assert statement(slug=event.slug, now=timezone.now()) == [event]
    found, errors = [], []

    def other_thread():
        try:
            found.extend(statement(slug=event.slug, now=timezone.now()))
        except Exception as error:  # reported to the test's thread
            errors.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=other_thread)
    thread.start()
    thread.join()
    assert not errors and found == [event]
