"""Read and write the spreadsheets Thai newsrooms exchange: CSV, XLSX and JSON.

Reading streams rows of text cells whatever program made the file (see docs/THAI.md);
writing escapes formulas and gives Excel a CSV it opens as Thai (UTF-8 with a BOM).
"""

import codecs
import csv
import datetime
import io
import json
import os
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, closing, contextmanager, nullcontext
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import chain
from pathlib import Path
from types import SimpleNamespace
from typing import IO, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter

from newsroom.imports.limits import (
    MB,
    Limits,
    json_too_deep,
    longest_line,
    megabytes,
    stray_thai_mark,
    xlsx_too_big,
)

FORMATS = ("csv", "xlsx", "json")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}
EXTENSIONS = {".csv": "csv", ".txt": "csv", ".tsv": "csv", ".xlsx": "xlsx", ".json": "json"}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ZIP = b"PK\x03\x04"
# Files uploaded by mistake, by their first bytes.
MAGIC = {
    b"\x89PNG": "PNG",
    b"\xff\xd8\xff": "JPEG",
    b"GIF8": "GIF",
    b"%PDF": "PDF",
    b"\xd0\xcf\x11\xe0": "old Excel (.xls) or Word (.doc)",
    ZIP: "ZIP (an Excel workbook needs the .xlsx extension)",
    b"\x1f\x8b": "GZIP",
}
# What editors read, in one place; translated when raised.
MESSAGES = {
    "too_big": gettext_noop("The file is larger than %(limit)s MB. Split it into smaller files."),
    "empty": gettext_noop("The file is empty. Choose a file that has a header row."),
    "header_only": gettext_noop("The file has a header row but no data rows. Add rows below it."),
    "format": gettext_noop("Unknown format “%(format)s”: use CSV, XLSX or JSON."),
    "binary": gettext_noop(
        "This file is not a spreadsheet: its content is in %(kind)s format. Save the sheet as "
        "CSV UTF-8 or Excel (.xlsx) and upload that file."
    ),
    "xlsx": gettext_noop(
        "This file is not a readable Excel (.xlsx) workbook. Open it in Excel or LibreOffice and "
        "save it again as .xlsx, or export the sheet as CSV UTF-8."
    ),
    "codec": gettext_noop("Unknown text encoding “%(encoding)s”. Try utf-8 or cp874."),
    "decode": gettext_noop(
        "The file is not %(encoding)s text. Choose another encoding, or save the sheet as "
        "CSV UTF-8."
    ),
    "undetected": gettext_noop(
        "The text of this file is neither UTF-8 nor Thai Windows (cp874): byte %(offset)s "
        "(line %(line)s) is neither. Save the sheet as CSV UTF-8 and upload it again."
    ),
    "implausible": gettext_noop(
        "The text of this file is not UTF-8, and read as Thai Windows (cp874) it makes no "
        "sense: byte %(offset)s (line %(line)s) would be a Thai mark after “%(before)s”. It "
        "was probably saved in a Western encoding. Save the sheet as CSV UTF-8 and upload it "
        "again."
    ),
    "line": gettext_noop(
        "Line %(line)s is longer than %(limit)s MB. Check that the file is a spreadsheet, or "
        "shorten its longest cells."
    ),
    "cell": gettext_noop(
        "Row %(row)s holds a cell larger than %(limit)s MB. Shorten it: no field needs as much."
    ),
    "columns": gettext_noop(
        "The file has %(count)s columns; an import takes at most %(limit)s. Remove the columns "
        "that are not in the file contract."
    ),
    "xlsx_size": gettext_noop(
        "This workbook would take more than %(limit)s MB once unpacked. Remove other sheets, "
        "pictures or formatting, or export the sheet as CSV UTF-8."
    ),
    "xlsx_ratio": gettext_noop(
        "This workbook unpacks to more than %(ratio)s times its size, which no spreadsheet "
        "does. Open it in Excel or LibreOffice and save it again, or export it as CSV UTF-8."
    ),
    "json_depth": gettext_noop(
        "This JSON nests lists or objects more than %(limit)s deep. Give a list of objects "
        "whose values are text or numbers."
    ),
    "nul": gettext_noop("This file holds binary data, not spreadsheet text. Save it as CSV UTF-8."),
    "csv": gettext_noop("Row %(row)s cannot be read as CSV: %(error)s."),
    "json": gettext_noop("This JSON is malformed (line %(line)s, column %(column)s): %(error)s."),
    "json_shape": gettext_noop('JSON must be a list of objects, or {"rows": [objects]}.'),
    "json_cell": gettext_noop("Row %(row)s holds a list or an object: give each cell text."),
    "no_name": gettext_noop("Column %(column)s has no name in the header row. Name every column."),
    "duplicate": gettext_noop("These columns are named more than once: %(names)s. Rename them."),
    "wide": gettext_noop(
        "Row %(row)s has more cells than the header row has columns (%(count)s). Remove the "
        "extra cells or give their column a header."
    ),
}

