"""A real Chromium (Debian's package), driven by Playwright, against pytest-django's live server."""

import os
import shutil
import threading

import pytest
from django.core.servers.basehttp import ThreadedWSGIServer
from django.test.testcases import LiveServerThread

CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]

# Playwright's sync API runs an event loop in this thread; the ORM must still be usable.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


class OneRequestAtATimeServer(ThreadedWSGIServer):
    """The live server, answering one request at a time when its threads share the test's
    in-memory SQLite connection (one sqlite3 connection used by two threads at once fails with
    "bad parameter or other API misuse"). On PostgreSQL each thread has its own connection and
    requests run side by side, as in production."""

    def set_app(self, application):
        if not self.connections_override:
            return super().set_app(application)
        lock = threading.Lock()

        def one_at_a_time(environ, start_response):
            with lock:  # the whole answer, its closing (request_finished) included
                response = application(environ, start_response)
                try:
                    return [b"".join(response)]
                finally:
                    if hasattr(response, "close"):
                        response.close()

        return super().set_app(one_at_a_time)


@pytest.fixture(scope="session", autouse=True)
def one_request_at_a_time_on_sqlite():
    original = LiveServerThread.server_class
    LiveServerThread.server_class = OneRequestAtATimeServer
    yield
    LiveServerThread.server_class = original


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    assert os.path.exists(CHROMIUM), "Chromium is missing: `make test` installs it (Debian)"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


DESKTOP = {"viewport": {"width": 1280, "height": 900}}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


@pytest.fixture
def new_page(browser):
    """Opens pages in contexts of their own (``new_page(**PHONE, bypass_csp=True)``); each
    page keeps its console errors in ``page.console_errors``."""
    contexts = []

    def make(**options):
        context = browser.new_context(**{"locale": "th-TH", **DESKTOP, **options})
        contexts.append(context)
        page = context.new_page()
        errors = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.console_errors = errors
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture
def phone_page(new_page):
    """A 390 px wide phone with a touch screen."""
    return new_page(**PHONE)


ADMIN_PASSWORD = "a-long-test-passphrase"


def sign_in(page, base_url, username, then="/admin/"):
    """Through the admin's sign-in form, as a person does; then on ``then``."""
    page.goto(f"{base_url}/admin/login/?next={then}")
    page.fill("#id_username", username)
    page.fill("#id_password", ADMIN_PASSWORD)
    with page.expect_navigation():
        page.click("#login-form input[type=submit]")
