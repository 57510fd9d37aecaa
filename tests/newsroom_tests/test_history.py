"""History: every change is a version (admin, service, workflow, import, undo); diff; revert."""

import pytest
from django.utils import translation
from reversion.models import Version

from newsroom.history.versions import version_values, versions_of
from newsroom.imports.service import import_table, import_undo
from newsroom.imports.specs import spec_for
from newsroom.imports.spreadsheets import open_table
from newsroom.models import Source, Status, WorkflowLog
from newsroom.translations.status import translation_confirm, translation_state
from newsroom.workflow.services import item_transition
from tests.forms import form_data
from timeline.models import Citation, Event
from timeline.services import event_save

pytestmark = pytest.mark.django_db
EN = {"accept-language": "en"}


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def event():
    return Event.objects.published().get(date="2012")


def admin_edit(client, obj, reason="", **changes):
    opts = obj._meta
    url = f"/admin/{opts.app_label}/{opts.model_name}/{obj.pk}/change/"
    data = form_data(client.get(url, headers=EN).content.decode(), f"{opts.model_name}_form")
    data.update({name: [value] for name, value in changes.items()})
    data["change_reason"] = [reason]
    response = client.post(url, data, headers=EN)
    assert response.status_code == 302, response.content.decode()[:3000]


def compare_page(client, obj, older, newer) -> str:
    url = f"{history_url(obj)}compare/?older={older.pk}&newer={newer.pk}"
    return client.get(url, headers=EN).content.decode()


def history_url(obj):
    opts = obj._meta
    return f"/admin/{opts.app_label}/{opts.model_name}/{obj.pk}/history/"


def test_an_admin_edit_keeps_a_version_with_its_author_time_and_reason(editor_client, event):
    admin_edit(editor_client, event, reason="typo in the title", title_en="Kim Jong Un in power")
    version = versions_of(event).get()
    assert version.revision.user.username == "test-editor"
    assert version.revision.comment.startswith("typo in the title — Changed")
    assert version.field_dict["title_en"] == "Kim Jong Un in power"
    assert version.field_dict["title_th"] == event.title_th  # both languages, every time
    page = editor_client.get(history_url(event), headers=EN).content.decode()
    assert "typo in the title" in page and "test-editor" in page


def test_the_diff_shows_each_changed_field_word_by_word_in_both_languages(editor_client, event):
    admin_edit(editor_client, event, reason="first", title_en="Kim Jong Un takes power")
    admin_edit(
        editor_client,
        event,
        reason="second",
        title_en="Kim Jong Un takes full power",
        title_th="คิมจองอึนขึ้นสู่อำนาจเต็มตัว",
    )
    older, newer = reversed(versions_of(event))
    page = compare_page(editor_client, event, older, newer)
    assert "Title [en]" in page and "Title [th]" in page
    assert "<ins>full </ins>" in page  # one English word added, not the whole line
    assert "<ins>" in page.split("Title [th]")[1]
    assert "Summary [en]" not in page  # unchanged fields are left out
    # Versions given the other way round show the same diff.
    assert "<ins>full </ins>" in compare_page(editor_client, event, newer, older)
    # With no version chosen (or one that is no version), the latest change is shown.
    for query in ("", "?older=x"):
        page = editor_client.get(f"{history_url(event)}compare/{query}", headers=EN)
        assert "<ins>full </ins>" in page.content.decode()


def test_compare_opens_on_the_latest_change_and_offers_any_two(editor_client, event):
    admin_edit(editor_client, event, title_en="First title")
    admin_edit(editor_client, event, title_en="Second title")
    admin_edit(editor_client, event, summary_en="A new summary")
    newest, middle, first = versions_of(event)
    history = editor_client.get(history_url(event), headers=EN).content.decode()
    assert f'name="newer" value="{newest.pk}" checked' in history
    assert f'name="older" value="{middle.pk}" checked' in history
    page = editor_client.get(f"{history_url(event)}compare/", headers=EN).content.decode()
    diff = page.split('<table class="history-diff">')[1].split("</table>")[0]
    assert "A new summary" in diff and "Title [en]" not in diff  # the latest change only
    assert f'<option value="{middle.pk}" selected>' in page
    assert f'<option value="{newest.pk}" selected>' in page
    # Any two: the first edit against now.
    page = compare_page(editor_client, event, first, newest)
    assert "<del>First</del><ins>Second</ins>" in page and "A new summary" in page