type Opener = Callable[[], AbstractContextManager[IO[bytes]]]
type Records = Iterator[tuple[int, Sequence[object]]]


class SpreadsheetError(Exception):
    """A file we cannot read; the message tells an editor what is wrong and what to do."""


def _error(key: str, **params: object) -> SpreadsheetError:
    return SpreadsheetError(_(MESSAGES[key]) % params)


@dataclass
class Table:
    format: str
    encoding: str
    headers: list[str]
    _open: Opener = field(kw_only=True, repr=False)
    _delimiter: str = field(default=",", kw_only=True, repr=False)
    limits: Limits = field(default_factory=Limits, kw_only=True, repr=False)

    def rows(self) -> Iterator[tuple[int, dict[str, str]]]:
        """Stream (row number as the spreadsheet shows it, {header: cell text}) for every
        non-blank data row; the file is read again from its start on each call."""
        with self._open() as binary, closing(READERS[self.format](binary, self)) as records:
            _read_header(records, self.limits)
            yield from _data_rows(records, self.headers, self.limits)


def open_table(
    source: bytes | str | os.PathLike | IO[bytes],
    *,
    filename: str = "",
    format: str | None = None,
    encoding: str | None = None,
    max_bytes: int | None = None,
    limits: Limits | None = None,
) -> Table:
    """Open a spreadsheet from bytes, a path or a binary file object, checking it can be read.

    The format is forced, else the filename's extension, else sniffed. The text encoding is
    forced, else the BOM's, else UTF-8 if the whole file decodes as UTF-8, else cp874 if it
    reads as Thai. ``limits`` default to the settings' (``IMPORT_MAX_*``).
    """
    limits = limits or Limits.from_settings(max_bytes=max_bytes)
    opener = _opener(source)
    head = _head(opener, limits.max_bytes)
    format = _format(format, filename, head)
    encoding = "" if format == "xlsx" else _encoding(opener, head, encoding, format, limits)
    delimiter = _delimiter(opener, encoding) if format == "csv" else ","
    table = Table(format, encoding, [], _open=opener, _delimiter=delimiter, limits=limits)
    with opener() as binary, closing(READERS[format](binary, table)) as records:
        table.headers = _read_header(records, limits)
        if next(_data_rows(records, table.headers, limits), None) is None:
            raise _error("header_only")
    return table


def glance(path: Path, *, format: str, limits: Limits | None = None) -> int:
    """The data rows a file holds, estimated from its size and first megabyte without parsing
    it; what that look shows to be wrong (too large, a line too long, a workbook that unpacks
    too far) is refused at once."""
    limits = limits or Limits.from_settings()
    _head(lambda: path.open("rb"), limits.max_bytes)
    size = path.stat().st_size
    with path.open("rb") as binary:
        if format == "xlsx":
            return _xlsx_rows(binary, limits)
        head = binary.read(2 * max(MB, limits.max_cell_bytes))  # each line begun in the 1st half
    if format == "csv" and (line := longest_line([head], limits.max_cell_bytes)):
        raise _error("line", line=line, limit=megabytes(limits.max_cell_bytes))
    return max(round(head.count(b"\n") * size / len(head)) - 1, 0)


