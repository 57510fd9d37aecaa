"""Import and export in the admin: buttons, preview, confirm, permissions."""

import os
import re
from datetime import UTC
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile

from newsroom.models import ImportRecord, Source
from tests.forms import form_data
from timeline.models import Event

pytestmark = pytest.mark.django_db

CSV = (
    (
        "slug,date,title_th,title_en\r\n"
        "korean-war-with-soviet-backing,1950/1953,สงครามเกาหลี,The Korean War, revised\r\n"
        "brand-new-event,2026-01,เหตุการณ์ใหม่,A new event\r\n"
    )
    .encode("cp874")
    .replace(b"The Korean War, revised", b'"The Korean War, revised"')
)


def upload(client, content, name="events.csv", format_index=0):
    page = client.get("/admin/timeline/event/import/")
    data = (
        form_data(page.content.decode(), "import-form")
        if "import-form" in page.content.decode()
        else {}
    )
    data.update({"format": [str(format_index)], "import_file": SimpleUploadedFile(name, content)})
    return client.post("/admin/timeline/event/import/", data, headers={"accept-language": "en"})


def test_changelist_shows_import_export_buttons(editor_client):
    html = editor_client.get("/admin/timeline/event/").content.decode()
    assert "/admin/timeline/event/import/" in html and "/admin/timeline/event/export/" in html


def test_preview_then_confirm_writes_exactly_what_was_previewed(editor_client):
    preview = upload(editor_client, CSV)
    html = preview.content.decode()
    assert preview.status_code == 200, html
    assert "brand-new-event" in html and "<ins>The Korean War, revised</ins>" in html
    assert not Event.objects.filter(slug="brand-new-event").exists()  # nothing written yet
    confirm = form_data(html, "confirm-form") or {
        name: [value]
        for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html)
    }
    done = editor_client.post("/admin/timeline/event/process_import/", confirm)
    assert done.status_code == 302
    assert Event.objects.get(slug="brand-new-event").title_th == "เหตุการณ์ใหม่"
    assert Event.objects.get(slug="korean-war-with-soviet-backing").title_en == (
        "The Korean War, revised"
    )
    record = ImportRecord.objects.get(state="done")
    assert (record.created, record.updated, record.encoding) == (1, 1, "cp874")
    assert record.user.username == "test-editor" and record.file_name == "events.csv"


def test_every_invalid_row_is_shown_and_nothing_can_be_confirmed(editor_client):
    bad = b"slug,date,title_en\nok-row,2012,Fine\nbad slug,2025-13,\nother,1888-02-30,x\n"
    html = upload(editor_client, bad).content.decode()
    assert "valid “slug”" in html and "2025-13" in html and "1888-02-30" in html
    assert "<td>bad slug</td>" in html  # the invalid row is shown with its own values
    assert 'id="confirm-form"' not in html and "process_import" not in html
    assert not Event.objects.filter(slug="ok-row").exists()


def test_a_file_that_is_not_a_spreadsheet_gets_a_clear_message(editor_client):
    html = upload(editor_client, b"\x89PNG\r\n\x1a\n" + b"\x00" * 50).content.decode()
    assert "PNG" in html or "not a spreadsheet" in html.lower()


def test_export_downloads_the_contract_columns(editor_client):
    page = editor_client.get("/admin/timeline/event/export/").content.decode()
    checked = re.findall(r'<input type="checkbox" name="(eventresource_\w+)"[^>]* checked>', page)
    data = dict.fromkeys(checked, "on") | {"format": "0", "resource": "0"}
    response = editor_client.post("/admin/timeline/event/export/", data)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.startswith("\ufeffslug,date,display_date_th".encode())
    assert response.content.count(b"\r\n") > Event.objects.count()


def test_without_the_import_permission_there_is_no_button_and_no_way_in(client):
    user = get_user_model().objects.create_user(
        "viewer", password="x-long-passphrase", is_staff=True
    )
    from django.contrib.auth.models import Permission

    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_event", "change_event"])
    )
    client.force_login(user)
    assert (
        "/admin/timeline/event/import/" not in client.get("/admin/timeline/event/").content.decode()
    )
    assert client.get("/admin/timeline/event/import/").status_code == 403
    assert client.get("/admin/timeline/event/export/").status_code == 403


