"""A translator in Chromium hands the worklist to their CAT tool and takes it back: download
the XLIFF file from the worklist, upload the translated file, read the preview, import."""

from pathlib import Path

import pytest

from newsroom.accounts import editor_create
from newsroom.translations.status import CURRENT, translation_state
from tests.factories import EventFactory
from tests.newsroom_tests.test_translation_files import cat_tool
from timeline.models import Event

pytestmark = pytest.mark.django_db(transaction=True)


def test_translator_downloads_the_worklist_and_uploads_it_translated(
    new_page, live_server, seeded, tmp_path
):
    event = EventFactory(title_en="", summary_en="")
    editor_create(username="malee", password="a-long-test-passphrase", role="translator")
    page = new_page()
    page.goto(f"{live_server.url}/admin/worklist/")
    page.fill("#id_username", "malee")
    page.fill("#id_password", "a-long-test-passphrase")
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/worklist/")

    with page.expect_download() as download:
        page.click("#translation-file-download button")
    assert download.value.suggested_filename.endswith(".xlf")
    translated = tmp_path / "translated.xlf"
    targets = {f"events.{event.pk}.title": "Translated in a CAT tool"}
    translated.write_bytes(cat_tool(Path(download.value.path()).read_bytes(), targets))

    page.click("a[href='/admin/worklist/xliff/upload/']")
    page.set_input_files("#id_file", str(translated))
    page.click("#translation-file-upload button")
    row = page.locator("#translation-file-preview tr.applied")
    assert row.count() == 1 and "Translated in a CAT tool" in row.inner_text()
    assert Event.objects.get(pk=event.pk).title_en == ""  # a preview writes nothing

    page.get_by_role("button", name="นำเข้าคำแปล").click()
    page.wait_for_selector(".messagelist .success")
    assert page.console_errors == []
    event.refresh_from_db()
    assert event.title_en == "Translated in a CAT tool"
    assert translation_state(event, "en") != CURRENT  # its summary is still to translate