def _xlsx_rows(binary: IO[bytes], limits: Limits) -> int:
    _check_xlsx(binary, limits)
    try:
        with zipfile.ZipFile(binary) as book:
            sheets = [i for i in book.infolist() if i.filename.startswith("xl/worksheets/")]
            sheet = min(sheets, key=lambda info: info.filename)
            with book.open(sheet) as member:
                head = member.read(MB)
    except (zipfile.BadZipFile, OSError, ValueError):  # reading it will say what is wrong
        return 0
    return max(round(head.count(b"<row") * sheet.file_size / max(len(head), 1)) - 1, 0)


def escape_formula(value: str) -> str:
    """Keep spreadsheets from running a cell as a formula (OWASP's CSV injection advice)."""
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def write_table(
    rows: Iterable[Sequence[object]], *, headers: Sequence[str], format: str, stream: IO[bytes]
) -> None:
    """Stream headers then rows to a binary stream as CSV (UTF-8 with BOM, CRLF), XLSX or JSON."""
    writers = {"csv": _write_csv, "xlsx": _write_xlsx, "json": _write_json}
    if format not in writers:
        raise _error("format", format=format)
    cells = ([_export_cell(value) for value in row] for row in chain([headers], rows))
    writers[format](cells, list(headers), stream)


# Opening


def _opener(source: bytes | str | os.PathLike | IO[bytes]) -> Opener:
    """A way to read the source from its start as often as needed."""
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        return lambda: path.open("rb")
    if not isinstance(source, bytes | bytearray | memoryview) and not source.seekable():
        source = source.read()
    if isinstance(source, bytes | bytearray | memoryview):
        data = bytes(source)
        return lambda: nullcontext(io.BytesIO(data))
    file, start = source, source.tell()

    @contextmanager
    def rewound() -> Iterator[IO[bytes]]:
        file.seek(start)
        yield file  # the caller's file: theirs to close

    return rewound


def _head(opener: Opener, max_bytes: int | None) -> bytes:
    with opener() as binary:
        start = binary.tell()
        size = binary.seek(0, io.SEEK_END) - start
        binary.seek(start)
        head = binary.read(4096)
    if max_bytes is not None and size > max_bytes:
        raise _error("too_big", limit=megabytes(max_bytes))
    if not head:
        raise _error("empty")
    return head


def _format(forced: str | None, filename: str, head: bytes) -> str:
    format = forced or EXTENSIONS.get(Path(filename).suffix.lower()) or _sniff(head)
    if format not in FORMATS:
        raise _error("format", format=format)
    if format == "xlsx" and not head.startswith(ZIP):
        raise _error("xlsx")
    kind = next((kind for magic, kind in MAGIC.items() if head.startswith(magic)), None)
    if format != "xlsx" and kind:
        raise _error("binary", kind=kind)
    return format


def _sniff(head: bytes) -> str:
    if head.startswith(ZIP):
        return "xlsx"
    wide = head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    text = head.decode("utf-16" if wide else "utf-8", errors="ignore").lstrip("\ufeff \t\r\n")
    return "json" if text.startswith(("[", "{")) else "csv"


def _encoding(opener: Opener, head: bytes, forced: str | None, format: str, limits: Limits) -> str:
    """The forced encoding if the file decodes, else the first that does: BOM, UTF-8, cp874
    (if it reads as Thai text)."""
    if forced:
        try:
            codecs.lookup(forced)
        except LookupError as error:
            raise _error("codec", encoding=forced) from error
    if head.startswith(codecs.BOM_UTF8):
        candidates = ["utf-8-sig"]
    elif head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ["utf-16"]
    else:
        candidates = ["utf-8", "cp874"]  # never tis-620: it garbles smart quotes and "…"
    if format == "csv" and (line := longest_line(_chunks(opener), limits.max_cell_bytes)):
        raise _error("line", line=line, limit=megabytes(limits.max_cell_bytes))
    failed_at = 0
    for encoding in [forced] if forced else candidates:
        try:
            _check_text(opener, encoding, thai=not forced and encoding == "cp874")
            return encoding
        except UnicodeDecodeError as error:
            failed_at = max(failed_at, error.start)
    if forced:
        raise _error("decode", encoding=forced)
    raise _error("undetected", offset=failed_at, line=_line_at(opener, failed_at))


