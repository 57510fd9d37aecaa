import pytest

from newsroom.accounts import editor_create
from timeline.models import Event

pytestmark = pytest.mark.django_db(transaction=True)


def test_editor_logs_in_edits_the_english_title_in_its_tab_and_sees_it_online(
    page, live_server, seeded
):
    editor_create(username="somchai", password="a-long-test-passphrase")
    event = Event.objects.get(date="2025-08-22")

    page.goto(f"{live_server.url}/admin/timeline/event/{event.pk}/change/")
    page.fill("#id_username", "somchai")
    page.fill("#id_password", "a-long-test-passphrase")
    page.click("input[type=submit]")

    # The form's language switch (our script, under a strict CSP) is working: the English
    # field is hidden until English is chosen.
    english_title = page.locator("#id_title_en")
    english_tab = page.locator("#language-switch button[data-language=en]")
    english_tab.wait_for()
    # Thai in the admin is drawn with our font, even on a machine without a Thai one.
    page.evaluate("document.fonts.ready")
    assert page.evaluate("document.fonts.check('16px \"Sarabun Thai\"', 'เกาหลี')")
    assert page.evaluate(
        "[...document.fonts].some(f => f.family.includes('Sarabun Thai') && f.status == 'loaded')"
    )
    assert not english_title.is_visible()
    english_tab.click()
    english_title.fill("Kim honours soldiers who fought in Kursk")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")
    assert page.console_errors == []

    page.goto(f"{live_server.url}/en/events/{event.slug}/")
    assert page.locator("h1").inner_text() == "Kim honours soldiers who fought in Kursk"
    page.goto(f"{live_server.url}/th/events/{event.slug}/")
    assert page.locator("h1").inner_text() == event.title_th
    assert page.console_errors == []


def test_reader_switches_language_and_stays_on_the_same_event(page, live_server, seeded):
    event = Event.objects.get(date="1950/1953")
    page.goto(f"{live_server.url}/")
    assert page.url == f"{live_server.url}/th/"  # a Thai browser lands on Thai
    page.click(f"a[href$='/th/events/{event.slug}/']")
    # The timeline has a language link too: click the event page's, once it is loaded.
    page.wait_for_url(f"**/th/events/{event.slug}/")
    page.click("a[hreflang=en]")
    page.wait_for_url(f"**/en/events/{event.slug}/")
    assert page.locator("h1").inner_text() == event.title_en
    # The Thai web font is ours, not a CDN's, and it loaded.
    assert page.evaluate("document.fonts.check('16px Sarabun', 'เกาหลี')")
    assert page.console_errors == []
