"""Search finds what a reader means: a Thai word inside a compound even where it also stands
alone, whole-word matches first; related names; other spellings (aliases) that editors keep
on people and topics; thanthakhat or not; "a phrase"; a Latin-script name the same on the
Thai and the English page. (Both databases: run with DATABASE_URL for PostgreSQL.)"""

import pytest
from django.urls import reverse

from tests.factories import EventFactory, PersonFactory, TopicFactory
from tests.forms import form_data
from timeline.search import Query, search_entries

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 0


def found(client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200
    return [entry.item.slug for entry in response.context["results"]]


def test_a_word_inside_a_compound_is_found_where_it_also_stands_alone(client):
    # newmm makes กล้วยไข่ (a banana) one word: the word index alone finds only `alone`.
    inside = EventFactory(title_th="แม่ค้าขายกล้วยไข่", summary_th="")
    alone = EventFactory(title_th="ผู้นำกินไข่", summary_th="")
    assert found(client, "/th/search/?q=ไข่") == [alone.slug, inside.slug]
    page = client.get("/th/search/?q=ไข่").content.decode()
    assert "แม่ค้าขายกล้วย<mark>ไข่</mark>" in page
    assert "ผู้นำกิน<mark>ไข่</mark>" in page


def test_whole_word_matches_come_first_however_the_text_ranks(client):
    inside = EventFactory(title_th="กล้วยไข่กล้วยไข่กล้วยไข่", summary_th="")
    alone = EventFactory(title_th="ผู้นำ", summary_th="ผู้นำกินกล้วย")
    results, _pattern = search_entries(query=Query(text="กล้วย"), language="th")
    assert [(entry.object_id, entry.whole_words) for entry in results[0:None]] == [
        (alone.pk, True),
        (inside.pk, False),
    ]


def test_past_the_ranked_matches_words_are_listed_before_parts_of_words(client, monkeypatch):
    """More whole-word matches than are ranked: the newest of them are listed, not a newer
    entry holding the word only inside a compound (it would rank after all of them)."""
    monkeypatch.setattr("timeline.search.RANK_LIMIT", 2)
    alone = [
        EventFactory(date=date, title_th="ผู้นำกินไข่", summary_th="")
        for date in ("1990-01-01", "1991-01-01", "1992-01-01")
    ]
    inside = EventFactory(date="2020-01-01", title_th="แม่ค้าขายกล้วยไข่", summary_th="")  # newest
    assert found(client, "/th/search/?q=ไข่") == [alone[2].slug, alone[1].slug]
    alone[0].delete()  # 2 as words, 3 in all: the words, then none (the limit is reached)
    assert found(client, "/th/search/?q=ไข่") == [alone[2].slug, alone[1].slug]
    alone[1].delete()  # 1 as words: then the compound, newest found inside a word
    older = EventFactory(date="1980-01-01", title_th="กล้วยไข่ทอด", summary_th="")
    response = client.get("/th/search/?q=ไข่")
    assert [entry.item.slug for entry in response.context["results"]] == [
        alone[2].slug,
        inside.slug,
    ]
    assert [entry.whole_words for entry in response.context["results"]] == [True, False]
    assert "2 รายการล่าสุด" in response.content.decode()  # the page says more matched
    older.delete()  # 2 in all: ranked, words first
    assert found(client, "/th/search/?q=ไข่") == [alone[2].slug, inside.slug]


def test_a_word_inside_a_related_name_is_found(client):
    topic = TopicFactory(name_th="การทูตกล้วยไข่")
    event = EventFactory(title_th="ผู้นำพบกัน", summary_th="")
    event.topics.add(topic)
    alone = EventFactory(title_th="ผู้นำกินไข่", summary_th="")  # a whole word
    assert found(client, "/th/search/?q=ไข่") == [alone.slug, event.slug]


def test_all_words_inside_compounds_are_needed(client):
    both = EventFactory(title_th="ทุเรียนเทศกับกล้วยไข่", summary_th="")
    EventFactory(title_th="ทุเรียนเทศอย่างเดียว", summary_th="")
    assert found(client, "/th/search/?q=ทุเรียน กล้วย") == [both.slug]


def test_a_name_is_found_with_or_without_its_thanthakhat(client):
    written = EventFactory(title_th="ทหารในภูมิภาคมังคุดรสก์", summary_th="")
    marked = EventFactory(title_th="ทหารในมังคุดร์สก์", summary_th="")
    for typed in ("มังคุดร์สก์", "มังคุดรสก์"):
        assert set(found(client, f"/th/search/?q={typed}")) == {written.slug, marked.slug}
    page = client.get("/th/search/?q=มังคุดร์สก์").content.decode()
    assert "ภูมิภาค<mark>มังคุดรสก์</mark>" in page


def _save_aliases(client, model_name: str, pk: int, aliases: str) -> None:
    """The admin's change form, posted as a browser posts it (every field, CRLF)."""
    app = "newsroom" if model_name == "person" else "timeline"
    url = reverse(f"admin:{app}_{model_name}_change", args=[pk])
    data = form_data(client.get(url).content.decode(), f"{model_name}_form", crlf=True)
    data["aliases"] = [aliases]
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors


def test_a_persons_other_spelling_finds_every_text_naming_them(editor_client, client):
    person = PersonFactory(name_th="วลาดิมีร์ มะม่วงติน", name_en="Vladimir Mangotin")
    linked = EventFactory(title_th="ผู้นำพบกัน", summary_th="")
    linked.people.add(person)
    named = EventFactory(title_th="มะม่วงตินเยือนเปียงยาง", title_en="A visit", summary_en="")
    EventFactory(title_th="มะม่วงตีนเยือน", summary_th="")  # a typo, no one's name
    assert found(client, "/th/search/?q=มะม่วงตีนส์") == []
    _save_aliases(editor_client, "person", person.pk, "มะม่วงติน\r\nมะม่วงตีนส์\r\nMangotin")
    person.refresh_from_db()
    assert person.aliases == "มะม่วงติน\nมะม่วงตีนส์\nMangotin"  # cleaned as stored
    expected = {person.slug, linked.slug, named.slug}
    assert set(found(client, "/th/search/?q=มะม่วงตีนส์")) == expected
    assert set(found(client, "/en/search/?q=Mangotin")) == expected
    assert set(found(client, "/th/search/?q=Mangotin")) == expected


def test_another_spelling_with_a_second_word_finds_the_items_with_both(editor_client, client):
    """A name's group of spellings beside another word: FTS5 refused "(a OR b) c" (an error
    page) until the parts were joined by AND."""
    person = PersonFactory(name_th="วลาดิมีร์ มะม่วงติน", name_en="Vladimir Mangotin")
    _save_aliases(editor_client, "person", person.pk, "มะม่วงติน\r\nมะม่วงตีนส์")
    both = EventFactory(title_th="มะม่วงตินเยือนเปียงยาง", title_en="A visit", summary_en="")
    EventFactory(title_th="มะม่วงตินเยือนมอสโก", summary_th="")
    assert found(client, "/th/search/?q=มะม่วงตีนส์ เปียงยาง") == [both.slug]
    assert found(client, "/th/search/?q=มะม่วงตีนส์ visit") == [both.slug]


def test_a_topics_other_spelling_finds_its_events(editor_client, client):
    topic = TopicFactory(name_th="การประชุมสุดยอดผลไม้", name_en="Fruit summits")
    event = EventFactory(title_th="ผู้นำพบกัน", title_en="Leaders meet", summary_en="")
    event.topics.add(topic)
    assert found(client, "/th/search/?q=ซัมมิตผลไม้") == []
    _save_aliases(editor_client, "topic", topic.pk, "ซัมมิตผลไม้")
    assert found(client, "/th/search/?q=ซัมมิตผลไม้") == [event.slug]


def test_a_phrase_in_quotes_is_found_as_written_only(client):
    together = EventFactory(title_en="Mangosteen summit in Wonsan", summary_en="")
    apart = EventFactory(title_en="A summit on mangosteen", summary_en="")
    assert set(found(client, "/en/search/?q=mangosteen summit")) == {together.slug, apart.slug}
    assert found(client, '/en/search/?q="mangosteen summit"') == [together.slug]
    thai = EventFactory(title_th="ผู้นำกินทุเรียนเทศ", summary_th="")
    EventFactory(title_th="ทุเรียนของผู้นำเทศ", summary_th="")
    assert found(client, '/th/search/?q="ทุเรียนเทศ"') == [thai.slug]
    page = client.get('/en/search/?q="mangosteen summit"').content.decode()
    assert "<mark>Mangosteen summit</mark>" in page


def test_a_latin_name_finds_the_same_items_on_the_thai_and_english_pages(client):
    title = EventFactory(title_th="ทหารในภูมิภาคคูรสก์", title_en="Troops in Mangoskaya")
    body = EventFactory(
        title_th="ผู้นำพบกัน",
        title_en="Leaders meet",
        body_th="ผู้นำพูดถึงภูมิภาคนั้น",
        body_en="They spoke of Mangoskaya.",
    )
    person = PersonFactory(
        name_th="บุคคล", description_th="มาจากที่นั่น", description_en="From Mangoskaya"
    )
    expected = {title.slug, body.slug, person.slug}
    assert set(found(client, "/en/search/?q=Mangoskaya")) == expected
    assert set(found(client, "/th/search/?q=Mangoskaya")) == expected


def test_a_related_names_english_finds_its_events_on_the_thai_page(client):
    topic = TopicFactory(name_th="หัวข้อผลไม้", name_en="Rambutan diplomacy")
    event = EventFactory(title_th="ผู้นำพบกัน", title_en="Leaders meet", summary_en="")
    event.topics.add(topic)
    assert found(client, "/en/search/?q=rambutan") == [event.slug]
    assert found(client, "/th/search/?q=rambutan") == [event.slug]
