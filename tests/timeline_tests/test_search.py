"""Search: Thai words found inside sentences, both languages, ranked, highlighted, filtered,
public items only, and kept current by every write (save, import, publish)."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from newsroom.imports.service import import_table
from newsroom.imports.specs import specs
from newsroom.imports.spreadsheets import open_table
from newsroom.workflow.services import item_transition
from tests.factories import (
    CitationFactory,
    EraFactory,
    EventFactory,
    PersonFactory,
    SourceFactory,
    TopicFactory,
)
from timeline.models import Event, SearchEntry
from timeline.services import event_save

pytestmark = pytest.mark.django_db
SEED_SOURCE = "ap-russia-north-korea-timeline-th"  # a source of the seed: what events cite


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    # Each request is rendered: a stored page would hide what the index holds now.
    settings.PAGE_CACHE_SECONDS = 0


def found(client, url: str) -> list[str]:
    """The slugs of the items a search page lists, in its order."""
    response = client.get(url)
    assert response.status_code == 200
    return [entry.item.slug for entry in response.context["results"]]


def test_a_thai_word_inside_a_sentence_is_found(client):
    event = EventFactory(title_th="ผู้นำเกาหลีเหนือชอบกินทุเรียนมาก")
    assert found(client, "/th/search/?q=ทุเรียน") == [event.slug]
    assert found(client, "/th/search/?q=กินทุเรียน") == [event.slug]


@pytest.mark.parametrize(
    ("stored", "typed"),
    [("ผู้นํากินมังคุด", "ผู้นำ มังคุด"), ("ผู้นำกินมังคุด", "ผู้นํา มังคุด")],
    ids=["artifact-stored", "artifact-typed"],
)
def test_the_sara_am_artifact_makes_no_difference(client, stored, typed):
    event = EventFactory(title_th=stored)
    assert found(client, f"/th/search/?q={typed}") == [event.slug]


def test_english_words_match_whatever_the_case_and_by_their_beginning(client):
    event = EventFactory(title_en="Durian summit in Wonsan")
    for typed in ["DURIAN", "durian wons", "Wonsan Durian", "wonsa"]:
        assert found(client, f"/en/search/?q={typed}") == [event.slug], typed
    assert found(client, "/en/search/?q=onsan") == [event.slug]  # a part of a word, at last


def test_each_language_shows_its_own_title(client):
    EventFactory(title_th="ประชุมสุดยอดทุเรียน", title_en="The durian summit")
    english = client.get("/en/search/?q=durian").content.decode()
    thai = client.get("/th/search/?q=durian").content.decode()  # English words on Thai pages
    assert "The <mark>durian</mark> summit" in english
    assert "ประชุมสุดยอดทุเรียน" in thai and "The durian summit" not in thai


def test_an_untranslated_title_is_shown_in_its_language_and_marked(client):
    EventFactory(title_th="ประชุมสุดยอดทุเรียน", title_en="")
    page = client.get("/en/search/?q=ทุเรียน").content.decode()
    assert 'lang="th"' in page and "Not yet translated" in page


def test_a_title_match_ranks_above_a_match_in_the_text_only(client):
    in_text = EventFactory(title_en="Talks in Moscow", body_en="They ate mangosteen, a fruit.")
    in_title = EventFactory(title_en="Mangosteen talks", body_en="Nothing else.")
    assert found(client, "/en/search/?q=mangosteen") == [in_title.slug, in_text.slug]


def test_matches_are_highlighted_and_the_text_escaped(client):
    EventFactory(title_en="A <b>bold</b> mangosteen deal", body_en="The mangosteen & <i>more</i>.")
    page = client.get("/en/search/?q=mangosteen").content.decode()
    assert "A &lt;b&gt;bold&lt;/b&gt; <mark>mangosteen</mark> deal" in page
    assert "The <mark>mangosteen</mark> &amp; &lt;i&gt;more&lt;/i&gt;." in page
    assert "<b>bold</b>" not in page


def test_a_thai_match_is_highlighted_without_visible_separators(client):
    EventFactory(title_th="ผู้นำเกาหลีเหนือชอบกินทุเรียนมาก")
    page = client.get("/th/search/?q=ทุเรียน").content.decode()
    assert "ผู้นำเกาหลีเหนือชอบกิน<mark>ทุเรียน</mark>มาก" in page
    assert "\u200b" not in page


@pytest.fixture
def fruit_events():
    era, topic, person = EraFactory(), TopicFactory(), PersonFactory()
    first = EventFactory(title_en="Rambutan one", date="2019-05", era=era)
    first.topics.add(topic)
    first.people.add(person)
    second = EventFactory(title_en="Rambutan two", date="2023")
    third = EventFactory(title_en="Rambutan three", date="1990/1991", era=era)
    return {"era": era, "topic": topic, "person": person, "events": [first, second, third]}


@pytest.mark.parametrize(
    ("parameters", "expected"),
    [
        ("era={era}", [0, 2]),
        ("topic={topic}", [0]),
        ("person={person}", [0]),
        ("from=2020", [1]),
        ("to=2562", [0, 2]),  # Buddhist Era: 2019
        ("from=1991&to=พ.ศ. 2566", [0, 1, 2]),
        ("era={era}&from=2018&to=2020", [0]),
        ("era={era}&topic={topic}&person={person}&to=2000", []),
    ],
)
def test_filters_narrow_the_results_and_combine(client, fruit_events, parameters, expected):
    slugs = {name: fruit_events[name].slug for name in ("era", "topic", "person")}
    query = parameters.format(**slugs)
    events = fruit_events["events"]
    assert set(found(client, f"/en/search/?q=rambutan&{query}")) == {
        events[i].slug for i in expected
    }


def test_filters_alone_list_their_events_in_date_order(client, fruit_events):
    first, _second, third = fruit_events["events"]
    assert found(client, f"/en/search/?era={fruit_events['era'].slug}") == [third.slug, first.slug]


def test_a_mistyped_year_is_explained_and_left_out(client, fruit_events):
    response = client.get("/en/search/?q=rambutan&from=soon")
    assert "Enter a year, e.g. 2024 or 2567." in response.content.decode()
    assert len(response.context["results"]) == 3


def test_people_and_sources_are_found_too(client):
    person = PersonFactory(name_en="Mangosteen Ivanov")
    source = SourceFactory(title_en="The mangosteen report")
    page = client.get("/en/search/?q=mangosteen")
    assert set(found(client, "/en/search/?q=mangosteen")) == {person.slug, source.slug}
    with translation.override("en"):
        assert f'href="{person.get_absolute_url()}"' in page.content.decode()


def test_items_readers_may_not_see_are_not_found(client):
    EventFactory(title_en="Mangosteen draft", status="draft")
    EventFactory(title_en="Mangosteen unpublished", status="unpublished")
    EventFactory(title_en="Mangosteen later", publish_at=timezone.now() + datetime.timedelta(1))
    SourceFactory(title_en="Mangosteen in review", status="review")
    assert found(client, "/en/search/?q=mangosteen") == []


def test_publishing_shows_an_item_with_no_reindexing(client, chief):
    event = EventFactory(title_en="Mangosteen draft", status="draft")
    CitationFactory(event=event)
    assert found(client, "/en/search/?q=mangosteen") == []
    item_transition(item=event, to="published", by=chief)
    assert found(client, "/en/search/?q=mangosteen") == [event.slug]
    item_transition(item=event, to="unpublished", by=chief)
    assert found(client, "/en/search/?q=mangosteen") == []


def test_a_scheduled_item_is_found_once_its_time_comes(client, chief):
    event = EventFactory(title_en="Mangosteen later", status="draft")
    CitationFactory(event=event)
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    item_transition(item=event, to="published", by=chief, publish_at=tomorrow)
    assert found(client, "/en/search/?q=mangosteen") == []
    # Time passes (no write the index would hear of): the item is found.
    Event.objects.filter(pk=event.pk).update(publish_at=timezone.now())
    assert found(client, "/en/search/?q=mangosteen") == [event.slug]


def test_an_edited_event_is_found_by_its_new_words_only(client):
    event = EventFactory(title_en="Lychee talks")
    event.title_en = "Longan talks"
    event_save(event=event)
    assert found(client, "/en/search/?q=longan") == [event.slug]
    assert found(client, "/en/search/?q=lychee") == []


def test_a_renamed_person_finds_their_events_by_the_new_name(client):
    event = EventFactory(title_en="Talks in Moscow")
    person = PersonFactory(name_en="Boris Lycheev")
    event.people.add(person)
    assert found(client, "/en/search/?q=lycheev") == [person.slug, event.slug]
    person.name_en = "Boris Longanov"
    person.save()
    assert found(client, "/en/search/?q=longanov") == [person.slug, event.slug]
    assert found(client, "/en/search/?q=lycheev") == []


@pytest.mark.parametrize("factory", [TopicFactory, EraFactory, PersonFactory])
def test_a_deleted_topic_era_or_person_no_longer_finds_its_events(client, factory):
    named = factory(name_en="Durian")
    event = EventFactory(title_en="Mangosteen talks", era=named if factory is EraFactory else None)
    if factory is not EraFactory:
        getattr(event, "topics" if factory is TopicFactory else "people").add(named)
    assert event.slug in found(client, "/en/search/?q=durian")
    named.delete()  # its links go by cascade or SET_NULL, which send no signal
    assert found(client, "/en/search/?q=durian") == []
    assert found(client, "/en/search/?q=mangosteen") == [event.slug]


def test_an_imported_event_is_found_at_once(client, chief):
    csv = (
        "slug,date,title_th,title_en,sources,status\n"
        f"rambutan-import,2024,ผู้นำกินเงาะ,Rambutan import,{SEED_SOURCE},published\n"
    )
    report, _record = import_table(
        spec=specs()["events"], table=open_table(csv.encode(), filename="x.csv"), user=chief
    )
    assert report.ok, report.errors
    assert found(client, "/th/search/?q=เงาะ") == ["rambutan-import"]
    assert found(client, "/en/search/?q=rambutan") == ["rambutan-import"]


# The worker closes its database connection after a task, as in production: this test
# commits for real instead of running inside the test's transaction.
@pytest.mark.django_db(transaction=True)
def test_a_large_import_is_indexed_by_the_worker_right_after(
    seeded, client, chief, settings, django_capture_on_commit_callbacks
):
    settings.SEARCH_INDEX_INLINE_ROWS = 1  # "large": more rows than this in one batch
    csv = (
        "slug,date,title_th,title_en,sources,status\n"
        f"durian-import,2024,ผู้นำกินทุเรียน,Durian import,{SEED_SOURCE},published\n"
        f"longan-import,2024,ผู้นำกินลำไย,Longan import,{SEED_SOURCE},published\n"
    )
    with django_capture_on_commit_callbacks(execute=True):
        report, _record = import_table(
            spec=specs()["events"], table=open_table(csv.encode(), filename="x.csv"), user=chief
        )
    assert report.ok, report.errors
    assert found(client, "/en/search/?q=durian") == []  # queued, not yet indexed
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)  # the real worker
    assert found(client, "/en/search/?q=durian") == ["durian-import"]
    assert found(client, "/th/search/?q=ลำไย") == ["longan-import"]


def test_a_part_of_a_word_is_found_when_no_whole_word_matches(client):
    event = EventFactory(title_th="ผู้นำเยือนที่ทำการไปรษณีย์")
    page = client.get("/th/search/?q=รษณีย์").content.decode()
    assert found(client, "/th/search/?q=รษณีย์") == [event.slug]
    assert "ไป<mark>รษณีย์</mark>" in page


@pytest.mark.parametrize(
    "typed",
    [
        *['"', "*", "AND", "(", "-", ":", "NEAR(", '"kim', "kim*", "kim OR", "a'b", "\\", "%", "_"],
        *[" ", "\u0e31", "\u0300", "ๆ", "😀", "2024", "kim:*", "'kim' & !x", "<b>"],
    ],
)
def test_search_syntax_in_the_words_is_harmless(client, typed):
    for language in ("th", "en"):
        response = client.get(f"/{language}/search/", {"q": typed})
        assert response.status_code == 200


def test_an_empty_or_junk_query_shows_the_form_and_a_hint(client):
    empty = client.get("/en/search/").content.decode()
    junk = client.get("/en/search/", {"q": '"*()-:'}).content.decode()
    assert 'id="search-q"' in empty and "Type a word, or choose a filter" in empty
    assert "has no word to look for" in junk


def test_a_very_long_query_is_cut_short(client):
    response = client.get("/th/search/", {"q": "ผู้นำ " * 2000})
    assert response.status_code == 200
    assert len(response.context["query"].text) <= 200


def test_nothing_found_offers_the_other_language(client):
    page = client.get("/en/search/?q=nonexistentword").content.decode()
    assert 'href="http://testserver/th/search/?q=nonexistentword"' in page


def test_the_number_of_queries_does_not_grow_with_the_results(client):
    EventFactory.create_batch(2, title_en="Papaya festival")
    EventFactory.create_batch(30, title_en="Guava festival")

    def queries(url):
        with CaptureQueriesContext(connection) as context:
            response = client.get(url)
        return len(context), len(response.context["results"])

    few, many = queries("/en/search/?q=papaya"), queries("/en/search/?q=guava")
    assert few[1] == 2 and many[1] == 20  # one page
    assert few[0] == many[0]
    assert queries("/en/search/?q=guava&page=2") == (few[0], 10)


@pytest.mark.parametrize(
    ("language", "typed"),
    [("en", "papaya"), ("th", "มะละกอ"), ("en", "apay")],
    ids=["words", "thai", "inside-words"],
)
def test_more_matches_than_are_ranked_are_the_newest_first_and_said_so(
    client, monkeypatch, language, typed
):
    """Past RANK_LIMIT matches, the newest are listed, newest first, and the page says
    so; at the limit or under, every match is ranked (a title match first)."""
    monkeypatch.setattr("timeline.search.RANK_LIMIT", 3)
    dates = ["1950-06-25", "2024-06-19", "1961-07-06", "2000-02-09"]
    events = {
        date: EventFactory(
            date=date,
            title_en="Papaya talks",
            title_th="การเจรจามะละกอ",
            summary_en="",
            summary_th="",
        )
        for date in dates
    }
    EventFactory(date="2025-01-01", title_en="Papaya draft", status="draft")
    notice = "the newest 3 are listed" if language == "en" else "3 รายการล่าสุด"
    # Inside words on PostgreSQL: found by a walk along the newest entries, or (a walk too
    # short to find more than 3) from the trigram index; the same list either way.
    for walk in (2_000, 2):
        monkeypatch.setattr("timeline.search.WALK", walk)
        response = client.get(f"/{language}/search/?q={typed}")
        assert [entry.item.slug for entry in response.context["results"]] == [
            events[date].slug for date in ["2024-06-19", "2000-02-09", "1961-07-06"]
        ]
        assert response.context["paginator"].count == 3
        assert notice in response.content.decode()
    events["1950-06-25"].delete()  # now 3 match: all ranked, none said to be left out
    response = client.get(f"/{language}/search/?q={typed}")
    assert len(response.context["results"]) == 3
    assert notice not in response.content.decode()


def test_the_header_has_a_labelled_search_box_on_every_page(client):
    page = client.get("/en/").content.decode()
    assert 'action="/en/search/"' in page
    assert '<label class="visually-hidden" for="site-search-q">' in page


def test_the_rebuild_command_restores_the_index(client):
    event = EventFactory(title_en="Mangosteen deal")
    SearchEntry.objects.all().delete()
    assert found(client, "/en/search/?q=mangosteen") == []
    out = io.StringIO()
    call_command("rebuild_search_index", stdout=out)
    assert "Search index rebuilt" in out.getvalue()
    assert found(client, "/en/search/?q=mangosteen") == [event.slug]


def _expected_newest(typed: str, language: str, limit: int) -> list[int]:
    """The newest ``limit`` entries readers may see that hold ``typed``, in Python: events
    by their date, the latest id first among equals, the undated (sources, people) last."""
    visible = set(Event.objects.published().values_list("pk", flat=True))
    rows = [
        entry
        for entry in SearchEntry.objects.filter(language=language)
        if typed in (entry.title + entry.body + entry.extra).lower()
        and (entry.kind != "event" or entry.object_id in visible)
    ]
    rows.sort(key=lambda e: (e.date_start is not None, e.date_start or datetime.date.min, e.id))
    return [entry.id for entry in reversed(rows)][:limit]


@pytest.mark.parametrize(("language", "typed"), [("en", "guava"), ("th", "ฝรั่ง")])
def test_the_newest_matches_are_read_in_the_dates_order(monkeypatch, language, typed):
    """What the search lists when more match than it ranks: read from the word index by
    its row numbers on SQLite (migration 0014), along search_entry_newest on PostgreSQL;
    the same entries in the same order as sorting every match, through edits and in each
    language's range only."""
    from timeline import search

    dates = ["2024-06-19", "1950", "2024-06-19", "1961-07-06", "197X", "2025-08-22", "1945"]
    events = [
        EventFactory(date=date, title_en=f"Guava pact {n}", title_th=f"ข้อตกลง ฝรั่ง {n}")
        for n, date in enumerate(dates)
    ]
    for day in range(1, 5):  # the newest: readers do not see them
        EventFactory(
            date=f"2026-01-0{day}", title_en="Guava draft", title_th="ร่าง ฝรั่ง", status="draft"
        )
    EventFactory(date="2026-02-01", title_en="Mango pact", title_th="ข้อตกลง มะม่วง")
    SourceFactory(title_en="Guava papers", title_th="เอกสาร ฝรั่ง")
    PersonFactory(name_en="Guava Kim", name_th="ฝรั่ง คิม")
    query = search.Query(text=typed)
    entries = SearchEntry.objects.filter(search._public(query), language=language)

    def newest(limit: int) -> tuple[list[int], bool]:
        monkeypatch.setattr(search, "RANK_LIMIT", limit)
        # Each way of reading them: the hidden ones left out as read (fewer of them than the
        # limit) or each row looked up among the entries (more, or the query filters).
        found = [
            search._newest_words(entries, query.parts, language=language, filtered=filtered)
            for filtered in (False, True)
        ]
        assert found[0] == found[1]
        return found[0]

    for limit in (3, 5):  # fewer hidden entries (4) than the limit, and more
        assert newest(limit) == (_expected_newest(typed, language, limit), True)
    assert newest(100) == (_expected_newest(typed, language, 100), False)
    assert len(newest(100)[0]) == len(dates) + 2  # the events readers see, a source, a person
    events[1].date = "2030-01-01"  # an edit moves an event to the front
    event_save(event=events[1])
    assert (
        newest(3)[0][0]
        == SearchEntry.objects.get(kind="event", object_id=events[1].pk, language=language).pk
    )
    assert newest(3) == (_expected_newest(typed, language, 3), True)


