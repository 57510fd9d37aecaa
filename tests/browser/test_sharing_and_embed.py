"""In Chromium: JSON-LD under the strict CSP, the embed in another site's iframe, the print page."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from newsroom.models import Source
from timeline.models import Event

pytestmark = pytest.mark.django_db(transaction=True)

# Collects every Content-Security-Policy violation the page reports, from its first moment.
WATCH_CSP = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation",
  (e) => window.cspViolations.push(e.violatedDirective + " " + e.blockedURI));
"""


def test_structured_data_passes_the_strict_csp_without_a_violation(page, live_server, seeded):
    page.add_init_script(WATCH_CSP)
    event = Event.objects.published().get(notes__kind="correction")
    source = Source.objects.published().first()
    for path in (f"/th/events/{event.slug}/", f"/en/sources/{source.slug}/"):
        page.goto(f"{live_server.url}{path}")
        block = page.locator('script[type="application/ld+json"]')
        assert block.count() == 1
        assert (
            page.evaluate(
                "JSON.parse(document.querySelector('script[type=\"application/ld+json\"]').textContent)['@context']"
            )
            == "https://schema.org"
        )
        assert page.evaluate("window.cspViolations") == []
    assert page.console_errors == []


@pytest.fixture
def other_site():
    """Another newsroom's page, served from another origin on this machine (Chromium refuses
    to let a page it did not get from a local address frame a local one at all)."""
    pages = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            body = pages.get(self.path, "").encode()
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield pages, f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_another_site_can_frame_the_embed_but_not_the_other_pages(
    page, live_server, seeded, other_site
):
    pages, origin = other_site
    pages["/"] = (
        f'<iframe id="embed" title="embed" src="{live_server.url}/en/embed/"></iframe>'
        f'<iframe id="page" title="page" src="{live_server.url}/en/"></iframe>'
    )
    assert origin.split(":")[1] != live_server.url.split(":")[1]  # 127.0.0.1, not localhost
    page.goto(f"{origin}/")
    embed = page.frame_locator("#embed")
    embed.locator(".embed-name a").wait_for()
    assert embed.locator(".event-title a").first.get_attribute("target") == "_blank"
    page.wait_for_load_state("load")
    # Refused by X-Frame-Options and CSP frame-ancestors: Chromium shows its error page.
    assert page.frame_locator("#page").locator(".site-name").count() == 0
    assert any(frame.url.startswith("chrome-error://") for frame in page.frames)


def test_the_printed_event_page_is_black_on_white_without_chrome(page, live_server, seeded):
    event = Event.objects.published().get(notes__kind="correction")
    page.goto(f"{live_server.url}/en/events/{event.slug}/")
    page.emulate_media(media="print")
    for chrome in (".site-nav", ".language-switcher", ".site-footer", ".pager"):
        assert not page.locator(chrome).first.is_visible(), chrome
    color, background = page.evaluate(
        "[getComputedStyle(document.querySelector('h1')).color,"
        " getComputedStyle(document.body).backgroundColor]"
    )
    assert (color, background) == ("rgb(0, 0, 0)", "rgb(255, 255, 255)")
    after = page.evaluate(
        "getComputedStyle(document.querySelector('.citation-source a'), '::after').content"
    )
    assert f"{live_server.url}/en/sources/" in after
    breaks = page.evaluate("getComputedStyle(document.querySelector('.citation')).breakInside")
    assert breaks == "avoid"
