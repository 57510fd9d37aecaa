"""Readers first, under faults: the site as it runs (gunicorn, a database file, the settings
from the environment), with a writer holding SQLite's lock, a cache that is down and a
database that cannot be reached."""

import sqlite3
from pathlib import Path

import pytest

from tests.processes import Server, free_port, install, site_env


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> dict:
    return install(tmp_path_factory.mktemp("site"))


@pytest.fixture
def database(installed) -> Path:
    return Path(installed["DATABASE_URL"].removeprefix("sqlite:///"))


@pytest.fixture
def site(installed, tmp_path):
    started = []

    def start(**env) -> Server:
        log = tmp_path / f"server-{len(started)}.log"
        started.append(Server(site_env(**{**installed, **env}), log))
        return started[-1]

    yield start
    for server in started:
        server.stop()


def test_a_reader_is_served_while_a_writer_holds_the_database(site, database):
    """A long import holds SQLite's write lock: readers' uncached pages are not held up."""
    server = site(PAGE_CACHE_SECONDS="0")
    assert server.get("/th/")[0] == 200
    writer = sqlite3.connect(database, timeout=1, isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("UPDATE timeline_event SET slug = slug")  # as an import's batch would
        for path in ("/th/", "/en/", "/th/search/?q=%E0%B8%9B%E0%B8%B9%E0%B8%95%E0%B8%B4%E0%B8%99"):
            status, _headers, _body, seconds = server.get(path)
            assert status == 200, path
            assert seconds < 10, f"{path} waited {seconds:.1f} s for the writer"
    finally:
        writer.execute("ROLLBACK")
        writer.close()


def test_a_cache_that_is_down_serves_pages_uncached_and_says_so_once(site):
    dead = free_port()  # nothing listens there
    server = site(CACHE_URL=f"redis://127.0.0.1:{dead}/1", PAGE_CACHE_SECONDS="600")
    for path in ("/th/", "/th/", "/en/", "/sitemap.xml"):
        status, _headers, body, _seconds = server.get(path)
        assert status == 200, (path, body[:500])
    log = server.log.read_text()
    assert log.count("The page cache cannot be reached") == 1, log


def test_a_database_that_cannot_be_reached_gives_503_in_the_readers_language(site):
    dead = free_port()
    server = site(DATABASE_URL=f"postgres://postgres@127.0.0.1:{dead}/newsroom")
    status, headers, body, _seconds = server.get("/en/")
    assert status == 503
    assert headers["Retry-After"] == "30"
    assert 'lang="en"' in body and "Temporarily unavailable" in body
    status, headers, body, _seconds = server.get("/th/")
    assert status == 503
    assert 'lang="th"' in body and "ไม่พร้อมให้บริการชั่วคราว" in body
    assert "Traceback" not in body


def test_a_servers_first_thai_search_is_no_slower_than_its_tenth(site):
    """The Thai word list is loaded when a server process starts, not in a reader's request."""
    server = site(PAGE_CACHE_SECONDS="0")
    assert server.get("/robots.txt")[0] == 200  # the worker is up
    search = "/th/search/?q=%E0%B8%84%E0%B8%A7%E0%B8%B2%E0%B8%A1%E0%B8%AA%E0%B8%B1%E0%B8%A1"
    times = [server.get(f"{search}{n}")[3] for n in range(10)]  # ความสัม..., a new word each
    # Loading the word list in the request takes 0.6 s on a quiet machine (60 times a search).
    assert times[0] < 0.2 + 5 * sorted(times)[5], times
