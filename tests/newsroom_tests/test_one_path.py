"""One rule, every entry point: the admin's forms, lists and actions, and the import commands
keep the same workflow log, change history, corrections, text cleaning and validation."""

import csv
import datetime

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone, translation
from reversion.models import Version

from newsroom.models import Note, Source, WorkflowLog
from tests.forms import form_data
from timeline.models import Event

pytestmark = pytest.mark.django_db

EN = {"accept-language": "en"}  # the admin speaks the editor's language; Thai by default


def admin_url(obj_or_model, action: str, *args) -> str:
    opts = obj_or_model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{action}", args=args)


def change_form(client, obj, *, crlf: bool = False) -> dict[str, list[str]]:
    html = client.get(admin_url(obj, "change", obj.pk), headers=EN).content.decode()
    return form_data(html, f"{obj._meta.model_name}_form", crlf=crlf)


def add_form(client, model) -> dict[str, list[str]]:
    html = client.get(admin_url(model, "add"), headers=EN).content.decode()
    return form_data(html, f"{model._meta.model_name}_form")


def submit(client, url: str, data: dict, status: int = 302):
    response = client.post(url, data, headers=EN)
    assert response.status_code == status, response.content.decode()[:2000]
    return response


# a. A changed publish time is logged, for events as for sources -----------------------------


@pytest.mark.parametrize("model", [Event, Source], ids=["event", "source"])
def test_a_changed_publish_time_is_in_the_workflow_log(chief_client, chief, model):
    item = model.objects.filter(status="published").first()
    later = timezone.localtime().replace(second=0, microsecond=0) + datetime.timedelta(days=3)
    data = change_form(chief_client, item)
    assert "publish_at_0" in data and "publish_at_1" in data  # the date and time boxes
    data["publish_at_0"], data["publish_at_1"] = [f"{later:%Y-%m-%d}"], [f"{later:%H:%M:%S}"]
    submit(chief_client, admin_url(item, "change", item.pk), data)
    item.refresh_from_db()
    assert item.publish_at == later
    logged = WorkflowLog.objects.filter(
        content_type=ContentType.objects.get_for_model(model), object_id=item.pk, by=chief
    )
    assert logged.filter(
        from_status="published", to_status="published", publish_at=later
    ).exists(), list(logged.values("from_status", "to_status", "publish_at"))


# b. The history lists what the editor changed, not what the browser's line breaks touched --

# The field with paragraphs of each model, as the admin (in English) labels it.
LONG_TEXT = {Event: "Body", Source: "Full text"}
NOT_TOUCHED = ("People", "Topics", "Era")


@pytest.fixture(params=[Event, Source], ids=["event", "source"])
def with_paragraphs(request):
    """A published seed item whose long text has several paragraphs."""
    field = "body_th" if request.param is Event else "full_text"
    return request.param.objects.filter(status="published", **{f"{field}__contains": "\n\n"})[0]


def latest_messages(item) -> tuple[str, str]:
    """The admin's "what changed" of the item's last save, and its newest version's comment."""
    entry = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(item), object_id=str(item.pk)
    ).latest("pk")
    version = Version.objects.get_for_object(item).order_by("-pk").first()
    with translation.override("en"):
        return entry.get_change_message(), version.revision.comment


def test_the_history_lists_only_the_field_the_editor_changed(editor_client, with_paragraphs):
    item = with_paragraphs
    long_text = LONG_TEXT[type(item)]
    before = {f: getattr(item, f) for f in ("body_th", "body_en", "full_text") if hasattr(item, f)}
    data = change_form(editor_client, item, crlf=True)
    data["summary_th"] = [data["summary_th"][0] + " แก้ไข"]
    submit(editor_client, admin_url(item, "change", item.pk), data)
    item.refresh_from_db()
    assert {f: getattr(item, f) for f in before} == before  # the long text is as it was
    for message in latest_messages(item):
        assert "Summary [th]" in message
        assert long_text not in message, message
        assert not any(name in message for name in NOT_TOUCHED), message


