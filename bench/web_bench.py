"""Web benchmark: the public pages under gunicorn and wrk, against a bare Django view.

What it does
    A throwaway database (SQLite in a temporary folder, or DATABASE_URL if given) is
    migrated and given the seed (20 events) and 1,000 more published events, generated
    as the import bench does (realistic Thai and English text) and imported with
    ``manage.py import_events``; then collectstatic. One gunicorn serves the site with
    the project's settings plus one URL, /bare/ (bench/bare_settings.py): a view returning
    a fixed short response. wrk drives each URL in turn over the loopback, once every
    worker has answered it (X-Worker-Pid, bench/bare_urls.py): none renders cold in a run.

How to read it
    Requests per second and p50/p99 latency per URL, and the ratio of the Thai timeline's
    requests per second to the bare view's (target: 0.5 or more). The machine may be
    shared: compare ratios, not absolute figures. Any error response or socket error makes
    the bench exit non-zero. The figures go to bench/out/web-<timestamp>.json.

Usage: .venv/bin/python bench/web_bench.py [--workers 2] [--seconds 10] [--events 1000]
       [--keep]   (CACHE_URL=redis://127.0.0.1:6379/8 to use Redis; DATABASE_URL=...)
"""

import argparse
import csv
import json
import os
import platform
import random
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

import import_bench

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
TARGET = 0.5
THAI_WORD = "เปียงยาง"  # in many generated titles and summaries
# Every browser sends it; the same header goes with every URL, the bare view's too.
ACCEPT_GZIP = "Accept-Encoding: gzip, deflate, br"
WRK_LINE = {
    "rps": re.compile(r"Requests/sec:\s+([\d.]+)"),
    "requests": re.compile(r"(\d+) requests in"),
    "non_2xx": re.compile(r"Non-2xx or 3xx responses:\s+(\d+)"),
    "socket_errors": re.compile(r"Socket errors:(.*)"),
}
LATENCY = re.compile(r"^\s+(50|99)(?:\.0+)?%\s+([\d.]+)(us|ms|s)\s*$", re.MULTILINE)
UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


class BenchError(Exception):
    pass


def run(args, env):
    process = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True)
    if process.returncode:
        tail = "\n".join((process.stdout + process.stderr).strip().splitlines()[-25:])
        raise BenchError(f"{' '.join(map(str, args))} exited with {process.returncode}:\n{tail}")
    return process


def manage(env, *args):
    return run([sys.executable, "manage.py", *args], env)


def bench_env(workdir: Path) -> dict:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bare_settings",
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "bench")]),
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_DEBUG": "0",
        "DJANGO_HTTPS": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_STATIC_ROOT": str(workdir / "static"),
        "DJANGO_MEDIA_ROOT": str(workdir / "media"),
        "DJANGO_LOG_LEVEL": "ERROR",
    }
    env.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'web.sqlite3'}")
    return env


def events_file(workdir: Path, count: int) -> tuple[Path, str]:
    """``count`` generated events, all published; and the slug of one of them."""
    rng = random.Random(import_bench.SEED)
    rows = [{**import_bench.event_row(rng, n + 1), "status": "published"} for n in range(count)]
    path = workdir / "events.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, import_bench.COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return path, rows[len(rows) // 2]["slug"]


def prepare(env, workdir: Path, count: int) -> str:
    """The database and the static files; returns an event's slug."""
    print(f"Preparing {env['DATABASE_URL']} with the seed and {count:,} events...")
    manage(env, "migrate", "--no-input", "-v0")
    manage(env, "load_seed", "--force")
    run([sys.executable, __file__, "_references"], env)
    path, slug = events_file(workdir, count)
    manage(env, "import_events", str(path))
    manage(env, "collectstatic", "--no-input", "-v0")
    return slug


