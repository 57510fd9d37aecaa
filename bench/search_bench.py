"""Search benchmark: precision and recall of the public search on the seed, per database.

What it does
    For each database (``--databases sqlite,postgres``) a scratch database (a new SQLite
    file; PostgreSQL's ``--pg-database``, dropped and created again) is migrated and given
    the seed (``manage.py load_seed``: the two articles' 20 events, 3 sources, 20 people and
    organisations, topics and eras, with the people's and topics' other spellings). Then
    every query of ``QUERIES`` is searched as the search page searches it
    (``timeline.search.search_entries``, every result, not one page) and compared with the
    truth; Latin-script queries on both the Thai and the English page.

The truth: what a reader expects the search to find
    The published items (events, sources, people) whose text, as the page in that language
    covers it, contains what the query means:
    * the text covered: the item's title, summary and body (or full text, role, description)
      in the page's language (the other language's when it has none, as the page shows),
      its other-language titles (names), the names and other spellings of its era, topics
      and people, a source's publisher and author; on the Thai page also its English text
      and the English names of its era, topics and people (so that a Latin-script name
      finds the same items on both pages);
    * matched as a reader reads, over that text lower-cased, with U+0E4C THANTHAKHAT left
      out (writers add or drop it in transliterated names: คูร์สก์ = คูรสก์):
      a Thai word anywhere, inside a longer word too (ทหาร in ทางทหาร); a Latin word as a
      whole word, the last typed one as the start of a word; "a phrase" as those letters
      in a row (Latin: whole words); several parts: all of them;
    * a query that is another spelling of a name (ปูตีน) means that name however written:
      the spellings a query means are listed with it below (``means``), written by hand
      from the articles, not read from the database.
    Precision = found and true / found; recall = found and true / true; overall figures sum
    over the queries (a query expecting nothing that finds nothing counts as exact).

Usage: .venv/bin/python bench/search_bench.py [--databases sqlite,postgres]
       [--pg-database bench_search] [--check] [--verbose]
"""

import argparse
import json
import os
import re
import secrets
import subprocess
import sys
import tempfile
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
POSTGRES = "postgres://postgres@127.0.0.1:5432"
PG_NAME = "bench_search"  # dropped and created again
PG_NOT_OURS = {"postgres", "template0", "template1", "bench_import", "bench_faults", "bench_web"}
PG_NAME_PATTERN = re.compile(r"[a-z_][a-z0-9_]*")
TARGETS = {"recall": 0.97, "precision": 0.95}  # issue 11, item 6
MARKER = "SEARCH-BENCH-JSON "

KURSK = ['"คูรสก์"', '"Kursk"']
PUTIN = ['"ปูติน"', '"ปูตีน"', '"Putin"']
KIM_IL_SUNG = ['"คิม อิลซุง"', '"คิม อิล ซุง"', '"คิมอิลซุง"', '"Kim Il Sung"', '"Kim Il-sung"']
KIM_JONG_UN = ['"คิม จองอึน"', '"คิมจองอึน"', '"คิม จอง อึน"', '"Kim Jong Un"', '"Kim Jong-un"']
ZELENSKY = ['"เซเลนสกี"', '"เซเลนสกี้"', '"Zelensky"', '"Zelenskyy"']
NATO = ['"นาโต"', '"นาโต้"', '"NATO"']
KOREAN_WAR = ['"Korean War"', '"สงครามเกาหลี"']
LAVROV = ['"ลาฟรอฟ"', '"Lavrov"', '"Sergei Lavrov"']
TRUMP = ['"ทรัมป์"', '"Trump"']
SUMMITS = ['"การทูตและการประชุมสุดยอด"', '"Diplomacy and summits"', '"ซัมมิต"', '"ซัมมิท"']


@dataclass
class Case:
    text: str
    kind: str  # what it tests, for the table
    means: list[str] = field(default_factory=list)  # other queries whose truth it shares