def test_each_entry_is_numbered_by_its_language_and_date():
    from timeline import search

    event = EventFactory(date="2024-06-19")
    for entry in SearchEntry.objects.filter(object_id=event.pk, kind="event"):
        expected = search.newest_prefix(language=entry.language, date_start=entry.date_start)
        assert entry.newest_prefix == expected
        first, last = search._language_rows(entry.language)
        assert first <= entry.newest_prefix + entry.id <= last
    th, en = (search._language_rows(code) for code in ("th", "en"))
    assert th[1] < en[0] or en[1] < th[0]  # the languages' ranges do not meet
    early = search.newest_prefix(language="th", date_start=datetime.date(1, 1, 1))
    late = search.newest_prefix(language="th", date_start=datetime.date(9999, 12, 31))
    assert search.newest_prefix(language="th", date_start=None) < early < late <= th[1]


def test_a_whole_word_in_more_entries_than_are_ranked_lists_its_own(client, monkeypatch):
    """The last word typed may be the start of longer ones ("papay" finds "papayas"); typed
    whole and in more entries than are ranked, its own newest matches are listed, not
    those of the longer words it begins."""
    monkeypatch.setattr("timeline.search.RANK_LIMIT", 3)
    whole = [
        EventFactory(date=date, title_en="Papaya talks", summary_en="")
        for date in ["1950-06-25", "1961-07-06", "2000-02-09", "2024-06-19"]
    ]
    longer = EventFactory(date="2025-01-01", title_en="Papayas shipped", summary_en="")
    newest_whole = [whole[3].slug, whole[2].slug, whole[1].slug]
    assert found(client, "/en/search/?q=papaya") == newest_whole
    assert found(client, "/en/search/?q=papay") == [longer.slug, *newest_whole[:2]]
    monkeypatch.setattr("timeline.search.RANK_LIMIT", 10)  # every match ranked: both words
    assert sorted(found(client, "/en/search/?q=papaya")) == sorted(
        [longer.slug, *(event.slug for event in whole)]
    )


