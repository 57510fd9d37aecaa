"""Every public page type, in Thai and English: axe-core finds nothing (WCAG 2.1 A/AA and best
practice), the Nu Html Checker finds no error, and a keyboard reader can skip to the content and
always sees where the focus is."""

import json
import re
import subprocess
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.template import loader
from django.urls import reverse
from django.utils import translation

from newsroom.models import Person, Source
from tests.browser.conftest import PHONE
from timeline.models import Era, Event

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
LANGUAGES = ["th", "en"]
SEARCH_WORDS = {"th": "รัสเซีย", "en": "Russia"}
MISSING_TOOLS = "axe-core and vnu-jar are missing: `make test` installs them (npm ci)"


def _richest_event():
    """A published event with citations, quotes and public notes: the fullest event page."""
    return (
        Event.objects.published()
        .filter(citations__isnull=False, quotes__isnull=False, notes__is_public=True)
        .distinct()
        .first()
    )


def _sources():
    """One source whose text breaks off and one that is whole: the two look different."""
    published = Source.objects.published()
    return [published.filter(is_complete=False).first(), published.filter(is_complete=True).first()]


def public_pages(language):
    """(name, path) of every public page type in ``language``."""
    event, era = _richest_event(), Era.objects.filter(events__isnull=False).last()
    person = Person.objects.filter(quotes__isnull=False, events__isnull=False).first()
    with translation.override(language):
        timeline, search = reverse("timeline:event-list"), reverse("timeline:search")
        pages = [
            ("timeline", timeline),
            ("timeline-one-era", f"{timeline}?era={era.slug}"),
            ("timeline-nothing-matches", f"{timeline}?era={era.slug}&topic=no-such-topic"),
            ("event", event.get_absolute_url()),
            ("about", reverse("timeline:about")),
            ("sources", reverse("timeline:source-list")),
            *((f"source-{s.slug}", s.get_absolute_url()) for s in _sources()),
            ("people", reverse("timeline:person-list")),
            ("person", person.get_absolute_url()),
            ("search", f"{search}?{urlencode({'q': SEARCH_WORDS[language]})}"),
            ("search-nothing-found", f"{search}?q=zzzzqqq"),
            ("embed", reverse("timeline:embed")),
            ("not-found", f"{timeline}no-such-page/"),
        ]
    return pages


def expected_status(name):
    return 404 if name == "not-found" else 200


def axe_violations(page):
    page.add_script_tag(path=str(AXE_JS))
    script = """tags => axe.run(document, {
        runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})"""
    return page.evaluate(script, AXE_TAGS)["violations"]


def describe_violations(where, violations):
    """One line per rule broken, then one line per element that breaks it."""
    lines = []
    for violation in violations:
        lines.append(f"{where}: [{violation['impact']}] {violation['id']}: {violation['help']}")
        lines += [f"    {node['target']}  {node['html'][:160]}" for node in violation["nodes"]]
    return lines


def audit(page, base_url, pages):
    report = []
    for name, path in pages:
        status = page.goto(base_url + path).status
        if status != expected_status(name):
            report.append(f"{name} {path}: HTTP {status}, not {expected_status(name)}")
        else:
            report += describe_violations(f"{name} {path}", axe_violations(page))
    return report


transactional_db = pytest.mark.django_db(transaction=True)


@transactional_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_public_page_passes_axe(new_page, live_server, seeded, language):
    assert AXE_JS.exists(), MISSING_TOOLS
    # The site's CSP forbids injected scripts, axe's included: bypass it for the audit only.
    report = audit(new_page(bypass_csp=True), live_server.url, public_pages(language))
    if report:
        pytest.fail("axe-core violations:\n" + "\n".join(report), pytrace=False)


@transactional_db
def test_timeline_and_event_page_pass_axe_on_a_phone(new_page, live_server, seeded):
    pages = [
        (name, path)
        for language in LANGUAGES
        for name, path in public_pages(language)
        if name in ("timeline", "event")
    ]
    report = audit(new_page(**PHONE, bypass_csp=True), live_server.url, pages)
    if report:
        pytest.fail("axe-core violations on a 390 px phone:\n" + "\n".join(report), pytrace=False)


def _vnu(files):
    """The Nu Html Checker over all files in one Java start (each start costs seconds)."""
    command = ["java", "-jar", str(VNU_JAR), "--stdout", "--format", "json", *map(str, files)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    return json.loads(result.stdout)["messages"]


def _html_files(client, directory):
    files = []
    for language in LANGUAGES:
        for name, path in public_pages(language):
            response = client.get(path)
            assert response.status_code == expected_status(name), path
            files.append(directory / f"{language}-{re.sub(r'[^\w-]', '_', name)}.html")
            files[-1].write_bytes(response.content)
    # The server-error page is rendered without a request or a database.
    files.append(directory / "server-error.html")
    files[-1].write_text(loader.get_template("500.html").render(), encoding="utf-8")
    return files


@pytest.mark.django_db
def test_every_public_page_is_valid_html(client, tmp_path):
    assert VNU_JAR.exists(), MISSING_TOOLS
    messages = _vnu(_html_files(client, tmp_path))

    def where(m):
        return f"{Path(m.get('url', '?')).name}:{m.get('lastLine', '?')}: {m['message']}"

    for warning in (m for m in messages if m["type"] != "error"):
        print("vnu warning:", where(warning))
    errors = [where(m) for m in messages if m["type"] in ("error", "non-document-error")]
    if errors:
        pytest.fail("Nu Html Checker errors:\n" + "\n".join(errors), pytrace=False)


FOCUS_STYLE = """() => {
    const element = document.activeElement, style = getComputedStyle(element);
    return {
        element: element.outerHTML.slice(0, 120),
        outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
        shadow: style.boxShadow !== 'none',
    };
}"""


def _skip_link_is_visible(page):
    """In the viewport, and the topmost element at its centre (nothing covers it)."""
    return page.evaluate("""() => {
        const link = document.activeElement, box = link.getBoundingClientRect();
        const centre = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
        return box.top >= 0 && box.width > 0 && link.contains(centre);
    }""")


@transactional_db
def test_keyboard_reader_skips_to_the_content(page, live_server, seeded):
    page.goto(f"{live_server.url}/th/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#main"
    assert _skip_link_is_visible(page)
    assert page.evaluate("document.activeElement.textContent.trim()") == "ข้ามไปยังเนื้อหา"

    page.keyboard.press("Enter")
    # The fragment navigation reaches Playwright as an event after the key press returns.
    page.wait_for_url("**/th/#main")
    # The next Tab starts from the content, not from the header's links.
    page.keyboard.press("Tab")
    assert page.evaluate("document.querySelector('main').contains(document.activeElement)")
    assert page.console_errors == []


@transactional_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_focused_control_shows_a_focus_ring(page, live_server, seeded, language):
    """The first 30 Tab stops of the timeline: header links, language links, filters, events."""
    page.goto(f"{live_server.url}/{language}/")
    unmarked = []
    for _stop in range(30):
        page.keyboard.press("Tab")
        focus = page.evaluate(FOCUS_STYLE)
        if not (focus["outline"] or focus["shadow"]):
            unmarked.append(focus["element"])
    if unmarked:
        pytest.fail("Focused without a visible focus ring:\n" + "\n".join(unmarked), pytrace=False)
