"""A translator in Chromium: the Thai of an event changed; they see what, fix the English
beside it, and confirm in the same save; English readers stop being told it is behind."""

import pytest

from newsroom.accounts import editor_create
from newsroom.translations.status import CURRENT, STALE, translation_state
from timeline.models import Event
from timeline.services import event_save

pytestmark = pytest.mark.django_db(transaction=True)


def test_translator_sees_what_changed_in_the_thai_and_confirms_the_english(
    new_page, live_server, seeded
):
    event = Event.objects.published().get(date="2012")
    event.title_th += " และจีน"  # an editor adds "and China" to the Thai title
    event_save(event=event)
    assert translation_state(event, "en") == STALE
    reader = new_page()
    reader.goto(f"{live_server.url}/en/events/{event.slug}/")
    assert reader.locator(".notice-updated").count() == 1

    editor_create(username="malee", password="a-long-test-passphrase", role="translator")
    page = new_page()
    page.goto(f"{live_server.url}/admin/timeline/event/{event.pk}/change/")
    page.fill("#id_username", "malee")
    page.fill("#id_password", "a-long-test-passphrase")
    page.click("input[type=submit]")
    page.wait_for_url(f"**/admin/timeline/event/{event.pk}/change/")

    # The form opens with what to redo: the title only, its added Thai words marked.
    section = page.locator("fieldset", has_text="คำแปลไม่เป็นปัจจุบัน")
    assert section.locator("tbody tr").count() == 1
    assert "จีน" in section.locator("ins").inner_text()
    assert page.locator("#id_title_th").count() == 0  # the Thai is read-only for them

    # Only their language is editable: nothing to switch, the English beside the Thai.
    assert page.locator("#language-switch").is_hidden()
    page.fill("#id_title_en", "Kim Jong Un comes to power and courts the Kremlin and China")
    page.get_by_label("คำแปลตรงกับต้นฉบับตามที่บันทึกนี้").check()
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")
    assert page.console_errors == []

    event.refresh_from_db()
    assert event.title_en.endswith("and China")
    assert translation_state(event, "en") == CURRENT
    reader = new_page()  # a reader arriving now (the first one's browser may keep its copy)
    reader.goto(f"{live_server.url}/en/events/{event.slug}/")
    assert reader.locator("h1").inner_text() == event.title_en
    assert reader.locator(".notice-updated").count() == 0