QUERIES = [
    # Thai words that stand alone and also sit inside compounds
    Case("ทหาร", "thai compound"),  # ทางทหาร, การทหาร, ทหารเกาหลีเหนือ
    Case("ช่วยเหลือ", "thai compound"),  # ความช่วยเหลือ
    Case("เศรษฐกิจ", "thai compound"),
    Case("ประเทศ", "thai compound"),  # ต่างประเทศ
    Case("โซเวียต", "thai compound"),  # สหภาพโซเวียต
    Case("การประชุมสุดยอด", "thai compound"),  # a topic's name: การทูตและการประชุมสุดยอด
    Case("สงคราม", "thai compound"),
    Case("ผู้นำ", "thai compound"),
    Case("กองทัพ", "thai compound"),
    Case("อาวุธ", "thai compound"),
    Case("กระสุน", "thai compound"),
    Case("จีน", "thai compound"),
    Case("นิวเคลียร์", "thai word"),
    Case("ยูเครน", "thai word"),
    Case("เปียงยาง", "thai word"),
    Case("มอสโก", "thai word"),
    Case("สนธิสัญญา", "thai word"),
    Case("เกาหลีเหนือ", "thai word"),
    Case("ความช่วยเหลือทางทหาร", "thai run"),  # no space typed: one part
    Case("ทหาร เกาหลีเหนือ", "thai all words"),
    Case("รัสเซีย นิวเคลียร์", "thai all words"),
    # Names, as the site writes them and as readers may
    Case("ปูติน", "name", PUTIN),
    Case("ปูตีน", "other spelling", PUTIN),
    Case("คูรสก์", "name", KURSK),
    Case("คูร์สก์", "other spelling", KURSK),
    Case("เคิร์สก์", "other spelling", KURSK),  # no place model holds Kursk's spellings
    Case("คิม อิลซุง", "other spelling", KIM_IL_SUNG),
    Case("คิมอิลซุง", "other spelling", KIM_IL_SUNG),
    Case("คิมจองอึน", "other spelling", KIM_JONG_UN),
    Case("เซเลนสกี้", "other spelling", ZELENSKY),
    Case("นาโต", "other spelling", NATO),
    Case("ลาฟรอฟ", "name", LAVROV),
    Case("ทรัมป์", "name", TRUMP),
    Case("ซัมมิต", "topic other spelling", SUMMITS),
    # Latin script: the same on the Thai and the English page
    Case("Kursk", "latin", KURSK),
    Case("Putin", "latin", PUTIN),
    Case("Kim Jong Un", "latin", KIM_JONG_UN),
    Case("Zelenskyy", "latin other spelling", ZELENSKY),
    Case("Pyongyang", "latin"),
    Case("Lavrov", "latin", LAVROV),
    Case("Soviet", "latin"),
    Case("CSIS", "latin"),
    Case("korea", "latin"),
    # Phrases
    Case('"สหภาพโซเวียต"', "phrase"),
    Case('"คิม จองอึน"', "phrase", KIM_JONG_UN),  # a name: however written
    Case('"ทางทหาร"', "phrase"),
    Case('"North Korea"', "phrase"),
    Case('"Korean War"', "phrase", KOREAN_WAR),  # a topic's name: in either language
    Case('"six-party talks"', "phrase"),
    # Nowhere in the articles
    Case("ทุเรียน", "miss"),
    Case("สตาลิน", "miss"),
    Case("Mangosteen", "miss"),
    Case('"Putin Kursk"', "miss"),
]


# --- The truth ------------------------------------------------------------------------

THAI = re.compile("[\u0e01-\u0e5b]")
QUOTED = re.compile(r'"([^"]*)"?')
TOKEN = re.compile(r"[^\W_][\w\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]*")  # as typed: letters, marks
LETTER = r"[^\W_]"


def fold(text: str) -> str:
    text = unicodedata.normalize("NFC", text).lower().replace("\u0e4c", "").replace("\u200b", "")
    return " ".join(text.split())


def needles(text: str) -> list:
    """The query as (kind, folded text) parts: Thai letters, Latin words, phrases."""
    found, position = [], 0
    for match in QUOTED.finditer(text):
        found += [("word", t) for t in TOKEN.findall(text[position : match.start()])]
        found.append(("phrase", match.group(1)))
        position = match.end()
    found += [("word", t) for t in TOKEN.findall(text[position:])]
    return [(kind, fold(t)) for kind, t in found if fold(t)]


def matches(text: str, query: str) -> bool:
    parts = needles(query)
    for index, (kind, needle) in enumerate(parts):
        if THAI.search(needle):
            if needle not in text:
                return False
            continue
        words = r"\W+".join(map(re.escape, needle.split()))
        last = kind == "word" and index == len(parts) - 1
        end = "" if last else f"(?!{LETTER})"  # the last typed word: its start is enough
        if not re.search(f"(?<!{LETTER}){words}{end}", text):
            return False
    return True


