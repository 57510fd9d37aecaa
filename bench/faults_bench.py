"""Fault benchmark: readers under load while things go wrong, on SQLite and PostgreSQL.

What it does
    For each database, a throwaway site (migrated, the seed, collectstatic; PostgreSQL's
    database is ``--pg-database``, dropped and made again) is served by gunicorn (2 workers)
    and wrk drives a mix of public pages over the loopback (timeline, event pages, sources,
    the sitemap and searches, which are never cached) for ``--seconds``, in three scenarios:

    import    ``manage.py import_events`` of ``--rows`` generated events runs from the
              start (a long write: on SQLite, the write lock held for minutes);
    database  the connection to the database is cut (a TCP relay the site talks through)
              for ``--outage`` seconds from a quarter of the run;
    cache     the same with Redis (the site's CACHE_URL goes through a relay).

How to read it
    Per scenario: requests, responses by status, socket errors, and whether the import
    wrote all of its rows or none (``whole``). The target: no 500 at all; 503 only while
    the database is away. Exits non-zero if a 500 was seen. Figures go to
    bench/out/faults-<timestamp>.json.

Usage: .venv/bin/python bench/faults_bench.py [--databases sqlite,postgres] [--seconds 60]
       [--outage 15] [--rows 150000] [--pg-database bench_faults] [--keep]
"""

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import import_bench  # noqa: E402

from tests.processes import Process, Relay, Server, manage, site_env  # noqa: E402

OUT = ROOT / "bench" / "out"
POSTGRES = "postgresql://postgres@127.0.0.1:5432"
STATUS_SCRIPT = """
local paths = {%(paths)s}
local threads = {}
local i = 0
function setup(thread) table.insert(threads, thread) end
function init(args) counts = {} end
function request()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1], {["Accept-Encoding"] = "gzip"})
end
function response(status, headers, body) counts[status] = (counts[status] or 0) + 1 end
function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("counts")) do total[status] = (total[status] or 0) + n end
  end
  for status, n in pairs(total) do io.write(string.format("STATUS %%d %%d\\n", status, n)) end
  io.write(string.format("ERRORS %%d\\n", summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout))
end
"""


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--outage", type=int, default=15)
    parser.add_argument("--rows", type=int, default=150_000)
    parser.add_argument("--pg-database", default="bench_faults")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--keep", action="store_true")
    return parser.parse_args()


def paths(slugs: list[str]) -> list[str]:
    pages = ["/th/", "/en/", "/th/sources/", "/sitemap.xml"]
    pages += [f"/{lang}/events/{slug}/" for slug in slugs for lang in ("th", "en")]
    pages += ["/th/search/?q=%E0%B8%9B%E0%B8%B9%E0%B8%95%E0%B8%B4%E0%B8%99", "/en/search/?q=Kursk"]
    return pages


def wrk(base: str, pages: list[str], seconds: int, connections: int, workdir: Path) -> dict:
    script = workdir / "statuses.lua"
    script.write_text(STATUS_SCRIPT % {"paths": ", ".join(json.dumps(p) for p in pages)})
    args = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s"]
    output = subprocess.run(
        [*args, "-s", str(script), base], capture_output=True, text=True, check=True
    ).stdout
    statuses = {}
    errors = 0
    for line in output.splitlines():
        if line.startswith("STATUS "):
            _word, status, count = line.split()
            statuses[int(status)] = int(count)
        elif line.startswith("ERRORS "):
            errors = int(line.split()[1])
    return {"requests": sum(statuses.values()), "statuses": statuses, "socket_errors": errors}


SLUGS = (
    "from timeline.models import Event; "
    "print(*Event.objects.published().values_list('slug', flat=True))"
)
REFERENCES = "import sys; sys.path.insert(0, 'bench'); import web_bench; web_bench.references()"
COUNT = "from timeline.models import Event; print(Event.objects.count())"


def prepare(env: dict, workdir: Path) -> list[str]:
    """The site as an install makes it, plus the eras the generated rows name."""
    manage(env, "migrate", "--no-input", "-v0")
    manage(env, "load_seed", "--force")
    manage(env, "shell", "--no-imports", "-c", REFERENCES)
    manage(env, "collectstatic", "--no-input", "-v0")
    return manage(env, "shell", "--no-imports", "-c", SLUGS).stdout.split()[:8]


def events_file(workdir: Path, rows: int) -> Path:
    path = workdir / "events.csv"
    if not path.exists():
        print(f"  writing {rows:,} generated events ...", flush=True)
        files = import_bench.write_files(workdir, rows, 1, plain=True)
        files["create"].rename(path)
    return path


def events(env: dict) -> int:
    return int(manage(env, "shell", "--no-imports", "-c", COUNT).stdout.split()[-1])