def _confirm_data(preview_html):
    return form_data(preview_html, "confirm-form") or {
        name: [value]
        for name, value in re.findall(
            r'<input type="hidden" name="([^"]+)" value="([^"]*)"', preview_html
        )
    }


# The worker closes its database connection after a task, as in production: these tests
# commit for real instead of running inside the test's transaction.
@pytest.mark.django_db(transaction=True)
def test_a_large_file_imports_in_the_background_and_the_editor_is_told(
    seeded, editor_client, settings, django_capture_on_commit_callbacks
):
    from django.core.management import call_command

    settings.IMPORT_BACKGROUND_ROWS = 1
    confirm = _confirm_data(upload(editor_client, CSV).content.decode())
    with django_capture_on_commit_callbacks(execute=True):
        queued = editor_client.post("/admin/timeline/event/process_import/", confirm)
    record = ImportRecord.objects.get()
    assert queued.status_code == 302
    assert queued["Location"].endswith(f"/importrecord/{record.pk}/change/")
    assert record.state == "queued" and record.background and record.file
    assert not Event.objects.filter(slug="brand-new-event").exists()  # no worker has run yet

    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)  # the real worker

    record.refresh_from_db()
    assert (record.state, record.created, record.updated, record.rows_done) == ("done", 1, 1, 2)
    assert Event.objects.get(slug="brand-new-event").title_th == "เหตุการณ์ใหม่"
    english = {"accept-language": "en"}
    notice = editor_client.get("/admin/", headers=english).content.decode()
    assert "has finished: 1 created, 1 updated, 0 unchanged" in notice
    assert "has finished" not in editor_client.get("/admin/", headers=english).content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_background_import_with_errors_writes_nothing_and_says_so(
    seeded, editor_client, editor, django_capture_on_commit_callbacks
):
    from django.core.management import call_command

    from newsroom.imports.service import import_enqueue
    from newsroom.imports.specs import specs

    data = b"slug,date,title_en\nok-row,2012,X\nbad slug,2012,Y\n"
    with django_capture_on_commit_callbacks(execute=True):
        record = import_enqueue(
            spec=specs()["events"],
            data=data,
            file_name="bad.csv",
            file_format="csv",
            encoding=None,
            user=editor,
        )
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    record.refresh_from_db()
    # A background import speaks the site's language (Thai): it has no request.
    assert record.state == "failed" and "“slug” ให้ถูกต้อง" in record.errors[0]
    assert not Event.objects.filter(slug="ok-row").exists()
    page = editor_client.get("/admin/", headers={"accept-language": "en"}).content.decode()
    assert "failed with 1 error(s); nothing was written" in page


def test_a_chief_editor_undoes_an_import_from_the_imports_list(chief_client):
    korean_war = Event.objects.get(slug="korean-war-with-soviet-backing")
    confirm = _confirm_data(upload(chief_client, CSV).content.decode())
    chief_client.post("/admin/timeline/event/process_import/", confirm)
    record = ImportRecord.objects.get(state="done")
    response = chief_client.post(
        "/admin/newsroom/importrecord/", {"action": "undo", "_selected_action": [record.pk]}
    )
    assert response.status_code == 302
    assert not Event.objects.filter(slug="brand-new-event").exists()
    assert Event.objects.get(pk=korean_war.pk).title_en == korean_war.title_en
    assert ImportRecord.objects.get(pk=record.pk).state == "undone"


def test_an_editor_may_not_undo_an_import(editor_client):
    confirm = _confirm_data(upload(editor_client, CSV).content.decode())
    editor_client.post("/admin/timeline/event/process_import/", confirm)
    record = ImportRecord.objects.get(state="done")
    editor_client.post(
        "/admin/newsroom/importrecord/", {"action": "undo", "_selected_action": [record.pk]}
    )
    assert ImportRecord.objects.get(pk=record.pk).state == "done"
    assert Event.objects.filter(slug="brand-new-event").exists()


