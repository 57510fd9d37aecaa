"""Translation status: missing, stale, confirmed; set by edits and imports, shown to readers."""

import io

import pytest
from django.core.management import call_command
from django.test import Client

from newsroom.translations.status import (
    CURRENT,
    MISSING,
    STALE,
    stale_fields,
    translation_confirm,
    translation_state,
)
from tests.factories import EventFactory
from tests.forms import form_data
from timeline.models import Event

pytestmark = pytest.mark.django_db
EN = {"accept-language": "en"}


def _edit_thai_title(client, event, title):
    url = f"/admin/timeline/event/{event.pk}/change/"
    data = form_data(client.get(url).content.decode(), "event_form")
    data["title_th"] = [title]
    assert client.post(url, data).status_code == 302


def test_a_thai_edit_of_a_published_event_makes_its_english_stale_until_confirmed(
    editor_client, editor
):
    event = Event.objects.published().get(date="2012")
    assert translation_state(event, "en") == CURRENT
    _edit_thai_title(editor_client, event, "คิม จองอึน ขึ้นสู่อำนาจ (ปรับปรุง)")
    event.refresh_from_db()
    assert translation_state(event, "en") == STALE
    listing = editor_client.get("/admin/timeline/event/?stale=en").content.decode()
    assert "(ปรับปรุง)" in listing
    translation_confirm(obj=event, language="en", by=editor)
    assert translation_state(event, "en") == CURRENT


def test_an_english_edit_does_not_make_anything_stale(editor_client):
    event = Event.objects.published().get(date="2012")
    url = f"/admin/timeline/event/{event.pk}/change/"
    data = form_data(editor_client.get(url).content.decode(), "event_form")
    data["title_en"] = ["A better English title"]
    editor_client.post(url, data)
    assert translation_state(Event.objects.get(pk=event.pk), "en") == CURRENT


def test_a_draft_edit_does_not_mark_stale_but_a_missing_translation_is_missing(editor_client):
    draft = EventFactory(status="draft", title_en="", summary_en="")
    assert translation_state(draft, "en") == MISSING
    published = Event.objects.published().get(date="2012")
    Event.objects.filter(pk=published.pk).update(status="draft")
    _edit_thai_title(editor_client, Event.objects.get(pk=published.pk), "แก้ฉบับร่าง")
    assert translation_state(Event.objects.get(pk=published.pk), "en") == CURRENT


def test_an_import_that_changes_the_thai_makes_the_english_stale(tmp_path):
    event = Event.objects.published().get(date="2012")
    path = tmp_path / "thai.csv"
    path.write_text(f"slug,date,title_th\n{event.slug},2012,ชื่อภาษาไทยใหม่\n", encoding="utf-8")
    call_command("import_events", str(path), stdout=io.StringIO())
    assert translation_state(Event.objects.get(pk=event.pk), "en") == STALE


def test_readers_of_a_stale_translation_are_told_the_original_changed(editor_client, settings):
    event = Event.objects.published().get(date="2012")
    _edit_thai_title(editor_client, event, "ชื่อใหม่")
    reader = Client()
    assert 'class="notice-updated"' in reader.get(f"/en/events/{event.slug}/").content.decode()
    assert 'class="notice-updated"' not in reader.get(f"/th/events/{event.slug}/").content.decode()
    settings.SHOW_STALE_TRANSLATION_NOTICE = False
    assert 'class="notice-updated"' not in reader.get(f"/en/events/{event.slug}/").content.decode()


def test_a_translator_confirms_from_the_admin(editor_client, translator_client):
    event = Event.objects.published().get(date="2012")
    _edit_thai_title(editor_client, event, "ชื่อใหม่อีกครั้ง")
    translator_client.post(
        "/admin/timeline/event/", {"action": "confirm_translation", "_selected_action": [event.pk]}
    )
    assert translation_state(Event.objects.get(pk=event.pk), "en") == CURRENT


