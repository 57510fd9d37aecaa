"""Hostile or odd files are refused early and cheaply, through the command and the admin.

Each file is made here, for real (a zip whose member unpacks to 1 GiB, a 50 MB line...), and
imported by ``manage.py import_events`` in a child process, or uploaded to the admin served
by gunicorn, against a migrated SQLite file: the clear message must come in under 10 s and
300 MB (the child's, or the worker's, peak resident memory).
"""

import http.client
import http.cookiejar
import os
import re
import secrets
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest

from tests.forms import form_data

ROOT = Path(__file__).resolve().parents[2]
MB = 1024 * 1024
GiB = 1024 * MB
SECONDS, MEMORY = 10, 300 * MB


def _env(folder: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    return env | {
        "DJANGO_ENV_FILE": os.devnull,
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_DEBUG": "0",
        "DJANGO_HTTPS": "0",
        "CACHE_URL": "locmemcache://",
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        "DJANGO_MEDIA_ROOT": str(folder / "media"),
        "DJANGO_STATIC_ROOT": str(folder / "static"),
        "TMPDIR": str(folder / "tmp"),
    }


def _manage(env: dict, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def site_env(tmp_path_factory) -> dict:
    """A migrated SQLite file with the roles and an editor, as an install makes them."""
    folder = tmp_path_factory.mktemp("site")
    (folder / "tmp").mkdir()
    env = _env(folder)
    _manage(env, "migrate", "--no-input", "-v0")
    _manage(env, "create_roles", "-v0")
    _manage(env, "collectstatic", "--no-input", "-v0")
    out = _manage(env, "create_editor", "--username", "hostile")
    env["TEST_PASSWORD"] = out.split("not stored anywhere): ")[1].strip()
    return env


@dataclass
class Run:
    code: int
    out: str
    seconds: float
    peak: int  # bytes


# Runs a command and prints its peak memory last. A child's peak includes what it held before
# it ran the program (a forked copy of its parent): forked from this small process, that is
# little, where forked from pytest it would count pytest's memory too.
MEASURE = (
    "import os, subprocess, sys\n"
    "child = subprocess.Popen(sys.argv[1:])\n"
    "_pid, status, usage = os.wait4(child.pid, 0)\n"
    "print(f'\\npeak {usage.ru_maxrss * 1024}', flush=True)\n"
    "sys.exit(os.waitstatus_to_exitcode(status))\n"
)


def _cli(env: dict, path: Path, *args: str) -> Run:
    """``manage.py import_events`` in a child process: its exit code, output, time and peak
    resident memory."""
    command = [sys.executable, "manage.py", "import_events", str(path), *args]
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, *command],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    seconds = time.monotonic() - started
    out, _sep, peak = done.stdout.decode().rpartition("\npeak ")
    return Run(done.returncode, out, seconds, int(peak))


# The files


def wide_csv(path: Path) -> Path:
    header = ",".join(f"c{index}" for index in range(100_000))
    path.write_text(f"{header}\n{header}\n")
    return path


_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
XLSX_MEMBERS = {
    "[Content_Types].xml": (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{_TYPE}.sheet.main+xml"/>'
        f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_TYPE}.worksheet+xml"/>'
        f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_TYPE}.sharedStrings+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        f'<Relationships xmlns="{_RELS}"><Relationship Id="rId1" '
        f'Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets>'
        '<sheet name="events" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        f'<Relationships xmlns="{_RELS}">'
        f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{_REL}/sharedStrings" Target="sharedStrings.xml"/>'
        "</Relationships>"
    ),
    "xl/worksheets/sheet1.xml": (
        f'<worksheet xmlns="{_MAIN}"><sheetData>'
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
        '<c r="C1" t="s"><v>2</v></c></row>'
        '<row r="2"><c r="A2" t="s"><v>3</v></c><c r="B2"><v>2020</v></c>{cell}</row>'
        "</sheetData></worksheet>"
    ),
    "xl/sharedStrings.xml": (
        f'<sst xmlns="{_MAIN}"><si><t>slug</t></si><si><t>date</t></si>'
        "<si><t>title_en</t></si><si><t>big-cell</t></si><si><t>{shared}</t></si></sst>"
    ),
}


