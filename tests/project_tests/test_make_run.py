"""`make run` as a newcomer, an IDE or `timeout` uses it: started, stopped, on a taken port.

Each test starts make in a subprocess on a free port, with a database of its own, and looks
at the real processes it leaves behind (in /proc: Linux, as CI).
"""

import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def parent_of(pid: int) -> int | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return int(stat.rsplit(")", 1)[1].split()[1])


def descendants(pid: int) -> dict[int, str]:
    """The processes under ``pid``, with their command lines."""
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (parent := parent_of(int(entry.name))) is not None:
            tree.setdefault(parent, []).append(int(entry.name))
    found, todo = {}, [pid]
    while todo:
        for child in tree.get(todo.pop(), []):
            try:
                cmdline = Path(f"/proc/{child}/cmdline").read_bytes()
            except OSError:
                continue  # it exited since /proc was listed (a short-lived child)
            found[child] = cmdline.replace(b"\0", b" ").decode(errors="replace")
            todo.append(child)
    return found


def alive(pid: int) -> bool:
    """Running, and not a zombie left to an init that does not reap."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def wait_for(condition, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if result := condition():
            return result
        time.sleep(0.3)
    raise AssertionError(f"not within {seconds}s: {what}")


def answers(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/th/", timeout=5) as response:
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


@pytest.fixture(scope="module")
def site_env(tmp_path_factory):
    """The environment of a throwaway site: its own SQLite database, static and media."""
    folder = tmp_path_factory.mktemp("make-run")
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        "DJANGO_STATIC_ROOT": str(folder / "static"),
        "DJANGO_MEDIA_ROOT": str(folder / "media"),
    }
    env.pop("MAKEFLAGS", None)  # under `make test`: not the outer make's options
    subprocess.run(["make", "setup"], cwd=ROOT, env=env, check=True, capture_output=True)
    return env


class Make:
    """``make TARGET PORT=...`` in a session of its own; whatever is left is killed after."""

    def __init__(self, target: str, env: dict, port: int):
        self.port, self.seen = port, {}
        args = ["make", "--no-print-directory", target, f"PORT={port}"]
        self.process = subprocess.Popen(
            args,
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )

    def serving(self) -> dict[int, str]:
        """Waits for the site to answer; returns make's processes (server, worker...)."""
        wait_for(lambda: answers(self.port) or self.process.poll() is not None, 120, "serving")
        assert self.process.poll() is None, self.process.stdout.read()
        self.seen = wait_for(self._both, 30, "runserver and db_worker under make")
        return self.seen

    def _both(self):
        found = descendants(self.process.pid)
        commands = " ".join(found.values())
        return found if "runserver" in commands and "db_worker" in commands else None

    def close(self):
        for pid in [self.process.pid, *self.seen, *descendants(self.process.pid)]:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
        self.process.wait()


@pytest.fixture
def make(site_env):
    started = []

    def start(target: str = "serve", port: int | None = None) -> Make:
        started.append(Make(target, site_env, port or free_port()))
        return started[-1]

    yield start
    for each in started:
        each.close()


def assert_all_stopped(run: Make, processes: dict[int, str]):
    wait_for(lambda: run.process.poll() is not None, 30, "make exits")
    wait_for(lambda: not any(alive(pid) for pid in processes), 20, "its processes exit")
    assert not answers(run.port)


def test_sigterm_to_make_run_stops_the_server_and_the_worker(make):
    """An IDE's stop button, `timeout`, `kill %1`: a SIGTERM to make's process only."""
    run = make("run")
    processes = run.serving()
    assert sum("runserver" in command for command in processes.values()) == 2  # the reloader's
    os.kill(run.process.pid, signal.SIGTERM)
    assert_all_stopped(run, processes)


@pytest.mark.parametrize(
    "send",
    [
        pytest.param(lambda pid: os.kill(pid, signal.SIGINT), id="SIGINT to make"),
        pytest.param(lambda pid: os.killpg(pid, signal.SIGINT), id="Ctrl-C (its group)"),
        pytest.param(lambda pid: os.kill(pid, signal.SIGKILL), id="make killed outright"),
    ],
)
def test_other_ways_of_stopping_make_stop_everything(make, send):
    run = make("serve")
    processes = run.serving()
    send(run.process.pid)
    assert_all_stopped(run, processes)


def test_the_worker_is_restarted_when_it_exits(make):
    run = make("serve")
    processes = run.serving()
    (worker,) = (pid for pid, command in processes.items() if "db_worker" in command)
    os.kill(worker, signal.SIGKILL)

    def new_worker():  # the killed one may still be listed a moment (not yet reaped)
        found = descendants(run.process.pid).items()
        return [pid for pid, cmd in found if "db_worker" in cmd and pid != worker]

    assert len(wait_for(new_worker, 30, "a new db_worker")) == 1
    assert answers(run.port)


def test_a_taken_port_is_said_before_anything_is_installed(make):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        run = make("run", port)
        output, _ = run.process.communicate(timeout=60)
    assert run.process.returncode != 0
    assert f"Port {port} is in use on 127.0.0.1" in output
    assert f"make run PORT={port + 1}" in output
    assert "migrate" not in output  # said first, not after the set-up
