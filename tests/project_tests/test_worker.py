"""Work that survives: the background worker as it runs (``manage.py db_worker``), killed
in the middle of an import, and cut off from its database."""

import secrets
import sqlite3
import time
import uuid
from pathlib import Path

import psycopg
import pytest

from tests.processes import Relay, Worker, install, manage, site_env, wait_for

ENQUEUE = """
from pathlib import Path
from django.db import transaction
from newsroom.imports.service import import_enqueue
from newsroom.imports.specs import specs
with transaction.atomic():
    record = import_enqueue(spec=specs()["events"], data=Path({path!r}).read_bytes(),
                            file_name="archive.csv", file_format="csv", encoding=None, user=None)
print(record.pk)
"""
FAST = {"WORKER_HEARTBEAT_SECONDS": "1", "WORKER_LEASE_SECONDS": "4"}


def _events_file(folder: Path, rows: int) -> Path:
    path = folder / "archive.csv"
    lines = ["slug,date,title_th,title_en"]
    lines += [f"archive-{n},{1950 + n % 70},เหตุการณ์ที่ {n},Event {n}" for n in range(rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _enqueue(env: dict, path: Path) -> int:
    result = manage(site_env(**env), "shell", "--no-imports", "-c", ENQUEUE.format(path=str(path)))
    return int(result.stdout.split()[-1])


@pytest.fixture
def sqlite_site(tmp_path) -> dict:
    return install(tmp_path)


def _record(database: Path, pk: int) -> tuple[str, int]:
    with sqlite3.connect(database, timeout=30) as db:
        return db.execute(
            "SELECT state, rows_done FROM newsroom_importrecord WHERE id = ?", [pk]
        ).fetchone()


def test_an_import_whose_worker_was_killed_is_run_again_by_the_next_worker(sqlite_site, tmp_path):
    database = Path(sqlite_site["DATABASE_URL"].removeprefix("sqlite:///"))
    pk = _enqueue(sqlite_site, _events_file(tmp_path, 4000))
    env = site_env(**sqlite_site, **FAST)
    first = Worker(env, tmp_path / "worker-1.log")
    try:
        # Its progress is seen while it checks the rows (outside any transaction).
        wait_for(lambda: _record(database, pk)[1] > 0, 120, lambda: first.log.read_text())
        assert _record(database, pk)[0] == "running"
    finally:
        first.kill()  # as the OOM killer or a lost machine would
    assert _record(database, pk)[0] == "running"  # nobody finished it
    second = Worker(env, tmp_path / "worker-2.log")
    try:
        wait_for(lambda: _record(database, pk)[0] == "done", 180, lambda: second.log.read_text())
    finally:
        second.stop()
    assert "lost its worker" in second.log.read_text()
    with sqlite3.connect(database) as db:
        imported = db.execute("SELECT count(*) FROM timeline_event WHERE slug LIKE 'archive-%'")
        assert imported.fetchone()[0] == 4000


@pytest.fixture
def postgres_database():
    """A database of its own on the machine's PostgreSQL, dropped afterwards."""
    name = f"newsroom_worker_{uuid.uuid4().hex[:8]}"
    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as db:
        db.execute(f'CREATE DATABASE "{name}"')
    yield name
    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_the_worker_waits_out_a_database_outage_then_works(postgres_database, tmp_path):
    direct = {
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{postgres_database}",
        "DJANGO_MEDIA_ROOT": str(tmp_path / "media"),
    }
    manage(site_env(**direct), "migrate", "--no-input", "-v0")
    relay = Relay(5432)
    through_relay = {
        **direct,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{relay.port}/{postgres_database}",
    }
    worker = Worker(site_env(**through_relay, **FAST), tmp_path / "worker.log")
    try:
        beats = f"SELECT count(*) FROM newsroom_workerheartbeat -- {secrets.token_hex(2)}"
        with psycopg.connect(f"postgresql://postgres@127.0.0.1:5432/{postgres_database}") as db:
            wait_for(lambda: db.execute(beats).fetchone()[0] > 0, 60, worker.log.read_text)
        relay.cut()  # the database goes away for a while
        time.sleep(6)
        assert worker.alive(), worker.log.read_text()
        relay.restore()
        pk = _enqueue(direct, _events_file(tmp_path, 50))
        done = "SELECT state FROM newsroom_importrecord WHERE id = %s"
        with psycopg.connect(
            f"postgresql://postgres@127.0.0.1:5432/{postgres_database}", autocommit=True
        ) as db:
            wait_for(
                lambda: db.execute(done, [pk]).fetchone()[0] == "done", 90, worker.log.read_text
            )
        assert worker.alive()
        assert "The database failed" in worker.log.read_text()
    finally:
        worker.stop()
        relay.close()