def xlsx_bomb(path: Path, where: str, size: int = GiB) -> Path:
    """An XLSX whose shared string, or inline cell, unpacks to ``size`` bytes: its members
    written one by one, the big one streamed (a few MB on disk for 1 GiB)."""
    cell = (
        '<c r="C2" t="s"><v>4</v></c>'
        if where == "shared"
        else ('<c r="C2" t="inlineStr"><is><t>{big}</t></is></c>')
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, template in XLSX_MEMBERS.items():
            xml = template.replace("{cell}", cell).replace(
                "{shared}", "{big}" * (where == "shared")
            )
            before, _big, after = xml.encode().partition(b"{big}")
            with out.open(name, "w", force_zip64=True) as member:
                member.write(before)
                for start in range(0, size if _big else 0, 16 * MB):
                    member.write(b"a" * min(16 * MB, size - start))
                member.write(after)
    return path


def nested_json(path: Path) -> Path:
    path.write_text('{"rows": ' + "[" * 1_000_000 + "]" * 1_000_000 + "}")
    return path


def western_csv(path: Path) -> Path:
    """Valid cp874, but a Latin-1 "café": read as Thai, "é" is a tone mark on an "f"."""
    path.write_bytes(b"slug,date,title_en\ncafe,2020,Caf\xe9 in Pyongyang\n")
    return path


def long_line_csv(path: Path) -> Path:
    with path.open("wb") as out:
        out.write(b"slug,date,title_en\nlong,2020,")
        out.write(b"a" * (50 * MB))
        out.write(b"\n")
    return path


HOSTILE = {
    "100,000 columns": (
        lambda folder: wide_csv(folder / "wide.csv"),
        "The file has 100000 columns; an import takes at most 200",
    ),
    "a shared string of 1 GiB": (
        lambda folder: xlsx_bomb(folder / "shared.xlsx", "shared"),
        "would take more than 200 MB once unpacked",
    ),
    "a cell of 1 GiB": (
        lambda folder: xlsx_bomb(folder / "cell.xlsx", "cell"),
        "would take more than 200 MB once unpacked",
    ),
    "JSON nested a million deep": (
        lambda folder: nested_json(folder / "nested.json"),
        "This JSON nests lists or objects more than 10 deep",
    ),
    "Latin-1 read as Thai": (
        lambda folder: western_csv(folder / "western.csv"),
        "byte 32 (line 2) would be a Thai mark after “f”",
    ),
    "a 50 MB line": (
        lambda folder: long_line_csv(folder / "long.csv"),
        "Line 2 is longer than 1 MB",
    ),
}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    folder, made = tmp_path_factory.mktemp("hostile"), {}

    def make(name: str) -> Path:
        if name not in made:
            made[name] = HOSTILE[name][0](folder)
        return made[name]

    return make


@pytest.mark.parametrize("where", ["shared", "cell"])
def test_the_zip_bomb_is_a_real_workbook(tmp_path, where):
    book = openpyxl.load_workbook(xlsx_bomb(tmp_path / "small.xlsx", where, size=5))
    assert list(book.active.values) == [("slug", "date", "title_en"), ("big-cell", 2020, "aaaaa")]


@pytest.mark.parametrize("name", list(HOSTILE))
def test_the_command_refuses_a_hostile_file_quickly_and_clearly(site_env, hostile, name):
    run = _cli(site_env, hostile(name))
    print(f"CLI {name}: {run.seconds:.2f} s, {run.peak / MB:.0f} MB")
    assert run.code == 1 and HOSTILE[name][1] in run.out, run.out
    assert "Traceback" not in run.out and "created" not in run.out
    assert run.seconds < SECONDS and run.peak < MEMORY


def _record_states(env: dict) -> list[str]:
    with sqlite3.connect(env["DATABASE_URL"].removeprefix("sqlite:///"), timeout=10) as db:
        return [state for (state,) in db.execute("SELECT state FROM newsroom_importrecord")]


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "Ctrl-C"])
def test_an_import_stopped_half_way_is_recorded_as_failed(site_env, tmp_path, signum):
    path = tmp_path / "many.csv"
    rows = "".join(f"stopped-{index},2012,Event {index}\n" for index in range(60_000))
    path.write_text("slug,date,title_en\n" + rows)
    known = len(_record_states(site_env))
    child = subprocess.Popen(
        [sys.executable, "manage.py", "import_events", str(path)],
        cwd=ROOT,
        env=site_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 30
    while len(_record_states(site_env)) == known and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(1)  # well into the rows
    assert child.poll() is None, "the import ended before it could be stopped"
    child.send_signal(signum)
    out = child.communicate(timeout=30)[0].decode()
    assert child.returncode == 130 and "Interrupted: nothing was imported." in out, out
    assert _record_states(site_env)[known:] == ["failed"]
    with sqlite3.connect(site_env["DATABASE_URL"].removeprefix("sqlite:///")) as db:
        assert db.execute("SELECT count(*) FROM timeline_event").fetchone() == (0,)


# Through the admin, served by gunicorn as in production (one sync worker, its 30 s timeout)


def _hidden(html: str) -> dict:
    return {
        name: [value]
        for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html)
    }