def references() -> None:
    """The eras, topics, people and sources the generated rows name (the seed has some)."""
    import django

    django.setup()
    from newsroom.models import Person, Source
    from timeline.models import Era, Topic

    def label(slug):
        return slug.replace("-", " ").capitalize()

    for slug, name_th, name_en, start, end in import_bench.ERAS:
        defaults = {"name_th": name_th, "name_en": name_en, "start_year": start, "end_year": end}
        Era.objects.get_or_create(slug=slug, defaults=defaults)
    for model, slugs in ((Topic, import_bench.TOPICS), (Person, import_bench.PEOPLE)):
        rows = [model(slug=s, name_th=label(s), name_en=label(s)) for s in slugs]
        model.objects.bulk_create(rows, ignore_conflicts=True)
    sources = [
        Source(slug=s, title_th=label(s), title_en=label(s), status="published")
        for s in import_bench.SOURCES
    ]
    Source.objects.bulk_create(sources, ignore_conflicts=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(env, workers: int, port: int) -> subprocess.Popen:
    args = [
        str(Path(sys.executable).with_name("gunicorn")),
        "newsroom.wsgi:application",
        f"--workers={workers}",
        f"--bind=127.0.0.1:{port}",
        "--log-level=warning",
    ]
    log = (Path(env["DJANGO_MEDIA_ROOT"]).parent / "gunicorn.log").open("w")
    server = subprocess.Popen(args, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/bare/", timeout=10).read()
                return server
            except OSError:  # not listening yet, or still starting its workers
                time.sleep(0.2)
    except BaseException:
        stop(server)
        raise
    stop(server)
    raise BenchError(f"gunicorn did not answer within a minute; see {log.name}")


def stop(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def status_of(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def wrk(url: str, seconds: int) -> dict:
    """wrk's figures for ``url``: requests/s, p50 and p99 in ms, error counts."""
    args = ["wrk", "-t2", "-c10", f"-d{seconds}s", "--latency", "-H", ACCEPT_GZIP, url]
    output = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    found = {name: pattern.search(output) for name, pattern in WRK_LINE.items()}
    latency = {f"p{p}_ms": float(v) * UNIT_MS[unit] for p, v, unit in LATENCY.findall(output)}
    socket_errors = found["socket_errors"]
    return {
        "rps": float(found["rps"][1]),
        "requests": int(found["requests"][1]),
        **latency,
        "non_2xx": int(found["non_2xx"][1]) if found["non_2xx"] else 0,
        "socket_errors": sum(map(int, re.findall(r"\d+", socket_errors[1])))
        if socket_errors
        else 0,
    }


def pages(slug: str) -> dict[str, str]:
    return {
        "bare view": "/bare/",
        "timeline /th/": "/th/",
        "event page": f"/th/events/{slug}/",
        "search": "/th/search/?q=" + urllib.parse.quote(THAI_WORD),
    }


def worker_of(url: str) -> int:
    """The pid of the worker that answered ``url`` (bench/bare_urls.py's header)."""
    name, value = ACCEPT_GZIP.split(": ")  # the variant wrk asks for is the one stored
    request = urllib.request.Request(url, headers={name: value})
    with urllib.request.urlopen(request, timeout=60) as response:
        response.read()
        return int(response.headers["X-Worker-Pid"])


def warm(url: str, workers: int, seconds: int = 180) -> list[int]:
    """Requests ``url`` over several connections at once until every worker has answered it:
    each has rendered and stored the page before wrk counts (a cold render is slow)."""
    answered: set[int] = set()
    deadline = time.monotonic() + seconds
    with ThreadPoolExecutor(max_workers=2 * workers) as pool:
        while len(answered) < workers:
            if time.monotonic() > deadline:
                raise BenchError(f"{len(answered)} of {workers} workers answered {url}")
            answered.update(pool.map(worker_of, [url] * 4 * workers))
    return sorted(answered)


def measure(base: str, slug: str, seconds: int, workers: int) -> dict[str, dict]:
    results = {}
    for name, path in pages(slug).items():
        status = status_of(base + path)
        if status != 200:
            print(f"  {name}: {path} answers {status}; not measured")
            results[name] = {"path": path, "missing": True, "status": status}
            continue
        warmed = warm(base + path, workers)
        wrk(base + path, 2)  # not counted either: connections and caches in their stride
        print(f"  {name}: {len(warmed)} workers warmed; wrk {seconds}s on {path}")
        results[name] = {"path": path, "warmed_workers": warmed, **wrk(base + path, seconds)}
    return results


def report(results: dict[str, dict]) -> float | None:
    print(f"\n{'page':<16}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'errors':>8}  path")
    for name, r in results.items():
        if r.get("missing"):
            print(f"{name:<16}{'missing':>10}{'':>28}  {r['path']} ({r['status']})")
            continue
        errors = r["non_2xx"] + r["socket_errors"]
        print(
            f"{name:<16}{r['rps']:>10.0f}{r['p50_ms']:>10.2f}{r['p99_ms']:>10.2f}{errors:>8}  "
            f"{r['path']}"
        )
    bare, timeline = results["bare view"], results["timeline /th/"]
    if bare.get("missing") or timeline.get("missing"):
        return None
    ratio = timeline["rps"] / bare["rps"]
    verdict = "met" if ratio >= TARGET else "NOT met"
    print(
        f"\ntimeline / bare view: {ratio:.2f} of the bare view's req/s (target {TARGET}: {verdict})"
    )
    for name in ("event page", "search"):
        if not results[name].get("missing"):
            print(f"{name} / bare view: {results[name]['rps'] / bare['rps']:.2f}")
    return ratio


def save(figures: dict) -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"web-{datetime.now():%Y%m%d-%H%M%S}.json"
    path.write_text(json.dumps(figures, indent=2, ensure_ascii=False))
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--seconds", type=int, default=10, help="wrk run per page (default 10)")
    parser.add_argument("--events", type=int, default=1000, help="generated events (1000)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise BenchError("wrk is not installed (make bench-web installs it)")
    workdir = Path(tempfile.mkdtemp(prefix="web-bench-"))
    env = bench_env(workdir)
    try:
        slug = prepare(env, workdir, args.events)
        port = free_port()
        server = start_gunicorn(env, args.workers, port)
        try:
            print(
                f"gunicorn, {args.workers} workers, 127.0.0.1:{port}; wrk -t2 -c10 '{ACCEPT_GZIP}'"
            )
            results = measure(f"http://127.0.0.1:{port}", slug, args.seconds, args.workers)
        finally:
            stop(server)
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    ratio = report(results)
    figures = {
        "when": datetime.now().isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
        "database": env["DATABASE_URL"].split(":", 1)[0],
        "cache": os.environ.get("CACHE_URL", "locmemcache:// (default)"),
        "workers": args.workers,
        "seconds": args.seconds,
        "events": args.events,
        "pages": results,
        "timeline_to_bare": ratio,
        "target": TARGET,
    }
    print(f"Figures written to {save(figures).relative_to(ROOT)}")
    errors = sum(r.get("non_2xx", 0) + r.get("socket_errors", 0) for r in results.values())
    return 1 if errors or ratio is None else 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["_references"]:
        sys.path.insert(0, str(ROOT))
        references()
    else:
        try:
            sys.exit(main())
        except BenchError as error:
            sys.exit(f"web bench: {error}")