def test_entries_numbered_in_another_order_of_languages_are_still_found_in_theirs(
    client, monkeypatch
):
    """LANGUAGES reordered after the entries were written (their row numbers hold the old
    order): the search still lists each page's own language's entries, newest first, until
    the index is rebuilt, which numbers them again."""
    from timeline import search

    monkeypatch.setattr("timeline.search.RANK_LIMIT", 2)
    events = [EventFactory(date=f"20{n}0-01-01", title_en=f"Quince {n}") for n in range(1, 4)]
    newest = [events[2].slug, events[1].slug]
    search._numbered_as_languages.cache_clear()
    assert search._numbered_as_languages()
    swapped = {"th": 1, "en": 0}  # the entries as another order of LANGUAGES numbered them
    for entry in SearchEntry.objects.all():  # through the ORM: the triggers renumber the rows
        position = swapped[entry.language] << (search.ID_BITS + search.DAY_BITS)
        day = entry.newest_prefix & ((1 << (search.ID_BITS + search.DAY_BITS)) - 1)
        entry.newest_prefix = position | day
        entry.save(update_fields=["newest_prefix"])
    search._numbered_as_languages.cache_clear()
    try:
        assert not search._numbered_as_languages()
        for language in ("en", "th"):
            response = client.get(f"/{language}/search/?q=quince")
            assert [entry.item.slug for entry in response.context["results"]] == newest
            assert {entry.language for entry in response.context["results"]} == {language}
        call_command("rebuild_search_index", stdout=io.StringIO())
        search._numbered_as_languages.cache_clear()
        assert search._numbered_as_languages()
        assert found(client, "/th/search/?q=quince") == newest
    finally:
        search._numbered_as_languages.cache_clear()