class Admin:
    """An editor signed in to the admin of a gunicorn started for one test."""

    def __init__(self, env: dict, log: Path):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self.server = subprocess.Popen(
            [str(gunicorn), "newsroom.wsgi", "-b", f"127.0.0.1:{self.port}", "-w", "1"],
            cwd=ROOT,
            env=env,
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
        )
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.opener.addheaders = [("Accept-Language", "en")]
        self.url = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                page = self.opener.open(f"{self.url}/admin/login/").read().decode()
                break
            except OSError:
                assert time.monotonic() < deadline, log.read_text()
                time.sleep(0.2)
        form = form_data(page, "login-form") | {
            "username": ["hostile"],
            "password": [env["TEST_PASSWORD"]],
        }
        self.opener.open(
            f"{self.url}/admin/login/", urllib.parse.urlencode(form, doseq=True).encode()
        )

    def worker_peak(self) -> int:
        """The worker's peak resident memory so far (VmHWM), in bytes."""
        pid = int(Path(f"/proc/{self.server.pid}/task/{self.server.pid}/children").read_text())
        status = Path(f"/proc/{pid}/status").read_text()
        return int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) * 1024

    def post(self, path: str, fields: dict, upload: Path | None = None):
        """(status, body) of a multipart POST, the file streamed from disk."""
        boundary = secrets.token_hex(16)
        field = '--{}\r\nContent-Disposition: form-data; name="{}"\r\n\r\n{}\r\n'
        parts = b"".join(
            field.format(boundary, name, value).encode()
            for name, values in fields.items()
            for value in values
        )
        if upload:
            parts += (
                f'--{boundary}\r\nContent-Disposition: form-data; name="import_file"; '
                f'filename="{upload.name}"\r\nContent-Type: application/octet-stream\r\n\r\n'
            ).encode()
        end = f"\r\n--{boundary}--\r\n".encode()
        size = len(parts) + (upload.stat().st_size if upload else 0) + len(end)

        def body():
            yield parts
            if upload:
                with upload.open("rb") as file:
                    while chunk := file.read(MB):
                        yield chunk
            yield end

        cookies = "; ".join(f"{c.name}={c.value}" for c in self.jar)
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        connection.request(
            "POST",
            path,
            body=body(),
            headers={
                "Content-Type": f"multipart/form-data; boundary={boundary}",
                "Content-Length": str(size),
                "Cookie": cookies,
                "Accept-Language": "en",
                "Referer": self.url + path,
            },
        )
        response = connection.getresponse()
        return response.status, response.read().decode()

    def upload(self, path: Path):
        page = self.opener.open(f"{self.url}/admin/timeline/event/import/").read().decode()
        options = re.findall(r'<option value="(\d+)"[^>]*>([^<]+)</option>', page)
        formats = {label: value for value, label in options}
        fields = _hidden(page)
        fields["format"] = [
            formats[
                {".xlsx": "Excel workbook (XLSX)", ".json": "JSON"}.get(
                    path.suffix, "CSV (encoding detected)"
                )
            ]
        ]
        return self.post("/admin/timeline/event/import/", fields, path)

    def stop(self) -> None:
        self.server.terminate()
        self.server.wait(timeout=20)


