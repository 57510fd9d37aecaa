"""Sharing: Open Graph and Twitter cards, schema.org JSON-LD, and the embeddable timeline."""

import json
import struct
from html.parser import HTMLParser

import pytest
from django.contrib.staticfiles import finders

from newsroom.models import Note, Person, Source
from tests.factories import CitationFactory, EventFactory
from timeline.models import Event

pytestmark = pytest.mark.django_db


class Head(HTMLParser):
    """The <meta> values, the JSON-LD blocks and the links of a page."""

    def __init__(self, html: str):
        super().__init__()
        self.meta: dict[str, list[str]] = {}
        self.jsonld: list[str] = []
        self.links: list[dict] = []
        self._in_jsonld = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and (key := attrs.get("property") or attrs.get("name")):
            self.meta.setdefault(key, []).append(attrs.get("content"))
        self._in_jsonld = tag == "script" and attrs.get("type") == "application/ld+json"
        if self._in_jsonld:
            self.jsonld.append("")
        if tag == "a":
            self.links.append(attrs)

    def handle_data(self, data):
        if self._in_jsonld:
            self.jsonld[-1] += data

    def handle_endtag(self, tag):
        self._in_jsonld = False


def head(client, path) -> Head:
    response = client.get(path)
    assert response.status_code == 200
    return Head(response.content.decode())


def event_with_correction() -> Event:
    return Event.objects.published().get(notes__kind="correction")


@pytest.mark.parametrize(
    ("lang", "locale", "other"), [("th", "th_TH", "en_US"), ("en", "en_US", "th_TH")]
)
def test_an_event_page_shares_its_own_title_summary_and_address(client, lang, locale, other):
    event = event_with_correction()
    page = head(client, f"/{lang}/events/{event.slug}/")
    title = getattr(event, f"title_{lang}")
    assert page.meta["og:title"] == [title] and page.meta["twitter:title"] == [title]
    assert page.meta["og:type"] == ["article"]
    assert page.meta["og:url"] == [f"http://testserver/{lang}/events/{event.slug}/"]
    assert page.meta["og:locale"] == [locale] and page.meta["og:locale:alternate"] == [other]
    assert page.meta["og:description"][0].startswith(getattr(event, f"summary_{lang}")[:40])
    assert page.meta["twitter:card"] == ["summary_large_image"]
    assert page.meta["og:image"] == ["http://testserver/static/newsroom/share.png"]
    assert page.meta["og:site_name"][0]


def test_other_pages_share_the_site_and_the_image_is_a_real_1200_by_630_png(client):
    page = head(client, "/en/people/")
    assert page.meta["og:type"] == ["website"]
    assert page.meta["og:title"] == ["Russia–North Korea: a timeline"]
    assert page.meta["og:url"] == ["http://testserver/en/people/"]
    with open(finders.find("newsroom/share.png"), "rb") as image:
        header = image.read(24)
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", header[16:24]) == (1200, 630)


@pytest.mark.parametrize("lang", ["th", "en"])
def test_an_event_page_describes_itself_as_an_article_about_an_event(client, lang):
    event = event_with_correction()
    (block,) = head(client, f"/{lang}/events/{event.slug}/").jsonld
    data = json.loads(block)
    assert data["@context"] == "https://schema.org" and data["@type"] == "Article"
    assert data["inLanguage"] == lang
    assert data["headline"] == getattr(event, f"title_{lang}")
    assert data["about"] == {"@type": "Event", "name": data["headline"], "startDate": "2025-08"}
    assert data["url"] == f"http://testserver/{lang}/events/{event.slug}/"
    assert data["datePublished"] and data["dateModified"] >= data["datePublished"]
    cited = {c.source.slug for c in event.citations.all()}
    assert {c["url"].rsplit("/", 2)[-2] for c in data["citation"]} == cited
    note = event.notes.get(kind="correction")
    assert data["correction"] == [
        {
            "@type": "CorrectionComment",
            "text": getattr(note, f"text_{lang}"),
            "datePublished": note.noted_on.isoformat(),
        }
    ]


def test_a_source_page_describes_the_document_in_its_own_language(client):
    source = Source.objects.published().get(notes__kind="correction")
    (block,) = head(client, f"/en/sources/{source.slug}/").jsonld
    page = json.loads(block)
    assert page["@type"] == "ItemPage" and page["inLanguage"] == "en"
    assert page["name"] == source.title_en
    data = page["mainEntity"]
    assert data["@type"] == "CreativeWork"
    assert data["name"] == getattr(source, f"title_{source.language}")
    assert data["inLanguage"] == source.language
    assert len(data["correction"]) == source.notes.filter(kind="correction").count() == 1
    translated = Source.objects.published().exclude(translation_of=None).first()
    data = json.loads(head(client, f"/en/sources/{translated.slug}/").jsonld[0])["mainEntity"]
    assert data["translationOfWork"]["url"].endswith(f"/{translated.translation_of.slug}/")
    assert data["datePublished"] == translated.published_on.isoformat()
    assert data["publisher"] == {"@type": "NewsMediaOrganization", "name": translated.publisher}


def test_pages_say_the_language_of_the_text_they_show_even_a_fallback(client):
    source = Source.objects.published().filter(language="th").first()
    Source.objects.filter(pk=source.pk).update(title_en="", summary_en="")
    page = json.loads(head(client, f"/en/sources/{source.slug}/").jsonld[0])
    assert page["inLanguage"] == "th" and page["name"] == source.title_th
    event = EventFactory(slug="thai-only", title_th="เฉพาะภาษาไทย", title_en="")
    article = json.loads(head(client, f"/en/events/{event.slug}/").jsonld[0])
    assert article["inLanguage"] == "th" and article["headline"] == "เฉพาะภาษาไทย"


