"""Import benchmark: our ``import_events`` against django-import-export's defaults.

What it measures
    N generated events (realistic Thai and English text, EDTF dates, era, topic, person
    and source slugs; 2% carry the PDF artifact "ํา") are imported into an empty
    database (create pass), then a modified copy of the file is imported over them
    (update pass: every English title changes, about half of the Thai summaries), on
    SQLite and on PostgreSQL. Each import runs in its own process: the figures are rows
    per second and that process's peak resident memory.

The baseline
    On a fresh database, the first --baseline-rows rows of the same two files go through
    a default ``ModelResource`` (contract fields, ``import_id_fields = ("slug",)``, era,
    topics, people and sources by slug, nothing tuned) with ``import_data(dry_run=False)``.

How to read it
    ratio = our rows/s divided by the baseline's rows/s, per database and pass; the
    target is 15x. Django's start-up is not counted: our time is the command's own
    "in X.XXs" when its summary line has one, else wall time minus a ``manage.py check``
    run; the baseline is timed inside its process, from reading the file to the end.
    "wall s" is each process's wall clock minus that start-up, for both: the end-to-end
    view (ours then includes opening and sniffing the file, which its own time leaves out).
    Peak memory includes start-up; run two sizes to see whether it grows with the file.
    After each pass the database is compared with the file (events, English titles,
    cleaned Thai summaries, no "ํา" left): "check" says "ok" or what is wrong.

Usage: .venv/bin/python bench/import_bench.py [--rows 50000] [--baseline-rows N]
       [--databases sqlite,postgres] [--pg-database bench_import] [--keep] [--plain]
"""

import argparse
import csv
import json
import os
import platform
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
COLUMNS = [
    "slug",
    "date",
    "display_date_th",
    "display_date_en",
    "title_th",
    "title_en",
    "summary_th",
    "summary_en",
    "body_th",
    "body_en",
    "era",
    "topics",
    "people",
    "sources",
    "status",
]
PASSES = ("create", "update")
TARGET = 15
# The default's rows/s on this machine as IMPORT_EXPORT.md and the issue give them: measured
# with short text and no many-to-many columns, so the bench's own baseline is slower.
DOCUMENTED = {"create": 370, "update": 250}
SEED = 1950
ARTIFACT = "\u0e4d\u0e32"  # NIKHAHIT + SARA AA: what PDF extraction gives for SARA AM
SARA_AM = "\u0e33"
PG_ARGS = ["-h", "127.0.0.1", "-U", "postgres"]
PG_NAME = "bench_import"  # the default of --pg-database: dropped and created again
PG_NAME_PATTERN = re.compile(r"[a-z_][a-z0-9_]*")
# Runs a command, then writes the peak resident memory of that command (KiB) to a file.
LAUNCHER = (
    "import resource, subprocess, sys\n"
    "code = subprocess.call(sys.argv[2:])\n"
    "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
    "open(sys.argv[1], 'w').write(str(peak))\n"
    "sys.exit(code)\n"
)
SUMMARY_LINE = re.compile(r"^.*\bcreated\b.*$", re.IGNORECASE | re.MULTILINE)
ELAPSED = re.compile(r"\bin (\d+(?:\.\d+)?) ?s(?:ec(?:onds)?)?\b")

