"""Events before the year 1000: the admin's period filter and the pages' machine dates."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from timeline.models import Event

pytestmark = pytest.mark.django_db


@pytest.fixture
def rome_falls():
    return Event.objects.create(
        slug="rome-falls",
        title_th="จักรวรรดิโรมันตะวันตกล่มสลาย",
        title_en="The Western Roman Empire falls",
        date="0476",
        status="published",
    )


def test_the_event_keeps_its_early_year(rome_falls):
    rome_falls.refresh_from_db()
    assert rome_falls.date_start.year == rome_falls.date_end.year == 476
    assert rome_falls.start_precision == "year"


def test_the_event_list_opens_and_filters_by_the_early_decade(editor_client, rome_falls):
    url = reverse("admin:timeline_event_changelist")
    assert editor_client.get(url).status_code == 200
    response = editor_client.get(url, {"decade": "470"})
    assert response.status_code == 200
    listed = response.content.decode()
    assert _change_link(rome_falls) in listed
    later = Event.objects.filter(date_start__year__gte=480).first()
    assert _change_link(later) not in listed  # that decade's events only


def _change_link(event) -> str:
    return reverse("admin:timeline_event_change", args=[event.pk])


@pytest.mark.parametrize("language", ["th", "en"])
def test_the_public_page_gives_a_four_digit_machine_year(client, rome_falls, language):
    with translation.override(language):
        url = reverse("timeline:event-detail", kwargs={"slug": rome_falls.slug})
    assert url == f"/{language}/events/rome-falls/"
    page = client.get(url).content.decode()
    kicker = page.split('class="kicker"', 1)[1].split("</p>", 1)[0]  # the event's own date
    assert re.findall(r'<time[^>]* datetime="([^"]*)"', kicker) == ["0476"]
