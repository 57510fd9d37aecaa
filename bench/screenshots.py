"""Screenshots of the public pages on a 390 px phone and a desktop, from Debian's Chromium.

Saves ``bench/out/screens/<language>-<page>-<phone|desktop>.png`` (whole pages) and prints,
per page and screen, what to look at first: content wider than the screen, and links or
buttons smaller than a 24 px tap target (WCAG 2.2 "target size, minimum").

Without --url it serves the seed fixtures itself: a throwaway SQLite database and static
folder in a temporary directory, ``manage.py runserver`` on a free port, stopped at the end.
The event, source and person pages are the seed's (fixtures/seed.json).

Usage: .venv/bin/python bench/screenshots.py [--url http://127.0.0.1:8000] [--split]
"""

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager, nullcontext
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out" / "screens"
sys.path.insert(0, str(ROOT))
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, DESKTOP, PHONE  # noqa: E402

SCREENS = {"phone": {**PHONE, "device_scale_factor": 2}, "desktop": DESKTOP}
PAGES = {
    "timeline": "",
    "timeline-era": "?era=wartime-alliance",
    "event": "events/north-korea-acknowledges-troops-in-kursk/",
    "about": "about/",
    "sources": "sources/",
    "source": "sources/ap-russia-north-korea-timeline-th/",
    "people": "people/",
    "person": "people/kim-jong-un/",
    "search": "search/?q=%E0%B8%A3%E0%B8%B1%E0%B8%AA%E0%B9%80%E0%B8%8B%E0%B8%B5%E0%B8%A2",  # รัสเซีย
    "embed": "embed/",
    "not-found": "no-such-page/",
}

# Measured in the page: horizontal overflow, and the interactive elements too small to tap
# (links inside a sentence are exempt, as in WCAG).
CHECKS = """() => ({
    overflow: document.documentElement.scrollWidth - window.innerWidth,
    small: [...document.querySelectorAll('a[href], button, input, select')]
        .filter(e => getComputedStyle(e).display !== 'inline'
                     || !e.closest('p, li, dd, figcaption, blockquote'))
        .filter(e => { const b = e.getBoundingClientRect();
                       return b.width > 0 && (b.width < 24 || b.height < 24); })
        .map(e => `${e.tagName.toLowerCase()} "${(e.textContent || e.name).trim().slice(0, 30)}"`),
})"""


def _manage(env, *args, **kwargs):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, **kwargs
    )


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(url, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"The server did not answer at {url} within {seconds} s.")


@contextmanager
def seed_server():
    """The seed fixtures served from a temporary directory; yields the base URL."""
    tmp = Path(tempfile.mkdtemp(prefix="screens-"))
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp / 'db.sqlite3'}",
        "DJANGO_STATIC_ROOT": str(tmp / "static"),
        "DJANGO_DEBUG": "0",
        "DJANGO_HTTPS": "0",
    }
    _manage(env, "migrate", "--no-input", "-v0")
    _manage(env, "load_seed", stdout=subprocess.DEVNULL)
    _manage(env, "collectstatic", "--no-input", "-v0")
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for(f"http://127.0.0.1:{port}/th/")
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(tmp, ignore_errors=True)


def save_slices(page, path, height):
    """The whole page cut into screen-high pieces, easier to look at than one long strip."""
    total = page.evaluate("document.documentElement.scrollHeight")
    width = page.viewport_size["width"]
    for number, top in enumerate(range(0, total, height), start=1):
        clip = {"x": 0, "y": top, "width": width, "height": min(height, total - top)}
        page.screenshot(path=path.with_name(f"{path.stem}-{number}.png"), full_page=True, clip=clip)


def shoot(browser, base_url, screen, split):
    context = browser.new_context(locale="th-TH", **SCREENS[screen])
    page = context.new_page()
    for language in ("th", "en"):
        for name, path in PAGES.items():
            response = page.goto(f"{base_url}/{language}/{path}")
            page.evaluate("document.fonts.ready")
            target = OUT / f"{language}-{name}-{screen}.png"
            page.screenshot(path=target, full_page=True)
            if split:
                save_slices(page, target, SCREENS[screen]["viewport"]["height"])
            found = page.evaluate(CHECKS)
            overflow = f"  {found['overflow']} px too wide" if found["overflow"] > 0 else ""
            small = f"  small targets: {', '.join(found['small'])}" if found["small"] else ""
            print(f"{response.status} {target.relative_to(ROOT)}{overflow}{small}")
    context.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="a running site (default: serve the seed fixtures here)")
    parser.add_argument("--split", action="store_true", help="also save screen-high slices")
    options = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    server = seed_server() if options.url is None else nullcontext(options.url)
    with server as base_url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for screen in SCREENS:
            shoot(browser, base_url.rstrip("/"), screen, options.split)
        browser.close()


if __name__ == "__main__":
    main()