@pytest.mark.parametrize(
    ("edtf", "dates"),
    [
        ("1985-04-12/..", {"startDate": "1985-04-12"}),
        ("1985-04-12/", {"startDate": "1985-04-12"}),
        ("../1950", {"endDate": "1950"}),
        ("2025-08-22", {"startDate": "2025-08-22"}),
        ("197X", {"startDate": "1970", "endDate": "1979"}),
        ("2001-21", {"startDate": "2001-03", "endDate": "2001-05"}),
        ("1945/1948", {"startDate": "1945", "endDate": "1948"}),
        ("[1667,1668,1670..1672]", {"startDate": "1667", "endDate": "1672"}),
    ],
)
def test_the_event_in_json_ld_has_only_the_ends_its_date_gives(client, edtf, dates):
    event = EventFactory(slug="dated", date=edtf)
    about = json.loads(head(client, f"/en/events/{event.slug}/").jsonld[0])["about"]
    assert {k: v for k, v in about.items() if k.endswith("Date")} == dates


@pytest.mark.parametrize("lang", ["th", "en"])
def test_a_person_page_is_a_profile_of_a_person_in_the_page_language(client, lang):
    person = Person.objects.filter(kind="person").exclude(affiliations=None).first()
    (block,) = head(client, f"/{lang}/people/{person.slug}/").jsonld
    page = json.loads(block)
    assert page["@context"] == "https://schema.org" and page["@type"] == "ProfilePage"
    assert page["inLanguage"] == lang
    entity = page["mainEntity"]
    assert entity["@type"] == "Person" and entity["name"] == getattr(person, f"name_{lang}")
    assert entity["url"] == f"http://testserver/{lang}/people/{person.slug}/"
    assert entity["memberOf"][0]["@type"] == "Organization"
    assert "sameAs" not in entity


def test_a_hostile_title_cannot_break_out_of_the_json_ld(client):
    hostile = '</script><script>alert("x")</script><!--'
    event = EventFactory(slug="hostile", title_en=hostile)
    html = client.get(f"/en/events/{event.slug}/").content.decode()
    assert "<script>alert" not in html
    (block,) = Head(html).jsonld
    assert json.loads(block)["headline"] == hostile
    assert "</script" not in block and "<!--" not in block


def test_a_draft_previewed_by_staff_has_no_publication_date(editor_client):
    event = EventFactory(slug="preview-me", status="draft")
    CitationFactory(event=event)
    data = json.loads(head(editor_client, "/en/events/preview-me/").jsonld[0])
    assert "datePublished" not in data and data["dateModified"]


def test_other_sites_may_frame_the_embed_and_only_the_embed(client):
    for _fresh_then_cached in range(2):
        embed = client.get("/th/embed/")
        assert embed.status_code == 200
        assert "X-Frame-Options" not in embed
        assert "frame-ancestors *" in embed["Content-Security-Policy"]
        assert "script-src 'self'" in embed["Content-Security-Policy"]
    page = client.get("/th/")
    assert page["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in page["Content-Security-Policy"]


def test_the_embed_lists_published_events_and_opens_them_in_a_new_tab(client):
    EventFactory(slug="a-draft", status="draft")
    response = client.get("/en/embed/")
    html = response.content.decode()
    events = Event.objects.published()
    links = [a for a in Head(html).links if "/events/" in a["href"]]
    assert sorted(a["href"] for a in links) == sorted(f"/en/events/{e.slug}/" for e in events)
    assert all(a["target"] == "_blank" and a["rel"] == "noopener" for a in links)
    assert "Links open the full pages, with their sources, in a new tab." in html
    assert '<meta name="robots" content="noindex">' in html


@pytest.mark.parametrize("lang", ["th", "en"])
def test_the_about_page_gives_the_embed_code_and_the_data_addresses(client, lang):
    html = client.get(f"/{lang}/about/").content.decode()
    assert f'<code>&lt;iframe src="http://testserver/{lang}/embed/" title="' in html
    assert f'href="/{lang}/timeline.json"' in html
    assert f'href="/{lang}/feed/"' in html and f'href="/{lang}/feed/atom/"' in html


def test_corrections_show_on_the_event_page_with_their_date(client):
    event = event_with_correction()
    note = Note.objects.get(event=event, kind="correction")
    html = client.get(f"/en/events/{event.slug}/").content.decode()
    assert note.text_en.split("“")[0] in html
    assert f'datetime="{note.noted_on:%Y-%m-%d}"' in html


@pytest.mark.parametrize(
    ("lang", "labels"),
    [
        ("th", ["ราวปี พ.ศ. 2498", "ตั้งแต่ปี พ.ศ. 2565 เป็นต้นมา", "ราวคริสต์ทศวรรษ 1970"]),
        ("en", ["about 1955", "since 2022", "from 2022 (end unknown)", "around the 1970s"]),
    ],
)
def test_the_about_page_shows_date_examples_as_the_timeline_labels_them(client, lang, labels):
    html = client.get(f"/{lang}/about/").content.decode()
    assert "<code>2022/..</code>" in html and "<code>197X~</code>" in html
    for label in labels:
        assert f"<td>{label}</td>" in html
