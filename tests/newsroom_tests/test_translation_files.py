"""Translation files: export the work to XLIFF 2, fill it as a CAT tool does, import it back."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from lxml import etree
from reversion.models import Version

from newsroom.i18n import translated_fields
from newsroom.imports.service import import_undo
from newsroom.imports.specs import specs
from newsroom.models import ImportRecord
from newsroom.translations.status import (
    CURRENT,
    MISSING,
    STALE,
    stale_fields,
    translation_state,
)
from newsroom.translations.xliff import MDA, XLIFF
from tests.factories import EventFactory, SourceFactory
from tests.processes import install, manage, site_env
from timeline.models import Event, SearchEntry

pytestmark = pytest.mark.django_db
NS = {"x": XLIFF, "mda": MDA}


def export(tmp_path, *options) -> bytes:
    path = tmp_path / "work.xlf"
    call_command("export_translations", "--language", "en", *options, "-o", str(path))
    return path.read_bytes()


def cat_tool(data: bytes, targets: dict[str, str], state: str = "translated") -> bytes:
    """What a CAT tool gives back: targets filled and their state set, a note of its own,
    attributes in another order, the whole document indented anew."""
    root = etree.fromstring(data)
    for unit in root.iterfind(".//x:unit", NS):
        attributes = dict(unit.attrib)
        unit.attrib.clear()
        unit.attrib.update(dict(reversed(attributes.items())))
        if unit.get("id") not in targets:
            continue
        segment = unit.find("x:segment", NS)
        segment.set("state", state)
        etree.SubElement(segment, f"{{{XLIFF}}}target").text = targets[unit.get("id")]
        notes = unit.find("x:notes", NS)
        etree.SubElement(notes, f"{{{XLIFF}}}note", category="translator").text = "checked"
        segment.addprevious(etree.Comment(" reviewed "))
    etree.indent(root, space="\t")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def import_file(tmp_path, data: bytes, *options) -> tuple[str, str]:
    path = tmp_path / "done.xlf"
    path.write_bytes(data)
    out, err = io.StringIO(), io.StringIO()
    call_command("import_translations", str(path), *options, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def untranslated():
    return EventFactory(title_en="", summary_en="", body_th="ย่อหน้าแรก\n\nย่อหน้าที่สอง")


def test_the_export_is_xliff_2_with_one_unit_per_missing_field(tmp_path, untranslated):
    root = etree.fromstring(export(tmp_path))
    assert (root.get("version"), root.get("srcLang"), root.get("trgLang")) == ("2.0", "th", "en")
    group = root.find(f".//x:group[@id='events.{untranslated.pk}']", NS)
    assert group.get("name") == untranslated.slug
    units = {u.get("id"): u for u in group.iterfind("x:unit", NS)}
    assert set(units) == {f"events.{untranslated.pk}.{f}" for f in ("title", "summary", "body")}
    body = units[f"events.{untranslated.pk}.body"]
    assert body.findtext("x:segment/x:source", namespaces=NS) == "ย่อหน้าแรก\n\nย่อหน้าที่สอง"
    assert body.find(".//mda:meta[@type='original-sha256']", NS).text
    assert not root.findall(f".//x:unit[@id='events.{untranslated.pk}.display_date']", NS)


def test_a_cat_tools_file_round_trips_into_the_fields_and_marks_them_up_to_date(
    tmp_path, untranslated
):
    pk = untranslated.pk
    data = cat_tool(
        export(tmp_path),
        {
            f"events.{pk}.title": "A summit in the Far East",
            f"events.{pk}.summary": "The leaders met.",
            f"events.{pk}.body": "First paragraph.\n\nSecond paragraph.",
        },
        state="final",
    )
    out, err = import_file(tmp_path, data)
    event = Event.objects.get(pk=pk)
    assert event.title_en == "A summit in the Far East"
    assert event.body_en == "First paragraph.\n\nSecond paragraph."
    assert translation_state(event, "en") == CURRENT
    assert "3 applied" in out and not err
    entry = SearchEntry.objects.get(kind="event", object_id=pk, language="en")
    assert entry.title == "A summit in the Far East"  # readers' search heard of it
    record = ImportRecord.objects.get(file_name="done.xlf")
    assert (record.state, record.updated, record.file_format) == ("done", 1, "xliff")
    version = Version.objects.get_for_object(event).first()
    assert version.revision.comment == f"Imported from done.xlf (import {record.pk})"
    import_undo(record=record, by=None)
    assert Event.objects.get(pk=pk).title_en == ""
    assert translation_state(Event.objects.get(pk=pk), "en") == MISSING


def test_units_left_untranslated_or_initial_are_skipped(tmp_path, untranslated):
    pk = untranslated.pk
    data = cat_tool(export(tmp_path), {f"events.{pk}.title": "Draft title"}, state="initial")
    out, _err = import_file(tmp_path, data)
    assert Event.objects.get(pk=pk).title_en == ""
    assert "0 applied" in out


def test_a_changed_original_refuses_that_unit_and_applies_the_others(tmp_path, untranslated):
    pk = untranslated.pk
    data = cat_tool(
        export(tmp_path),
        {f"events.{pk}.title": "A new title", f"events.{pk}.summary": "A new summary"},
    )
    Event.objects.filter(pk=pk).update(title_th="ชื่อเรื่องที่แก้แล้ว")
    with pytest.raises(CommandError, match="1 unit"):
        import_file(tmp_path, data)
    event = Event.objects.get(pk=pk)
    assert (event.title_en, event.summary_en) == ("", "A new summary")


@pytest.mark.slow
def test_the_commands_as_typed_exit_1_with_the_reason_of_a_refusal(tmp_path):
    env = site_env(**install(tmp_path))
    create = (
        "from tests.factories import EventFactory; "
        "print(EventFactory(slug='to-translate', title_en='', summary_en='').pk)"
    )
    pk = manage(env, "shell", "-v0", "-c", create).stdout.strip()
    xlf = tmp_path / "work.xlf"
    manage(env, "export_translations", "--language", "en", "-o", str(xlf))
    xlf.write_bytes(
        cat_tool(xlf.read_bytes(), {f"events.{pk}.title": "Title", f"events.{pk}.summary": "S"})
    )
    change = (
        f"from timeline.models import Event; Event.objects.filter(pk={pk}).update(title_th='ใหม่')"
    )
    manage(env, "shell", "-v0", "-c", change)
    dry = manage(env, "import_translations", str(xlf), "--dry-run", check=False)
    assert dry.returncode == 1 and "1 applied" in dry.stdout
    done = manage(env, "import_translations", str(xlf), check=False)
    assert done.returncode == 1
    assert f"refused: events.{pk}.title: the original changed since the export" in done.stderr
    assert "1 applied, 0 unchanged, 1 refused" in done.stdout
    missing = manage(env, "import_translations", str(tmp_path / "none.xlf"), check=False)
    assert missing.returncode == 1 and "No such file" in missing.stderr


def test_nothing_to_translate_writes_no_file(tmp_path):
    for spec in specs().values():  # every field of every item translated
        names = translated_fields(spec.model)
        spec.model.objects.update(**{f"{name}_en": "Translated" for name in names})
    err = io.StringIO()
    path = tmp_path / "f.xlf"
    call_command("export_translations", "--language", "en", "-o", str(path), stderr=err)
    assert "Nothing to translate into en" in err.getvalue()
    assert not path.exists()


def test_entities_are_not_expanded(tmp_path, untranslated):
    pk = untranslated.pk
    data = export(tmp_path).replace(b"<?xml version='1.0' encoding='UTF-8'?>", b"", 1)
    data = cat_tool(data, {f"events.{pk}.title": "PLACEHOLDER"}).replace(
        b"PLACEHOLDER", b"&secret;"
    )
    data = data.replace(
        b"?>", b'?>\n<!DOCTYPE xliff [<!ENTITY secret SYSTEM "file:///etc/passwd">]>', 1
    )
    import_file(tmp_path, data)
    assert "root:" not in Event.objects.get(pk=pk).title_en


def test_a_unit_this_site_did_not_give_is_refused_by_its_id(tmp_path, untranslated):
    data = export(tmp_path).replace(
        f'id="events.{untranslated.pk}.title"'.encode(), b'id="my-own-unit"'
    )
    with pytest.raises(CommandError, match="1 unit"):
        import_file(tmp_path, data)
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_translations", str(tmp_path / "done.xlf"), stderr=err)
    assert "refused: my-own-unit: this unit's id is not one this site gave" in err.getvalue()


def test_dry_run_writes_nothing(tmp_path, untranslated):
    pk = untranslated.pk
    data = cat_tool(export(tmp_path), {f"events.{pk}.title": "A new title"})
    out, _err = import_file(tmp_path, data, "--dry-run")
    assert "dry run" in out and "1 applied" in out
    assert Event.objects.get(pk=pk).title_en == ""
    assert not ImportRecord.objects.filter(file_name="done.xlf").exists()


def test_stale_fields_carry_the_translation_so_far_and_become_current(tmp_path, editor):
    from newsroom.editing import item_save
    from newsroom.translations.status import translation_confirm

    source = SourceFactory(title_en="Old English title", summary_th="สรุป", summary_en="Summary")
    source_title_before = source.title_th
    translation_confirm(obj=source, language="en", by=editor)
    source.title_th = "ชื่อใหม่"
    item_save(item=source, by=editor)
    assert translation_state(source, "en") == STALE
    data = export(tmp_path, "--state", "stale")
    root = etree.fromstring(data)
    units = root.findall(f".//x:group[@id='sources.{source.pk}']/x:unit", NS)
    assert [u.get("id") for u in units] == [f"sources.{source.pk}.title"]
    notes = {n.get("category"): n.text for n in units[0].iterfind(".//x:note", NS)}
    assert notes["translation-so-far"] == "Old English title"
    import_file(tmp_path, cat_tool(data, {f"sources.{source.pk}.title": "New English title"}))
    source.refresh_from_db()
    assert source.title_en == "New English title"
    assert translation_state(source, "en") == CURRENT
    import_undo(record=ImportRecord.objects.get(file_name="done.xlf"), by=editor)
    source.refresh_from_db()
    assert source.title_en == "Old English title"
    assert translation_state(source, "en") == STALE  # as it was before the import
    assert stale_fields(source, "en") == {"title": source_title_before}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"not xml", "not well-formed XML"),
        (b"<html/>", "not an XLIFF 2 document"),
        (
            b'<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2"/>',
            "not an XLIFF 2",
        ),
        (
            f'<xliff xmlns="{XLIFF}" version="2.0" srcLang="th" trgLang="fr"/>'.encode(),
            "target language",
        ),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_whole(tmp_path, data, message):
    with pytest.raises(CommandError, match="nothing was imported"):
        _out, err = import_file(tmp_path, data)
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_translations", str(tmp_path / "done.xlf"), stderr=err)
    assert message in err.getvalue()


# The admin: the worklist's download, the lists' action, the upload's preview and confirm


def test_the_worklist_downloads_the_file_of_a_language(editor_client, untranslated):
    page = editor_client.get("/admin/worklist/", headers={"accept-language": "en"})
    assert 'action="/admin/worklist/xliff/"' in page.content.decode()
    response = editor_client.get("/admin/worklist/xliff/", {"language": "en", "state": "missing"})
    assert response["Content-Type"] == "application/xliff+xml"
    assert "attachment" in response["Content-Disposition"]
    root = etree.fromstring(response.content)
    assert root.find(f".//x:unit[@id='events.{untranslated.pk}.title']", NS) is not None
    assert editor_client.get("/admin/worklist/xliff/", {"language": "th"}).status_code == 403


def test_the_lists_action_downloads_the_selection_only(editor_client, untranslated):
    other = EventFactory(title_en="")
    response = editor_client.post(
        "/admin/timeline/event/",
        {"action": "export_translation_file_en", "_selected_action": [untranslated.pk]},
    )
    root = etree.fromstring(response.content)
    groups = [g.get("id") for g in root.iterfind(".//x:group", NS)]
    assert groups == [f"events.{untranslated.pk}"]
    assert other.pk != untranslated.pk


def test_an_upload_is_previewed_then_imported_on_confirmation(
    tmp_path, translator_client, untranslated
):
    pk = untranslated.pk
    Event.objects.filter(pk=untranslated.pk).update(summary_th="สรุปใหม่")  # after the export
    data = export(tmp_path)
    Event.objects.filter(pk=untranslated.pk).update(summary_th="สรุปใหม่กว่า")
    data = cat_tool(
        data, {f"events.{pk}.title": "Translated title", f"events.{pk}.summary": "Summary"}
    )
    upload = io.BytesIO(data)
    upload.name = "from-omegat.xlf"
    english = {"accept-language": "en"}
    page = translator_client.post(
        "/admin/worklist/xliff/upload/", {"file": upload}, headers=english
    )
    html = page.content.decode()
    assert "Translated title" in html and "the original changed since the export" in html
    assert "1 applied" in html
    assert Event.objects.get(pk=pk).title_en == ""  # nothing written by the preview
    upload_name = page.context["upload"]
    response = translator_client.post(
        "/admin/worklist/xliff/upload/",
        {"upload": upload_name, "file_name": "from-omegat.xlf"},
        headers=english,
    )
    assert response.status_code == 302 and response["Location"] == "/admin/worklist/"
    event = Event.objects.get(pk=pk)
    assert (event.title_en, event.summary_en) == ("Translated title", "")
    record = ImportRecord.objects.get(file_name="from-omegat.xlf")
    assert record.user.username == "test-translator"
    messages = [str(m) for m in translator_client.get("/admin/worklist/").context["messages"]]
    assert any("1 refused" in m for m in messages)


def test_an_upload_that_is_not_xliff_is_refused_with_its_reason(editor_client):
    upload = io.BytesIO(b"title,slug\n")
    upload.name = "events.csv"
    page = editor_client.post(
        "/admin/worklist/xliff/upload/", {"file": upload}, headers={"accept-language": "en"}
    )
    assert "not well-formed XML" in page.content.decode()
    assert "upload" not in page.context or not page.context["upload"]


def test_the_action_on_a_fully_translated_selection_says_so(editor_client):
    event = EventFactory()
    response = editor_client.post(
        "/admin/timeline/event/",
        {"action": "export_translation_file_en", "_selected_action": [event.pk]},
        headers={"accept-language": "en"},
        follow=True,
    )
    assert "Nothing to translate there" in response.content.decode()


def test_a_target_the_fields_rules_refuse_is_refused_with_their_message(tmp_path, untranslated):
    pk = untranslated.pk
    data = cat_tool(
        export(tmp_path), {f"events.{pk}.title": "x" * 301, f"events.{pk}.summary": "Fine"}
    )
    err = io.StringIO()
    (tmp_path / "done.xlf").write_bytes(data)
    with pytest.raises(CommandError, match="1 unit"):
        call_command("import_translations", str(tmp_path / "done.xlf"), stderr=err)
    assert f"refused: events.{pk}.title: Ensure this value has at most 300" in err.getvalue()
    event = Event.objects.get(pk=pk)
    assert (event.title_en, event.summary_en) == ("", "Fine")


def test_an_untranslated_unit_whose_original_changed_is_only_skipped(tmp_path, untranslated):
    pk = untranslated.pk
    data = cat_tool(export(tmp_path), {f"events.{pk}.summary": "Summary"})
    Event.objects.filter(pk=pk).update(title_th="ชื่อเรื่องที่แก้แล้ว")
    out, err = import_file(tmp_path, data)  # no CommandError: nothing was refused
    assert "1 applied, 0 unchanged, 0 refused" in out and not err


def test_a_region_in_the_cat_tools_languages_is_understood(tmp_path, untranslated):
    pk = untranslated.pk
    data = cat_tool(export(tmp_path), {f"events.{pk}.title": "Title"})
    data = data.replace(b'trgLang="en"', b'trgLang="en-GB"').replace(
        b'srcLang="th"', b'srcLang="th-TH"'
    )
    out, _err = import_file(tmp_path, data)
    assert "1 applied" in out and Event.objects.get(pk=pk).title_en == "Title"


def test_the_export_refuses_a_language_that_is_not_a_translation(tmp_path):
    with pytest.raises(CommandError, match="“th” is not a translation: use one of en"):
        call_command("export_translations", "--language", "th", "-o", str(tmp_path / "f.xlf"))
