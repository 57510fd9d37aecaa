"""A translator in Chromium: the Thai of an event changed; opening the event, they get its
translation view, see the Thai beside the English and what changed, fix the English and
confirm in one step; English readers stop being told it is behind."""

import pytest

from newsroom.accounts import editor_create
from newsroom.translations.status import CURRENT, STALE, translation_state
from tests.browser.conftest import PHONE
from tests.browser.test_accessibility import axe_violations, describe_violations
from timeline.models import Event
from timeline.services import event_save

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "a-long-test-passphrase"
SCREENS = {"desktop": {"viewport": {"width": 1366, "height": 900}}, "phone": PHONE}


def _stale_event():
    event = Event.objects.published().get(date="2012")
    event.title_th += " และจีน"  # an editor adds "and China" to the Thai title
    event_save(event=event)
    assert translation_state(event, "en") == STALE
    return event


def _log_in(page, live_server, url, username):
    page.goto(f"{live_server.url}{url}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")


def test_translator_sees_the_thai_beside_the_english_and_confirms_in_one_step(
    new_page, live_server, seeded
):
    event = _stale_event()
    reader = new_page()
    reader.goto(f"{live_server.url}/en/events/{event.slug}/")
    assert reader.locator(".notice-updated").count() == 1

    editor_create(username="malee", password=PASSWORD, role="translator")
    page = new_page()
    _log_in(page, live_server, f"/admin/timeline/event/{event.pk}/change/", "malee")
    page.wait_for_url(f"**/admin/timeline/event/{event.pk}/translate/en/")

    # The title: the Thai as it is now, its added words marked, the English beside it.
    title = page.locator("section.translate-field").first
    assert "ไม่เป็นปัจจุบัน" in title.locator(".translate-state").inner_text()
    assert "จีน" in title.locator(".translate-diff ins").inner_text()
    original = title.locator(".translate-original").bounding_box()
    english = title.locator("#id_title_en").bounding_box()
    assert english["x"] > original["x"] + original["width"] - 1  # side by side
    assert abs(english["y"] - original["y"]) < 60
    assert page.locator("#id_title_th").count() == 0  # the Thai is read-only for them

    page.fill("#id_title_en", "Kim Jong Un comes to power and courts the Kremlin and China")
    page.get_by_role("button", name="บันทึกและยืนยันคำแปล").click()
    page.wait_for_selector(".messagelist .success")
    assert "เป็นปัจจุบัน" in title.locator(".translate-state").inner_text()
    assert page.console_errors == []

    event.refresh_from_db()
    assert event.title_en.endswith("and China")
    assert translation_state(event, "en") == CURRENT
    reader = new_page()  # a reader arriving now (the first one's browser may keep its copy)
    reader.goto(f"{live_server.url}/en/events/{event.slug}/")
    assert reader.locator("h1").inner_text() == event.title_en
    assert reader.locator(".notice-updated").count() == 0


def test_the_translation_view_stacks_on_a_phone(new_page, live_server, seeded):
    event = _stale_event()
    editor_create(username="malee", password=PASSWORD, role="translator")
    page = new_page(**PHONE)
    _log_in(page, live_server, f"/admin/timeline/event/{event.pk}/translate/en/", "malee")
    page.wait_for_selector("#translate-form")
    width = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert width <= 0  # nothing wider than the phone
    title = page.locator("section.translate-field").first
    original = title.locator(".translate-original").bounding_box()
    english = title.locator("#id_title_en").bounding_box()
    assert english["y"] > original["y"] + original["height"] - 1  # one above the other


@pytest.mark.parametrize("locale", ["th-TH", "en-US"])
@pytest.mark.parametrize("screen", ["desktop", "phone"])
def test_the_translation_view_and_worklist_pass_axe(
    new_page, live_server, seeded, locale, screen, tmp_path
):
    event = _stale_event()
    Event.objects.filter(pk=event.pk).update(body_en="")  # a missing field too
    editor_create(username="malee", password=PASSWORD, role="translator")
    page = new_page(locale=locale, bypass_csp=True, **SCREENS[screen])
    report = []
    for name, url in [
        ("translate", f"/admin/timeline/event/{event.pk}/translate/en/"),
        ("worklist", "/admin/worklist/"),
    ]:
        if page.url == "about:blank":
            _log_in(page, live_server, url, "malee")
            page.wait_for_url(f"**{url}")
        else:
            page.goto(f"{live_server.url}{url}")
        page.screenshot(path=tmp_path / f"{name}-{locale}-{screen}.png", full_page=True)
        report += describe_violations(f"{name} ({locale}, {screen})", axe_violations(page))
    if report:
        pytest.fail("axe-core violations:\n" + "\n".join(report), pytrace=False)
