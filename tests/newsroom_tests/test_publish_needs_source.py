"""No event goes public without a source: every way of publishing obeys one rule
(``newsroom.workflow.services.source_error``), and a chief editor's override is logged."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone, translation

from newsroom.models import ImportRecord, WorkflowLog
from newsroom.workflow.services import item_transition
from tests.factories import CitationFactory, EventFactory, SourceFactory
from tests.newsroom_tests.test_imports import HEADER, write_csv
from timeline.models import Event

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def uncited():
    return EventFactory(slug="no-source-yet", title_en="No source yet", status="draft")


def _steps(event):
    return list(WorkflowLog.objects.filter(object_id=event.pk).values_list("to_status", "reason"))


def test_publishing_an_event_that_cites_no_source_is_refused(uncited, chief, client):
    with pytest.raises(ValidationError, match="cites no source: add a citation"):
        item_transition(item=uncited, to="published", by=chief)
    assert Event.objects.get(pk=uncited.pk).status == "draft"
    assert _steps(uncited) == []
    assert client.get("/en/events/no-source-yet/").status_code == 404


def test_scheduling_it_is_refused_when_it_is_scheduled_not_when_the_time_comes(uncited, chief):
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError, match="cites no source"):
        item_transition(item=uncited, to="published", by=chief, publish_at=tomorrow)
    stored = Event.objects.get(pk=uncited.pk)
    assert (stored.status, stored.publish_at) == ("draft", None)


def test_once_it_cites_a_source_it_publishes(uncited, chief):
    CitationFactory(event=uncited)
    item_transition(item=uncited, to="published", by=chief)
    assert Event.objects.published().filter(pk=uncited.pk).exists()


def test_a_chief_editor_publishes_it_anyway_with_a_reason_that_is_logged(uncited, chief):
    with pytest.raises(ValidationError, match="giving the reason"):
        item_transition(item=uncited, to="published", by=chief, without_source=True)
    item_transition(
        item=uncited, to="published", by=chief, without_source=True, reason="official statement"
    )
    assert Event.objects.published().filter(pk=uncited.pk).exists()
    assert _steps(uncited) == [("published", "published without a source: official statement")]


def test_an_editor_cannot_override_it(uncited, editor):
    with pytest.raises(PermissionDenied, match="chief editor"):
        item_transition(item=uncited, to="published", by=editor, without_source=True, reason="x")


def test_a_reason_alone_is_no_override(uncited, chief):
    with pytest.raises(ValidationError, match="cites no source"):
        item_transition(item=uncited, to="published", by=chief, reason="ready")


def test_the_rule_is_for_events_only_a_source_publishes_as_before(chief):
    source = SourceFactory(status="draft")
    item_transition(item=source, to="published", by=chief)
    assert source.status == "published"


def test_the_list_action_obeys_it(uncited, chief_client):
    cited = EventFactory(slug="cited-draft", status="draft")
    CitationFactory(event=cited)
    response = chief_client.post(
        reverse("admin:timeline_event_changelist"),
        {"action": "make_published", "_selected_action": [uncited.pk, cited.pk]},
        follow=True,
        headers={"accept-language": "en"},
    )
    page = response.content.decode()
    assert "1 item(s) are now published" in page
    assert "cites no source" in page
    assert Event.objects.get(pk=uncited.pk).status == "draft"
    assert Event.objects.get(pk=cited.pk).status == "published"


def _row(slug, sources, status="published"):
    values = dict.fromkeys(HEADER, "")
    values.update(slug=slug, date="2024-06-19", title_en=slug, sources=sources, status=status)
    return [values[name] for name in HEADER]


def _import(path):
    out = io.StringIO()
    call_command("import_events", str(path), stdout=out, stderr=out)
    return out.getvalue()


def test_an_import_does_not_publish_an_event_with_no_source(tmp_path):
    source = "imct-why-north-korea-went-public-supporting-russia"
    rows = [_row("imported-cited", source), _row("imported-uncited", "")]
    with pytest.raises(CommandError, match="nothing was imported"):
        _import(write_csv(tmp_path / "e.csv", rows, encoding="utf-8"))
    assert not Event.objects.filter(slug__startswith="imported-").exists()
    errors = "\n".join(ImportRecord.objects.get().errors)
    assert "row 3, status: this event cites no source" in errors
    # As a draft it imports; the citation can come later.
    rows[1] = _row("imported-uncited", "", status="draft")
    assert "created 2" in _import(write_csv(tmp_path / "ok.csv", rows, encoding="utf-8"))


def test_an_import_publishes_a_stored_event_whose_citation_is_stored_or_in_the_file(tmp_path):
    cited = EventFactory(slug="stored-cited", status="draft")
    CitationFactory(event=cited)
    EventFactory(slug="stored-uncited", status="draft")
    EventFactory(slug="cited-by-the-file", status="draft")
    source = "imct-why-north-korea-went-public-supporting-russia"
    rows = [_row("stored-cited", ""), _row("stored-uncited", ""), _row("cited-by-the-file", source)]
    with pytest.raises(CommandError):
        _import(write_csv(tmp_path / "e.csv", rows, encoding="utf-8"))
    del rows[1]
    assert "updated 2" in _import(write_csv(tmp_path / "ok.csv", rows, encoding="utf-8"))
    published = Event.objects.filter(
        status="published", slug__in=["stored-cited", "cited-by-the-file"]
    )
    assert published.count() == 2


def _citation_form(client, event):
    from tests.forms import form_data

    url = f"/admin/timeline/event/{event.pk}/change/"
    return url, form_data(client.get(url).content.decode(), "event_form")


def test_a_published_event_keeps_its_last_citation_in_the_form(chief_client):
    event = EventFactory(slug="cited-once", status="published")
    CitationFactory(event=event)
    url, data = _citation_form(chief_client, event)
    data["citations-0-DELETE"] = ["on"]
    page = chief_client.post(url, data, headers={"accept-language": "en"}).content.decode()
    assert "it must keep a citation" in page
    assert event.citations.count() == 1
    # A draft may lose it (it is refused when it is published).
    Event.objects.filter(pk=event.pk).update(status="draft")
    url, data = _citation_form(chief_client, event)
    data["citations-0-DELETE"] = ["on"]
    assert chief_client.post(url, data).status_code == 302
    assert event.citations.count() == 0
