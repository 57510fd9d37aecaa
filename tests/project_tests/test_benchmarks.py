"""`make bench-web` and `make bench-import`, tiny runs through make with BENCH_ARGS.

The web bench needs wrk (make bench-web installs it); the import bench PostgreSQL on
127.0.0.1:5432, user postgres, as .ci/run starts it.
"""

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PSQL = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-Atc"]

pytestmark = pytest.mark.slow


def make(*args: str) -> subprocess.CompletedProcess:
    # The benches' own databases and cache, whatever this test run uses.
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("MAKE") and key not in {"DATABASE_URL", "CACHE_URL"}
    }
    return subprocess.run(
        ["make", "--no-print-directory", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )


def figures_of(process: subprocess.CompletedProcess) -> dict:
    """The JSON the bench wrote, removed from bench/out (a test's run is no measure)."""
    path = ROOT / re.search(r"Figures written to (\S+)", process.stdout)[1]
    figures = json.loads(path.read_text())
    path.unlink()
    return figures


def psql(query: str) -> str:
    process = subprocess.run([*PSQL, query], capture_output=True, text=True)
    if process.returncode:
        pytest.fail(f"PostgreSQL on 127.0.0.1:5432 (user postgres) is needed: {process.stderr}")
    return process.stdout.strip()


def test_bench_web_warms_every_worker_before_it_measures():
    args = "BENCH_ARGS=--sizes 10 --seconds 1 --requests 5 --budget 1"
    process = make("bench-web", "WORKERS=3", args)
    assert process.returncode == 0, process.stdout + process.stderr
    figures = figures_of(process)["databases"]["sqlite"]["10"]
    assert set(figures["cached"]) == set(figures["uncached"])
    assert {"bare view", "timeline th", "event th", "search th"} <= set(figures["cached"])
    for page in figures["cached"].values():
        assert len(set(page["warmed_workers"])) == 3, page
    for page in figures["uncached"].values():
        assert page["median_ms"] <= page["p99_ms"] and page["html_bytes"] > 0, page
    assert figures["uncached"]["bare view"]["queries"] == 0
    assert figures["uncached"]["event th"]["queries"] > 0
    assert set(figures["after_edit"]) == {"event th", "sources"}
    assert figures["index_seconds"] >= 0  # the worker indexed the import before the searches
    assert figures["checks"], "the issue's targets are checked"


def test_bench_import_takes_the_postgresql_database_it_may_drop():
    name = f"bench_import_test_{os.getpid()}"
    args = f"--databases postgres --pg-database {name} --baseline-rows 10 --keep"
    process = None
    try:
        process = make("bench-import", "ROWS=20", f"BENCH_ARGS={args}")
        assert process.returncode == 0, process.stdout + process.stderr
        assert figures_of(process)["pg_database"] == name
        assert f"the database {name}, dropped and created again" in process.stderr
        # Kept (--keep) where it was told to work; bench_import, which another run may be
        # using on this machine, is not looked at (it is not this run's to touch).
        assert psql(f"SELECT count(*) FROM pg_database WHERE datname = '{name}'") == "1"
    finally:
        subprocess.run([*PSQL, f"DROP DATABASE IF EXISTS {name}"], capture_output=True)
        if process and (kept := re.search(r"Kept (\S+)", process.stderr)):
            shutil.rmtree(kept[1], ignore_errors=True)


def test_the_page_profile_splits_an_event_page_into_its_steps(tmp_path):
    """bench/page_profile.py on a small site, as its docstring says to run it."""
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CACHE_URL"}},
        "DATABASE_URL": f"sqlite:///{tmp_path / 'site.sqlite3'}",
        "DJANGO_STATIC_ROOT": str(tmp_path / "static"),
        "DJANGO_SECRET_KEY": "page-profile-test",
    }
    python = str(ROOT / ".venv" / "bin" / "python")

    def run(*args: str) -> subprocess.CompletedProcess:
        process = subprocess.run(
            [python, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
        )
        assert process.returncode == 0, process.stdout + process.stderr
        return process

    for command in (
        ["migrate", "-v0"],
        ["load_seed", "--force"],
        ["collectstatic", "-v0", "--no-input"],
    ):
        run("manage.py", *command)
    slug = "korean-war-with-soviet-backing"  # a seed event
    out = run("bench/page_profile.py", f"/en/events/{slug}/", "--requests", "3").stdout
    assert re.search(r"median [\d.]+ ms \([\d.]+x the bare view's [\d.]+ ms\)", out), out
    assert re.search(r"\b(\d+) SQL queries", out) and "0 SQL queries" not in out, out
    for step in ("the event and what it shows of it", "previous and next", "the template"):
        assert re.search(rf"{step}\s+[\d.]+ ms", out), out
    search = run("bench/page_profile.py", "/en/search/?q=Korea", "--requests", "3").stdout
    for step in ("the query read", "the entries found", "their items and snippets"):
        assert re.search(rf"search: {step}\s+[\d.]+ ms", search), search