def _chunks(opener: Opener) -> Iterator[bytes]:
    with opener() as binary:
        while chunk := binary.read(1 << 16):
            yield chunk


def _check_text(opener: Opener, encoding: str, *, thai: bool = False) -> None:
    """Decode the whole file in chunks (constant memory); raise UnicodeDecodeError (its start
    the offset in the file) if it fails, and refuse cp874 that is no Thai text."""
    decoder, offset, previous = codecs.getincrementaldecoder(encoding)(), 0, ""
    for chunk in chain(_chunks(opener), [b""]):
        pending = len(decoder.getstate()[0])  # bytes of a character begun in the last chunk
        try:
            text = decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError as error:
            error.start += offset - pending
            raise
        if "\x00" in text:
            raise _error("nul")
        if thai and (index := stray_thai_mark(text, previous)) is not None:
            before = (previous + text)[index + len(previous) - 1 : index + len(previous)]
            at = offset + index  # cp874 is one byte a character
            raise _error("implausible", offset=at, line=_line_at(opener, at), before=before)
        offset, previous = offset + len(chunk), text[-1:] or previous


def _line_at(opener: Opener, offset: int) -> int:
    line, read = 1, 0
    for chunk in _chunks(opener):
        line += chunk.count(b"\n", 0, max(offset - read, 0))
        read += len(chunk)
        if read >= offset:
            break
    return line


def _delimiter(opener: Opener, encoding: str) -> str:
    """Excel's "Unicode Text" is tab-separated; some locales' CSV uses semicolons."""
    with opener() as binary, _text(binary, encoding) as text:
        header = text.readline()
    if codecs.lookup(encoding).name.startswith("utf-16") or ("\t" in header and "," not in header):
        return "\t"
    if ";" in header and "," not in header and "\t" not in header:
        return ";"
    return ","


@contextmanager
def _text(binary: IO[bytes], encoding: str) -> Iterator[io.TextIOWrapper]:
    text = io.TextIOWrapper(binary, encoding, newline="")
    try:
        yield text
    finally:
        text.detach()  # leave the binary stream open for its owner


# Reading: each format yields (row number, raw cells); the first non-blank record is the header.


def _csv_records(binary: IO[bytes], table: Table) -> Records:
    number = 0
    csv.field_size_limit(table.limits.max_cell_bytes)  # a cell spread over many lines
    with _text(binary, table.encoding) as text:
        try:
            for number, record in enumerate(csv.reader(text, delimiter=table._delimiter), 1):
                yield number, record
        except csv.Error as error:
            if "field larger than field limit" in str(error):
                limit = megabytes(table.limits.max_cell_bytes)
                raise _error("cell", row=number + 1, limit=limit) from error
            raise _error("csv", row=number + 1, error=error) from error