THAI_PHRASES = [
    "ประธานาธิบดีวลาดิมีร์ ปูติน",
    "ผู้นำเกาหลีเหนือ คิม จองอึน",
    "เดินทางเยือนกรุงเปียงยาง",
    "ลงนามสนธิสัญญาหุ้นส่วนยุทธศาสตร์",
    "กระทรวงการต่างประเทศรัสเซีย",
    "ทหารเกาหลีเหนือหลายพันนาย",
    "ถูกส่งไปยังภูมิภาคคูร์สก์",
    "สงครามในยูเครนยืดเยื้อ",
    "กระสุนปืนใหญ่จำนวนมาก",
    "ขีปนาวุธพิสัยใกล้",
    "คณะมนตรีความมั่นคงแห่งสหประชาชาติ",
    "มาตรการคว่ำบาตรทางเศรษฐกิจ",
    "ความร่วมมือทางทหารที่ใกล้ชิดยิ่งขึ้น",
    "ผู้นำทั้งสองประเทศหารือกัน",
    "ณ ท่าอวกาศยานวอสโตชนี",
    "สหภาพโซเวียตให้การสนับสนุน",
    "หลังการล่มสลายของสหภาพโซเวียต",
    "สงครามเกาหลีปี 1950",
    "โครงการนิวเคลียร์ของเกาหลีเหนือ",
    "นักวิเคราะห์ด้านความมั่นคง",
    "ระบุว่าเป็นความสัมพันธ์ที่สำคัญ",
    "สำนักข่าวกลางเกาหลี (KCNA)",
    "รายงานอ้างแหล่งข่าวกรองเกาหลีใต้",
    "รัฐบาลกรุงโซลแสดงความกังวล",
    "กำลังพลและยุทโธปกรณ์",
    "การซ้อมรบร่วมกันครั้งแรก",
    "ผู้นำสูงสุดแห่งพรรคแรงงานเกาหลี",
    "ทำเนียบเครมลินออกแถลงการณ์",
    "เส้นทางรถไฟข้ามไซบีเรีย",
    "น้ำมันและอาหารจากรัสเซีย",
    "ความช่วยเหลือด้านเทคโนโลยีอวกาศ",
    "ดาวเทียมสอดแนมทางทหาร",
    "เจ้าหน้าที่ระดับสูงของทั้งสองฝ่าย",
    "ตามรายงานของสำนักข่าวรอยเตอร์",
    "การประชุมสุดยอดที่เมืองวลาดีวอสตอค",
    "ประณามการกระทำดังกล่าว",
    "สหรัฐอเมริกาและพันธมิตร",
    "องค์การนาโตจับตาอย่างใกล้ชิด",
    "การค้าชายแดนผ่านแม่น้ำทูเมน",
    "แรงงานเกาหลีเหนือในรัสเซีย",
    "ข้อตกลงป้องกันร่วมกัน",
    "กำหนดการเยือนอย่างเป็นทางการ",
    "ภายใต้การนำของคิม อิลซุง",
    "นโยบายระยะห่างเท่า ๆ กัน",
    "ระหว่างมอสโกและปักกิ่ง",
    "ในช่วงสงครามเย็น",
    "เซอร์เกย์ ลาฟรอฟ รัฐมนตรีต่างประเทศ",
    "ชเว ซอนฮี รัฐมนตรีต่างประเทศ",
    "ยืนยันการสนับสนุนอย่างเต็มที่",
    "ปฏิเสธข้อกล่าวหาทั้งหมด",
    "ภาพถ่ายดาวเทียมแสดงให้เห็น",
    "ขบวนรถไฟหุ้มเกราะ",
    "การฟื้นฟูความสัมพันธ์ทางการทูต",
    "ตลอดหลายทศวรรษที่ผ่านมา",
    "ทำให้สถานการณ์ตึงเครียดมากขึ้น",
    "ในคาบสมุทรเกาหลี",
    "ความมั่นคงในภูมิภาคเอเชียตะวันออก",
    "ผู้สังเกตการณ์ต่างชาติ",
    "จำนวนผู้เสียชีวิตและบาดเจ็บ",
    "คำแถลงร่วมของทั้งสองประเทศ",
    "ทำข้อตกลงแลกเปลี่ยนอาวุธ",
]

