"""Each role tried through the admin: what it may do, and what it may not."""

import pytest
from django.test import Client

from newsroom.accounts import editor_create
from tests.forms import form_data
from timeline.models import Event

pytestmark = pytest.mark.django_db


def test_a_translator_edits_the_english_and_the_thai_stays_even_if_the_form_is_tampered(
    translator_client,
):
    event = Event.objects.published().get(date="2012")
    url = f"/admin/timeline/event/{event.pk}/translate/en/"
    assert translator_client.get(f"/admin/timeline/event/{event.pk}/change/").url == url
    page = translator_client.get(url, headers={"accept-language": "en"}).content.decode()
    assert 'name="title_en"' in page and 'name="title_th"' not in page  # Thai is read-only
    data = form_data(page, "translate-form")
    data["title_en"] = ["Kim Jong Un takes power"]
    data["title_th"] = ["แก้ภาษาไทยโดยผู้แปล"]  # tampered: no such field in the form
    data["date"] = ["1999"]
    assert translator_client.post(url, data).status_code == 302
    event.refresh_from_db()
    assert event.title_en == "Kim Jong Un takes power"
    assert event.title_th != "แก้ภาษาไทยโดยผู้แปล" and event.date == "2012"
    # The change form, posted to directly, is held to the same limits.
    change = f"/admin/timeline/event/{event.pk}/change/"
    translator_client.post(change, {"title_th": "แก้ภาษาไทยโดยผู้แปล", "date": "1999"})
    event.refresh_from_db()
    assert event.title_th != "แก้ภาษาไทยโดยผู้แปล" and event.date == "2012"


def test_a_translator_may_not_add_delete_publish_or_import(translator_client):
    event = Event.objects.published().first()
    assert translator_client.get("/admin/timeline/event/add/").status_code == 403
    assert translator_client.get(f"/admin/timeline/event/{event.pk}/delete/").status_code == 403
    assert translator_client.get("/admin/timeline/event/import/").status_code == 403
    translator_client.post(
        "/admin/timeline/event/", {"action": "make_draft", "_selected_action": [event.pk]}
    )
    assert Event.objects.get(pk=event.pk).status == "published"


def test_a_thai_translator_writes_only_thai():
    user, _password = editor_create(
        username="test-th", password="a-long-test-passphrase", role="translator-th"
    )
    client = Client()
    client.force_login(user)
    event = Event.objects.first()
    page = client.get(f"/admin/timeline/event/{event.pk}/change/", follow=True)
    assert page.redirect_chain[0][0].endswith(f"/event/{event.pk}/translate/th/")
    page = page.content.decode()
    assert 'name="title_th"' in page and 'name="title_en"' not in page
    assert 'name="_confirm"' not in page  # Thai is the original: nothing to confirm


def test_an_editor_writes_both_languages_but_may_not_publish(editor_client, chief_client):
    event = Event.objects.published().first()
    page = editor_client.get(f"/admin/timeline/event/{event.pk}/change/").content.decode()
    assert 'name="title_th"' in page and 'name="title_en"' in page
    assert 'name="publish_at_0"' not in page  # scheduling is a chief editor's
    chief_page = chief_client.get(f"/admin/timeline/event/{event.pk}/change/").content.decode()
    assert 'name="publish_at_0"' in chief_page
