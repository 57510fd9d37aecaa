"""Workflow on the item's form: buttons for the moves the user may make, posted with the
whole form as a browser posts it, through the workflow service."""

import datetime

import pytest
from django.utils import timezone

from newsroom.models import WorkflowLog
from tests.factories import CitationFactory, EventFactory
from tests.forms import form_data
from timeline.models import Event

pytestmark = pytest.mark.django_db
EN = {"accept-language": "en"}


def change_url(event):
    return f"/admin/timeline/event/{event.pk}/change/"


def press(client, event, button, **fields):
    """Open the form, fill the workflow's fields, press ``button``: the browser posts the
    whole form to the button's formaction."""
    page = client.get(change_url(event), headers=EN).content.decode()
    assert f'name="workflow-to" value="{button}"' in page, f"no {button} button"
    data = form_data(page, "event_form")
    data.update({f"workflow-{name}": [value] for name, value in fields.items()})
    data["workflow-to"] = [button]
    response = client.post(
        f"/admin/timeline/event/{event.pk}/workflow/", data, headers=EN, follow=True
    )
    assert response.redirect_chain[-1][0] == change_url(event)
    return response.content.decode()


@pytest.fixture
def draft():
    event = EventFactory(slug="a-draft", title_en="A draft", status="draft")
    CitationFactory(event=event)
    return event


def _log(event):
    return list(WorkflowLog.objects.filter(object_id=event.pk).values_list("to_status", "reason"))


def test_each_role_sees_the_moves_it_may_make(editor_client, chief_client, draft):
    page = editor_client.get(change_url(draft), headers=EN).content.decode()
    assert 'value="review">Submit for review' in page
    assert 'value="published"' not in page and 'value="schedule"' not in page
    page = chief_client.get(change_url(draft), headers=EN).content.decode()
    for button in ("review", "published", "schedule", "archived"):
        assert f'name="workflow-to" value="{button}"' in page


def test_an_editor_submits_for_review_from_the_form(editor_client, draft):
    page = press(editor_client, draft, "review", reason="ready for the desk")
    assert "It is now in review." in page
    assert Event.objects.get(pk=draft.pk).status == "review"
    assert _log(draft) == [("review", "ready for the desk")]


def test_a_chief_editor_publishes_now_and_the_edits_in_the_form_are_not_saved(chief_client, draft):
    page = chief_client.get(change_url(draft), headers=EN).content.decode()
    data = form_data(page, "event_form")
    data["title_en"] = ["Typed but not saved"]
    data["workflow-to"] = ["published"]
    chief_client.post(f"/admin/timeline/event/{draft.pk}/workflow/", data)
    event = Event.objects.get(pk=draft.pk)
    assert event.status == "published" and event.publish_at is None
    assert event.title_en == "A draft"  # a move is not a save


def test_a_chief_editor_schedules_at_a_time_in_the_future(chief_client, draft):
    page = press(chief_client, draft, "schedule", publish_at="2001-01-01T09:00")
    assert "Give a time in the future" in page
    assert Event.objects.get(pk=draft.pk).status == "draft"
    at = timezone.localtime() + datetime.timedelta(days=2)
    page = press(chief_client, draft, "schedule", publish_at=at.strftime("%Y-%m-%dT%H:%M"))
    assert "It is scheduled" in page
    event = Event.objects.get(pk=draft.pk)
    assert event.status == "published" and event.publish_at > timezone.now()
    assert not Event.objects.published().filter(pk=draft.pk).exists()


def test_unpublishing_asks_for_a_reason(chief_client):
    event = Event.objects.published().filter(citations__isnull=False).first()
    page = press(chief_client, event, "unpublished")
    assert "Say why" in page and Event.objects.get(pk=event.pk).status == "published"
    press(chief_client, event, "unpublished", reason="legal hold")
    assert Event.objects.get(pk=event.pk).status == "unpublished"
    assert _log(event)[0] == ("unpublished", "legal hold")
    press(chief_client, event, "archived", reason="kept for the record")
    press(chief_client, event, "draft")
    assert Event.objects.get(pk=event.pk).status == "draft"


def test_an_event_with_no_source_is_refused_unless_the_chief_editor_says_why(chief_client):
    event = EventFactory(slug="no-source", status="draft")
    page = press(chief_client, event, "published")
    assert "This event cites no source yet" in page  # said before the press, too
    assert "cites no source: add a citation" in page.split('class="messagelist"')[1]
    assert Event.objects.get(pk=event.pk).status == "draft"
    page = press(chief_client, event, "published", without_source="on")
    assert "Say why" in page and Event.objects.get(pk=event.pk).status == "draft"
    press(chief_client, event, "published", without_source="on", reason="agency wire, no link")
    assert Event.objects.get(pk=event.pk).status == "published"
    assert _log(event) == [("published", "published without a source: agency wire, no link")]


def test_an_editor_posting_a_publish_is_refused(editor_client, draft):
    page = editor_client.get(change_url(draft)).content.decode()
    data = {**form_data(page, "event_form"), "workflow-to": ["published"]}
    response = editor_client.post(
        f"/admin/timeline/event/{draft.pk}/workflow/", data, headers=EN, follow=True
    )
    messages = response.content.decode().split('class="messagelist"')[1].split("</ul>")[0]
    assert "only a chief editor may make an item published" in messages.lower()
    assert Event.objects.get(pk=draft.pk).status == "draft"
    assert editor_client.get(f"/admin/timeline/event/{draft.pk}/workflow/").status_code == 403


def test_a_source_has_the_buttons_too(chief_client):
    from newsroom.models import Source

    source = Source.objects.published().first()
    url = f"/admin/newsroom/source/{source.pk}/change/"
    page = chief_client.get(url, headers=EN).content.decode()
    assert 'name="workflow-to" value="unpublished"' in page
    data = {**form_data(page, "source_form"), "workflow-to": ["unpublished"]}
    data["workflow-reason"] = ["retracted by its publisher"]
    chief_client.post(f"/admin/newsroom/source/{source.pk}/workflow/", data)
    assert Source.objects.get(pk=source.pk).status == "unpublished"