ENGLISH_PHRASES = [
    "Putin hosts Kim Jong Un in the Russian Far East",
    "Kim Jong Un arrives in Vladivostok by armoured train",
    "the two leaders sign a strategic partnership",
    "Moscow and Pyongyang pledge mutual military aid",
    "North Korean troops are deployed to the Kursk region",
    "Seoul says thousands of soldiers have been sent",
    "millions of artillery shells cross the border by rail",
    "short-range ballistic missiles strike Ukrainian cities",
    "the UN panel of experts is disbanded",
    "Russia vetoes the renewal of sanctions monitoring",
    "the Kremlin denies any arms deal",
    "Pyongyang calls the reports absurd",
    "analysts see the closest ties since the Cold War",
    "the Soviet Union installs Kim Il Sung in Pyongyang",
    "Stalin approves the invasion of the South",
    "the Korean War ends in an armistice, not a peace",
    "Soviet aid keeps the North Korean economy afloat",
    "Kim Il Sung balances between Moscow and Beijing",
    "Gorbachev recognises South Korea",
    "aid collapses with the Soviet Union",
    "famine strikes North Korea in the 1990s",
    "Putin visits Pyongyang for the first time",
    "Russia writes off most of the Soviet-era debt",
    "a railway link reopens from Khasan to Rajin",
    "North Korean workers return to Russian building sites",
    "satellite images show ships loading at Rajin",
    "the foreign ministers meet in Moscow",
    "Sergei Lavrov praises an invincible friendship",
    "Choe Son-hui calls Russia a steadfast ally",
    "the United States and its allies condemn the deal",
    "NATO warns of a widening war",
    "Ukraine captures two North Korean soldiers",
    "South Korea considers sending weapons to Kyiv",
    "Japan raises the alarm over missile technology",
    "China keeps its distance from the alliance",
    "Russia may share space and submarine technology",
    "a spy satellite reaches orbit after two failures",
    "the treaty enters into force after ratification",
    "state media publish photographs of the summit",
    "the leaders exchange gifts, including a limousine",
    "oil deliveries exceed the cap set by the UN",
    "border trade across the Tumen River resumes",
    "defence ministers inspect a munitions factory",
    "Kim Yo Jong warns Seoul against leaflets",
    "the Workers' Party marks its anniversary",
    "Moscow trains North Korean drone operators",
    "losses among North Korean units are heavy",
    "Kyiv publishes interrogations of prisoners",
    "Pyongyang confirms its troops fought in Kursk",
    "a memorial to fallen soldiers is planned",
    "Russian tourists return to Wonsan",
    "a road bridge over the Tumen River is being built",
    "the sanctions regime is eroding",
    "experts at CSIS and 38 North examine the evidence",
    "the Stimson Center counts shipments by rail",
    "intelligence officials brief lawmakers in Seoul",
    "the alliance revives a 1961 treaty",
    "the Soviet army leaves the North in 1948",
    "North Korea tests an intercontinental missile",
    "the talks turn to energy, food and weapons",
]