def test_an_unchanged_form_saves_no_change(editor_client, with_paragraphs):
    item = with_paragraphs
    data = change_form(editor_client, item, crlf=True)
    submit(editor_client, admin_url(item, "change", item.pk), data)
    log_message, comment = latest_messages(item)
    assert log_message == "No fields changed."
    assert LONG_TEXT[type(item)] not in comment and "Changed" not in comment, comment


# c. A published correction stays, whichever way someone tries to remove it ----------------


@pytest.fixture
def correction():
    return Note.objects.create(
        kind="correction",
        is_public=True,
        event=Event.objects.filter(status="published").first(),
        noted_on=datetime.date.today(),
        text_th="แก้ไข: วันที่ของเหตุการณ์นี้คือปีถัดไป",
    )


def _inline_row(data: dict, note) -> str:
    """The prefix of the note's row in the event form's inline ("notes-0")."""
    total = int(data["notes-TOTAL_FORMS"][0])
    return next(f"notes-{n}" for n in range(total) if data[f"notes-{n}-id"] == [str(note.pk)])


def inline_delete(client, note):
    data = change_form(client, note.event)
    data[f"{_inline_row(data, note)}-DELETE"] = ["on"]
    client.post(admin_url(note.event, "change", note.event.pk), data, headers=EN)


def inline_hide(client, note):
    data = change_form(client, note.event)
    data.pop(f"{_inline_row(data, note)}-is_public", None)  # the box unticked
    client.post(admin_url(note.event, "change", note.event.pk), data, headers=EN)


def delete_view(client, note):
    client.post(admin_url(note, "delete", note.pk), {"post": "yes"}, headers=EN)


def bulk_delete(client, note):
    data = {"action": "delete_selected", "_selected_action": [note.pk], "post": "yes"}
    client.post(admin_url(Note, "changelist"), data, headers=EN)


def note_form_hide(client, note):
    data = change_form(client, note)
    data.pop("is_public", None)  # the box unticked (or not there at all)
    client.post(admin_url(note, "change", note.pk), data, headers=EN)


def note_form_demote(client, note):
    data = change_form(client, note)
    data["kind"] = ["note"]
    client.post(admin_url(note, "change", note.pk), data, headers=EN)


@pytest.mark.parametrize("who", ["editor_client", "chief_client"])
@pytest.mark.parametrize(
    "attempt",
    [inline_delete, inline_hide, delete_view, bulk_delete, note_form_hide, note_form_demote],
    ids=lambda f: f.__name__,
)
def test_a_published_correction_cannot_be_removed(request, correction, who, attempt):
    attempt(request.getfixturevalue(who), correction)
    kept = Note.objects.filter(pk=correction.pk).first()
    assert kept is not None, "the correction was deleted"
    assert (kept.kind, kept.is_public) == ("correction", True)


@pytest.mark.parametrize(
    ("attempt", "outcome"),
    [
        pytest.param(inline_delete, None, id="inline_delete"),
        pytest.param(delete_view, None, id="delete_view"),
        pytest.param(bulk_delete, None, id="bulk_delete"),
        pytest.param(inline_hide, ("note", False), id="inline_hide"),
        pytest.param(note_form_hide, ("note", False), id="note_form_hide"),
    ],
)
def test_the_same_moves_do_remove_an_editors_note(editor_client, correction, attempt, outcome):
    """The attempts above are real: on a plain editor's note, each one works."""
    Note.objects.filter(pk=correction.pk).update(kind="note")
    correction.refresh_from_db()
    attempt(editor_client, correction)
    left = Note.objects.filter(pk=correction.pk).values_list("kind", "is_public").first()
    assert left == outcome


# d. An admin save and an import clean text and derive dates the same way ------------------

STORED = ("title_th", "body_th", "date", "date_start", "date_end")
DERIVED = ("start_precision", "end_precision")
# As a PDF gives it: NIKHAHIT + SARA AA where SARA AM is meant ("ผู้นํา" for "ผู้นำ").
PDF_TITLE = "ผู้น\u0e4d\u0e32เกาหลีเหนือเยือนมอสโก "


