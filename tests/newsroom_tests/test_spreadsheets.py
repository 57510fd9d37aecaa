"""Spreadsheets as Thai newsrooms make them: tests/files/README.md says how each file was made."""

import codecs
import datetime
import io
import json
import os
import time
import tracemalloc
import unicodedata
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from newsroom.imports.limits import Limits
from newsroom.imports.spreadsheets import (
    CONTENT_TYPES,
    FORMATS,
    SpreadsheetError,
    escape_formula,
    open_table,
    write_table,
)


@pytest.fixture(autouse=True)
def _english():
    """These tests read the English messages (the site's default language is Thai)."""
    with translation.override("en"):
        yield


FILES = Path(__file__).resolve().parent.parent / "files"
HEADERS = ["date", "year", "title_th", "title_en", "summary_th"]
ROWS = [
    (
        2,
        {
            "date": "2024-06-19",
            "year": "2024",
            "title_th": "ปูตินเยือนเปียงยาง",
            "title_en": "Putin visits Pyongyang",
            "summary_th": "ลงนามสนธิสัญญา\nหุ้นส่วนยุทธศาสตร์รอบด้าน",
        },
    ),
    (
        3,
        {
            "date": "2023-09-13",
            "year": "2023",
            "title_th": "คิม จองอึน พบ “ปูติน” ที่วอสตอชนืย",
            "title_en": "Kim Jong Un meets Putin at Vostochny",
            "summary_th": "หารือความร่วมมือทางทหาร…",
        },
    ),
    (
        4,
        {
            "date": "2000-07-19",
            "year": "2000",
            "title_th": "ปูตินเยือนเกาหลีเหนือครั้งแรก",
            "title_en": "Putin's first visit, to Pyongyang",
            "summary_th": "ผู้นำรัสเซียคนแรกที่เยือน",
        },
    ),
]
SAMPLES = [
    ("events-utf8-bom.csv", "csv", "utf-8-sig"),  # Excel "CSV UTF-8"
    ("events-utf8.csv", "csv", "utf-8"),  # LibreOffice, UTF-8
    ("events-cp874.csv", "csv", "cp874"),  # Excel "CSV" on Thai Windows
    ("events-cp874-libreoffice.csv", "csv", "cp874"),  # LibreOffice, Windows-874
    ("events-utf16.txt", "csv", "utf-16"),  # Excel "Unicode Text"
    ("events-utf16-libreoffice.txt", "csv", "utf-16"),  # LibreOffice, Unicode, tabs
    ("events.xlsx", "xlsx", ""),  # LibreOffice, with a real date cell and an integer year
    ("events.json", "json", "utf-8"),
]
# Cells a newsroom exports that a spreadsheet program would otherwise mangle or run.
TRICKY = [
    "=SUM(A1)",
    "-2+3",
    "+66 2 123 4567",
    "@x",
    "ปูตินเยือนเปียงยาง",
    "บรรทัดแรก\nบรรทัดที่สอง",
    'Putin\'s "first" visit, to Pyongyang',
    "'quoted'",
    "a=b",
]


def nfc(rows):
    return [
        (number, {key: unicodedata.normalize("NFC", value) for key, value in row.items()})
        for number, row in rows
    ]


def read(source, **options):
    table = open_table(source, **options)
    return table, list(table.rows())


def xlsx_bytes(*rows):
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def written(rows, format, headers=("cell",)):
    stream = io.BytesIO()
    write_table(rows, headers=headers, format=format, stream=stream)
    return stream.getvalue()


@pytest.mark.parametrize(("name", "format", "encoding"), SAMPLES)
def test_every_sample_reads_to_the_same_rows(name, format, encoding):
    table, rows = read(FILES / name, filename=name)
    assert (table.format, table.encoding) == (format, encoding)
    assert table.headers == HEADERS
    assert nfc(rows) == nfc(ROWS)


@pytest.mark.parametrize(("name", "format", "encoding"), SAMPLES)
def test_format_and_encoding_are_sniffed_without_a_filename(name, format, encoding):
    table, rows = read((FILES / name).read_bytes())
    assert (table.format, table.encoding) == (format, encoding)
    assert nfc(rows) == nfc(ROWS)


def test_an_uploaded_file_is_read_twice_and_left_open():
    upload = SimpleUploadedFile("events.csv", (FILES / "events-cp874.csv").read_bytes())
    table = open_table(upload, filename=upload.name)
    assert list(table.rows()) == list(table.rows())
    assert not upload.closed


