"""Serve the site for development: runserver and the task worker, started and stopped together.

Usage: .venv/bin/python bin/serve.py HOST PORT   (what `make serve` and `make run` do)
       python3 bin/serve.py --check HOST PORT    (only check that the port is free)

Each child runs in a process group of its own, so that stopping it reaches its own children
too (runserver's autoreloader). SIGINT (Ctrl-C), SIGTERM or SIGHUP stops both; so does
what stops make: GNU make forwards a SIGTERM, a SIGINT sent to make alone shows in /proc
(make stops handling it), and make's death leaves this process orphaned. The worker is
restarted if it exits; when the web server exits, everything stops.
"""

from __future__ import annotations  # `make run` checks the port with any python3, 3.12 or not

import contextlib
import errno
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
RESTART_PAUSE = 2  # seconds between restarts of a worker that keeps exiting
WORKER = ("db_worker", "--no-startup-delay")


class Stop(Exception):
    pass


def port_problem(host: str, port: int) -> str | None:
    """Why runserver could not listen on host:port, or None."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as runserver does
        try:
            sock.bind((host, port))
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                return (
                    f"Port {port} is in use on {host}: stop what uses it "
                    f"or run `make run PORT={port + 1}`."
                )
            return f"Cannot listen on {host}:{port} ({error.strerror}): set HOST= or PORT=."
    return None


def start(*command: str) -> subprocess.Popen:
    args = [sys.executable, "manage.py", *command]
    return subprocess.Popen(args, cwd=ROOT, process_group=0)


def signal_group(process: subprocess.Popen, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError):  # the whole group is gone already
        os.killpg(process.pid, sig)


def stop(process: subprocess.Popen) -> None:
    """SIGTERM to the child's process group; SIGKILL to whatever is left after 10 s."""
    signal_group(process, signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=10)
    signal_group(process, signal.SIGKILL)  # the autoreloader's child, if it outlived its parent
    process.wait()


def catches_sigint(pid: int) -> bool:
    """Whether process ``pid`` handles SIGINT (Linux's /proc; False where there is none)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    caught = int(re.search(r"^SigCgt:\s*(\w+)", status, re.MULTILINE)[1], 16)
    return bool(caught & 1 << (signal.SIGINT - 1))


def parent_stopping(parent: int, watch_sigint: bool) -> bool:
    """make was killed outright (we are orphaned), or got a SIGINT of its own: GNU make
    forwards only SIGTERM, and after a SIGINT it stops handling it and waits for us."""
    return os.getppid() != parent or (watch_sigint and not catches_sigint(parent))


def supervise(children: dict[str, subprocess.Popen], parent: int) -> int:
    """Wait for the server to exit; restart the worker whenever it exits."""
    watch_sigint = catches_sigint(parent)
    while (code := children["server"].poll()) is None:
        if parent_stopping(parent, watch_sigint):
            raise Stop
        if children["worker"].poll() is not None:
            print(f"The worker exited ({children['worker'].returncode}); restarting it.")
            time.sleep(RESTART_PAUSE)
            children["worker"] = start(*WORKER)
        time.sleep(0.3)
    print(f"The web server exited ({code}); stopping the worker.")
    return code


def on_signal(signum, frame):
    raise Stop


def main(host: str, port: str) -> int:
    problem = port_problem(host, int(port))
    if problem:
        print(problem, file=sys.stderr)
        return 1
    for sig in STOP_SIGNALS:
        signal.signal(sig, on_signal)
    parent, children, code = os.getppid(), {}, 0
    print(f"Serving http://{host}:{port}/  (admin: http://{host}:{port}/admin/; Ctrl-C stops it)")
    try:
        children["worker"] = start(*WORKER)
        children["server"] = start("runserver", f"{host}:{port}")
        code = supervise(children, parent)
    except Stop:
        print("Stopping the web server and the worker.")
    finally:
        for sig in STOP_SIGNALS:  # a second Ctrl-C must not cut the clean-up short
            signal.signal(sig, signal.SIG_IGN)
        for child in children.values():
            stop(child)
    return code


if __name__ == "__main__":
    if sys.argv[1:2] == ["--check"]:
        sys.exit(port_problem(sys.argv[2], int(sys.argv[3])))
    sys.exit(main(*sys.argv[1:]))
