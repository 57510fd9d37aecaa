import re

import pytest
from django.utils.html import escape

from newsroom.models import Person, Source
from tests.factories import CitationFactory, EventFactory
from timeline.models import Event

pytestmark = pytest.mark.django_db

LANGUAGES = ["th", "en"]


def _pages():
    event = Event.objects.published().first()
    source = Source.objects.published().first()
    person = Person.objects.filter(events__status="published").first()
    return {
        "timeline": ("/{lang}/", event, "title"),
        "event": (f"/{{lang}}/events/{event.slug}/", event, "body"),
        "sources": ("/{lang}/sources/", source, "title"),
        "source": (f"/{{lang}}/sources/{source.slug}/", source, "title"),
        "people": ("/{lang}/people/", person, "name"),
        "person": (f"/{{lang}}/people/{person.slug}/", person, "name"),
        "about": ("/{lang}/about/", source, "title"),
    }


PAGE_NAMES = ["timeline", "event", "sources", "source", "people", "person", "about"]


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("page", PAGE_NAMES)
def test_every_page_type_renders_in_both_languages(client, page, lang):
    path, obj, field = _pages()[page]
    path = path.format(lang=lang)
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{lang}"' in html
    text = getattr(obj, f"{field}_{lang}").split("\n")[0]
    assert escape(text) in html, f"{text!r} missing from {path}"


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("page", PAGE_NAMES)
def test_every_page_links_its_translations_and_canonical(client, page, lang):
    path = _pages()[page][0].format(lang=lang)
    html = client.get(path).content.decode()
    other = "en" if lang == "th" else "th"
    other_path = path.replace(f"/{lang}/", f"/{other}/", 1)
    assert re.search(rf'<link rel="canonical" href="http://testserver{re.escape(path)}"', html)
    assert f'hreflang="{other}" href="http://testserver{other_path}"' in html
    assert 'hreflang="x-default"' in html
    # The language switcher stays on the same page.
    assert re.search(rf'<a[^>]+href="(http://testserver)?{re.escape(other_path)}"', html)


def test_root_redirects_to_thai_by_default_and_to_english_when_asked(client):
    assert client.get("/")["Location"] == "/th/"
    assert client.get("/", headers={"accept-language": "en-GB,en;q=0.9"})["Location"] == "/en/"


def test_missing_english_shows_thai_with_a_marker(client):
    event = EventFactory(
        slug="thai-only",
        title_th="เหตุการณ์ที่ยังไม่ได้แปล",
        title_en="",
        summary_en="",
        body_th="เนื้อหาภาษาไทย",
    )
    CitationFactory(event=event)
    html = client.get("/en/events/thai-only/").content.decode()
    assert "เหตุการณ์ที่ยังไม่ได้แปล" in html
    assert "Not yet translated" in html
    assert re.search(r'lang="th"[^>]*>\s*เหตุการณ์ที่ยังไม่ได้แปล', html)
    thai = client.get("/th/events/thai-only/").content.decode()
    assert "ยังไม่ได้แปล" not in thai.replace("เหตุการณ์ที่ยังไม่ได้แปล", "")


def test_drafts_stay_off_public_pages(client):
    EventFactory(slug="secret-draft", title_en="Draft not for readers", status="draft")
    assert client.get("/en/events/secret-draft/").status_code == 404
    assert "Draft not for readers" not in client.get("/en/").content.decode()


def test_timeline_lists_events_in_date_order_grouped_by_era(client):
    html = client.get("/en/").content.decode()
    titles = [e.title_en for e in Event.objects.published()]
    positions = [html.index(escape(t)) for t in titles]
    assert positions == sorted(positions)


def test_timeline_filters_by_era(client):
    event = Event.objects.published().exclude(era=None).first()
    other = Event.objects.published().exclude(era=event.era).exclude(era=None).first()
    html = client.get(f"/en/?era={event.era.slug}").content.decode()
    assert escape(event.title_en) in html and escape(other.title_en) not in html


def test_thai_dates_show_buddhist_era_and_english_dates_christian_era(client):
    EventFactory(slug="dated", date="2025-08-22", title_en="Dated", title_th="มีวันที่")
    assert "22 สิงหาคม 2568" in client.get("/th/events/dated/").content.decode()
    assert "22 August 2025" in client.get("/en/events/dated/").content.decode()


def test_event_page_links_previous_and_next(client):
    first, second, third = Event.objects.published()[:3]
    html = client.get(f"/en/events/{second.slug}/").content.decode()
    assert f"/en/events/{first.slug}/" in html and f"/en/events/{third.slug}/" in html


def test_event_page_cites_its_source_with_the_passage(client):
    event = Event.objects.published().filter(citations__passage__gt="").first()
    citation = event.citations.first()
    html = client.get(f"/en/events/{event.slug}/").content.decode()
    assert f"/en/sources/{citation.source.slug}/" in html
    assert escape(citation.passage.split("\n")[0][:40]) in html


@pytest.mark.parametrize(("lang", "text"), [("th", "ไม่พบหน้า"), ("en", "not found")])
def test_404_speaks_the_language_of_the_url(client, lang, text):
    response = client.get(f"/{lang}/events/no-such-event/")
    assert response.status_code == 404
    assert text in response.content.decode().lower()
    assert f'<html lang="{lang}"' in response.content.decode()


def test_500_page_is_bilingual_and_standalone():
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "เกิดข้อผิดพลาด" in html and "Server error" in html
    assert "{%" not in html and "{{" not in html
