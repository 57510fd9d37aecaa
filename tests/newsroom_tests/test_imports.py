"""Bulk import and export through the commands, with files made as spreadsheets make them."""

import csv
import io
import json

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from newsroom.imports.service import import_undo
from newsroom.models import ImportRecord
from timeline.models import Event

pytestmark = pytest.mark.django_db

HEADER = [
    "slug",
    "date",
    "display_date_th",
    "display_date_en",
    "title_th",
    "title_en",
    "summary_th",
    "summary_en",
    "body_th",
    "body_en",
    "era",
    "topics",
    "people",
    "sources",
    "status",
]
ROWS = [
    [
        "putin-visits-pyongyang",
        "2024-06-19",
        "",
        "",
        "ปูตินเยือนเปียงยาง",
        "Putin visits Pyongyang",
        "ลงนามสนธิสัญญา",
        "A treaty is signed",
        "ย่อหน้าแรก\n\nย่อหน้าที่สอง",
        "First paragraph\n\nSecond",
        "wartime-alliance",
        "military-alliance",
        "vladimir-putin|kim-jong-un",
        "imct-why-north-korea-went-public-supporting-russia",
        "published",
    ],
    [
        "kursk-troops-confirmed",
        "2025-04",
        "",
        "",
        "ยืนยันการส่งทหารไปเคิร์สก์",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "draft",
    ],
]


def write_csv(path, rows, *, encoding, delimiter=","):
    with open(path, "w", encoding=encoding, newline="") as stream:
        writer = csv.writer(stream, delimiter=delimiter, lineterminator="\r\n")
        writer.writerows([HEADER, *rows])
    return path


def write_xlsx(path, rows):
    book = openpyxl.Workbook()
    book.active.append(HEADER)
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue() + err.getvalue()


@pytest.fixture(params=["utf-8-sig", "utf-8", "cp874", "utf-16", "xlsx", "json"])
def spreadsheet(request, tmp_path):
    kind = request.param
    if kind == "xlsx":
        return write_xlsx(tmp_path / "events.xlsx", ROWS)
    if kind == "json":
        path = tmp_path / "events.json"
        path.write_text(
            json.dumps([dict(zip(HEADER, row, strict=True)) for row in ROWS], ensure_ascii=False),
            encoding="utf-8",
        )
        return path
    if kind == "utf-16":  # Excel's "Unicode Text": UTF-16 with BOM, tab-separated
        return write_csv(tmp_path / "events.txt", ROWS, encoding="utf-16", delimiter="\t")
    return write_csv(tmp_path / f"events-{kind}.csv", ROWS, encoding=kind)


def test_every_spreadsheet_kind_imports_the_same_rows(spreadsheet):
    output = run("import_events", str(spreadsheet))
    assert "created 2, updated 0, unchanged 0, errors 0" in output
    visit = Event.objects.get(slug="putin-visits-pyongyang")
    assert (visit.title_th, visit.body_th) == ("ปูตินเยือนเปียงยาง", "ย่อหน้าแรก\n\nย่อหน้าที่สอง")
    assert visit.date_start.isoformat() == "2024-06-19" and visit.era.slug == "wartime-alliance"
    assert set(visit.people.values_list("slug", flat=True)) == {"vladimir-putin", "kim-jong-un"}
    assert visit.citations.get().source.slug.startswith("imct-")
    kursk = Event.objects.get(slug="kursk-troops-confirmed")
    assert kursk.title_en == "" and kursk.summary_en == ""  # never copied from Thai
    assert kursk.start_precision == "month" and kursk.status == "draft"


def test_an_exported_file_imports_back_unchanged(tmp_path):
    for fmt in ("csv", "xlsx", "json"):
        path = tmp_path / f"all.{fmt}"
        run("export_events", "-o", str(path))
        output = run("import_events", str(path))
        assert f"created 0, updated 0, unchanged {Event.objects.count()}, errors 0" in output


def test_export_writes_the_contract_columns_with_a_bom_and_escaped_formulas(tmp_path):
    Event.objects.filter(date="2012").update(title_en='=HYPERLINK("http://x")')
    path = tmp_path / "events.csv"
    run("export_events", "-o", str(path), "--status", "published")
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf" + ",".join(HEADER).encode() + b"\r\n")
    assert "'=HYPERLINK" in data.decode("utf-8-sig")
    assert "created 0, updated 0" in run("import_events", str(path))
    assert Event.objects.get(date="2012").title_en.startswith("=HYPERLINK")