# Slug, Thai name, English name, first year, last year: the four eras of the seed.
ERAS = [
    (
        "soviet-patronage-and-cold-war",
        "การอุปถัมภ์ของโซเวียตและสงครามเย็น",
        "Soviet patronage",
        1945,
        1991,
    ),
    ("after-the-soviet-collapse", "หลังการล่มสลายของสหภาพโซเวียต", "After the collapse", 1991, 2011),
    ("kim-jong-un-diplomacy", "การทูตยุคคิม จองอึน", "Kim Jong Un's diplomacy", 2012, 2021),
    ("wartime-alliance", "พันธมิตรยามสงคราม", "The wartime alliance", 2022, None),
]
TOPICS = [
    "military-alliance",
    "war-in-ukraine",
    "nuclear-programme",
    "diplomacy-and-summits",
    "economic-and-military-aid",
    "korean-war",
    "china",
    "united-states",
    "division-of-korea",
    "sanctions",
]
PEOPLE = [
    "csis",
    "stimson-center",
    "38-north",
    "korean-peoples-army",
    "workers-party-of-korea",
    "dprk-foreign-ministry",
    "soviet-army",
    "united-nations",
    "nato",
    "kim-jong-un",
    "vladimir-putin",
    "kim-il-sung",
    "mikhail-gorbachev",
    "victor-cha",
    "jenny-town",
    "choe-son-hui",
    "sergey-lavrov",
    "kim-yo-jong",
    "volodymyr-zelensky",
    "donald-trump",
    "sergei-shoigu",
    "andrei-belousov",
    "kim-tok-hun",
    "pak-jong-chon",
    "no-kwang-chol",
    "yoon-suk-yeol",
    "lee-jae-myung",
    "xi-jinping",
    "joe-biden",
    "joseph-stalin",
]
SOURCES = [
    "ap-russia-north-korea-timeline-th",
    "newsweek-north-korea-role-russia-ukraine-war",
    "imct-north-korea-public-support-russia",
    "reuters-putin-pyongyang-visit",
    "ap-north-korean-troops-kursk",
    "bbc-thai-korea-russia-treaty",
    "nhk-north-korea-missile-test",
    "yonhap-nis-briefing-troops",
    "kcna-treaty-ratified",
    "tass-lavrov-pyongyang",
    "38-north-rajin-port-imagery",
    "csis-rail-shipments",
    "stimson-ammunition-estimates",
    "nikkei-asia-oil-cap",
    "the-diplomat-cold-war-balance",
    "thairath-putin-kim-summit",
    "matichon-north-korea-kursk",
    "prachatai-korean-war-history",
    "un-panel-final-report",
    "wilson-center-soviet-archives",
]
DATE_KINDS = {"day": 40, "month": 20, "year": 15, "decade": 6, "period": 11, "approximate": 8}


class BenchError(Exception):
    pass


# --- The files ------------------------------------------------------------------


def pick(rng, phrases, low, high, joiner):
    """Random phrases until their joined length reaches ``low``, staying under ``high``."""
    parts = [rng.choice(phrases)]
    size = len(parts[0])
    while size < low:
        drawn = rng.sample(phrases, 8)
        phrase = next((p for p in drawn if size + joiner + len(p) <= high), drawn[0])
        parts.append(phrase)
        size += joiner + len(phrase)
    return parts


def thai_text(rng, low, high):
    return " ".join(pick(rng, THAI_PHRASES, low, high, 1))


def english_title(rng):
    text = ", ".join(pick(rng, ENGLISH_PHRASES, 60, 100, 2))
    return text[0].upper() + text[1:]


def english_text(rng, low, high):
    return " ".join(f"{p[0].upper()}{p[1:]}." for p in pick(rng, ENGLISH_PHRASES, low, high, 2))


def body(rng, text):
    """Two to four paragraphs, 800 to 1,500 characters in all, separated by blank lines."""
    count = rng.randint(2, 4)
    length = rng.randint(800, 1500) // count
    return "\n\n".join(text(rng, length - 10, length + 50) for _ in range(count))


def edtf_date(rng):
    """An EDTF date in a realistic mix of precisions, with its first year."""
    year = rng.randint(1945, 2025)
    end = min(year + rng.randint(1, 8), 2025)
    kind = rng.choices(list(DATE_KINDS), weights=list(DATE_KINDS.values()))[0]
    forms = {
        "day": f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        "month": f"{year}-{rng.randint(1, 12):02d}",
        "year": str(year),
        "decade": f"{str(year)[:3]}X",
        "period": f"{year}/{end}",
        "approximate": f"{year}~/{end}",
    }
    return forms[kind], year


def era_for(year):
    return next(era[0] for era in reversed(ERAS) if year >= era[3])


