"""The content every fresh install loads, from the two seed articles."""

import json

import pytest
from django.apps import apps
from django.core import serializers
from django.core.management import call_command
from django.db import models

from newsroom.i18n import translated_fields
from newsroom.models import Person, Source
from newsroom.text import clean_text
from tests.conftest import SEED
from timeline.dates import parse_fuzzy_date
from timeline.models import Event

pytestmark = pytest.mark.django_db

SEED_000_EVENTS = {  # the lede and the five dated sections of the AP timeline
    "2023-09": "Kim Jong Un arrives in Russia",
    "1945/1948": "Kim Il Sung",
    "1950/1953": "Korean War",
    "1955~/1969": "Soviet aid",
    "197X": "equal distance",
    "198X": "Gorbachev",
}


def _dump():
    labels = [
        "newsroom.source",
        "newsroom.person",
        "newsroom.quote",
        "newsroom.note",
        "timeline.era",
        "timeline.topic",
        "timeline.event",
        "timeline.citation",
    ]
    return serializers.serialize(
        "json", [o for label in labels for o in apps.get_model(label).objects.order_by("pk")]
    )


def test_seed_000_lede_and_dated_sections_are_events():
    for date, words in SEED_000_EVENTS.items():
        event = Event.objects.get(date=date)
        assert words in event.title_en
    decades = Event.objects.get(date="1955~/1969")
    assert (decades.start_qualifier, decades.date_label("en")) == ("mid", "mid-1950s to the 1960s")


def test_seed_001_gives_at_least_ten_dated_events_resolved_against_the_article_date():
    imct = Source.objects.get(publisher="IMCT NEWS")
    events = Event.objects.filter(citations__source=imct).distinct()
    assert events.exclude(date__in=SEED_000_EVENTS).count() >= 10
    # "last Friday" before 25 August 2025 is 22 August; "last June" is June 2024.
    assert Event.objects.filter(date="2025-08-22", start_precision="day").exists()
    assert Event.objects.filter(date="2024-06", slug__contains="treaty").exists()
    assert Event.objects.filter(date="2025-04", slug__contains="kursk").exists()
    # Buddhist Era years of the article (2546-2550, 2555, 2561) are stored as CE.
    assert {"2003/2007", "2012", "2018"} <= set(events.values_list("date", flat=True))


def test_every_event_is_complete_in_both_languages_and_cites_a_passage():
    for event in Event.objects.all():
        for field in ("title", "summary", "body"):
            assert getattr(event, f"{field}_th") and getattr(event, f"{field}_en"), event.slug
        assert event.citations.exclude(passage="").exists(), event.slug


def test_sources_keep_the_articles_whole_and_say_what_is_missing():
    ap = Source.objects.get(slug__startswith="ap-")
    assert ap.is_complete is False and ap.published_on is None and ap.url == ""
    assert ap.full_text.rstrip().endswith("ทำให้เกาหลีเหนือถูกโด")  # cut off mid-word, kept so
    assert ap.notes.filter(text_en__icontains="breaks off mid-word").exists()
    assert ap.notes.filter(kind="correction", text_th__contains="เซี่ยงไฮ้").exists()
    imct = Source.objects.get(publisher="IMCT NEWS")
    assert imct.translation_of.publisher == "Newsweek"
    assert imct.translation_of.url.startswith("https://www.newsweek.com/")
    assert "\n\n" in imct.full_text  # paragraphs survive


def test_people_the_articles_name_are_there_with_their_affiliations():
    names = set(Person.objects.values_list("name_en", flat=True))
    for name in (
        "Kim Jong Un",
        "Vladimir Putin",
        "Victor Cha",
        "Jenny Town",
        "Choe Son-hui",
        "Sergey Lavrov",
        "Kim Yo Jong",
        "Kim Il Sung",
    ):
        assert name in names
    town = Person.objects.get(name_en="Jenny Town")
    assert {"Stimson Center", "38 North"} <= set(
        town.affiliations.values_list("name_en", flat=True)
    )
    assert Person.objects.get(name_en="Victor Cha").quotes.exists()


def test_derived_dates_in_the_fixture_match_the_edtf():
    """loaddata saves raw: the fixture carries every derived column as save() would."""
    for event in Event.objects.all():
        fuzzy = parse_fuzzy_date(event.date)
        assert (event.date_start, event.date_end) == (fuzzy.lower, fuzzy.upper), event.slug
        derived = {k: v for k, v in Event.derived({"date": event.date}).items() if k != "date"}
        assert {name: getattr(event, name) for name in derived} == derived, event.slug


def test_fixture_text_is_already_clean():
    """loaddata bypasses save(): the fixture must hold what save() would store."""
    for record in json.loads(SEED.read_text(encoding="utf-8")):
        model = apps.get_model(record["model"])
        for name, value in record["fields"].items():
            field = model._meta.get_field(name)
            if isinstance(value, str) and isinstance(field, models.TextField | models.CharField):
                multiline = isinstance(field, models.TextField)
                assert clean_text(value, multiline=multiline) == value, (record["pk"], name)
            assert name not in translated_fields(model), "give _th/_en, not the bare field"
    assert "\u0e4d\u0e32" not in SEED.read_text(encoding="utf-8")


def test_loading_the_fixtures_twice_changes_nothing():
    before = _dump()
    call_command("loaddata", SEED, verbosity=0)
    assert _dump() == before
