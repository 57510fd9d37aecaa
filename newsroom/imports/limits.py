"""What one imported file may cost, checked while reading and before the cost is paid.

Each check runs in time linear in the file and in bounded memory: a hostile file (a
million columns, a zip bomb, a 50 MB line, nesting thousands deep) is refused in seconds.
"""

import re
import zipfile
from dataclasses import dataclass
from typing import IO

from django.conf import settings

MB = 1024 * 1024
# Thai vowels above and below, tone marks and other combining signs: in Thai text they follow
# a Thai letter. After anything else they are Latin-1 accents read as cp874 ("é" -> "้").
_STRAY_THAI_MARK = re.compile(r"(?<![\u0e01-\u0e4e])[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]")
_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')
_JSON_BRACKETS = re.compile(r"[\[{]+|[\]}]+")


@dataclass(frozen=True)
class Limits:
    max_bytes: int | None = None
    max_columns: int = 200
    max_cell_bytes: int = MB
    max_xlsx_bytes: int = 200 * MB
    max_xlsx_ratio: int = 100
    max_json_depth: int = 10

    @classmethod
    def from_settings(cls, **overrides) -> "Limits":
        return cls(
            max_columns=settings.IMPORT_MAX_COLUMNS,
            max_cell_bytes=settings.IMPORT_MAX_CELL_BYTES,
            max_xlsx_bytes=settings.IMPORT_MAX_XLSX_BYTES,
            max_xlsx_ratio=settings.IMPORT_MAX_XLSX_RATIO,
            max_json_depth=settings.IMPORT_MAX_JSON_DEPTH,
            **overrides,
        )


def megabytes(size: int) -> str:
    return f"{round(size / MB, 1):g}"


def longest_line(chunks, limit: int) -> int | None:
    """The 1-based number of the first line longer than ``limit`` bytes, else None."""
    number, run = 1, 0
    for chunk in chunks:
        parts = chunk.split(b"\n")
        for index, part in enumerate(parts):
            run += len(part)
            if run > limit:
                return number
            if index < len(parts) - 1:
                number, run = number + 1, 0
    return None


def stray_thai_mark(text: str, previous: str) -> int | None:
    """The index in ``text`` of a Thai mark that follows no Thai letter (``previous`` is the
    character before ``text``), else None."""
    match = _STRAY_THAI_MARK.search(previous + text)
    return None if match is None else match.start() - len(previous)


def xlsx_too_big(binary: IO[bytes], limits: Limits) -> str | None:
    """Why the workbook would expand beyond the limits ("size" or "ratio"), else None.

    The sizes are the zip's declared ones; Python's zipfile never inflates a member beyond
    its declared size (it fails the CRC check instead), so they bound what openpyxl reads.
    """
    start = binary.tell()
    try:
        members = zipfile.ZipFile(binary).infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return None  # openpyxl says the file is damaged, in its own words
    finally:
        binary.seek(start)
    if sum(member.file_size for member in members) > limits.max_xlsx_bytes:
        return "size"
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > MB and ratio > limits.max_xlsx_ratio:
            return "ratio"
    return None


def json_too_deep(text: str, limit: int) -> bool:
    """Whether arrays and objects nest deeper than ``limit`` in this JSON text.

    Strings are removed first (a title may hold "[["), then runs of brackets are counted:
    linear, and quick even for a file of a million "[".
    """
    depth = 0
    for match in _JSON_BRACKETS.finditer(_JSON_STRING.sub("", text)):
        run = match.end() - match.start()
        depth += run if match.group()[0] in "[{" else -run
        if depth > limit:
            return True
    return False