@pytest.fixture
def admin(site_env, tmp_path):
    started = Admin(site_env, tmp_path / "gunicorn.log")
    yield started
    started.stop()


def big_csv(path: Path) -> Path:
    """200 MB of valid rows."""
    row = "big-{:07d},2012,ปูตินเยือนเปียงยาง Putin visits Pyongyang," + "x" * 60 + "\n"
    with path.open("w") as out:
        out.write("slug,date,title_en,summary_en\n")
        for start in range(0, 200 * MB // 128, 10_000):
            out.write("".join(row.format(index) for index in range(start, start + 10_000)))
    return path


@pytest.mark.parametrize("name", list(HOSTILE))
def test_the_admin_refuses_a_hostile_file_quickly_and_clearly(admin, hostile, name):
    path = hostile(name)
    started = time.monotonic()
    status, html = admin.upload(path)
    seconds, peak = time.monotonic() - started, admin.worker_peak()
    print(f"admin {name}: {seconds:.2f} s, {peak / MB:.0f} MB")
    assert status == 200 and HOSTILE[name][1] in html.replace("&#x27;", "'"), html[-3000:]
    assert "process_import" not in html and "Traceback" not in html
    assert seconds < SECONDS and peak < MEMORY


def test_the_admin_sends_a_200_mb_file_to_the_background_without_reading_it(
    admin, site_env, tmp_path
):
    path = big_csv(tmp_path / "big.csv")
    started = time.monotonic()
    status, html = admin.upload(path)
    preview = time.monotonic() - started
    assert status == 200 and "it is checked and imported in the background" in html, html[-3000:]
    uploads = Path(site_env["TMPDIR"]) / "newsroom-imports"
    assert len(list(uploads.iterdir())) == 1
    started = time.monotonic()
    status, _html = admin.post("/admin/timeline/event/process_import/", _hidden(html))
    confirm, peak = time.monotonic() - started, admin.worker_peak()
    print(f"admin 200 MB file: {preview:.2f} s + {confirm:.2f} s, {peak / MB:.0f} MB")
    assert status == 302 and _record_states(site_env)[-1] == "queued"
    assert not list(uploads.iterdir())  # moved to the media folder for the background import
    assert preview < SECONDS and confirm < SECONDS and peak < MEMORY


def test_a_stop_swallowed_by_a_destructor_is_raised_at_the_next_batch():
    """Python prints, and drops, an exception raised inside ``__del__``: a Ctrl-C landing
    there let a 60,000-row import run to its end. The next batch raises it again."""
    from newsroom.imports.commands import Terminated, _Stop

    class Dying:
        def __init__(self, stop, signum):
            self.stop, self.signum = stop, signum

        def __del__(self):
            self.stop(self.signum, None)

    for signum, expected in ((signal.SIGINT, KeyboardInterrupt), (signal.SIGTERM, Terminated)):
        stop = _Stop()
        stop.check()  # nothing received: goes on
        Dying(stop, signum)  # lands in a destructor: "Exception ignored in", nothing raised
        with pytest.raises(expected):
            stop.check()