def covered_texts(language: str) -> dict:
    """(kind, id) -> the folded text the page in ``language`` covers, published items only."""
    from newsroom.models import Person, Source
    from timeline.models import Event

    other = "en" if language == "th" else "th"

    def tr(obj, name):
        return getattr(obj, f"{name}_{language}") or getattr(obj, f"{name}_{other}") or ""

    def names(item):
        return [tr(item, "name"), getattr(item, "aliases", ""), *latin(item, "name")]

    def latin(obj, *names):
        return [getattr(obj, f"{n}_en") or "" for n in names] if language == "th" else []

    texts = {}
    events = Event.objects.published().select_related("era").prefetch_related("topics", "people")
    for event in events:
        related = [event.era, *event.topics.all(), *event.people.all()]
        parts = [tr(event, "title"), tr(event, "summary"), tr(event, "body"), event.date]
        parts += [name for item in related if item for name in names(item)]
        parts += [getattr(event, f"title_{other}") or "", *latin(event, "summary", "body")]
        texts[("event", event.pk)] = parts
    for source in Source.objects.published():
        parts = [tr(source, "title"), tr(source, "summary"), source.full_text]
        parts += [source.publisher, source.author, getattr(source, f"title_{other}") or ""]
        texts[("source", source.pk)] = parts + latin(source, "summary")
    for person in Person.objects.all():
        parts = [tr(person, "name"), tr(person, "role"), tr(person, "description")]
        parts += [person.aliases, getattr(person, f"name_{other}") or ""]
        parts += [getattr(person, f"role_{other}") or "", *latin(person, "description")]
        texts[("person", person.pk)] = parts
    return {key: fold("\n".join(part for part in parts if part)) for key, parts in texts.items()}


def truth(texts: dict, case: Case) -> set:
    meant = [case.text, *case.means]
    return {key for key, text in texts.items() if any(matches(text, q) for q in meant)}


# --- One database (a child process: Django set up on that database) --------------------


def pages_of(case: Case) -> list[str]:
    return ["th"] if THAI.search(case.text) else ["th", "en"]


def run_queries() -> dict:
    import django

    django.setup()
    from django.core.management import call_command

    from timeline import search

    call_command("migrate", "--no-input", verbosity=0)
    call_command("load_seed", verbosity=0)
    search.warm_up()
    texts = {language: covered_texts(language) for language in ("th", "en")}
    rows = []
    for case in QUERIES:
        for language in pages_of(case):
            started = time.perf_counter()
            results, _pattern = search.search_entries(
                query=search.Query(text=case.text), language=language
            )
            entries = results[0:None]
            found = [(entry.kind, entry.object_id) for entry in entries]
            whole = sorted((entry.kind, entry.object_id) for entry in entries if entry.whole_words)
            elapsed = time.perf_counter() - started
            rows.append(
                {
                    "query": case.text,
                    "kind": case.kind,
                    "page": language,
                    "found": found,
                    "whole words": whole,
                    "truth": sorted(truth(texts[language], case)),
                    "ms": round(elapsed * 1000, 1),
                }
            )
    events = int(os.environ.get("SEARCH_BENCH_EVENTS") or 0)
    requests = int(os.environ.get("SEARCH_BENCH_REQUESTS") or 20)
    return {"rows": rows, "timing": timed_pages(events, requests) if events else None}