def test_a_stream_that_cannot_seek_is_read():
    read_end, write_end = os.pipe()
    os.write(write_end, (FILES / "events-utf8.csv").read_bytes())
    os.close(write_end)
    with open(read_end, "rb") as pipe:
        _table, rows = read(pipe)
    assert nfc(rows) == nfc(ROWS)


def test_a_forced_encoding_is_used_as_given():
    cp874 = FILES / "events-cp874.csv"
    assert read(cp874, encoding="cp874")[0].encoding == "cp874"
    # tis-620 decodes Thai Excel's smart quotes as control characters: why we never guess it.
    table, rows = read(cp874, encoding="tis-620")
    assert table.encoding == "tis-620"
    assert rows[1][1]["title_th"] == "คิม จองอึน พบ \x93ปูติน\x94 ที่วอสตอชนืย"
    # A BOM left by a forced "utf-8" is not part of the first column's name.
    assert read(FILES / "events-utf8-bom.csv", encoding="utf-8")[0].headers == HEADERS


def test_undecodable_text_in_a_forced_encoding_is_refused():
    with pytest.raises(SpreadsheetError, match=r"The file is not utf-8 text\. Choose another"):
        open_table(FILES / "events-cp874.csv", encoding="utf-8")


def test_an_unknown_encoding_name_is_refused():
    with pytest.raises(SpreadsheetError, match="Unknown text encoding “windows-874-th”"):
        open_table(FILES / "events-utf8.csv", encoding="windows-874-th")


@pytest.mark.parametrize(
    ("content", "filename", "message"),
    [
        ((FILES / "not-a-spreadsheet.csv").read_bytes(), "not-a-spreadsheet.csv", "PNG format"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "photo.csv", "JPEG format"),
        (b"%PDF-1.7\n", "report.json", "PDF format"),
        ((FILES / "events.xlsx").read_bytes(), "events.csv", r"ZIP \(an Excel workbook needs"),
        (b"date,title\r\n2024,\x00\x00\x00\r\n", "events.csv", "holds binary data"),
        (b"", "empty.csv", "The file is empty"),
        (b"\xef\xbb\xbf\r\n\r\n,,\r\n", "blank.csv", "The file is empty"),
        (b"[]", "empty.json", "The file is empty"),
        (b"date,title\r\n,\r\n", "blank-rows.csv", "header row but no data rows"),
        (b"date,,title\r\n2024,x,y\r\n", "events.csv", "Column B has no name"),
        (b"title,date,title\r\nx,2024,y\r\n", "events.csv", "named more than once: title"),
        (b"date,title\r\n\xdb\xfc,x\r\n", "events.csv", "neither UTF-8 nor Thai Windows"),
        (b'[{"date": 2024},', "events.json", r"malformed \(line 1, column 17\)"),
        (b'{"date": 2024}', "events.json", "list of objects"),
        (b"[1, 2]", "events.json", "list of objects"),
        (b'[{"date": [2024]}]', "events.json", "Row 2 holds a list"),
        (b"PK\x03\x04 but not a workbook", "events.xlsx", "not a readable Excel"),
        (b"date,title\r\n2024,x\r\n", "events.xlsx", "not a readable Excel"),
    ],
)
def test_files_that_cannot_be_imported_are_explained(content, filename, message):
    with pytest.raises(SpreadsheetError, match=message):
        open_table(content, filename=filename)


def test_the_sample_error_files_are_explained():
    with pytest.raises(SpreadsheetError, match="The file is empty"):
        open_table(FILES / "empty.csv")
    with pytest.raises(SpreadsheetError, match="header row but no data rows"):
        open_table(FILES / "header-only.csv")


def test_a_row_wider_than_the_header_stops_the_rows_at_that_row():
    table = open_table(b"date,title\r\n2024,x\r\n2025,y,extra\r\n", filename="events.csv")
    rows = table.rows()
    assert next(rows) == (2, {"date": "2024", "title": "x"})
    with pytest.raises(SpreadsheetError, match=r"Row 3 has more cells .* \(2\)\. Remove"):
        next(rows)


def test_a_file_over_the_limit_is_refused_with_the_limit_in_mb():
    content = b"date,title\r\n" + b"2024,x\r\n" * 300_000
    with pytest.raises(SpreadsheetError, match="larger than 2 MB"):
        open_table(content, filename="events.csv", max_bytes=2 * 1024 * 1024)
    assert open_table(content, filename="events.csv", max_bytes=3 * 1024 * 1024)