def admin_add_event(client, **fields) -> Event:
    data = add_form(client, Event)
    data.update({name: [value] for name, value in fields.items()})
    submit(client, admin_url(Event, "add"), data)
    return Event.objects.get(slug=fields["slug"])


def write_csv(path, headers: list[str], row: dict) -> str:
    with open(path, "w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=headers)
        writer.writeheader()
        writer.writerow(row)
    return str(path)


def import_event(tmp_path, **fields) -> Event:
    headers = ["slug", "date", "title_th", "title_en", "summary_th", "body_th"]
    call_command("import_events", write_csv(tmp_path / "events.csv", headers, fields))
    return Event.objects.get(slug=fields["slug"])


def both_ways(client, tmp_path, **fields) -> tuple[Event, Event]:
    by_hand = admin_add_event(client, slug="typed-in-the-admin", **fields)
    by_file = import_event(tmp_path, slug="read-from-a-file", **fields)
    return by_hand, by_file


def _stored(event: Event) -> dict:
    return {name: getattr(event, name) for name in (*STORED, *DERIVED)}


@pytest.mark.parametrize(
    "body",
    [
        "ย่อหน้าแรก  \r\n\r\nย่อหน้าที่สอง\t\r\n",
        "\r\n   ย่อหน้าแรกที่ย่อหน้าเข้าไป\r\n\r\nย่อหน้าที่สอง \r\n",
    ],
    ids=["trailing-spaces", "indented-first-line"],
)
def test_admin_and_import_clean_text_the_same_way(editor_client, tmp_path, body):
    fields = {"date": "2025-08-22", "title_th": PDF_TITLE, "title_en": "A visit"}
    by_hand, by_file = both_ways(editor_client, tmp_path, **fields, summary_th="สรุป", body_th=body)
    assert by_hand.title_th == "ผู้น\u0e33เกาหลีเหนือเยือนมอสโก"
    assert _stored(by_hand) == _stored(by_file)


@pytest.mark.parametrize("date", ["2025-08-22", "197X", "1945/1948", "1955~", "2022/..", "0476"])
def test_admin_and_import_derive_the_same_dates(editor_client, tmp_path, date):
    fields = {"date": date, "title_th": "เหตุการณ์", "title_en": "An event", "summary_th": "สรุป"}
    by_hand, by_file = both_ways(editor_client, tmp_path, **fields, body_th="")
    assert by_hand.date == date
    assert _stored(by_hand) == _stored(by_file)


# e. And refuse the same values, writing nothing -------------------------------------------

LONG_TITLE = "ก" * 301


def test_a_title_too_long_is_refused_by_the_admin_and_by_an_import(editor_client, tmp_path):
    data = add_form(editor_client, Event)
    data.update(slug=["too-long"], date=["2025"], title_th=[LONG_TITLE])
    response = submit(editor_client, admin_url(Event, "add"), data, status=200)
    assert "title_th" in response.context["adminform"].form.errors
    with pytest.raises(CommandError):
        import_event(tmp_path, slug="too-long", date="2025", title_th=LONG_TITLE, title_en="")
    assert not Event.objects.filter(slug="too-long").exists()


def test_a_source_url_that_is_no_url_is_refused_by_the_admin_and_by_an_import(
    editor_client, tmp_path
):
    data = add_form(editor_client, Source)
    data.update(slug=["bad-url"], title_th=["แหล่งข่าว"], url=["not a url"])
    response = submit(editor_client, admin_url(Source, "add"), data, status=200)
    assert "url" in response.context["adminform"].form.errors
    row = {"slug": "bad-url", "title_th": "แหล่งข่าว", "url": "not a url"}
    with pytest.raises(CommandError):
        call_command("import_sources", write_csv(tmp_path / "sources.csv", list(row), row))
    assert not Source.objects.filter(slug="bad-url").exists()