TIMED = {  # the search page, uncached, at scale: against the event page
    "thai, common": "เปียงยาง",
    "thai, inside words": "ทหาร",
    "thai, two words": "ทหาร เปียงยาง",
    "thai, rare": "ทุเรียน",
    "thai, other spelling": "ปูตีน",
    "latin": "Pyongyang",
    "latin phrase": '"North Korea"',
}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def sizes() -> dict[str, int]:
    """MB on disk: the whole database, and the search index's parts."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name")
            rows = cursor.fetchall()
            found = {"database": sum(size for _name, size in rows)}
            found |= {
                name: size
                for name, size in rows
                if name.startswith("timeline_searchentry") and size > 2**20
            }
        else:
            cursor.execute("SELECT pg_database_size(current_database())")
            found = {"database": cursor.fetchone()[0]}
            cursor.execute(
                "SELECT relname, CASE relkind WHEN 'r' THEN pg_table_size(oid)"
                " ELSE pg_relation_size(oid) END FROM pg_class"
                " WHERE relname LIKE 'timeline_searchentry%%' AND relkind IN ('r', 'i')"
            )
            found |= dict(cursor.fetchall())
    return {name: round(size / 2**20) for name, size in found.items()}


def timed_pages(events: int, requests: int) -> dict:
    """``events`` generated events imported (the web bench's rows), the index rebuilt, then
    each page of ``TIMED`` and an event page requested ``requests`` times, uncached."""
    import csv

    import web_bench
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client, override_settings

    from timeline import search
    from timeline.models import Event

    web_bench.references()
    path = Path(tempfile.mkdtemp(prefix="search-bench-")) / "events.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, web_bench.import_bench.COLUMNS)
        writer.writeheader()
        writer.writerows(web_bench.generated_rows(events))
    started = time.perf_counter()
    call_command("import_events", str(path), verbosity=0)
    call_command("rebuild_search_index", verbosity=0)
    loaded = time.perf_counter() - started
    if connection.vendor == "postgresql":  # as autovacuum soon would: the planner's figures
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    path.unlink()
    event = Event.objects.published().order_by("pk")[events // 2]
    urls = {"event page": f"/th/events/{event.slug}/"}
    urls |= {name: f"/th/search/?q={text}" for name, text in TIMED.items()}
    figures = {"events": Event.objects.count(), "load seconds": round(loaded), "sizes": sizes()}
    client = Client()
    from django.conf import settings

    storages = {  # no collectstatic here: plain static URLs
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(PAGE_CACHE_SECONDS=0, STORAGES=storages):
        for name, url in urls.items():
            response = client.get(url)  # warm: the segmenter, the database's cache
            assert response.status_code == 200, (url, response.status_code)
            times = []
            for _request in range(requests):
                started = time.perf_counter()
                client.get(url)
                times.append((time.perf_counter() - started) * 1000)
            count = ""
            if name in TIMED:
                query = search.Query(text=TIMED[name])
                count = search.search_entries(query=query, language="th")[0].count()
            figures[name] = {
                "p50 ms": round(percentile(times, 0.5), 1),
                "p99 ms": round(percentile(times, 0.99), 1),
                "results": count,
            }
    return figures


# --- The parent: databases, figures, the table -----------------------------------------


class BenchError(Exception):
    pass


def database_url(database: str, workdir: Path, pg_name: str) -> str:
    if database == "sqlite":
        return f"sqlite:///{workdir / 'search.sqlite3'}"
    import psycopg

    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)')
        db.execute(f'CREATE DATABASE "{pg_name}"')
    return f"{POSTGRES}/{pg_name}"


def drop_postgres(pg_name: str) -> None:
    import psycopg

    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)')


def bench_database(database: str, workdir: Path, pg_name: str, args) -> dict:
    url = database_url(database, workdir, pg_name)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_DEBUG": "0",
        "DJANGO_HTTPS": "0",
        "DJANGO_LOG_LEVEL": "ERROR",
        "DATABASE_URL": url,
        "DJANGO_ALLOWED_HOSTS": "testserver",
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "bench")]),
        "SEARCH_BENCH_EVENTS": str(args.events),
        "SEARCH_BENCH_REQUESTS": str(args.requests),
        "IMPORT_MAX_BYTES": str(2**34),
    }
    try:
        process = subprocess.run(
            [sys.executable, __file__, "_child"], cwd=ROOT, env=env, capture_output=True, text=True
        )
    finally:
        if database == "postgres":
            drop_postgres(pg_name)
    lines = [line for line in process.stdout.splitlines() if line.startswith(MARKER)]
    if process.returncode or not lines:
        tail = "\n".join((process.stdout + process.stderr).strip().splitlines()[-25:])
        raise BenchError(f"the {database} run failed:\n{tail}")
    return json.loads(lines[-1][len(MARKER) :])


def score(row: dict) -> dict:
    found, true = {tuple(k) for k in row["found"]}, {tuple(k) for k in row["truth"]}
    hits = len(found & true)
    return {
        "hits": hits,
        "found": len(found),
        "true": len(true),
        "precision": hits / len(found) if found else (1.0 if not true else 0.0),
        "recall": hits / len(true) if true else 1.0,
        "missed": sorted(true - found),
        "extra": sorted(found - true),
    }


def overall(rows: list[dict]) -> dict:
    scores = [score(row) for row in rows]
    hits = sum(s["hits"] for s in scores)
    found = sum(s["found"] for s in scores)
    true = sum(s["true"] for s in scores)
    return {
        "queries": len({row["query"] for row in rows}),
        "searches": len(rows),
        "precision": hits / found if found else 1.0,
        "recall": hits / true if true else 1.0,
        "mean precision": sum(s["precision"] for s in scores) / len(scores),
        "mean recall": sum(s["recall"] for s in scores) / len(scores),
        "slowest ms": max(row["ms"] for row in rows),
    }


def report(database: str, rows: list[dict], verbose: bool) -> dict:
    print(f"\n== {database}")
    print(
        f"{'query':<28} {'kind':<22} page {'true':>4} {'found':>5} {'prec':>5} {'rec':>5} {'ms':>6}"
    )
    for row in rows:
        s = score(row)
        flag = "" if s["precision"] == s["recall"] == 1.0 else "  <-"
        print(
            f"{row['query']:<28} {row['kind']:<22} {row['page']:<4} {s['true']:>4} {s['found']:>5}"
            f" {s['precision']:>5.2f} {s['recall']:>5.2f} {row['ms']:>6.1f}{flag}"
        )
        if verbose and flag:
            print(f"{'':<6}missed {s['missed']}  extra {s['extra']}")
    figures = overall(rows)
    print(
        f"{database}: {figures['queries']} queries, {figures['searches']} searches;"
        f" precision {figures['precision']:.3f}, recall {figures['recall']:.3f}"
        f" (per query, mean: {figures['mean precision']:.3f}, {figures['mean recall']:.3f});"
        f" slowest search {figures['slowest ms']:.0f} ms"
    )
    return figures


def report_timing(database: str, timing: dict) -> None:
    print(
        f"\n{database}, {timing['events']} events (loaded in {timing['load seconds']} s), uncached:"
    )
    print("  MB on disk: " + ", ".join(f"{name} {mb}" for name, mb in timing["sizes"].items()))
    event = timing["event page"]["p99 ms"]
    for name, figures in timing.items():
        if isinstance(figures, dict) and "p50 ms" in figures:
            print(
                f"  {name:<22} p50 {figures['p50 ms']:>7.1f} ms  p99 {figures['p99 ms']:>7.1f} ms"
                f"  {figures['p99 ms'] / event:>5.1f}x the event page  {figures['results']} results"
            )


def same_on_both_pages(rows: list[dict]) -> list[str]:
    """Latin-script queries whose Thai and English pages list different items."""
    pages = {}
    for row in rows:
        pages.setdefault(row["query"], {})[row["page"]] = {tuple(k) for k in row["found"]}
    return [
        query for query, found in pages.items() if len(found) == 2 and found["th"] != found["en"]
    ]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--pg-database", default=PG_NAME)
    parser.add_argument("--check", action="store_true", help="exit 1 below the targets")
    parser.add_argument("--verbose", action="store_true", help="list missed and extra items")
    parser.add_argument(
        "--events", type=int, default=0, help="then time searches with N generated events"
    )
    parser.add_argument("--requests", type=int, default=20, help="timed requests per page")
    args = parser.parse_args()
    args.databases = [name.strip() for name in args.databases.split(",") if name.strip()]
    unknown = set(args.databases) - {"sqlite", "postgres"}
    if unknown or not args.databases:
        parser.error(f"--databases: sqlite and/or postgres, not {', '.join(sorted(unknown))}")
    if not PG_NAME_PATTERN.fullmatch(args.pg_database) or args.pg_database in PG_NOT_OURS:
        parser.error(f"--pg-database: a throwaway database's name, not {args.pg_database!r}")
    return args


def main() -> int:
    if sys.argv[1:] == ["_child"]:
        print(MARKER + json.dumps(run_queries(), ensure_ascii=False))
        return 0
    args = parse_args()
    results, failures = {}, []
    with tempfile.TemporaryDirectory(prefix="search-bench-") as workdir:
        for database in args.databases:
            try:
                result = bench_database(database, Path(workdir), args.pg_database, args)
                rows = result["rows"]
            except BenchError as error:
                print(error, file=sys.stderr)
                return 2
            results[database] = rows
            figures = report(database, rows, args.verbose)
            for name, target in TARGETS.items():
                if figures[name] < target:
                    failures.append(f"{database}: {name} {figures[name]:.3f} < {target}")
            if differing := same_on_both_pages(rows):
                print(f"{database}: Thai and English pages differ for {', '.join(differing)}")
            if timing := result["timing"]:
                report_timing(database, timing)
    if len(results) == 2:
        sqlite, postgres = results["sqlite"], results["postgres"]
        differ = [
            a["query"] + " " + a["page"]
            for a, b in zip(sqlite, postgres, strict=True)
            if sorted(a["found"]) != sorted(b["found"]) or a["whole words"] != b["whole words"]
        ]
        if differ:
            failures.append(f"SQLite and PostgreSQL find different items for: {', '.join(differ)}")
        else:
            print(
                "\nSQLite and PostgreSQL find the same items for every query, the same ones"
                " first as whole words (within that, each database's own ranking)."
            )
    for failure in failures:
        print(failure)
    return 1 if failures and args.check else 0


if __name__ == "__main__":
    sys.exit(main())
