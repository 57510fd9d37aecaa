"""An editor's "sorts as": where the timeline places an event when its date alone would
place it oddly. Its label stays the date's; every list (timeline, previous/next) follows it."""

import pytest

from newsroom.imports.service import import_table
from newsroom.imports.specs import specs
from newsroom.imports.spreadsheets import open_table
from tests.factories import CitationFactory, EventFactory
from tests.forms import form_data
from timeline import selectors
from timeline.dates import parse_fuzzy_date, sort_position
from timeline.models import Event

pytestmark = pytest.mark.django_db


def _change(client, event, **fields):
    url = f"/admin/timeline/event/{event.pk}/change/"
    data = form_data(client.get(url).content.decode(), "event_form")
    for name, value in fields.items():
        data[name] = [value]
    return client.post(url, data)


def test_an_editor_places_an_event_by_another_date_and_its_label_stays(editor_client):
    event = EventFactory(date="1950~/1953-07", slug="the-war")
    CitationFactory(event=event)
    assert event.sort_start.year == 1950
    response = _change(editor_client, event, sorts_as="1953-07")
    assert response.status_code == 302, response.content.decode()[:2000]
    event.refresh_from_db()
    assert (event.sort_start, event.sort_end) == sort_position(parse_fuzzy_date("1953-07"))
    assert event.date == "1950~/1953-07" and "1950" in event.date_label("en")
    later = EventFactory(date="1952", slug="in-1952")
    CitationFactory(event=later)
    order = list(selectors.public_events().values_list("slug", flat=True))
    assert order.index("in-1952") < order.index("the-war")


def test_emptied_it_sorts_by_its_date_again(editor_client):
    event = EventFactory(date="1950", sorts_as="1960")
    assert event.sort_start.year == 1960
    assert _change(editor_client, event, sorts_as="").status_code == 302
    event.refresh_from_db()
    assert event.sort_start.year == 1950


def test_a_sorts_as_that_is_no_date_is_refused_on_its_field(editor_client):
    event = EventFactory(date="1950")
    response = _change(editor_client, event, sorts_as="soon")
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "sorts_as" in errors and "EDTF" in " ".join(errors["sorts_as"])
    event.refresh_from_db()
    assert event.sorts_as == "" and event.sort_start.year == 1950


def test_an_import_that_changes_the_date_keeps_the_editors_placement(chief):
    event = EventFactory(slug="placed", date="1950", sorts_as="1960-05")
    text = "slug,date,title_en\nplaced,1951,Placed\n"
    report, _record = import_table(
        spec=specs()["events"], table=open_table(text.encode()), user=chief, file_name="x.csv"
    )
    assert report.ok, report.errors
    event = Event.objects.get(slug="placed")
    assert event.date == "1951" and event.date_start.year == 1951
    assert event.sorts_as == "1960-05" and event.sort_start.isoformat() == "1960-05-01"
