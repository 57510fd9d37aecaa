"""The site's own processes for tests that need them as they run: a database file made by
the install's commands, gunicorn, the worker, and a TCP relay to PostgreSQL that a test can
cut to play a database outage."""

import contextlib
import os
import secrets
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def site_env(**extra) -> dict:
    """The environment of a site process: defaults and ``extra``, not the developer's .env."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(
        DJANGO_ENV_FILE=os.devnull,
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_DEBUG="0",
        DJANGO_HTTPS="0",
        CACHE_URL="locmemcache://",
    )
    env.update(extra)
    return env


def manage(env: dict, *args, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=check,
        capture_output=True,
        text=True,
        timeout=300,
    )


def install(folder: Path, **extra) -> dict:
    """A site's database (migrated, the fixtures loaded) and static files, as ``make run``
    makes them; returns the environment that points at them."""
    env = {
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        "DJANGO_STATIC_ROOT": str(folder / "static"),
        "DJANGO_MEDIA_ROOT": str(folder / "media"),
        **extra,
    }
    manage(site_env(**env), "migrate", "--no-input", "-v0")
    manage(site_env(**env), "load_seed")
    manage(site_env(**env), "collectstatic", "--no-input", "-v0")
    return env


class Process:
    """A long-running command of the site, its output in ``log``."""

    def __init__(self, args: list[str], env: dict, log: Path):
        self.log = log
        self.process = subprocess.Popen(
            args, cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT
        )

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        if self.alive():
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def kill(self) -> None:
        self.process.kill()
        self.process.wait()


class Server(Process):
    """gunicorn serving the site on a free port."""

    def __init__(self, env: dict, log: Path, workers: int = 1):
        self.port = free_port()
        gunicorn = [str(BIN / "gunicorn"), "newsroom.wsgi", "-w", str(workers)]
        super().__init__([*gunicorn, "-b", f"127.0.0.1:{self.port}"], env, log)
        wait_for(lambda: _listening(self.port), 60, lambda: log.read_text())

    def get(self, path: str, timeout: float = 30):
        """(status, headers, body, seconds) of a GET, whatever the status."""
        started = time.monotonic()
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}")
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                status, headers, body = response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            status, headers, body = error.code, error.headers, error.read()
        return status, headers, body.decode(), time.monotonic() - started


class Worker(Process):
    """``manage.py db_worker``, as ``make run`` and the production unit start it."""

    def __init__(self, env: dict, log: Path):
        args = [sys.executable, "manage.py", "db_worker", "--no-startup-delay", "--interval", "0.2"]
        super().__init__(args, env, log)


def _listening(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        return True
    except OSError:
        return False


def wait_for(condition, seconds: float, explain=lambda: "") -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"not within {seconds} s. {explain()}")


class Relay:
    """A TCP relay to a server (PostgreSQL): ``cut()`` drops every connection and refuses
    new ones, as a database that went away; ``restore()`` lets them through again."""

    def __init__(self, target_port: int):
        self.target = ("127.0.0.1", target_port)
        self.port = free_port()
        self.open = True
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._listener = None
        self._listen()

    def _listen(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def _accept(self, listener) -> None:
        while True:
            try:
                client, _address = listener.accept()
            except OSError:
                return
            try:
                server = socket.create_connection(self.target)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._sockets += [client, server]
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source, sink) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

    def cut(self) -> None:
        with contextlib.suppress(OSError):
            self._listener.shutdown(socket.SHUT_RDWR)  # wakes the thread waiting in accept()
        self._listener.close()
        with self._lock:
            for sock in self._sockets:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                    sock.close()
                except OSError:
                    pass
            self._sockets = []

    def restore(self) -> None:
        self._listen()

    def close(self) -> None:
        self.cut()
