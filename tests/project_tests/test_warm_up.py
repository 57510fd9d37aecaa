"""A server process builds before it serves what Django and the search build on first use."""

import os

import pytest
from django.urls import get_resolver
from django.utils import translation

from newsroom.apps import apps_warm_up


@pytest.mark.django_db
def test_the_warm_up_builds_every_languages_urls_and_runs_a_search(django_assert_max_num_queries):
    resolver = get_resolver()
    resolver._reverse_dict.clear()
    with django_assert_max_num_queries(50) as queries:
        apps_warm_up()
    for code in ("th", "en"):
        with translation.override(code):
            assert code in resolver._reverse_dict
    assert any("search" in q["sql"].lower() for q in queries.captured_queries)


@pytest.mark.django_db(transaction=True)
def test_a_server_process_asks_a_search_in_each_language_through_the_whole_stack(
    django_assert_max_num_queries,
):
    """wsgi.py hands its application to the warm-up: a search page is then asked of it in
    each language, as a reader would (middleware, view, templates), before it serves."""
    from django.core.handlers.wsgi import WSGIHandler

    application = WSGIHandler()
    statuses = []

    def recording(environ, start_response):
        def start(status, headers, exc_info=None):
            statuses.append((environ["PATH_INFO"], status))
            return start_response(status, headers, exc_info)

        return application(environ, start)

    with django_assert_max_num_queries(80) as queries:
        apps_warm_up(recording)
    assert statuses == [("/th/search/", "200 OK"), ("/en/search/", "200 OK")]
    searched = [q["sql"] for q in queries.captured_queries if "searchentry" in q["sql"]]
    assert any("'th'" in sql for sql in searched) and any("'en'" in sql for sql in searched)


@pytest.mark.django_db(transaction=True)
def test_the_request_warm_up_waits_for_a_database_and_logs_no_error(monkeypatch, caplog):
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import OperationalError, connections

    from newsroom.apps import warm_up_requests

    asked = []
    warm_up_requests(lambda environ, start: asked.append(environ) or [], ["/th/search/?q=x"])
    assert len(asked) == 1  # the database answers: the page is asked

    def unreachable():
        raise OperationalError("connection refused")

    monkeypatch.setattr(connections["default"], "ensure_connection", unreachable)
    warm_up_requests(lambda environ, start: asked.append(environ) or [], ["/th/search/?q=x"])
    assert len(asked) == 1  # no database yet: left for the readers' first requests
    monkeypatch.undo()

    def failing(**kwargs):
        raise OperationalError("no such table: timeline_searchentry")

    monkeypatch.setattr("timeline.search.search_entries", failing)
    with caplog.at_level("ERROR"):
        warm_up_requests(WSGIHandler(), ["/th/search/?q=x"])
    assert not [r for r in caplog.records if r.levelname == "ERROR"]


@pytest.fixture
def closings(monkeypatch):
    """The times the database connections are closed (SQLite's in-memory test database
    ignores a close: it would be lost)."""
    from django.db import connections

    closed, close_all = [], connections.close_all
    monkeypatch.setattr(connections, "close_all", lambda: closed.append(1) or close_all())
    return closed


@pytest.mark.django_db(transaction=True)
# The child exits at once: no lock another thread held can be waited for.
@pytest.mark.filterwarnings("ignore:This process .* is multi-threaded:DeprecationWarning")
def test_a_worker_keeps_its_warm_connection_and_a_server_that_forks_closes_it_first(closings):
    """A gunicorn worker warms up in its own process: its first reader's request finds the
    connection open (on PostgreSQL, its server process has the tables' catalogue read).
    A server that warms up, then forks its workers (--preload), hands them none."""
    from django.core.handlers.wsgi import WSGIHandler

    apps_warm_up(WSGIHandler())
    assert closings == []
    for _worker in range(2):
        child = os.fork()
        if child == 0:
            os._exit(0)
        os.waitpid(child, 0)
        assert closings == [1]  # before the first fork; the second has none to close


@pytest.mark.django_db(transaction=True)
def test_an_asgi_process_closes_the_warm_up_connections_its_requests_would_not_use(closings):
    apps_warm_up()
    assert closings == [1]


@pytest.mark.django_db(transaction=True)  # the warm-up closes the connection (ASGI)
def test_after_the_warm_up_no_event_page_writes_its_sql_in_a_readers_request(
    seeded, client, monkeypatch
):
    from newsroom.statements import Statement
    from timeline import selectors
    from timeline.models import Event

    for statement in vars(selectors).values():  # as a new process has them: none written
        if isinstance(statement, Statement):
            monkeypatch.setattr(statement, "_compiled", {})
    apps_warm_up()

    def written_in_a_request(self):
        raise AssertionError("a statement's SQL written in a reader's request")

    monkeypatch.setattr(Statement, "_compile", written_in_a_request)
    event = Event.objects.published().first()
    for language in ("th", "en"):
        assert client.get(f"/{language}/events/{event.slug}/").status_code == 200