def event_row(rng, number):
    """One row of the events file, as a newsroom spreadsheet would hold it."""
    date, year = edtf_date(rng)
    title_en = english_title(rng)
    shown = rng.random() < 0.15
    row = {
        "slug": f"{re.sub(r'[^a-z0-9]+', '-', title_en.lower())[:60].strip('-')}-{number}",
        "date": date,
        "display_date_th": f"ราวปี {year}" if shown else "",
        "display_date_en": f"around {year}" if shown else "",
        "title_th": thai_text(rng, 60, 100),
        "title_en": title_en,
        "summary_th": thai_text(rng, 180, 230),
        "summary_en": english_text(rng, 180, 230),
        "body_th": body(rng, thai_text),
        "body_en": body(rng, english_text),
        "era": era_for(year),
        "topics": "|".join(rng.sample(TOPICS, rng.randint(0, 3))),
        "people": "|".join(rng.sample(PEOPLE, rng.randint(0, 3))),
        "sources": "|".join(rng.sample(SOURCES, rng.randint(1, 2))),
        "status": rng.choices(["published", "draft"], weights=[7, 3])[0],
    }
    return with_artifact(row) if rng.random() < 0.02 else row


def with_artifact(row):
    """The row as copied out of a PDF: SARA AM written as NIKHAHIT + SARA AA."""
    thai = ("title_th", "summary_th", "body_th")
    return {**row, **{key: row[key].replace(SARA_AM, ARTIFACT) for key in thai}}


def modified_row(rng, row):
    """The row edited: a new English title always, a new Thai summary half the time."""
    title_en = row["title_en"]
    while title_en == row["title_en"]:
        title_en = english_title(rng)
    changed = {**row, "title_en": title_en}
    if rng.random() < 0.5:
        summary = thai_text(rng, 180, 230)
        pdf = ARTIFACT in row["body_th"]
        changed["summary_th"] = summary.replace(SARA_AM, ARTIFACT) if pdf else summary
    return changed


# Rows without topics, people or sources (their cells empty): --plain.
RELATIONS = ("topics", "people", "sources")


def write_files(workdir, rows, head, *, plain=False):
    """The create and update files, and their first ``head`` rows for the baseline."""
    paths = {
        "create": workdir / "events.csv",
        "update": workdir / "events-modified.csv",
        "create-head": workdir / f"events-first-{head}.csv",
        "update-head": workdir / f"events-modified-first-{head}.csv",
    }
    rng = random.Random(SEED)
    with ExitStack() as stack:
        writers = {}
        for key, path in paths.items():
            handle = stack.enter_context(path.open("w", encoding="utf-8", newline=""))
            writers[key] = csv.DictWriter(handle, COLUMNS)
            writers[key].writeheader()
        for index in range(rows):
            row = event_row(rng, index + 1)
            if plain:
                row = {**row, **dict.fromkeys(RELATIONS, "")}
            for key, values in (("create", row), ("update", modified_row(rng, row))):
                writers[key].writerow(values)
                if index < head:
                    writers[f"{key}-head"].writerow(values)
    return paths


# --- Running and measuring processes ----------------------------------------------


def run(args, env, *, shown=None):
    process = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True)
    if process.returncode:
        output = "\n".join((process.stdout + process.stderr).strip().splitlines()[-25:])
        command = " ".join(shown or args)
        raise BenchError(f"{command} exited with {process.returncode}:\n{output}")
    return process


def measured(args, env):
    """Run ``args``: the finished process, its wall-clock seconds and its peak memory in MB."""
    with tempfile.NamedTemporaryFile(prefix="peak-") as peak:
        start = time.perf_counter()
        process = run([sys.executable, "-c", LAUNCHER, peak.name, *args], env, shown=args)
        seconds = time.perf_counter() - start
        return process, seconds, int(Path(peak.name).read_text() or 0) / 1024


def manage(*args):
    return [sys.executable, "manage.py", *args]


def worker(*args):
    return [sys.executable, str(Path(__file__).resolve()), "_worker", *args]


def last_json(process):
    return json.loads(process.stdout.strip().splitlines()[-1])


def database_env(database, workdir, pg_name):
    if database == "postgres":
        url = f"postgres://postgres@127.0.0.1:5432/{pg_name}"
    else:
        url = f"sqlite:///{workdir / 'bench.sqlite3'}"
    # The bench file is larger than the default upload limit (IMPORT_MAX_BYTES, 200 MB).
    return {"IMPORT_MAX_BYTES": str(2**34), **os.environ, "DATABASE_URL": url}


