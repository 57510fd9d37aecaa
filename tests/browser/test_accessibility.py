"""Every public page type, in Thai and English: axe-core finds nothing (WCAG 2.1 A/AA and best
practice), the Nu Html Checker finds no error, and a keyboard reader can skip to the content and
always sees where the focus is. The same for every admin page an editor, a translator or a chief
editor uses (list, add, change, history, compare, revert, import and its preview, worklist,
accounts), in the admin's two languages (chosen by the browser's Accept-Language)."""

import json
import re
import subprocess
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import loader
from django.test import Client
from django.urls import reverse
from django.utils import translation

from newsroom.accounts import editor_create
from newsroom.history.versions import versions_of
from newsroom.models import Person, Source
from tests.browser.conftest import ADMIN_PASSWORD, PHONE, sign_in
from timeline.models import Era, Event
from timeline.services import event_save

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


# The admin ---------------------------------------------------------------------------------

ADMIN_PEOPLE = {"editor": "a11y-editor", "translator": "a11y-translator", "chief": "a11y-chief"}
BROWSER_LOCALES = {"th": "th-TH", "en": "en-US"}


def _admin_people():
    return {
        role: editor_create(username=username, password=ADMIN_PASSWORD, role=role)[0]
        for role, username in ADMIN_PEOPLE.items()
    }


def _edited_event(by):
    """The fullest event, saved twice: its history has versions to compare and revert to."""
    event = _richest_event()
    for words in (" (checked)", " (revised)"):
        event.title_en += words
        event_save(event=event, by=by)
    return event


def admin_pages(role, event, people):
    """(name, path) of the admin pages ``role`` uses. The chief editor's are the accounts
    (everything else of theirs is the editor's too)."""
    oldest = versions_of(event).last().pk
    source = Source.objects.filter(notes__isnull=False, quotes__isnull=False).first()
    events, sources = "/admin/timeline/event/", "/admin/newsroom/source/"
    if role == "chief":
        user = f"/admin/auth/user/{people['editor'].pk}/"
        return [
            ("users", "/admin/auth/user/"),
            ("user-add", "/admin/auth/user/add/"),
            ("user-change", f"{user}change/"),
            ("user-password", f"{user}password/"),
            ("roles", "/admin/auth/group/"),
            ("imports", "/admin/newsroom/importrecord/"),
        ]
    pages = [
        ("index", "/admin/"),
        ("worklist", "/admin/worklist/"),
        ("event-list", events),
        ("event-translate", f"{events}{event.pk}/translate/en/"),
        ("event-history", f"{events}{event.pk}/history/"),
        ("event-compare", f"{events}{event.pk}/history/compare/?older={oldest}"),
        ("source-list", sources),
        ("source-translate", f"{sources}{source.pk}/translate/en/"),
    ]
    if role == "editor":  # a translator's change form is the translation view
        pages += [
            ("event-change", f"{events}{event.pk}/change/"),
            ("source-change", f"{sources}{source.pk}/change/"),
            ("event-add", f"{events}add/"),
            ("event-revert", f"{events}{event.pk}/history/{oldest}/revert/"),
            ("event-import", f"{events}import/"),
            ("source-add", f"{sources}add/"),
        ]
    return pages


def import_file(event) -> bytes:
    """An update of the event's Thai summary (long: folded in the preview) and a new event."""
    longer = event.summary_th + " ต่อมาสหภาพโซเวียตส่งนักบินเข้าร่วมรบอย่างลับ ๆ" * 3
    return (
        "slug,date,title_th,title_en,summary_th\r\n"
        f"{event.slug},{event.date},{event.title_th},{event.title_en},{longer}\r\n"
        "a-new-event,2026-01,เหตุการณ์ใหม่,A new event,สรุปสั้น ๆ\r\n"
    ).encode()


def preview_in_browser(page, base_url, event, tmp_path):
    """The editor uploads the file and sees the preview, as in the admin."""
    path = tmp_path / "events.csv"
    path.write_bytes(import_file(event))
    page.goto(f"{base_url}/admin/timeline/event/import/")
    page.set_input_files("#id_import_file", str(path))
    page.select_option("#id_format", "0")
    with page.expect_navigation():
        page.click("#content form input[type=submit]")
    page.wait_for_selector(".import-preview")


@transactional_db
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("role", ["editor", "translator", "chief"])
def test_every_admin_page_passes_axe(new_page, live_server, seeded, tmp_path, role, language):
    assert AXE_JS.exists(), MISSING_TOOLS
    people = _admin_people()
    event = _edited_event(people["chief"])
    page = new_page(locale=BROWSER_LOCALES[language], bypass_csp=True)
    sign_in(page, live_server.url, ADMIN_PEOPLE[role])
    assert page.evaluate("document.documentElement.lang") == language
    report = audit(page, live_server.url, admin_pages(role, event, people))
    if role == "editor":
        preview_in_browser(page, live_server.url, event, tmp_path)
        report += describe_violations("import preview", axe_violations(page))
    assert page.console_errors == []
    if report:
        pytest.fail("axe-core violations:\n" + "\n".join(report), pytrace=False)


@transactional_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_event_form_and_the_import_preview_pass_axe_on_a_phone(
    new_page, live_server, seeded, tmp_path, language
):
    people = _admin_people()
    event = _edited_event(people["chief"])
    page = new_page(**PHONE, locale=BROWSER_LOCALES[language], bypass_csp=True)
    sign_in(page, live_server.url, ADMIN_PEOPLE["editor"])
    pages = [("event-change", f"/admin/timeline/event/{event.pk}/change/")]
    report = audit(page, live_server.url, pages)
    preview_in_browser(page, live_server.url, event, tmp_path)
    report += describe_violations("import preview", axe_violations(page))
    if report:
        pytest.fail("axe-core violations on a 390 px phone:\n" + "\n".join(report), pytrace=False)


def _admin_html_files(directory):
    people = _admin_people()
    event = _edited_event(people["chief"])
    files = []
    for role, user in people.items():
        client = Client()
        client.force_login(user)
        for language in LANGUAGES:
            headers = {"accept-language": language}
            for name, path in admin_pages(role, event, people):
                response = client.get(path, headers=headers)
                assert response.status_code == 200, (role, path)
                files.append(directory / f"admin-{role}-{language}-{name}.html")
                files[-1].write_bytes(response.content)
            if role == "editor":  # the import preview, after the upload
                upload = SimpleUploadedFile("events.csv", import_file(event))
                data = {"format": "0", "resource": "0", "import_file": upload}
                preview = client.post("/admin/timeline/event/import/", data, headers=headers)
                assert b"import-preview" in preview.content
                files.append(directory / f"admin-{role}-{language}-import-preview.html")
                files[-1].write_bytes(preview.content)
    return files


@pytest.mark.django_db
def test_every_admin_page_is_valid_html(tmp_path):
    assert VNU_JAR.exists(), MISSING_TOOLS
    messages = _vnu(_admin_html_files(tmp_path))
    errors = [
        f"{Path(m.get('url', '?')).name}:{m.get('lastLine', '?')}: {m['message']}"
        for m in messages
        if m["type"] in ("error", "non-document-error")
    ]
    if errors:
        pytest.fail("Nu Html Checker errors:\n" + "\n".join(errors), pytrace=False)