def test_one_invalid_row_writes_nothing_and_every_error_is_reported(tmp_path):
    rows = [
        ROWS[0],
        ["bad slug", "2025-13", *[""] * 8, "no-such-era", "ghost", "", "", "maybe"],
        ROWS[0],
    ]
    path = write_csv(tmp_path / "bad.csv", rows, encoding="utf-8")
    before = Event.objects.count()
    with pytest.raises(CommandError, match="nothing was imported"):
        run("import_events", str(path))
    assert Event.objects.count() == before
    record = ImportRecord.objects.get()
    assert record.state == "failed"
    errors = "\n".join(record.errors)
    for expected in (
        "row 3, slug:",
        "row 3, date:",
        "row 3, era: unknown era: no-such-era",
        "row 3, topics: unknown topic: ghost",
        "row 3, status:",
        "row 3, title_th / title_en",
        "row 4, slug: “putin-visits-pyongyang” is already on row 2",
    ):
        assert expected in errors


def test_a_failed_import_prints_its_reasons_and_no_counts_of_rows_not_written(tmp_path):
    path = write_csv(tmp_path / "bad.csv", [ROWS[0], ["bad slug", "2012"]], encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match=r"error\(s\): nothing was imported"):
        call_command("import_events", str(path), stdout=out, stderr=err)
    assert "row 3, slug:" in err.getvalue()
    assert "created" not in out.getvalue() + err.getvalue()


def test_an_interrupted_import_is_recorded_as_failed_and_writes_nothing(tmp_path):
    from newsroom.imports.service import import_table
    from newsroom.imports.specs import specs
    from newsroom.imports.spreadsheets import open_table

    def interrupt(report):
        raise KeyboardInterrupt

    rows = [[f"event-{index}", "2012", "", "", "ไทย"] for index in range(1500)]
    table = open_table(write_csv(tmp_path / "many.csv", rows, encoding="utf-8"))
    before = Event.objects.count()
    with pytest.raises(KeyboardInterrupt), translation.override("en"):
        import_table(spec=specs()["events"], table=table, on_batch=interrupt)
    record = ImportRecord.objects.get()
    assert record.state == "failed" and "interrupted" in record.errors[0]
    assert record.finished_at and Event.objects.count() == before


def test_buddhist_era_years_are_converted_and_listed(tmp_path):
    row = ["be-dated", "2568-08-22", *[""] * 2, "ปีพุทธศักราช", *[""] * 9, "draft"]
    output = run("import_events", str(write_csv(tmp_path / "be.csv", [row], encoding="cp874")))
    assert "row 2, date: Buddhist Era year converted: 2568-08-22 → 2025-08-22" in output
    assert Event.objects.get(slug="be-dated").date == "2025-08-22"


def test_one_buddhist_era_rule_2400_is_kept_and_a_period_of_mixed_eras_refused(tmp_path):
    rows = [
        [slug, date, *[""] * 2, "ไทย", *[""] * 9, "draft"]
        for slug, date in [("year-2400", "2400"), ("both-be", "2510/2568")]
    ]
    run("import_events", str(write_csv(tmp_path / "be.csv", rows, encoding="utf-8")))
    assert Event.objects.get(slug="year-2400").date == "2400"  # as the admin keeps it
    assert Event.objects.get(slug="both-be").date == "1967/2025"
    mixed = [["mixed", "2000/2568", *[""] * 2, "ไทย", *[""] * 9, "draft"]]
    with pytest.raises(CommandError):
        run("import_events", str(write_csv(tmp_path / "mixed.csv", mixed, encoding="utf-8")))
    assert (
        "row 2, date: “2000/2568” mixes Buddhist Era (พ.ศ.) and Christian Era years. "
        in (ImportRecord.objects.latest("pk").errors[0])
    )
    assert not Event.objects.filter(slug="mixed").exists()


def test_thai_text_is_cleaned_as_on_save(tmp_path):
    row = ["artifact", "2012", "", "", "ผู้น\u0e4d\u0e32 พบปะะกับ", *[""] * 9, "draft"]
    run("import_events", str(write_csv(tmp_path / "a.csv", [row], encoding="utf-8")))
    assert Event.objects.get(slug="artifact").title_th == "ผู้นำ พบปะกับ"


