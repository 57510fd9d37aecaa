"""The admin's pages read without writing, and an event's save costs a bounded number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from newsroom.models import Source
from tests.forms import form_data
from timeline.models import Era, Event, Topic

pytestmark = pytest.mark.django_db

WRITES = ("INSERT", "UPDATE", "DELETE")
EN = {"accept-language": "en"}
# At most 30 (27 on SQLite inside the test's transaction, counting its savepoints; about 70
# before the write path was one): the rows the form read are not read again (newsroom.held).
SAVE_QUERY_BUDGET = 30


@pytest.fixture
def event():
    """A published seed event with citations: the inline the change form carries."""
    return Event.objects.filter(status="published", citations__isnull=False).distinct()[0]


def _read_pages(event) -> dict[str, str]:
    return {
        "admin index": reverse("admin:index"),
        "events": reverse("admin:timeline_event_changelist"),
        "event": reverse("admin:timeline_event_change", args=[event.pk]),
        "sources": reverse("admin:newsroom_source_changelist"),
        "worklist": "/admin/worklist/",
    }


def writes(queries) -> list[str]:
    statements = (q["sql"].lstrip() for q in queries)
    return [sql for sql in statements if sql.upper().startswith(WRITES)]


@pytest.mark.parametrize("page", ["admin index", "events", "event", "sources", "worklist"])
def test_opening_an_admin_page_writes_nothing(editor_client, event, page):
    url = _read_pages(event)[page]
    with CaptureQueriesContext(connection) as queries:
        response = editor_client.get(url)
    assert response.status_code == 200
    assert writes(queries.captured_queries) == []


def test_saving_an_event_with_its_citations_costs_few_queries(editor_client, event):
    url = reverse("admin:timeline_event_change", args=[event.pk])
    data = form_data(editor_client.get(url).content.decode(), "event_form")
    assert int(data["citations-TOTAL_FORMS"][0]) > 0
    data["title_en"] = ["A new English title"]
    with CaptureQueriesContext(connection) as queries:
        response = editor_client.post(url, data)
    print(f"admin event save: {len(queries)} queries")
    assert response.status_code == 302
    assert Event.objects.get(pk=event.pk).title_en == "A new English title"
    assert len(queries) <= SAVE_QUERY_BUDGET, "\n".join(q["sql"][:120] for q in queries)


# The rows the form read are not read again, and a changed choice is still checked -------------


def _change(client, event, **changes):
    url = reverse("admin:timeline_event_change", args=[event.pk])
    html = client.get(url, headers=EN).content.decode()
    data = form_data(html, "event_form", crlf=True)
    data.update(
        {name: value if isinstance(value, list) else [value] for name, value in changes.items()}
    )
    return client.post(url, data, headers=EN)


def test_a_changed_era_topics_and_citation_source_are_saved(editor_client, event):
    other_era = Era.objects.exclude(pk=event.era_id).first()
    topics = [str(pk) for pk in Topic.objects.values_list("pk", flat=True)[:2]]
    source = Source.objects.exclude(pk=event.citations.first().source_id).first()
    response = _change(
        editor_client,
        event,
        era=str(other_era.pk),
        topics=topics,
        **{"citations-0-source": str(source.pk)},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    event.refresh_from_db()
    assert event.era == other_era
    assert sorted(str(pk) for pk in event.topics.values_list("pk", flat=True)) == sorted(topics)
    assert event.citations.order_by("position", "pk").first().source == source


@pytest.mark.parametrize(
    "changes",
    [{"era": "999999"}, {"topics": ["999999"]}, {"citations-0-source": "999999"}],
    ids=["era", "topic", "citation source"],
)
def test_a_choice_that_does_not_exist_is_refused(editor_client, event, changes):
    before = Event.objects.get(pk=event.pk)
    response = _change(editor_client, event, title_en="Not saved", **changes)
    assert response.status_code == 200  # the form again, with the error
    assert (
        "Select a valid choice" in response.content.decode() or "เลือก" in response.content.decode()
    )
    assert Event.objects.get(pk=event.pk).title_en == before.title_en


def test_an_untouched_form_changes_nothing(editor_client, event):
    before = {c.pk: (c.source_id, c.passage) for c in event.citations.all()}
    topics = set(event.topics.values_list("pk", flat=True))
    response = _change(editor_client, event)
    assert response.status_code == 302
    event.refresh_from_db()
    assert set(event.topics.values_list("pk", flat=True)) == topics
    assert {c.pk: (c.source_id, c.passage) for c in event.citations.all()} == before
