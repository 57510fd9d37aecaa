"""The import preview in Chromium, in the Thai admin: columns named as the admin names them,
changed cells marked word by word, long texts opened on demand, all within the screen, on a
laptop and on a phone; then confirmed."""

import pytest

from newsroom.accounts import editor_create
from tests.browser.conftest import ADMIN_PASSWORD, PHONE, sign_in
from tests.browser.test_accessibility import preview_in_browser
from timeline.models import Event

pytestmark = pytest.mark.django_db(transaction=True)
LAPTOP = {"viewport": {"width": 1366, "height": 768}}


@pytest.mark.parametrize("screen", [LAPTOP, PHONE], ids=["1366px", "390px"])
def test_an_editor_reads_the_preview_and_confirms_it(
    new_page, live_server, seeded, tmp_path, screen
):
    editor_create(username="somchai", password=ADMIN_PASSWORD)
    event = Event.objects.filter(citations__isnull=False).first()
    page = new_page(**screen)
    sign_in(page, live_server.url, "somchai")
    preview_in_browser(page, live_server.url, event, tmp_path)

    heads = page.locator(".import-preview thead th").all_inner_texts()
    assert heads[0] == "สิ่งที่จะเกิดขึ้น"
    assert "ชื่อเรื่อง [th]\ntitle_th" in heads  # the admin's label, then the file's column
    assert page.locator("h2#import-rows-heading").inner_text() == "แถวที่จะนำเข้า"

    # Only the summary changed: its cell is marked, its text folded to its start.
    changed = page.locator(".import-preview td.changed")
    assert changed.count() == 1
    full = changed.locator("details")
    assert full.locator("ins").first.is_hidden()
    full.locator("summary").click()
    assert "สหภาพโซเวียต" in full.locator("ins").first.inner_text()
    assert full.locator("ins").first.is_visible()

    # The page never scrolls sideways: a wide table scrolls inside its own box.
    width = screen["viewport"]["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    box = page.locator(".import-preview-scroll").bounding_box()
    assert box["x"] + box["width"] <= width

    with page.expect_navigation():
        page.click("input[name=confirm]")
    page.wait_for_selector(".messagelist .success")
    assert Event.objects.filter(slug="a-new-event").exists()
    event.refresh_from_db()
    assert event.summary_th.endswith("อย่างลับ ๆ")
    assert page.console_errors == []