def drop_postgres(name):
    subprocess.run(["dropdb", *PG_ARGS, "--if-exists", name], check=True, capture_output=True)


def fresh_database(database, env, workdir, pg_name):
    """An empty, migrated database holding the eras, topics, people and sources."""
    if database == "postgres":
        drop_postgres(pg_name)
        run(["createdb", *PG_ARGS, pg_name], env)
    else:
        (workdir / "bench.sqlite3").unlink(missing_ok=True)
    run(manage("migrate", "--no-input", "-v0"), env)
    run(worker("seed"), env)


def startup_seconds(env):
    """Django's start-up (best of three `manage.py check`), taken off our wall time."""
    return min(measured(manage("check"), env)[1] for _ in range(3))


def has_import_events(env):
    return "import_events" in run(manage("help", "--commands"), env).stdout.split()


# --- The passes -------------------------------------------------------------------


def run_ours(path, env, startup):
    """``manage.py import_events FILE``, timed by its own summary line if it says how long."""
    process, wall, peak = measured(manage("import_events", str(path)), env)
    summary = SUMMARY_LINE.findall(process.stdout + process.stderr)
    line = summary[-1].strip() if summary else ""
    elapsed = ELAPSED.search(line)
    return {
        "seconds": float(elapsed[1]) if elapsed else wall - startup,
        "timed_by": "command" if elapsed else "wall clock minus start-up",
        "wall_seconds": wall - startup,
        "peak_mb": peak,
        "summary": line,
    }


def run_baseline(path, env, startup):
    """The default ModelResource in its own process, which times itself."""
    process, wall, peak = measured(worker("baseline", str(path)), env)
    report = last_json(process)
    if report["error_count"]:
        print(f"  baseline: {report['error_count']} row errors, first ones:", file=sys.stderr)
        for error in report["errors"]:
            print(f"    {error}", file=sys.stderr)
    figures = {"timed_by": "import_data", "wall_seconds": wall - startup, "peak_mb": peak}
    return {**figures, **report}


def measure_pass(runner, path, rows, env, startup):
    figures = {"rows": rows, **runner(path, env, startup)}
    figures["rows_per_s"] = rows / figures["seconds"]
    figures["wall_rows_per_s"] = rows / figures["wall_seconds"]
    stored = last_json(run(worker("verify", str(path)), env))
    problems = [
        f"{stored['events']} events stored" if stored["events"] != rows else "",
        f"{stored['mismatched']} rows differ" if stored["mismatched"] else "",
        f"{stored['artifacts_left']} with 'ํา' left" if stored["artifacts_left"] else "",
        "no citations" if not stored["citations"] else "",
    ]
    figures["stored"] = stored
    figures["check"] = "; ".join(p for p in problems if p) or "ok"
    return figures


def bench_database(database, files, sizes, workdir, pg_name):
    """Our command (if it exists) and the baseline on one database, both passes each."""
    env = database_env(database, workdir, pg_name)
    if database == "postgres":
        print(f"postgres: the database {pg_name}, dropped and created again", file=sys.stderr)
    fresh_database(database, env, workdir, pg_name)
    startup = startup_seconds(env)
    result = {"startup_seconds": startup}
    contenders = [("baseline", run_baseline, "-head", sizes["baseline"])]
    if has_import_events(env):
        contenders.insert(0, ("ours", run_ours, "", sizes["ours"]))
    else:
        print(f"{database}: no import_events command yet: baseline only", file=sys.stderr)
    for index, (who, runner, suffix, rows) in enumerate(contenders):
        if index:
            fresh_database(database, env, workdir, pg_name)
        result[who] = {}
        for name in PASSES:
            print(f"{database}: {who}, {name} pass, {rows} rows", file=sys.stderr, flush=True)
            result[who][name] = measure_pass(runner, files[name + suffix], rows, env, startup)
    if "ours" in result:
        result["ratio"] = ratios(result, "rows_per_s")
        result["wall_ratio"] = ratios(result, "wall_rows_per_s")
    return result


