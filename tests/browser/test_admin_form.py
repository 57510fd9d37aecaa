"""The editorial form in Chromium: one language switch for every field, Thai (the original)
first and the editor's choice remembered across saves and items; a form that fits a laptop's
screen, with readable Thai; styled breadcrumbs on our own pages."""

import pytest

from newsroom.accounts import editor_create
from newsroom.history.versions import versions_of
from tests.browser.conftest import ADMIN_PASSWORD, sign_in
from timeline.models import Event
from timeline.services import event_save

pytestmark = pytest.mark.django_db(transaction=True)
LAPTOP = {"viewport": {"width": 1366, "height": 768}}
TEXTS = ("title", "summary", "body")


def _visible(page, language):
    return [page.locator(f"#id_{name}_{language}").is_visible() for name in TEXTS]


def _pressed(page):
    return page.locator("#language-switch button[aria-pressed=true]").get_attribute("data-language")


def test_one_switch_shows_every_field_in_a_language_and_remembers_it(new_page, live_server, seeded):
    editor_create(username="somchai", password=ADMIN_PASSWORD)
    event, other = Event.objects.filter(citations__isnull=False).distinct()[:2]
    page = new_page(**LAPTOP)
    sign_in(page, live_server.url, "somchai", then=f"/admin/timeline/event/{event.pk}/change/")

    # Thai, the original, comes first and opens first; its fields only are shown.
    buttons = page.locator("#language-switch button")
    assert buttons.evaluate_all("bs => bs.map(b => b.dataset.language)") == ["th", "en"]
    assert buttons.first.inner_text() == "ไทย (ต้นฉบับ)"
    assert _pressed(page) == "th"
    assert _visible(page, "th") == [True] * 3 and _visible(page, "en") == [False] * 3

    # One click switches every field, the citations' notes too.
    page.click("#language-switch button[data-language=en]")
    assert _visible(page, "en") == [True] * 3 and _visible(page, "th") == [False] * 3
    page.locator("#citations-group summary").click()
    assert page.locator("#id_citations-0-note_en").is_visible()
    assert not page.locator("#id_citations-0-note_th").is_visible()
    rows = page.locator("#citations-group .inline-related:not(.empty-form)").count()
    page.locator("#citations-group .add-row a").click()  # a new row opens in English too
    assert page.locator(f"#id_citations-{rows}-note_en").is_visible()
    assert not page.locator(f"#id_citations-{rows}-note_th").is_visible()
    page.locator(f"#citations-{rows} .inline-deletelink").click()  # not saved: no source

    # After a save, the form and the switch still agree, on this item and the next.
    page.fill("#id_title_en", event.title_en + " (checked)")
    with page.expect_navigation():
        page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")
    assert _pressed(page) == "en" and _visible(page, "en") == [True] * 3
    page.goto(f"{live_server.url}/admin/timeline/event/{other.pk}/change/")
    assert _pressed(page) == "en" and _visible(page, "th") == [False] * 3
    assert page.console_errors == []

    # Another browser, its admin in English: Thai, the original, still opens first.
    english = new_page(**LAPTOP, locale="en-US")
    sign_in(english, live_server.url, "somchai", then=f"/admin/timeline/event/{event.pk}/change/")
    assert english.locator("#language-switch button").first.inner_text() == "Thai (original)"
    assert _pressed(english) == "th" and _visible(english, "th") == [True] * 3


def test_a_field_with_an_error_is_shown_in_its_language_and_its_section_opened(
    new_page, live_server, seeded
):
    editor_create(username="somchai", password=ADMIN_PASSWORD)
    event = Event.objects.filter(citations__isnull=False).first()
    page = new_page(**LAPTOP)
    sign_in(page, live_server.url, "somchai", then=f"/admin/timeline/event/{event.pk}/change/")
    page.fill("#id_title_th", "")  # the Thai title is required
    page.click("#language-switch button[data-language=en]")  # the editor's last choice
    publishing = page.locator("fieldset", has_text="สถานะการเผยแพร่").locator("details")
    assert publishing.get_attribute("open") is None  # folded until wanted
    with page.expect_navigation():
        page.click("input[name=_save]")
    assert page.locator(".errornote").is_visible()
    assert _pressed(page) == "th" and page.locator("#id_title_th").is_visible()


@pytest.mark.parametrize("language, locale", [("th", "th-TH"), ("en", "en-US")])
def test_the_event_form_fits_a_laptop_screen_with_readable_thai(
    new_page, live_server, seeded, language, locale
):
    editor_create(username="somchai", password=ADMIN_PASSWORD)
    event = Event.objects.filter(citations__isnull=False).first()
    page = new_page(**LAPTOP, locale=locale)
    sign_in(page, live_server.url, "somchai", then=f"/admin/timeline/event/{event.pk}/change/")
    page.wait_for_selector("#language-switch:not([hidden])")
    # It was 4,700 px tall, its title input 270 px wide, its Thai at 13 px.
    assert page.evaluate("document.documentElement.scrollHeight") < 2600
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    assert page.locator("#id_title_th").bounding_box()["width"] >= 600
    assert page.locator("#id_slug").bounding_box()["width"] >= 450
    size, line = page.locator("#id_summary_th").evaluate(
        "el => [getComputedStyle(el).fontSize, getComputedStyle(el).lineHeight].map(parseFloat)"
    )
    assert size >= 15 and line / size >= 1.6


def test_our_pages_have_styled_breadcrumbs(new_page, live_server, seeded):
    chief, _password = editor_create(username="malee", password=ADMIN_PASSWORD, role="chief")
    event = Event.objects.filter(citations__isnull=False).first()
    event.title_en += " (checked)"
    event_save(event=event, by=chief)
    version = versions_of(event).last().pk
    base = f"/admin/timeline/event/{event.pk}/history/"
    page = new_page(**LAPTOP)
    sign_in(page, live_server.url, "malee")
    for path in (
        base,
        f"{base}compare/?older={version}",
        f"{base}{version}/revert/",
        "/admin/worklist/",
        "/admin/timeline/event/import/",
        "/admin/timeline/event/export/",
        "/admin/timeline/event/recover/",
    ):
        page.goto(live_server.url + path)
        crumbs = page.locator(".breadcrumbs")
        assert crumbs.evaluate("el => el.tagName") == "OL", path
        assert crumbs.evaluate("el => getComputedStyle(el).backgroundColor") == "rgb(38, 75, 93)"
        assert crumbs.locator("li").count() >= 2, path
    assert page.console_errors == []
