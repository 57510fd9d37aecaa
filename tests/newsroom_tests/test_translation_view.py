"""The translation view: the Thai original and the translation side by side, field by field,
with each field's state; saved through the item's write service and confirmed in one step."""

import pytest
from reversion.models import Version

from newsroom.translations.status import CURRENT, STALE, stale_fields, translation_state
from tests.factories import EventFactory
from tests.forms import form_data
from timeline.models import Event

pytestmark = pytest.mark.django_db
EN = {"accept-language": "en"}


def translate_url(obj, language="en"):
    opts = obj._meta
    return f"/admin/{opts.app_label}/{opts.model_name}/{obj.pk}/translate/{language}/"


def _edit_thai_title(client, event, title):
    url = f"/admin/timeline/event/{event.pk}/change/"
    data = form_data(client.get(url).content.decode(), "event_form")
    data["title_th"] = [title]
    assert client.post(url, data).status_code == 302


@pytest.fixture
def stale_event(editor_client):
    event = Event.objects.published().get(date="2012")
    _edit_thai_title(editor_client, event, event.title_th + " และจีน")
    return Event.objects.get(pk=event.pk)


def test_a_translator_opening_an_item_gets_the_translation_view(translator_client, stale_event):
    response = translator_client.get(f"/admin/timeline/event/{stale_event.pk}/change/")
    assert response.status_code == 302 and response.url == translate_url(stale_event)
    assert translator_client.get(translate_url(stale_event, "th")).status_code == 403


def test_each_field_shows_the_thai_beside_the_english_with_its_state(
    translator_client, stale_event
):
    Event.objects.filter(pk=stale_event.pk).update(body_en="")  # a missing translation
    page = translator_client.get(translate_url(stale_event), headers=EN).content.decode()
    title = page.split('id="translate-label-1"')[1].split("</section>")[0]
    assert "out of date: the original changed" in title
    assert stale_event.title_th.split(" และ")[0] in title  # the Thai as it is now
    assert "จีน</ins>" in title.replace("\u200b", "")  # the words the Thai gained
    assert f'value="{stale_event.title_en}"' in title  # the English to fix, beside it
    summary = page.split('id="translate-label-2"')[1].split("</section>")[0]
    assert "up to date" in summary and "<ins>" not in summary
    body = page.split('id="translate-label-3"')[1].split("</section>")[0]
    assert "not translated yet" in body
    assert 'name="title_th"' not in page  # the original is read-only here


def test_saving_and_confirming_is_one_step_through_the_items_write_service(
    translator_client, stale_event
):
    url = translate_url(stale_event)
    data = form_data(translator_client.get(url).content.decode(), "translate-form", crlf=True)
    data["title_en"] = ["Kim Jong Un comes to power and courts the Kremlin and China"]
    data["title_th"] = ["แก้ภาษาไทยโดยผู้แปล"]  # tampered: no such field here
    data["_confirm"] = ["Save and confirm"]
    response = translator_client.post(url, data, headers=EN)
    assert response.status_code == 302 and response.url == url
    event = Event.objects.get(pk=stale_event.pk)
    assert event.title_en.endswith("and China") and event.title_th == stale_event.title_th
    assert event.body_en == stale_event.body_en  # CRLF from the textarea is no change
    assert translation_state(event, "en") == CURRENT and stale_fields(event, "en") == {}
    latest = Version.objects.get_for_object(event).first()
    assert latest.field_dict["title_en"] == event.title_en
    assert latest.revision.comment == "Translation into English"
    assert latest.revision.user.username == "test-translator"
    page = translator_client.get(url, headers=EN).content.decode()
    assert "saved and confirmed" in page and "out of date" not in page


def test_saving_without_confirming_leaves_it_stale(translator_client, stale_event):
    url = translate_url(stale_event)
    data = form_data(translator_client.get(url).content.decode(), "translate-form")
    data["title_en"] = ["Half done"]
    data["_save"] = ["Save"]
    assert translator_client.post(url, data).status_code == 302
    event = Event.objects.get(pk=stale_event.pk)
    assert event.title_en == "Half done" and translation_state(event, "en") == STALE


def test_a_bad_value_is_refused_with_its_reason_and_nothing_is_saved(
    translator_client, stale_event
):
    url = translate_url(stale_event)
    data = form_data(translator_client.get(url).content.decode(), "translate-form")
    data["title_en"] = ["x" * 301]
    data["_confirm"] = ["Save and confirm"]
    page = translator_client.post(url, data, headers=EN).content.decode()
    assert "at most 300 characters" in page
    event = Event.objects.get(pk=stale_event.pk)
    assert event.title_en == stale_event.title_en and translation_state(event, "en") == STALE


def test_an_editor_reaches_it_from_the_form_and_keeps_the_full_form(editor_client, stale_event):
    form = editor_client.get(f"/admin/timeline/event/{stale_event.pk}/change/", headers=EN)
    assert form.status_code == 200
    assert f'href="{translate_url(stale_event)}"' in form.content.decode()
    page = editor_client.get(translate_url(stale_event), headers=EN).content.decode()
    assert "Full form" in page


def test_the_worklist_opens_the_translation_view_of_each_item(translator_client, stale_event):
    untranslated = EventFactory(title_th="ยังไม่แปล", title_en="", status="published")
    page = translator_client.get("/admin/worklist/", headers=EN).content.decode()
    assert f'href="{translate_url(stale_event)}"' in page
    assert f'href="{translate_url(untranslated)}"' in page


def test_an_events_citations_and_notes_are_linked_for_translation(translator_client):
    event = Event.objects.published().filter(citations__isnull=False).first()
    page = translator_client.get(translate_url(event), headers=EN).content.decode()
    citation = event.citations.first()
    assert f'href="{translate_url(citation)}"' in page
    assert translator_client.get(translate_url(citation)).status_code == 200