def test_a_forced_format_wins_over_the_filename():
    table = open_table(b"date,title\r\n2024,x\r\n", filename="events.dat", format="csv")
    assert table.format == "csv"
    with pytest.raises(SpreadsheetError, match="Unknown format “ods”"):
        open_table(b"date,title\r\n2024,x\r\n", format="ods")


@pytest.mark.parametrize(
    "content",
    [b"date;title\r\n2024;x, y\r\n", b"date\ttitle\r\n2024\tx, y\r\n"],
    ids=["semicolons", "tabs"],
)
def test_semicolon_and_tab_separated_text_is_read(content):
    assert read(content)[1] == [(2, {"date": "2024", "title": "x, y"})]


def test_csv_rows_keep_their_spreadsheet_numbers_and_skip_blank_rows():
    content = b'date,title,\r\n2024," x\r\ny ",\r\n\r\n,,\r\n2025\r\n'
    table, rows = read(content)
    assert table.headers == ["date", "title"]  # an empty column on the right is formatting
    assert rows == [(2, {"date": "2024", "title": "x\ny"}), (5, {"date": "2025", "title": ""})]


def test_xlsx_cells_become_text_as_the_sheet_shows_them():
    content = xlsx_bytes(
        [],
        [],
        ["date", "year", "share", "whole", "flag", "text", "empty"],
        [
            datetime.datetime(2024, 6, 19),
            2024,
            0.5,
            2025.0,
            True,
            "  สอง\r\nบรรทัด  ",
            None,
        ],
    )
    rows = read(content)[1]
    assert rows == [
        (
            4,
            {
                "date": "2024-06-19",
                "year": "2024",
                "share": "0.5",
                "whole": "2025",
                "flag": "TRUE",
                "text": "สอง\nบรรทัด",
                "empty": "",
            },
        )
    ]


def test_json_rows_may_be_wrapped_and_have_different_keys():
    content = json.dumps({"rows": [{"date": 2024}, {"title": "ปูติน", "date": None}]})
    table, rows = read(content.encode(), filename="events.json")
    assert table.headers == ["date", "title"]
    assert rows == [(2, {"date": "2024", "title": ""}), (3, {"date": "", "title": "ปูติน"})]


