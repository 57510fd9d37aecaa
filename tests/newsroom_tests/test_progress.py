"""Progress bars: counts and time left on a terminal (a pty), nothing in a pipe or in CI."""

import fcntl
import io
import os
import re
import struct
import subprocess
import sys
import termios
import threading
from contextlib import contextmanager

import pytest
from django.core.management import call_command

from tests.factories import EventFactory
from tests.processes import ROOT, manage, site_env

BAR = re.compile(r"\d+%\|.*\| *\d+/\d+ \[\d\d:\d\d<\d\d:\d\d")  # 40%|███ | 2/5 [00:01<00:02


@contextmanager
def terminal():
    """A pty: the command writes to its side as to a terminal; ``output`` holds what came."""
    main, side = os.openpty()
    fcntl.ioctl(side, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # 100 columns
    chunks = []

    def drain():
        while True:
            try:
                chunk = os.read(main, 65536)
            except OSError:  # the other side closed
                return
            if not chunk:
                return
            chunks.append(chunk)

    reader = threading.Thread(target=drain)
    reader.start()
    stream = open(side, "w", encoding="utf-8")  # noqa: SIM115 (closed below, then drained)
    result = type("Output", (), {"stream": stream, "text": ""})()
    try:
        yield result
    finally:
        stream.close()
        reader.join(timeout=10)
        os.close(main)
        result.text = b"".join(chunks).decode(errors="replace")


@pytest.fixture
def not_ci(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setenv("TERM", "xterm")


COMMANDS = [
    ("import_events", "{file}", "--dry-run"),
    ("export_events", "--format", "json"),
    ("rebuild_search_index",),
]


def typed(command: tuple, tmp_path) -> list[str]:
    """The command's arguments; an import reads the events just exported."""
    path = tmp_path / "events.csv"
    if not path.exists():
        call_command("export_events", "-o", str(path), stderr=io.StringIO())
    return [arg.format(file=path) for arg in command]


@pytest.mark.django_db
@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_a_terminal_shows_counts_and_time_left(command, not_ci, tmp_path):
    EventFactory.create_batch(3)
    args = typed(command, tmp_path)
    with terminal() as out:
        call_command(*args, stdout=io.StringIO(), stderr=out.stream)
    assert BAR.search(out.text), out.text
    assert "it/s" in out.text or "rows/s" in out.text or "items/s" in out.text


@pytest.mark.django_db
@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_a_pipe_gets_no_bar(command, not_ci, tmp_path):
    args, err = typed(command, tmp_path), io.StringIO()
    call_command(*args, stdout=io.StringIO(), stderr=err)
    assert "%|" not in err.getvalue() and "\r" not in err.getvalue()


@pytest.mark.django_db
def test_ci_gets_no_bar_even_on_a_terminal(monkeypatch):
    monkeypatch.setenv("CI", "true")
    with terminal() as out:
        call_command("rebuild_search_index", stdout=io.StringIO(), stderr=out.stream)
    assert "%|" not in out.text


@pytest.mark.slow
def test_load_seed_as_typed_on_a_terminal_and_in_a_pipe(tmp_path):
    """A fresh install's seed load, run by hand in a terminal, then in a pipe."""
    env = site_env(DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", TERM="xterm")
    env.pop("CI", None)
    manage(env, "migrate", "--no-input", "-v0")
    with terminal() as out:
        finished = subprocess.run(
            [sys.executable, "manage.py", "load_seed"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=out.stream,
            timeout=300,
        )
    assert finished.returncode == 0
    assert re.search(r"seed: 100%\|.*\| 3/3 \[", out.text), out.text
    piped = manage(env, "load_seed", "--force")
    assert "%|" not in piped.stderr and "Search index rebuilt" in piped.stdout
