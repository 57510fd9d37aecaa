"""/<lang>/timeline.json: the published timeline in TimelineJS3's JSON format."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.html import escape

from tests.factories import CitationFactory, EraFactory, EventFactory, SourceFactory
from timeline.models import Era, Event

pytestmark = pytest.mark.django_db


def timeline(client, lang="en") -> dict:
    response = client.get(f"/{lang}/timeline.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content)


def slide(data, slug) -> dict:
    return next(s for s in data["events"] if s["unique_id"] == slug)


def slide_for(data, date) -> dict:
    return slide(data, Event.objects.published().get(date=date).slug)


def test_any_site_may_fetch_it(client):
    for _fresh_then_cached in range(2):
        response = client.get("/en/timeline.json", HTTP_ORIGIN="https://other.example")
        assert response["Access-Control-Allow-Origin"] == "*"


def test_it_has_a_title_slide_every_published_event_and_the_eras(client):
    data = timeline(client)
    assert data["title"]["text"]["headline"] == "Russia–North Korea: a timeline"
    assert "start_date" not in data["title"]
    published = Event.objects.published()
    assert sorted(s["unique_id"] for s in data["events"]) == sorted(e.slug for e in published)
    assert [era["text"]["headline"] for era in data["eras"]] == [
        f"<span>{escape(era.name_en)}</span>" for era in Era.objects.all()
    ]


@pytest.mark.parametrize(
    ("date", "start", "end"),
    [
        ("2012", {"year": 2012}, None),
        ("2023-09", {"year": 2023, "month": 9}, None),
        ("2025-08-22", {"year": 2025, "month": 8, "day": 22}, None),
        ("197X", {"year": 1970}, {"year": 1979}),
        ("1945/1948", {"year": 1945}, {"year": 1948}),
        ("2024-10~/2025-08", {"year": 2024, "month": 10}, {"year": 2025, "month": 8}),
    ],
)
def test_dates_have_only_the_precision_the_event_has(client, date, start, end):
    data = slide_for(timeline(client), date)
    assert data["start_date"] == start
    assert data.get("end_date") == end


def test_an_open_ended_period_starts_at_its_one_known_end(client):
    EventFactory(slug="until-1991", date="../1991")
    data = slide(timeline(client), "until-1991")
    assert data["start_date"] == {"year": 1991}
    assert "end_date" not in data


def test_display_dates_are_our_labels_buddhist_era_in_thai(client):
    assert slide_for(timeline(client, "th"), "2012")["display_date"] == "พ.ศ. 2555"
    assert slide_for(timeline(client, "en"), "2012")["display_date"] == "2012"
    assert slide_for(timeline(client, "th"), "2023-09")["display_date"] == "กันยายน 2566"


@pytest.mark.parametrize("lang", ["th", "en"])
def test_text_and_groups_are_in_the_language_of_the_url(client, lang):
    event = Event.objects.published().select_related("era").get(date="2012")
    data = slide(timeline(client, lang), event.slug)
    assert data["text"]["headline"] == f"<span>{escape(getattr(event, f'title_{lang}'))}</span>"
    assert f"http://testserver/{lang}/events/{event.slug}/" in data["text"]["text"]
    # TimelineJS shows these as HTML: they come escaped.
    assert data["group"] == escape(getattr(event.era, f"name_{lang}"))


def test_an_untranslated_headline_is_marked_as_on_the_pages(client):
    EventFactory(slug="thai-only", title_th="ภาษาไทยเท่านั้น", title_en="")
    headline = slide(timeline(client), "thai-only")["text"]["headline"]
    assert 'lang="th"' in headline and "ภาษาไทยเท่านั้น" in headline
    assert "Not yet translated" in headline


def test_the_cited_passage_is_the_media_credited_to_its_source(client):
    source = SourceFactory(publisher="Test & Press", url="https://example.org/report")
    CitationFactory(event__slug="cited", source=source, passage="ข้อความ <b>ตัวหนา</b>")
    media = slide(timeline(client), "cited")["media"]
    assert media["url"] == '<blockquote lang="th">ข้อความ &lt;b&gt;ตัวหนา&lt;/b&gt;</blockquote>'
    assert media["credit"] == "Test &amp; Press"
    assert f"/en/sources/{source.slug}/" in media["caption"]
    assert media["link"] == "https://example.org/report"
    EventFactory(slug="uncited")
    assert "media" not in slide(timeline(client), "uncited")


def test_hostile_text_is_escaped_and_unpublished_events_are_absent(client):
    EventFactory(slug="hostile", title_en='<img src=x onerror="alert(1)">', summary_en="<script>")
    EventFactory(slug="hidden", status="draft")
    data = timeline(client)
    assert data["events"] and "hidden" not in [s["unique_id"] for s in data["events"]]
    hostile = slide(data, "hostile")["text"]
    assert "<img" not in hostile["headline"] and "&lt;img src=x" in hostile["headline"]
    assert "<script>" not in hostile["text"]


def test_an_era_that_goes_on_ends_this_year(client):
    EraFactory(slug="today", name_en="Today", start_year=2020, end_year=None)
    era = next(e for e in timeline(client)["eras"] if e["text"]["headline"] == "<span>Today</span>")
    assert era["start_date"] == {"year": 2020}
    assert era["end_date"] == {"year": timezone.localdate().year}


def _queries(client):
    with CaptureQueriesContext(connection) as queries:
        timeline(client)
    return len(queries)


def test_it_costs_the_same_queries_for_few_or_many_events(client):
    few = _queries(client)
    for _n in range(30):
        CitationFactory(event__era=Era.objects.first())
    assert _queries(client) == few
