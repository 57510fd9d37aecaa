"""The publishing workflow: moves, rights, scheduling, the log, preview."""

import datetime
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from newsroom.models import Source, WorkflowLog
from newsroom.workflow.services import item_transition
from tests.factories import CitationFactory, EventFactory
from timeline.models import Event

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """These tests read the English messages (the site's default language is Thai)."""
    with translation.override("en"):
        yield


@pytest.fixture
def draft():
    event = EventFactory(slug="a-draft", title_en="A draft event", status="draft")
    CitationFactory(event=event)
    return event


def test_an_editor_submits_for_review_but_may_not_publish(draft, editor):
    item_transition(item=draft, to="review", by=editor)
    assert Event.objects.get(pk=draft.pk).status == "review"
    with pytest.raises(PermissionDenied, match="chief editor"):
        item_transition(item=draft, to="published", by=editor)
    assert not Event.objects.published().filter(pk=draft.pk).exists()


def test_a_chief_editor_publishes_and_every_move_is_logged(draft, chief):
    item_transition(item=draft, to="review", by=chief, reason="ready")
    item_transition(item=draft, to="published", by=chief)
    assert Event.objects.published().filter(pk=draft.pk).exists()
    steps = list(
        WorkflowLog.objects.filter(object_id=draft.pk)
        .order_by("pk")
        .values_list("from_status", "to_status", "by__username")
    )
    assert steps == [("draft", "review", "test-chief"), ("review", "published", "test-chief")]


def test_moves_the_workflow_does_not_have_are_refused(draft, chief):
    with pytest.raises(ValidationError, match="cannot become"):
        item_transition(item=draft, to="unpublished", by=chief)


def test_scheduled_publishing_takes_effect_by_itself_when_the_clock_gets_there(
    draft, chief, client
):
    now = timezone.now()
    item_transition(
        item=draft, to="published", by=chief, publish_at=now + datetime.timedelta(hours=2)
    )
    assert client.get("/en/events/a-draft/").status_code == 404
    assert "A draft event" not in client.get("/en/").content.decode()
    later = now + datetime.timedelta(hours=2, seconds=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert client.get("/en/events/a-draft/").status_code == 200
        assert "A draft event" in client.get("/en/").content.decode()


def test_unpublishing_removes_the_item_from_every_public_page_at_once(chief, client):
    event = Event.objects.published().get(date="2012")
    source = event.citations.first().source
    item_transition(item=event, to="unpublished", by=chief)
    assert client.get(f"/en/events/{event.slug}/").status_code == 404
    assert event.title_en not in client.get("/en/").content.decode()
    assert event.title_en not in client.get(f"/en/sources/{source.slug}/").content.decode()
    item_transition(item=source, to="unpublished", by=chief)
    assert client.get(f"/en/sources/{source.slug}/").status_code == 404
    assert source.title_en not in client.get("/en/sources/").content.decode()


def test_staff_preview_a_draft_as_readers_will_see_it_marked_and_never_cached(draft, editor_client):
    from django.test import Client

    assert Client().get("/en/events/a-draft/").status_code == 404  # a reader
    for language in ("th", "en"):
        response = editor_client.get(f"/{language}/events/a-draft/")
        assert response.status_code == 200
        assert 'class="preview-banner"' in response.content.decode()
        assert "no-store" in response["Cache-Control"] and response["X-Robots-Tag"] == "noindex"
    published = Event.objects.published().first()
    page = editor_client.get(f"/en/events/{published.slug}/").content.decode()
    assert 'class="preview-banner"' not in page


def test_admin_bulk_actions_go_through_the_workflow(draft, chief_client, editor_client):
    changelist = "/admin/timeline/event/"
    editor_client.post(changelist, {"action": "make_published", "_selected_action": [draft.pk]})
    assert Event.objects.get(pk=draft.pk).status == "draft"  # refused, with a message
    chief_client.post(changelist, {"action": "make_published", "_selected_action": [draft.pk]})
    assert Event.objects.get(pk=draft.pk).status == "published"
    assert WorkflowLog.objects.filter(object_id=draft.pk, to_status="published").exists()


def test_a_tampered_form_cannot_change_the_status(draft, editor_client):
    from tests.forms import form_data

    url = f"/admin/timeline/event/{draft.pk}/change/"
    data = form_data(editor_client.get(url).content.decode(), "event_form")
    data["status"] = ["published"]
    assert editor_client.post(url, data).status_code == 302
    assert Event.objects.get(pk=draft.pk).status == "draft"


def test_sources_have_the_same_workflow(chief):
    source = Source.objects.published().first()
    item_transition(item=source, to="archived", by=chief)
    assert not Source.objects.published().filter(pk=source.pk).exists()


def _import(user, text):
    from newsroom.imports.service import import_table
    from newsroom.imports.specs import specs
    from newsroom.imports.spreadsheets import open_table

    report, _record = import_table(
        spec=specs()["events"], table=open_table(text.encode()), user=user, file_name="w.csv"
    )
    return report


def test_an_editors_file_may_not_publish_and_writes_nothing(draft, editor):
    report = _import(
        editor,
        "slug,date,title_en,status\na-draft,2012,A draft event,published\nfresh,2013,Fresh,draft\n",
    )
    assert [e.column for e in report.errors] == ["status"]
    assert "chief editor" in report.errors[0].message
    assert Event.objects.get(pk=draft.pk).status == "draft"
    assert not Event.objects.filter(slug="fresh").exists()


def test_a_chief_editors_file_publishes_and_the_moves_are_logged(draft, chief):
    report = _import(
        chief,
        "slug,date,title_en,sources,status\na-draft,2012,A draft event,,published\n"
        "fresh,2013,Fresh,imct-why-north-korea-went-public-supporting-russia,published\n",
    )
    assert report.ok, report.errors
    assert Event.objects.published().filter(slug__in=["a-draft", "fresh"]).count() == 2
    moves = set(WorkflowLog.objects.filter(by=chief).values_list("from_status", "to_status"))
    assert moves == {("draft", "published"), ("", "published")}


def test_a_file_cannot_make_a_move_the_workflow_lacks(chief):
    event = Event.objects.published().first()
    item_transition(item=event, to="archived", by=chief)
    report = _import(chief, f"slug,date,title_en,status\n{event.slug},{event.date},X,published\n")
    assert "cannot become" in report.errors[0].message