def test_coverage_says_how_much_of_the_published_timeline_is_translated(editor_client):
    out = io.StringIO()
    call_command("translation_coverage", stdout=out)
    assert "events" in out.getvalue() and "(100%)" in out.getvalue()
    _edit_thai_title(editor_client, Event.objects.published().get(date="2012"), "ใหม่")
    out = io.StringIO()
    call_command("translation_coverage", stdout=out)
    assert "1 stale" in out.getvalue().replace("    ", " ") or "    1 stale" in out.getvalue()


def test_the_worklist_counts_missing_and_stale_and_links_to_the_lists(editor_client):
    _edit_thai_title(editor_client, Event.objects.published().get(date="2012"), "ใหม่")
    EventFactory(title_en="", summary_en="")  # published, English missing
    english = {"accept-language": "en"}
    assert "/admin/worklist/" in editor_client.get("/admin/", headers=english).content.decode()
    page = editor_client.get("/admin/worklist/", headers=english).content.decode()
    assert '<a href="/admin/timeline/event/?stale=en">1</a>' in page
    assert '<a href="/admin/timeline/event/?missing=en">1</a>' in page
    assert Client().get("/admin/worklist/").status_code == 302  # staff only


# Field by field: which fields to redo, and what changed in their original.


def test_a_thai_edit_makes_stale_only_the_fields_it_changed_and_keeps_their_old_text(
    editor_client,
):
    event = Event.objects.published().get(date="2012")
    first_title = event.title_th
    _edit_thai_title(editor_client, event, "คิม จองอึน ขึ้นสู่อำนาจ (ปรับปรุง)")
    _edit_thai_title(editor_client, event, "คิม จองอึน ขึ้นสู่อำนาจ (ปรับปรุงอีก)")
    # The translation was made from the first title: that is the text kept, not the second.
    assert stale_fields(Event.objects.get(pk=event.pk), "en") == {"title": first_title}


def test_the_form_shows_an_editor_what_changed_in_the_thai_then_they_confirm_in_one_save(
    editor_client,
):
    # A translator does this in the translation view (test_translation_view.py).
    event = Event.objects.published().get(date="2012")
    _edit_thai_title(editor_client, event, event.title_th + " และจีน")
    url = f"/admin/timeline/event/{event.pk}/change/"
    page = editor_client.get(url, headers=EN).content.decode()
    assert "Translation out of date" in page
    assert "<ins>" in page and "จีน</ins>" in page.replace("\u200b", "")  # the words added
    section = page.split("Translation out of date")[1].split("</fieldset>")[0]
    assert "Summary" not in section  # the summary's Thai did not change

    data = form_data(page, "event_form")
    data["title_en"] = ["Kim Jong Un comes to power, courts the Kremlin and China"]
    data["translation_confirmed"] = ["on"]
    response = editor_client.post(url, data, headers=EN)
    assert response.status_code == 302, response.content.decode()[:2000]
    event = Event.objects.get(pk=event.pk)
    assert translation_state(event, "en") == CURRENT and stale_fields(event, "en") == {}
    assert "Translation out of date" not in editor_client.get(url, headers=EN).content.decode()


def test_saving_without_ticking_the_box_leaves_the_translation_stale(editor_client):
    event = Event.objects.published().get(date="2012")
    _edit_thai_title(editor_client, event, "ชื่อใหม่")
    url = f"/admin/timeline/event/{event.pk}/change/"
    data = form_data(editor_client.get(url).content.decode(), "event_form")
    data["title_en"] = ["Half done"]
    assert editor_client.post(url, data).status_code == 302
    assert translation_state(Event.objects.get(pk=event.pk), "en") == STALE


def test_an_import_records_which_fields_it_made_stale(tmp_path):
    event = Event.objects.published().get(date="2012")
    old_summary = event.summary_th
    path = tmp_path / "thai.csv"
    row = f"{event.slug},2012,{event.title_th},สรุปใหม่"
    path.write_text(f"slug,date,title_th,summary_th\n{row}\n", encoding="utf-8")
    call_command("import_events", str(path), stdout=io.StringIO())
    assert stale_fields(Event.objects.get(pk=event.pk), "en") == {"summary": old_summary}