@pytest.mark.parametrize(
    ("value", "escaped"),
    [
        ("=SUM(A1)", "'=SUM(A1)"),
        ("+66", "'+66"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("ปูติน", "ปูติน"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_formulas_are_escaped(value, escaped):
    assert escape_formula(value) == escaped


@pytest.mark.parametrize("format", FORMATS)
def test_written_cells_read_back_unchanged(format):
    rows = [[value, number] for number, value in enumerate(TRICKY)]
    rows.append([None, datetime.date(2024, 6, 19)])
    content = written(rows, format, headers=["text", "number"])
    read_back = [row for _number, row in read(content, filename=f"events.{format}")[1]]
    expected = [{"text": value, "number": str(number)} for number, value in enumerate(TRICKY)]
    assert read_back == [*expected, {"text": "", "number": "2024-06-19"}]


def test_csv_export_opens_as_thai_in_excel_and_escapes_formulas():
    content = written([["=SUM(A1)"], ["ปูติน"], ["สอง\nบรรทัด"], ["a, b"]], "csv")
    assert content.startswith(codecs.BOM_UTF8)
    text = content.decode("utf-8-sig")
    assert text == 'cell\r\n\'=SUM(A1)\r\nปูติน\r\n"สอง\nบรรทัด"\r\n"a, b"\r\n'


def test_xlsx_export_stores_escaped_text_not_formulas():
    content = written([["=SUM(A1)"], [2024], ["ข้อความ\x0bจาก Word"]], "xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    cells = [cell for (cell,) in sheet.iter_rows(min_row=2)]
    assert [(cell.value, cell.data_type) for cell in cells] == [
        ("'=SUM(A1)", "s"),
        (2024, "n"),
        ("ข้อความจาก Word", "s"),
    ]


def test_json_export_is_a_list_of_objects_in_header_order():
    rows = [["=1+1", 2024, None], ["ปูติน", 2.5, "x"]]
    content = written(rows, "json", headers=["title", "year", "note"])
    expected = [
        {"title": "'=1+1", "year": 2024, "note": ""},
        {"title": "ปูติน", "year": 2.5, "note": "x"},
    ]
    assert content == json.dumps(expected, ensure_ascii=False, indent=1).encode()
    assert written([], "json") == b"[]"


def test_an_unknown_export_format_is_refused():
    with pytest.raises(SpreadsheetError, match="Unknown format “ods”"):
        written([], "ods")


def test_content_types_cover_every_format():
    assert set(CONTENT_TYPES) == set(FORMATS)


def test_a_large_csv_is_streamed_in_constant_memory(tmp_path):
    path = tmp_path / "large.csv"
    row = '2024-06-19,2024,ปูตินเยือนเปียงยาง {},Putin visits Pyongyang,"ลงนาม\nหุ้นส่วน"\r\n'
    with path.open("w", encoding="utf-8", newline="") as file:
        file.write(",".join(HEADERS) + "\r\n")
        for start in range(0, 200_000, 10_000):
            file.writelines(row.format(number) for number in range(start, start + 10_000))
    tracemalloc.start()
    try:
        table = open_table(path)
        last = max(number for number, _row in table.rows())
        _size, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert last == 200_001
    assert path.stat().st_size > 20_000_000
    assert peak < 2 * 1024 * 1024


def test_duplicate_column_names_are_found_in_linear_time():
    names = [f"c{index}" for index in range(100_000)] + ["c7", "c99"]
    started = time.perf_counter()
    with pytest.raises(SpreadsheetError, match="named more than once: c7, c99"):
        open_table(
            (",".join(names) + "\n" + ",".join(names) + "\n").encode(),
            filename="wide.csv",
            limits=Limits(max_columns=200_000),
        )
    assert time.perf_counter() - started < 2  # the old check took 19 s for 20,000 columns


@pytest.mark.parametrize(
    ("content", "filename", "limits", "message"),
    [
        (b"a,b,c\n1,2,3\n", "events.csv", Limits(max_columns=2), "3 columns; .* at most 2"),
        (b"a,b\n1,xxxxxxxxx\n", "events.csv", Limits(max_cell_bytes=8), "Line 2 is longer"),
        (b'a,b\n1,"xxx\nxxx\nxxx"\n', "events.csv", Limits(max_cell_bytes=8), "Row 2 holds a cell"),
        (b'[{"a": "xxxxxxxxx"}]', "events.json", Limits(max_cell_bytes=8), "Row 2 holds a cell"),
        (b'[{"a": {"b": [1]}}]', "events.json", Limits(max_json_depth=2), "more than 2 deep"),
    ],
)
def test_files_beyond_the_limits_are_explained(content, filename, limits, message):
    with pytest.raises(SpreadsheetError, match=message):
        list(open_table(content, filename=filename, limits=limits).rows())


def test_brackets_inside_json_strings_are_not_nesting():
    content = json.dumps([{"title": "[[[[[[[[[[[[" + '\\"{{{{{{{{{{{{'}]).encode()
    assert list(open_table(content, filename="x.json").rows()) == [
        (2, {"title": '[[[[[[[[[[[[\\"{{{{{{{{{{{{'})
    ]


def test_a_workbook_that_unpacks_far_beyond_its_size_is_refused_unopened():
    content = xlsx_bytes(["title"], *[["x" * 30_000]] * 100)  # 3 MB of one letter, packed
    with pytest.raises(SpreadsheetError, match="more than 100 times its size"):
        open_table(content, filename="bomb.xlsx")
    with pytest.raises(SpreadsheetError, match="more than 1 MB once unpacked"):
        open_table(content, filename="bomb.xlsx", limits=Limits(max_xlsx_bytes=1024 * 1024))


def test_thai_windows_text_is_recognised_and_western_text_is_not_taken_for_it():
    thai = "slug,title_th\nx,ผู้นำ “ปูติน” เยือนเปียงยาง…\n".encode("cp874")
    assert open_table(thai, filename="thai.csv").encoding == "cp874"
    western = "slug,title_en\nx,Café\n".encode("latin-1")
    with pytest.raises(SpreadsheetError, match=r"byte 19 \(line 2\) would be a Thai mark after"):
        open_table(western, filename="western.csv")
    # Chosen by the editor, cp874 is taken as given.
    assert open_table(western, filename="western.csv", encoding="cp874").encoding == "cp874"