def ratios(result, key):
    return {p: result["ours"][p][key] / result["baseline"][p][key] for p in PASSES}


# --- Reporting --------------------------------------------------------------------


def print_table(database, result):
    print(f"\n{database} (Django start-up {result['startup_seconds']:.2f}s, not counted)")
    print(f"{'pass':<7}{'import':<10}{'rows':>8}{'seconds':>9}{'rows/s':>9}{'wall s':>9}", end="")
    print(f"{'peak MB':>9}  check")
    for name in PASSES:
        for who in ("ours", "baseline"):
            if who in result:
                f = result[who][name]
                print(
                    f"{name:<7}{who:<10}{f['rows']:>8}{f['seconds']:>9.2f}{f['rows_per_s']:>9.0f}"
                    f"{f['wall_seconds']:>9.2f}{f['peak_mb']:>9.0f}  {f['check']}"
                )
        if "ratio" in result:
            print(f"{name:<7}{'ratio':<10}{result['ratio'][name]:>25.1f}x")
    if "ratio" in result:
        documented = {p: result["ours"][p]["rows_per_s"] / DOCUMENTED[p] for p in PASSES}
        print(f"{database}: {times(result['ratio'])} (target {TARGET}x)")
        print(f"{database}, wall clock minus start-up: {times(result['wall_ratio'])}")
        print(f"{database}, against the documented 370/250 rows/s: {times(documented)}")


def times(ratio):
    return f"create: {ratio['create']:.1f}x, update: {ratio['update']:.1f}x"


def write_json(report):
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"import-{datetime.now():%Y%m%d-%H%M%S}.json"
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=50_000, help="events in the file")
    parser.add_argument("--baseline-rows", type=int, help="rows for the baseline (min(rows, 5000))")
    parser.add_argument("--databases", default="sqlite,postgres", help="comma-separated")
    parser.add_argument("--keep", action="store_true", help="keep the files and databases")
    parser.add_argument(
        "--plain", action="store_true", help="rows without topics, people or sources"
    )
    parser.add_argument(
        "--pg-database",
        default=PG_NAME,
        help=f"PostgreSQL database to drop, create and fill ({PG_NAME}); never a real one",
    )
    args = parser.parse_args()
    if not PG_NAME_PATTERN.fullmatch(args.pg_database) or args.pg_database == "postgres":
        parser.error("--pg-database takes a throwaway name: lower case letters, digits, _")
    args.baseline_rows = min(args.baseline_rows or 5000, args.rows)
    args.databases = [name.strip() for name in args.databases.split(",") if name.strip()]
    if set(args.databases) - {"sqlite", "postgres"}:
        parser.error("--databases takes sqlite, postgres or both")
    return args


def main():
    args = parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="import-bench-"))
    sizes = {"ours": args.rows, "baseline": args.baseline_rows}
    report = {
        "started": datetime.now().isoformat(timespec="seconds"),
        "rows": args.rows,
        "baseline_rows": args.baseline_rows,
        "plain": args.plain,
        "pg_database": args.pg_database if "postgres" in args.databases else None,
        "machine": platform.platform(),
        "databases": {},
    }
    try:
        print(f"Writing {args.rows} events to {workdir}", file=sys.stderr, flush=True)
        files = write_files(workdir, args.rows, args.baseline_rows, plain=args.plain)
        for database in args.databases:
            figures = bench_database(database, files, sizes, workdir, args.pg_database)
            report["databases"][database] = figures
            print_table(database, report["databases"][database])
    except BenchError as error:
        sys.exit(f"import_bench: {error}")
    finally:
        cleanup(workdir, args)
    print(f"\nFigures written to {write_json(report).relative_to(ROOT)}")


def cleanup(workdir, args):
    if args.keep:
        print(f"Kept {workdir} (and the database {args.pg_database}, if used)", file=sys.stderr)
        return
    shutil.rmtree(workdir, ignore_errors=True)
    if "postgres" in args.databases:
        drop_postgres(args.pg_database)


