import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from newsroom.i18n import translated_fields
from newsroom.models import ImportChange, TranslationState, WorkerHeartbeat
from tests.forms import form_data
from timeline.models import EventYearCount, SearchEntry

pytestmark = pytest.mark.django_db

EDITORIAL_MODELS = [  # what editors write (import records are read-only; failed sign-ins
    m  # are the chief editors')
    for m in admin.site._registry
    if m._meta.app_label in ("newsroom", "timeline")
    and m._meta.model_name not in ("importrecord", "workflowlog", "searchentry", "failedlogin")
]


def _url(model, action, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}", args=args)


def test_every_editorial_model_is_registered():
    models = {
        m for label in ("newsroom", "timeline") for m in apps.get_app_config(label).get_models()
    }
    # Bookkeeping, read through other pages; the search index and the counts by year are
    # derived from the content; the workers' heartbeats are theirs.
    internal = {ImportChange, TranslationState, SearchEntry, EventYearCount, WorkerHeartbeat}
    assert models - internal <= set(admin.site._registry)


@pytest.mark.parametrize("path", ["/admin/", "/admin/timeline/event/", "/admin/newsroom/source/"])
def test_anonymous_users_are_sent_to_the_admin_login(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize("model", EDITORIAL_MODELS, ids=lambda m: m._meta.label)
def test_editor_opens_list_add_and_change_pages_of_every_model(editor_client, model):
    assert editor_client.get(_url(model, "changelist")).status_code == 200
    assert editor_client.get(_url(model, "add")).status_code == 200
    obj = model.objects.first()
    assert obj is not None, f"the fixtures hold no {model._meta.verbose_name}"
    response = editor_client.get(_url(model, "change", obj.pk))
    assert response.status_code == 200
    html = response.content.decode()
    for field in translated_fields(model):  # both languages, behind the language switch
        assert f'name="{field}_th"' in html and f'name="{field}_en"' in html
    assert 'id="language-switch"' in html and "/static/newsroom/js/admin-form.js" in html
    assert "googleapis" not in html and "jquery-ui" not in html


@pytest.mark.parametrize("model", EDITORIAL_MODELS, ids=lambda m: m._meta.label)
def test_editor_saves_every_model_unchanged_through_its_form(editor_client, model):
    obj = model.objects.first()
    url = _url(model, "change", obj.pk)
    data = form_data(editor_client.get(url).content.decode(), f"{model._meta.model_name}_form")
    response = editor_client.post(url, data)
    assert response.status_code == 302, (
        response.context["adminform"].form.errors if response.context else response
    )


def test_edited_english_title_shows_on_the_public_page(editor_client):
    from timeline.models import Event

    event = Event.objects.published().first()
    url = _url(Event, "change", event.pk)
    data = form_data(editor_client.get(url).content.decode(), "event_form")
    data["title_en"] = ["A title an editor just wrote"]
    assert editor_client.post(url, data).status_code == 302
    page = editor_client.get(f"/en/events/{event.slug}/").content.decode()
    assert "A title an editor just wrote" in page
    thai_page = editor_client.get(f"/th/events/{event.slug}/").content.decode()
    assert event.title_th in thai_page


def test_admin_change_form_refuses_a_bad_date_with_the_reason(editor_client):
    from timeline.models import Event

    event = Event.objects.first()
    url = _url(Event, "change", event.pk)
    data = form_data(editor_client.get(url).content.decode(), "event_form")
    data["date"] = ["2568-08-22"]
    response = editor_client.post(url, data, headers={"accept-language": "en"})
    assert response.status_code == 200
    assert "Buddhist Era" in str(response.context["adminform"].form.errors["date"])
    event.refresh_from_db()
    assert event.date != "2568-08-22"


@pytest.mark.parametrize(
    "date, error",
    [
        ("2400", None),  # as the import keeps it
        ("2000/2568", "mixes Buddhist Era (พ.ศ.) and Christian Era years"),
        ("2510/2568", "is in the Buddhist Era (พ.ศ.): write it in the Christian Era, 1967/2025"),
    ],
)
def test_admin_dates_follow_the_imports_buddhist_era_rule(editor_client, date, error):
    from timeline.models import Event

    event = Event.objects.first()
    url = _url(Event, "change", event.pk)
    data = form_data(editor_client.get(url).content.decode(), "event_form")
    data["date"] = [date]
    response = editor_client.post(url, data, headers={"accept-language": "en"})
    event.refresh_from_db()
    if error is None:
        assert response.status_code == 302 and event.date == date
    else:
        assert error in str(response.context["adminform"].form.errors["date"])
        assert event.date != date


def test_an_eras_buddhist_era_year_is_refused_in_the_admin(editor_client):
    from timeline.models import Era

    era = Era.objects.first()
    url = _url(Era, "change", era.pk)
    data = form_data(editor_client.get(url).content.decode(), "era_form")
    data["start_year"] = ["2493"]
    response = editor_client.post(url, data, headers={"accept-language": "en"})
    assert "write it in the Christian Era, 1950" in str(
        response.context["adminform"].form.errors["start_year"]
    )


@pytest.mark.parametrize(
    "query",
    [
        "missing=en",
        "missing=th",
        "cited=no",
        "cited=yes",
        "decade=1950",
        "status=published",
        "q=เกาหลีเหนือ",
        "q=Putin",
    ],
)
def test_event_list_filters_and_search_work(editor_client, query):
    response = editor_client.get(f"/admin/timeline/event/?{query}")
    assert response.status_code == 200
    assert "errornote" not in response.content.decode().split("<table")[0] or "cited=no" in query


def test_event_without_citation_is_marked_in_the_list_and_the_form(editor_client):
    from tests.factories import EventFactory

    event = EventFactory(title_th="เหตุการณ์ที่ไม่มีแหล่งอ้างอิง")
    listing = editor_client.get("/admin/timeline/event/?cited=no").content.decode()
    assert "เหตุการณ์ที่ไม่มีแหล่งอ้างอิง" in listing and "ไม่มีการอ้างอิง" in listing
    english = {"accept-language": "en"}
    form = editor_client.get(_url(event.__class__, "change", event.pk), headers=english)
    assert "cites no source yet" in form.content.decode()


def test_missing_translation_filter_finds_the_event_without_english(editor_client):
    from tests.factories import EventFactory

    EventFactory(title_th="ยังไม่มีคำแปล", title_en="", summary_en="")
    listing = editor_client.get("/admin/timeline/event/?missing=en").content.decode()
    assert "ยังไม่มีคำแปล" in listing


def test_admin_speaks_thai_to_a_thai_editor(editor_client):
    response = editor_client.get("/admin/", headers={"accept-language": "th"})
    assert "เหตุการณ์" in response.content.decode()  # "events", our own Thai catalogue


def test_period_filter_names_decades_in_the_editors_language(editor_client):
    thai = editor_client.get("/admin/timeline/event/", headers={"accept-language": "th"})
    assert "คริสต์ทศวรรษ 1950" in thai.content.decode()
    english = editor_client.get("/admin/timeline/event/", headers={"accept-language": "en"})
    assert ">1950s<" in english.content.decode()
