"""Readers first, under faults: the site as it runs (gunicorn, a database file, the settings
from the environment), with a writer holding SQLite's lock, a cache that is down and a
database that cannot be reached."""

import os
import secrets
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(
        DJANGO_ENV_FILE=os.devnull,  # the defaults and what is given here, not a .env
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_DEBUG="0",
        DJANGO_HTTPS="0",
        CACHE_URL="locmemcache://",
    )
    env.update(extra)
    return env


def _manage(env: dict, *args) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True
    )


class Site:
    def __init__(self, env: dict, log: Path):
        self.port = _free_port()
        self.log = log
        self.process = subprocess.Popen(
            [str(GUNICORN), "newsroom.wsgi", "-b", f"127.0.0.1:{self.port}", "-w", "1"],
            cwd=ROOT,
            env=env,
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(log.read_text())

    def get(self, path: str, timeout: float = 30):
        """(status, headers, body, seconds) of a GET, whatever the status."""
        started = time.monotonic()
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}")
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                status, headers, body = response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            status, headers, body = error.code, error.headers, error.read()
        return status, headers, body.decode(), time.monotonic() - started

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=20)


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> dict:
    """A site's SQLite file with the fixtures and its static files, made by the commands an
    install runs."""
    folder = tmp_path_factory.mktemp("site")
    env = {
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        "DJANGO_STATIC_ROOT": str(folder / "static"),
        "DJANGO_MEDIA_ROOT": str(folder / "media"),
    }
    _manage(_env(**env), "migrate", "--no-input", "-v0")
    _manage(_env(**env), "load_seed")
    _manage(_env(**env), "collectstatic", "--no-input", "-v0")
    return env


@pytest.fixture
def database(installed) -> Path:
    return Path(installed["DATABASE_URL"].removeprefix("sqlite:///"))


@pytest.fixture
def site(installed, tmp_path):
    started = []

    def start(**env) -> Site:
        defaults = installed
        started.append(Site(_env(**{**defaults, **env}), tmp_path / f"server-{len(started)}.log"))
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
    dead = _free_port()  # nothing listens there
    server = site(CACHE_URL=f"redis://127.0.0.1:{dead}/1", PAGE_CACHE_SECONDS="600")
    for path in ("/th/", "/th/", "/en/", "/sitemap.xml"):
        status, _headers, body, _seconds = server.get(path)
        assert status == 200, (path, body[:500])
    log = server.log.read_text()
    assert log.count("The page cache cannot be reached") == 1, log


def test_a_database_that_cannot_be_reached_gives_503_in_the_readers_language(site):
    dead = _free_port()
    server = site(DATABASE_URL=f"postgres://postgres@127.0.0.1:{dead}/newsroom")
    status, headers, body, _seconds = server.get("/en/")
    assert status == 503
    assert headers["Retry-After"] == "30"
    assert 'lang="en"' in body and "Temporarily unavailable" in body
    status, headers, body, _seconds = server.get("/th/")
    assert status == 503
    assert 'lang="th"' in body and "ไม่พร้อมให้บริการชั่วคราว" in body
    assert "Traceback" not in body