def _xlsx_records(binary: IO[bytes], table: Table) -> Records:
    _check_xlsx(binary, table.limits)
    try:
        book = load_workbook(binary, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds of errors for a damaged file
        raise _error("xlsx") from error
    try:
        sheet = book.worksheets[0]
        sheet.reset_dimensions()  # read every row, not the size the file claims
        yield from enumerate(sheet.iter_rows(values_only=True), 1)
    finally:
        book.close()


def _json_records(binary: IO[bytes], table: Table) -> Records:
    text, depth = binary.read().decode(table.encoding), table.limits.max_json_depth
    if json_too_deep(text, depth):
        raise _error("json_depth", limit=depth)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise _error("json", line=error.lineno, column=error.colno, error=error.msg) from error
    except RecursionError as error:  # deeper than the check counts (never, but not a crash)
        raise _error("json_depth", limit=depth) from error
    del text
    items = data.get("rows") if isinstance(data, dict) else data
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise _error("json_shape")
    keys = list(dict.fromkeys(key for item in items for key in item))
    yield 1, keys
    for number, item in enumerate(items, 2):
        if any(isinstance(value, list | dict) for value in item.values()):
            raise _error("json_cell", row=number)
        yield number, [item.get(key) for key in keys]


def _check_xlsx(binary: IO[bytes], limits: Limits) -> None:
    if problem := xlsx_too_big(binary, limits):
        raise _error(
            f"xlsx_{problem}", limit=megabytes(limits.max_xlsx_bytes), ratio=limits.max_xlsx_ratio
        )


READERS: dict[str, Callable[[IO[bytes], Table], Records]] = {
    "csv": _csv_records,
    "xlsx": _xlsx_records,
    "json": _json_records,
}


def _read_header(records: Records, limits: Limits) -> list[str]:
    for _number, cells in records:
        # lstrip: the BOM that a forced "utf-8" (not "utf-8-sig") leaves in the first name
        names = [_cell(value).lstrip("\ufeff") for value in cells]
        if any(names):
            while not names[-1]:
                names.pop()  # spreadsheets often carry empty formatted columns on the right
            if len(names) > limits.max_columns:
                raise _error("columns", count=len(names), limit=limits.max_columns)
            if "" in names:
                raise _error("no_name", column=get_column_letter(names.index("") + 1))
            counts = Counter(names)
            if duplicates := sorted(name for name, count in counts.items() if count > 1):
                raise _error("duplicate", names=", ".join(duplicates))
            return names
    raise _error("empty")


def _data_rows(
    records: Records, headers: list[str], limits: Limits
) -> Iterator[tuple[int, dict[str, str]]]:
    width, most = len(headers), limits.max_cell_bytes
    for number, cells in records:
        values = [_cell(value) for value in cells]
        if not any(values):
            continue
        if any(len(value) > most // 4 and len(value.encode()) > most for value in values):
            raise _error("cell", row=number, limit=megabytes(most))
        if any(values[width:]):  # empty cells past the last column are only formatting
            raise _error("wide", row=number, count=width)
        values += [""] * (width - len(values))
        yield number, dict(zip(headers, values, strict=False))


def _cell(value: object) -> str:
    """A cell as text: "2025" for 2025.0, ISO dates, our formula escape undone, trimmed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.date):
        return value.isoformat()[:10]
    text = str(value)
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


# Writing


def _export_cell(value: object) -> Any:
    """Numbers and dates stay typed; any other value becomes escaped text."""
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        return value.isoformat()  # XLSX has no time zones
    if value is None or isinstance(value, int | float | Decimal | datetime.date | datetime.time):
        return value
    return escape_formula(str(value))


def _write_csv(rows: Iterator[list[Any]], headers: list[str], stream: IO[bytes]) -> None:
    stream.write(codecs.BOM_UTF8)  # without it Excel shows Thai as mojibake
    sink = SimpleNamespace(write=lambda text: stream.write(text.encode()))
    csv.writer(sink, lineterminator="\r\n").writerows(rows)


def _write_xlsx(rows: Iterator[list[Any]], headers: list[str], stream: IO[bytes]) -> None:
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    for row in rows:
        # Control characters (a vertical tab pasted from Word) are not allowed in XLSX.
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in row])
    book.save(stream)


def _write_json(rows: Iterator[list[Any]], headers: list[str], stream: IO[bytes]) -> None:
    """The bytes of json.dump(list, indent=1), written one object at a time."""
    next(rows)  # escaped headers: JSON keys are never run as formulas
    separator = b"\n "
    stream.write(b"[")
    for row in rows:
        item = dict(zip(headers, ("" if value is None else value for value in row), strict=False))
        text = json.dumps(item, ensure_ascii=False, indent=1, default=str)
        stream.write(separator + text.replace("\n", "\n ").encode())
        separator = b",\n "
    stream.write(b"]" if separator == b"\n " else b"\n]")
