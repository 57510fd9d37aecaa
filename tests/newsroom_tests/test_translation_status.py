"""Translation status: missing, stale, confirmed; set by edits and imports, shown to readers."""

import io

import pytest
from django.core.management import call_command
from django.test import Client

from newsroom.translation_status import (
    CURRENT,
    MISSING,
    STALE,
    translation_confirm,
    translation_state,
)
from tests.factories import EventFactory
from tests.forms import form_data
from timeline.models import Event

pytestmark = pytest.mark.django_db


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


def test_a_translator_confirms_from_the_admin(editor_client):
    from newsroom.services import editor_create

    event = Event.objects.published().get(date="2012")
    _edit_thai_title(editor_client, event, "ชื่อใหม่อีกครั้ง")
    translator, _password = editor_create(
        username="t", password="a-long-test-passphrase", role="translator"
    )
    client = Client()
    client.force_login(translator)
    client.post(
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