@pytest.mark.parametrize(
    "content, says",
    [
        ("slug,date,title_th,bogus\nx,2020,ไทย,1\n", "bogus"),
        ("slug,title_th\nx,ไทย\n", "date"),
        ("slug,date\nx,2020\n", "title"),
        ("slug,date,title_th,<script>alert(1)</script>\nx,2020,ไทย,1\n", "&lt;script&gt;"),
    ],
    ids=["unknown column", "no date", "no title", "a header of markup"],
)
def test_a_file_level_error_is_listed_not_a_server_error(editor_client, content, says):
    response = upload(editor_client, content.encode())
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h2>Errors</h2>" in html and 'id="confirm-form"' not in html
    assert says in html and "<script>alert(1)</script>" not in html
    assert "Traceback" not in html and not Event.objects.filter(slug="x").exists()


@pytest.fixture
def uploads(tmp_path, monkeypatch):
    """The folder where the admin keeps uploaded files between preview and confirmation."""
    import tempfile

    from newsroom.imports.uploads import uploads_folder

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    return uploads_folder()


def test_an_uploaded_file_is_removed_when_its_preview_is_refused_or_confirmed(
    editor_client, uploads
):
    upload(editor_client, b"slug,date,title_en\nbad slug,2012,X\n")
    assert not list(uploads.iterdir())
    confirm = _confirm_data(upload(editor_client, CSV).content.decode())
    assert len(list(uploads.iterdir())) == 1
    editor_client.post("/admin/timeline/event/process_import/", confirm)
    assert not list(uploads.iterdir())


def test_a_preview_never_confirmed_has_its_file_pruned_after_a_day(editor_client, uploads):
    import os
    import time

    from django.core.management import call_command

    upload(editor_client, CSV)
    (left,) = uploads.iterdir()
    os.utime(left, (time.time() - 25 * 3600,) * 2)
    call_command("prune_imports", verbosity=0)
    assert not left.exists()


def test_a_large_file_goes_to_the_background_unread(editor_client, uploads, settings, monkeypatch):
    import newsroom.imports.admin

    def unread(*args, **kwargs):
        raise AssertionError("a large file was read in the request")

    monkeypatch.setattr(newsroom.imports.admin, "open_table", unread)
    settings.IMPORT_BACKGROUND_BYTES = 10
    html = upload(editor_client, CSV).content.decode()
    assert "This file is large (about 2 rows): it is not previewed here" in html
    done = editor_client.post("/admin/timeline/event/process_import/", _confirm_data(html))
    record = ImportRecord.objects.get()
    assert done["Location"].endswith(f"/importrecord/{record.pk}/change/")
    assert record.state == "queued" and record.file.read() == CSV
    assert not list(uploads.iterdir())


@pytest.mark.django_db(transaction=True)
def test_a_background_imports_file_is_removed_when_it_ends_or_kept_as_the_settings_say(
    seeded, editor, settings, django_capture_on_commit_callbacks
):
    import datetime

    from django.core.management import call_command
    from django.utils import timezone

    from newsroom.imports.service import import_enqueue
    from newsroom.imports.specs import specs

    def imported(name):
        with django_capture_on_commit_callbacks(execute=True):
            record = import_enqueue(
                spec=specs()["events"],
                data=b"slug,date,title_en\nkept-" + name.encode() + b",2012,X\n",
                file_name=f"{name}.csv",
                file_format="csv",
                encoding=None,
                user=editor,
            )
        path = record.file.path
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
        record.refresh_from_db()
        assert record.state == "done"
        return record, path

    removed, path = imported("removed")
    assert not removed.file and not os.path.exists(path)
    settings.IMPORT_KEEP_FILES_DAYS = 2
    kept, path = imported("kept")
    assert kept.file and os.path.exists(path)
    ImportRecord.objects.filter(pk=kept.pk).update(
        finished_at=timezone.now() - datetime.timedelta(days=3)
    )
    call_command("prune_imports", verbosity=0)
    assert not ImportRecord.objects.get(pk=kept.pk).file and not os.path.exists(path)