def test_the_first_version_is_compared_with_nothing_before_it(editor_client, event):
    admin_edit(editor_client, event, title_en="Only title")
    page = editor_client.get(f"{history_url(event)}compare/", headers=EN).content.decode()
    assert "nothing (before the first version)" in page and "Only title" in page


def test_thai_text_is_diffed_by_words_not_by_whole_lines(editor_client, event):
    admin_edit(editor_client, event, title_th="ผู้นำเกาหลีเหนือพบกับประธานาธิบดีรัสเซีย")
    admin_edit(editor_client, event, title_th="ผู้นำเกาหลีเหนือพบกับนายกรัฐมนตรีรัสเซีย")
    older, newer = reversed(versions_of(event))
    page = compare_page(editor_client, event, older, newer)
    assert "ผู้นำเกาหลีเหนือพบกับ<del>ประธานาธิบดี</del><ins>นายกรัฐมนตรี</ins>รัสเซีย" in page


def test_a_revert_puts_the_text_back_as_a_new_version_and_keeps_the_status(
    editor_client, chief_client, chief, event
):
    original_en = event.title_en
    admin_edit(editor_client, event, reason="before", title_en=original_en)
    first = versions_of(event).get()
    admin_edit(editor_client, event, reason="vandalism", title_en="Nonsense", summary_en="Bad")
    item_transition(item=event, to=Status.UNPUBLISHED, by=chief)
    page = chief_client.get(f"{history_url(event)}{first.pk}/revert/", headers=EN)
    assert "Nonsense" in page.content.decode()  # the diff of what the revert will change
    response = chief_client.post(
        f"{history_url(event)}{first.pk}/revert/", {"reason": "undo vandalism"}, headers=EN
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.title_en == original_en and event.status == Status.UNPUBLISHED
    latest = versions_of(event).first()
    assert latest.revision.comment.startswith("Reverted to the version of")
    assert latest.revision.comment.endswith("undo vandalism")
    assert versions_of(event).count() == 4  # two edits, the move, the revert: nothing lost


def test_a_translator_sees_the_history_but_may_not_revert(event, editor_client, translator_client):
    admin_edit(editor_client, event, title_en="Kim Jong Un in power")
    version = versions_of(event).get()
    translator = translator_client
    assert translator.get(history_url(event)).status_code == 200
    url = f"{history_url(event)}{version.pk}/revert/"
    assert translator.get(url).status_code == 403
    assert translator.post(url, {"reason": "x"}).status_code == 403
    # reversion's own revert form would also restore the status: it redirects to ours.
    own = f"{history_url(event)}{version.pk}/"
    assert editor_client.get(own).headers["Location"].endswith(f"{version.pk}/revert/")


def test_services_and_workflow_moves_keep_versions(event, chief):
    event.title_en = "Changed by a service"
    event_save(event=event)
    item_transition(item=event, to=Status.UNPUBLISHED, by=chief, reason="legal hold")
    newest, service = versions_of(event)[:2]
    assert service.field_dict["title_en"] == "Changed by a service"
    assert newest.field_dict["status"] == Status.UNPUBLISHED
    assert newest.revision.comment == "legal hold" and newest.revision.user == chief


def test_imports_and_their_undo_keep_a_version_per_row(event, chief):
    csv = (
        "slug,date,title_en,status\r\n"
        f"{event.slug},{event.date},Rewritten by import,draft\r\n"
        "brand-new-row,2026-01,Brand new,draft\r\n"
    ).encode()
    table = open_table(csv, filename="changes.csv")
    report, record = import_table(
        spec=spec_for(Event), table=table, user=chief, file_name="changes.csv"
    )
    assert report.ok, report.errors
    created = Event.objects.get(slug="brand-new-row")
    for obj in (event, created):
        version = versions_of(obj).get()
        assert version.revision.comment == f"Imported from changes.csv (import {record.pk})"
        assert version.revision.user == chief
    assert versions_of(event).get().field_dict["title_en"] == "Rewritten by import"

    import_undo(record=record, by=chief)
    restored = versions_of(event).first()
    assert restored.revision.comment == f"Undo of import {record.pk}"
    assert restored.field_dict["status"] == Status.PUBLISHED
    # Undo put the status back: a workflow move, logged like any other.
    step = WorkflowLog.objects.filter(object_id=event.pk).latest("pk")
    assert (step.from_status, step.to_status, step.by) == ("draft", "published", chief)


def test_a_revert_of_thai_text_makes_the_english_stale(editor_client, chief_client, event):
    admin_edit(editor_client, event, title_th="หัวข้อเดิม")
    first = versions_of(event).get()
    admin_edit(editor_client, event, title_th="หัวข้อใหม่")
    translation_confirm(obj=event, language="en", by=None)
    assert translation_state(event, "en") == "current"
    chief_client.post(f"{history_url(event)}{first.pk}/revert/", {"reason": ""})
    event.refresh_from_db()
    assert event.title_th == "หัวข้อเดิม" and translation_state(event, "en") == "stale"


def test_sources_have_history_too(editor_client):
    source = Source.objects.published().first()
    admin_edit(editor_client, source, reason="publisher named", publisher="Associated Press")
    assert Version.objects.get_for_object(source).get().field_dict["publisher"] == (
        "Associated Press"
    )


@pytest.fixture
def correction(event):
    from newsroom.models import Note

    return Note.objects.create(
        event=event,
        kind="correction",
        noted_on="2026-11-01",
        text_th="แก้ไขปีที่ผิด",
        text_en="The year was wrong.",
    )


def _note_prefix(page: str) -> str:
    import re

    return re.search(r'name="(notes[-\w]*?)-0-id"', page).group(1)


@pytest.mark.parametrize("tamper", ["DELETE", "is_public", "kind"])
def test_a_published_correction_cannot_be_deleted_or_hidden(
    editor_client, event, correction, tamper
):
    url = f"/admin/timeline/event/{event.pk}/change/"
    page = editor_client.get(url, headers=EN).content.decode()
    data, prefix = form_data(page, "event_form"), _note_prefix(page)
    if tamper == "DELETE":
        data[f"{prefix}-0-DELETE"] = ["on"]
    elif tamper == "is_public":
        data.pop(f"{prefix}-0-is_public")
    else:
        data[f"{prefix}-0-kind"] = ["note"]
    response = editor_client.post(url, data, headers=EN)
    assert response.status_code == 200
    assert "A published correction cannot be deleted" in response.content.decode()
    correction.refresh_from_db()
    assert correction.kind == "correction" and correction.is_public


def test_editing_a_correction_is_kept_in_the_history(editor_client, event, correction):
    url = f"/admin/timeline/event/{event.pk}/change/"
    page = editor_client.get(url, headers=EN).content.decode()
    data, prefix = form_data(page, "event_form"), _note_prefix(page)
    data[f"{prefix}-0-text_en"] = ["The year was 2012, not 2011."]
    assert editor_client.post(url, data, headers=EN).status_code == 302
    versions = Version.objects.get_for_object(correction)
    assert versions.get().field_dict["text_en"] == "The year was 2012, not 2011."
    assert versions.get().revision == versions_of(event).get().revision  # one change, one revision
    assert editor_client.get(f"/admin/newsroom/note/{correction.pk}/delete/").status_code == 403


def test_a_rewritten_text_reads_as_before_then_after(editor_client, event):
    admin_edit(editor_client, event, summary_en="A short summary of the year.")
    admin_edit(editor_client, event, summary_en="Troops crossed the border at dawn.")
    older, newer = reversed(versions_of(event))
    page = compare_page(editor_client, event, older, newer)
    assert (
        "<del>A short summary of the year.</del><br><ins>Troops crossed the border at dawn.</ins>"
        in page
    )
    assert '<th scope="row">Sources</th>' not in page  # citations: versioned as their rows


# Citations belong to their event: every version keeps them, a revert puts them back.


def test_a_revert_brings_the_citations_back_as_they_were(editor_client, chief_client, event):
    removed, edited = event.citations.order_by("position", "pk")  # the inline's order
    admin_edit(editor_client, event, reason="before")
    first = versions_of(event).get()
    changes = {"citations-0-DELETE": "on", "citations-1-passage": "A passage typed wrongly"}
    admin_edit(editor_client, event, reason="cut a source", **changes)
    assert event.citations.count() == 1

    page = compare_page(editor_client, event, first, versions_of(event).first())
    # One line per citation, named by its source: the removed one struck, the edit marked.
    assert "Citations" in page and f"<del>{removed.source}" in page
    assert "A passage typed wrongly</ins>" in page

    revert_page = chief_client.get(f"{history_url(event)}{first.pk}/revert/", headers=EN)
    assert "citations come back as they were" in revert_page.content.decode()
    chief_client.post(f"{history_url(event)}{first.pk}/revert/", {"reason": "sources back"})
    restored = {c.pk: c.passage for c in event.citations.all()}
    assert restored == {removed.pk: removed.passage, edited.pk: edited.passage}
    # The revert is a version of its own, with the citations as they are now.
    assert version_values(versions_of(event).first())["citations"].keys() == restored.keys()


def test_a_revert_removes_a_citation_added_since(editor_client, chief_client, event):
    admin_edit(editor_client, event)
    first = versions_of(event).get()
    added = Citation.objects.create(event=event, source=Source.objects.first(), passage="Later")
    event_save(event=event)  # a version with three citations
    chief_client.post(f"{history_url(event)}{first.pk}/revert/", {"reason": ""})
    assert not Citation.objects.filter(pk=added.pk).exists()
    assert event.citations.count() == 2


def test_a_revert_to_a_citation_of_a_deleted_source_changes_nothing_and_says_why(
    editor_client, chief_client, event
):
    source = Source.objects.create(title_th="แหล่งชั่วคราว", title_en="Passing source", slug="gone")
    citation = Citation.objects.create(event=event, source=source, passage="Soon gone")
    admin_edit(editor_client, event, title_en="Before")
    first = versions_of(event).get()
    citation.delete()
    source.delete()
    admin_edit(editor_client, event, title_en="After")

    response = chief_client.post(
        f"{history_url(event)}{first.pk}/revert/", {"reason": ""}, headers=EN, follow=True
    )
    assert "which has been deleted since" in response.content.decode()
    event.refresh_from_db()
    assert event.title_en == "After" and event.citations.count() == 2


def test_an_imported_event_version_keeps_its_citations(event, chief):
    csv = f"slug,date,title_en\r\n{event.slug},{event.date},Rewritten by import\r\n".encode()
    report, _record = import_table(
        spec=spec_for(Event), table=open_table(csv, filename="e.csv"), user=chief
    )
    assert report.ok, report.errors
    citations = version_values(versions_of(event).get())["citations"]
    assert sorted(citations) == sorted(event.citations.values_list("pk", flat=True))
    assert {c["passage"] for c in citations.values()} == set(
        event.citations.values_list("passage", flat=True)
    )


def test_chief_editors_recover_a_deleted_event_with_its_citations(
    editor_client, chief_client, event
):
    admin_edit(editor_client, event, reason="kept")
    version = versions_of(event).get()
    citations = sorted(event.citations.values_list("pk", "passage"))
    listing = "/admin/timeline/event/"
    assert f"{listing}recover/" in chief_client.get(listing, headers=EN).content.decode()
    assert f"{listing}recover/" not in editor_client.get(listing, headers=EN).content.decode()
    assert editor_client.get(f"{listing}recover/").status_code == 403
    assert editor_client.get(f"{listing}recover/{version.pk}/").status_code == 403

    pk = event.pk
    event.delete()
    assert event.title_en in chief_client.get(f"{listing}recover/", headers=EN).content.decode()
    url = f"{listing}recover/{version.pk}/"
    data = form_data(chief_client.get(url, headers=EN).content.decode(), "event_form")
    response = chief_client.post(url, data, headers=EN)
    assert response.status_code == 302, response.content.decode()[:3000]
    recovered = Event.objects.get(pk=pk)
    assert sorted(recovered.citations.values_list("pk", "passage")) == citations