def test_dry_run_writes_nothing_and_unknown_columns_are_refused(tmp_path):
    path = write_csv(tmp_path / "ok.csv", ROWS, encoding="utf-8")
    assert "dry run (nothing written): created 2" in run("import_events", str(path), "--dry-run")
    assert not Event.objects.filter(slug="putin-visits-pyongyang").exists()
    extra = tmp_path / "extra.csv"
    extra.write_text("slug,date,title_en,notes\nx,2012,X,hello\n", encoding="utf-8")
    with pytest.raises(CommandError):
        run("import_events", str(extra))
    assert ImportRecord.objects.get(file_name="extra.csv").errors[0].startswith("row 1, notes")


@pytest.mark.parametrize("name", ["empty.csv", "header-only.csv", "not-a-spreadsheet.csv"])
def test_files_that_are_not_spreadsheets_get_a_clear_error(name):
    from django.conf import settings

    with pytest.raises(CommandError) as error:
        run("import_events", str(settings.BASE_DIR / "tests" / "files" / name))
    assert len(str(error.value)) > 20


def test_undo_removes_created_rows_and_restores_updated_values(tmp_path):
    event = Event.objects.get(date="2012")
    old_title, old_people = event.title_en, set(event.people.all())
    path = tmp_path / "change.csv"
    with open(path, "w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["slug", "date", "title_en", "people"])
        writer.writerow([event.slug, event.date, "Rewritten title", "donald-trump"])
        writer.writerow(["brand-new", "2026-01", "Brand new", ""])
    run("import_events", str(path))
    event.refresh_from_db()
    assert event.title_en == "Rewritten title" and Event.objects.filter(slug="brand-new").exists()
    import_undo(record=ImportRecord.objects.get(state="done"), by=None)
    event.refresh_from_db()
    assert event.title_en == old_title and set(event.people.all()) == old_people
    assert not Event.objects.filter(slug="brand-new").exists()
    assert ImportRecord.objects.get().state == "undone"


def test_a_file_over_the_row_limit_is_refused_whole(tmp_path, settings):
    settings.IMPORT_MAX_ROWS = 1
    path = write_csv(tmp_path / "two.csv", ROWS, encoding="utf-8")
    with pytest.raises(CommandError):
        run("import_events", str(path))
    assert "more than 1 rows" in ImportRecord.objects.get().errors[0]
    assert not Event.objects.filter(slug="putin-visits-pyongyang").exists()


def test_a_file_over_the_size_limit_is_refused(tmp_path, settings):
    settings.IMPORT_MAX_BYTES = 100
    path = write_csv(tmp_path / "big.csv", ROWS * 5, encoding="utf-8")
    with pytest.raises(CommandError, match="MB"):
        run("import_events", str(path))


@pytest.mark.parametrize("things", ["sources", "eras", "topics", "people"])
def test_the_other_tables_round_trip_unchanged(things, tmp_path):
    path = tmp_path / f"{things}.csv"
    run(f"export_{things}", "-o", str(path))
    assert "updated 0" in run(f"import_{things}", str(path))


def test_people_can_name_organisations_created_earlier_in_the_same_file(tmp_path):
    path = tmp_path / "people.csv"
    path.write_text(
        "slug,kind,name_en,affiliations\n"
        "new-institute,organisation,New Institute,\n"
        "new-analyst,person,New Analyst,new-institute|csis\n",
        encoding="utf-8",
    )
    run("import_people", str(path))
    from newsroom.models import Person

    analyst = Person.objects.get(slug="new-analyst")
    assert set(analyst.affiliations.values_list("slug", flat=True)) == {"new-institute", "csis"}


@pytest.mark.parametrize(
    "name",
    [
        "events.csv",
        "events.xlsx",
        "events.json",
        "sources.csv",
        "eras.csv",
        "topics.csv",
        "people.csv",
    ],
)
def test_the_readme_sample_files_import_cleanly(name):
    from django.conf import settings

    things = name.split(".")[0]
    path = settings.BASE_DIR / "fixtures" / "samples" / name
    assert "errors 0" in run(f"import_{things}", str(path), "--dry-run")