# --- Workers: run in a child process, with Django set up on its DATABASE_URL ---


def worker_main(name, *args):
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    import django

    django.setup()
    tasks = {"seed": seed_references, "baseline": baseline_import, "verify": verify_import}
    print(json.dumps(tasks[name](*args), ensure_ascii=False))


def seed_references():
    """The eras, topics, people and sources the generated rows name."""
    from newsroom.models import Person, Source
    from timeline.models import Era, Topic

    def label(slug):
        return slug.replace("-", " ").capitalize()

    for slug, name_th, name_en, start, end in ERAS:
        Era.objects.create(
            slug=slug, name_th=name_th, name_en=name_en, start_year=start, end_year=end
        )
    for model, slugs in ((Topic, TOPICS), (Person, PEOPLE)):
        model.objects.bulk_create(model(slug=s, name_th=label(s), name_en=label(s)) for s in slugs)
    Source.objects.bulk_create(
        Source(slug=s, title_th=label(s), title_en=label(s), status="published") for s in SOURCES
    )
    return {
        "eras": len(ERAS),
        "topics": len(TOPICS),
        "people": len(PEOPLE),
        "sources": len(SOURCES),
    }


def baseline_resource():
    """django-import-export's default ModelResource for Event: contract fields, nothing tuned."""
    from import_export import fields, resources, widgets

    from newsroom.models import Person, Source
    from timeline.models import Era, Event, Topic

    def by_slug(model):
        return widgets.ManyToManyWidget(model, field="slug", separator="|")

    class EventResource(resources.ModelResource):
        era = fields.Field("era", "era", widget=widgets.ForeignKeyWidget(Era, "slug"))
        topics = fields.Field("topics", "topics", widget=by_slug(Topic))
        people = fields.Field("people", "people", widget=by_slug(Person))
        sources = fields.Field("sources", "sources", widget=by_slug(Source))

        class Meta:
            model = Event
            fields = COLUMNS
            import_id_fields = ("slug",)

    return EventResource()


def baseline_import(path):
    """Import ``path`` as the admin would, timed from reading the file to the end."""
    import tablib

    resource = baseline_resource()
    start = time.perf_counter()
    dataset = tablib.Dataset().load(Path(path).read_text(encoding="utf-8"), format="csv")
    result = resource.import_data(dataset, dry_run=False)
    seconds = time.perf_counter() - start
    errors = [repr(error.error) for error in result.base_errors]
    errors += [f"row {n}: {e.error!r}" for n, row_errors in result.row_errors() for e in row_errors]
    errors += [f"row {row.number}: {row.error_dict}" for row in result.invalid_rows]
    return {
        "seconds": seconds,
        "totals": dict(result.totals),
        "error_count": len(errors),
        "errors": errors[:5],
    }


def verify_import(path):
    """What is stored against the file: events, English titles, cleaned Thai summaries."""
    from django.db.models import Q

    from newsroom.text import clean_text
    from timeline.models import Citation, Event

    with open(path, encoding="utf-8", newline="") as handle:
        expected = {
            row["slug"]: (row["title_en"], clean_text(row["summary_th"], multiline=True))
            for row in csv.DictReader(handle)
        }
    stored = {
        slug: (title, summary)
        for slug, title, summary in Event.objects.values_list("slug", "title_en", "summary_th")
    }
    with_artifact = (
        Q(title_th__contains=ARTIFACT)
        | Q(summary_th__contains=ARTIFACT)
        | Q(body_th__contains=ARTIFACT)
    )
    return {
        "events": len(stored),
        "mismatched": sum(stored.get(slug) != values for slug, values in expected.items()),
        "artifacts_left": Event.objects.filter(with_artifact).count(),
        "citations": Citation.objects.count(),
    }


if __name__ == "__main__":
    if sys.argv[1:2] == ["_worker"]:
        worker_main(*sys.argv[2:])
    else:
        main()
