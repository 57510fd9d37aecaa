import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from newsroom.models import Note
from tests.factories import EventFactory, SourceFactory
from timeline import services
from timeline.models import Event

pytestmark = pytest.mark.django_db

ARTIFACT = "ผู้น\u0e4d\u0e32"


def test_saving_derives_sortable_bounds_and_precision():
    event = EventFactory(date="1955~/1969", start_qualifier="mid")
    assert (event.date_start, event.date_end) == (
        datetime.date(1955, 1, 1),
        datetime.date(1969, 12, 31),
    )
    assert (event.start_precision, event.end_precision) == ("year", "year")
    event.date = "2025-04"
    event.save()
    event.refresh_from_db()
    assert (event.date_start, event.date_end, event.start_precision) == (
        datetime.date(2025, 4, 1),
        datetime.date(2025, 4, 30),
        "month",
    )


def test_display_date_override_wins_per_language():
    event = EventFactory(
        date="1955~/1969",
        start_qualifier="mid",
        display_date_en="mid-1950s to the 1960s",
        display_date_th="",
    )
    assert event.date_label("en") == "mid-1950s to the 1960s"
    assert event.date_label("th") == "ราวกลางปี พ.ศ. 2498 ถึงปี พ.ศ. 2512"


def test_thai_text_is_cleaned_on_save_in_every_translated_field():
    event = EventFactory(
        title_th=f"{ARTIFACT}เกาหลีเหนือ พบปะะกับปูติน", body_th=f"ย่อหน้าแรก{ARTIFACT}\n\nย่อหน้าที่สอง"
    )
    event.refresh_from_db()
    assert event.title_th == "ผู้นำเกาหลีเหนือ พบปะกับปูติน"
    assert event.body_th == "ย่อหน้าแรกผู้นำ\n\nย่อหน้าที่สอง"


def test_service_refuses_a_bad_date_and_writes_nothing():
    event = Event(slug="bad-date", title_th="ผิด", date="2025-13")
    with pytest.raises(ValidationError) as error:
        services.event_save(event=event)
    assert "date" in error.value.message_dict
    assert not Event.objects.filter(slug="bad-date").exists()


def test_slugs_must_be_ascii():
    event = Event(slug="ผู้นำ", title_th="ผู้นำ", date="2012")
    with pytest.raises(ValidationError) as error:
        services.event_save(event=event)
    assert "slug" in error.value.message_dict


def test_a_note_belongs_to_a_source_or_an_event_not_both():
    with pytest.raises(IntegrityError):
        Note.objects.create(
            noted_on=datetime.date(2026, 1, 1),
            text_en="x",
            source=SourceFactory(),
            event=EventFactory(),
        )


def test_untranslated_finds_text_missing_in_one_language():
    thai_only = EventFactory(title_en="", summary_en="")
    half = EventFactory(body_th="เนื้อหา", body_en="")
    both = EventFactory()
    missing_en = set(Event.objects.untranslated("en"))
    assert {thai_only, half} <= missing_en and both not in missing_en
    assert thai_only not in set(Event.objects.untranslated("th"))


def test_machine_readable_date_only_for_single_days_months_and_years():
    assert EventFactory(date="2025-08-22").machine_date == "2025-08-22"
    assert EventFactory(date="2025-04").machine_date == "2025-04"
    assert EventFactory(date="2012").machine_date == "2012"
    assert EventFactory(date="197X").machine_date == ""
    assert EventFactory(date="1945/1948").machine_date == ""


@pytest.mark.parametrize(
    ("edtf", "machine"),
    [("2001-21", "2001"), ("[1667,1668]", ""), ("1985-04-12T23:20:30Z", "1985-04-12")],
)
def test_a_season_or_a_set_gives_no_false_machine_date(edtf, machine):
    assert EventFactory(date=edtf).machine_date == machine