@pytest.mark.django_db(transaction=True)
def test_a_failed_background_import_is_retried_from_the_imports_list(
    seeded, editor_client, editor, django_capture_on_commit_callbacks
):
    from django.core.management import call_command

    from newsroom.imports.service import import_enqueue
    from newsroom.imports.specs import specs

    with django_capture_on_commit_callbacks(execute=True):
        record = import_enqueue(
            spec=specs()["events"],
            data=b"slug,date,title_en\nretried-row,2012,X\n",
            file_name="retry.csv",
            file_format="csv",
            encoding=None,
            user=editor,
        )
    # Its worker was lost too often: the import was marked failed (newsroom.worker).
    ImportRecord.objects.filter(pk=record.pk).update(state="failed", errors=["worker lost"])
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.all().delete()
    page = editor_client.get("/admin/newsroom/importrecord/", headers={"accept-language": "en"})
    assert "Retry the selected failed imports" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(
            "/admin/newsroom/importrecord/",
            {"action": "retry", "_selected_action": [record.pk]},
        )
    record.refresh_from_db()
    assert (record.state, record.errors) == ("queued", [])
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    record.refresh_from_db()
    assert record.state == "done" and Event.objects.filter(slug="retried-row").exists()


def test_the_preview_labels_its_columns_marks_changed_cells_and_folds_long_texts(editor_client):
    event = Event.objects.get(slug="korean-war-with-soviet-backing")
    longer = event.summary_th + " ต่อมาสหภาพโซเวียตส่งนักบินเข้าร่วมรบอย่างลับ ๆ" * 3
    content = (
        f"slug,date,title_th,summary_th\r\n{event.slug},{event.date},{event.title_th},{longer}\r\n"
    )
    html = upload(editor_client, content.encode()).content.decode()
    # The column's label in the admin's language (English here), its name in the file below.
    assert '<th scope="col">Title [th]<br><code>title_th</code></th>' in html
    assert '<th scope="col">What happens</th>' in html  # no empty heading
    changed = re.findall(
        r'<td class="changed"><div class="import-cell">(.*?)</div></td>', html, re.S
    )
    assert len(changed) == 1  # the summary only: the title and the date are the same
    summary, full = re.search(
        r"<details><summary>(.*?)</summary>(.*)</details>", changed[0], re.S
    ).groups()
    assert summary.endswith("…") and len(summary) < len(longer) / 2
    assert "<ins>" in full and "สหภาพโซเวียต" in full
    assert 'class="import-preview-scroll"' in html  # wide tables scroll inside the page


def test_the_imports_list_filters_by_kind_user_and_state_and_shows_bangkok_time(
    editor_client, editor
):
    confirm = _confirm_data(upload(editor_client, CSV).content.decode())
    editor_client.post("/admin/timeline/event/process_import/", confirm)
    record = ImportRecord.objects.get(state="done")
    record.started_at = record.started_at.replace(hour=23, minute=30, tzinfo=UTC)
    record.save()
    ImportRecord.objects.create(  # another kind, by another editor
        model=ContentType.objects.get_for_model(Source),
        user=get_user_model().objects.create_user("another-editor"),
    )
    html = editor_client.get("/admin/newsroom/importrecord/", headers={"accept-language": "en"})
    html = html.content.decode()
    assert "By kind of content" in html and "By user" in html and "By state" in html
    assert "By of" not in html and "By by" not in html
    kinds = re.search(r"By kind of content.*?</ul>", html, re.S).group(0)
    assert (
        "Events" in kinds
        and "Sources" in kinds
        and "session" not in kinds.lower()
        and "version" not in kinds.lower()
    )
    # 23:30 UTC is 06:30 the next morning in Bangkok, as the history says it.
    local = record.started_at.astimezone(ZoneInfo("Asia/Bangkok"))
    assert f"{local:%Y-%m-%d} 06:30" in html and "23:30" not in html