def scenario_import(env, base, pages, args, workdir) -> dict:
    """Last of the scenarios: the site keeps the rows."""
    path = events_file(workdir, args.rows)
    before = events(env)
    log = workdir / "import.log"
    importer = Process([sys.executable, "manage.py", "import_events", str(path)], env, log)
    try:
        figures = wrk(base, pages, args.seconds, args.connections, workdir)
    finally:
        print("  waiting for the import to end ...", flush=True)
        importer.process.wait()
    written = events(env) - before
    figures["import_exit"] = importer.process.returncode
    figures["rows_written"] = written
    figures["whole"] = written == (args.rows if importer.process.returncode == 0 else 0)
    return figures


def scenario_outage(relay: Relay, base, pages, args, workdir) -> dict:
    def cut_then_restore():
        time.sleep(args.seconds / 4)
        relay.cut()
        time.sleep(args.outage)
        relay.restore()

    thread = threading.Thread(target=cut_then_restore, daemon=True)
    thread.start()
    figures = wrk(base, pages, args.seconds, args.connections, workdir)
    thread.join()
    return figures


def bench_database(database: str, args, workdir: Path) -> dict:
    results = {}
    folder = workdir / database
    folder.mkdir()
    redis_relay = Relay(6379)
    own = {
        "DJANGO_STATIC_ROOT": str(folder / "static"),
        "DJANGO_MEDIA_ROOT": str(folder / "media"),
        "DJANGO_LOG_LEVEL": "ERROR",
        "IMPORT_MAX_BYTES": str(16 * 1024**3),
        "IMPORT_MAX_ROWS": str(max(args.rows, 500_000)),
        "CACHE_URL": f"redis://127.0.0.1:{redis_relay.port}/9",
    }
    db_relay = None
    if database == "postgres":
        with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{args.pg_database}" WITH (FORCE)')
            db.execute(f'CREATE DATABASE "{args.pg_database}"')
        db_relay = Relay(5432)
        direct = f"postgres://postgres@127.0.0.1:5432/{args.pg_database}"
        served = f"postgres://postgres@127.0.0.1:{db_relay.port}/{args.pg_database}"
    else:
        direct = served = f"sqlite:///{folder / 'db.sqlite3'}"
    env = site_env(**own, DATABASE_URL=direct)
    print(f"{database}: preparing the site ...", flush=True)
    pages = paths(prepare(env, folder))
    server = Server(site_env(**own, DATABASE_URL=served), folder / "gunicorn.log", workers=2)
    for page in pages * 4:  # every worker's first renders (the Thai word list) before the load
        server.get(page)
    base = f"http://127.0.0.1:{server.port}"
    try:
        scenarios = {}
        if db_relay:
            scenarios["database"] = lambda: scenario_outage(db_relay, base, pages, args, folder)
        scenarios["cache"] = lambda: scenario_outage(redis_relay, base, pages, args, folder)
        scenarios["import"] = lambda: scenario_import(env, base, pages, args, folder)
        for name, run in scenarios.items():
            print(f"{database}: {name} ({args.seconds} s of load) ...", flush=True)
            results[name] = run()
            print(f"  {results[name]}", flush=True)
    finally:
        server.stop()
        redis_relay.close()
        if db_relay:
            db_relay.close()
    return results


def print_table(report: dict) -> None:
    print()
    print(
        f"{'database':10} {'scenario':9} {'requests':>9} {'2xx/3xx':>8} {'4xx':>5} "
        f"{'500':>5} {'503':>5} {'other':>5} {'sockets':>7}  import"
    )
    for database, results in report["results"].items():
        for name, figures in results.items():
            statuses = figures["statuses"]
            ok = sum(n for s, n in statuses.items() if s < 400)
            client = sum(n for s, n in statuses.items() if 400 <= s < 500)
            other = sum(n for s, n in statuses.items() if s >= 500 and s not in (500, 503))
            written = ""
            if "rows_written" in figures:
                written = f"{figures['rows_written']:,} rows, " + (
                    "whole" if figures["whole"] else "HALF-WRITTEN"
                )
            print(
                f"{database:10} {name:9} {figures['requests']:>9,} {ok:>8,} {client:>5} "
                f"{statuses.get(500, 0):>5} {statuses.get(503, 0):>5} {other:>5} "
                f"{figures['socket_errors']:>7}  {written}"
            )


def main() -> int:
    args = parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="faults-bench-"))
    report = {
        "when": datetime.now().isoformat(timespec="seconds"),
        "args": vars(args),
        "results": {},
    }
    random.seed(import_bench.SEED)
    try:
        for database in args.databases.split(","):
            report["results"][database] = bench_database(database, args, workdir)
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
        else:
            print(f"Kept {workdir}")
    print_table(report)
    OUT.mkdir(exist_ok=True)
    out = OUT / f"faults-{datetime.now():%Y%m%d-%H%M%S}.json"
    out.write_text(json.dumps(report, indent=2, default=str))
    print(f"\nWritten to {out}")
    failures = [
        (database, name)
        for database, results in report["results"].items()
        for name, figures in results.items()
        if figures["statuses"].get(500) or not figures.get("whole", True)
    ]
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
