"""Fuzzy dates: an EDTF string is the editor's source of truth.

``parse_fuzzy_date`` validates it and derives what the database indexes (start and
end dates with their precision); ``date_label`` says it in Thai or English.
Bounds are computed here rather than by the ``edtf`` package: it parses ~200 dates a
second and crashes on open ends. The tests hold these bounds to ``edtf``'s.
"""

import calendar
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from newsroom.calendar import BE_OFFSET, MAX_CE_YEAR

OPEN_ENDS = {"", ".."}
_PART = re.compile(
    r"^(?P<year>\d{4}|\d{3}X|\d{2}XX)(?:-(?P<month>\d{2}|XX)(?:-(?P<day>\d{2}|XX))?)?(?P<ua>[~?%])?$"
)


class Precision(models.TextChoices):
    DAY = "day", _("day")
    MONTH = "month", _("month")
    YEAR = "year", _("year")
    DECADE = "decade", _("decade")
    CENTURY = "century", _("century")


class Qualifier(models.TextChoices):
    EARLY = "early", _("early")
    MID = "mid", _("mid")
    LATE = "late", _("late")


@dataclass(frozen=True)
class DatePart:
    """One end of a fuzzy date: its bounds, precision and vagueness."""

    lower: date
    upper: date
    precision: str
    approximate: bool = False
    uncertain: bool = False

    @property
    def year(self) -> int:
        return self.lower.year


@dataclass(frozen=True)
class FuzzyDate:
    edtf: str
    start: DatePart | None
    end: DatePart | None
    is_interval: bool

    @property
    def lower(self) -> date | None:
        return self.start.lower if self.start else None

    @property
    def upper(self) -> date | None:
        return self.end.upper if self.end else None


def _precision(match: re.Match) -> str:
    year, month, day = match["year"], match["month"], match["day"]
    if year.endswith("XX"):
        return Precision.CENTURY
    if year.endswith("X"):
        return Precision.DECADE
    if not month or "X" in month:
        return Precision.YEAR
    if not day or "X" in day:
        return Precision.MONTH
    return Precision.DAY


def _bounds(year: str, month: str | None, day: str | None) -> tuple[date, date]:
    first, last = int(year.replace("X", "0")), int(year.replace("X", "9"))
    if "X" in year and month:
        raise ValueError("a month needs its year")
    if not month or month == "XX":
        if day and day != "XX":
            raise ValueError("a day needs its month")
        return date(first, 1, 1), date(last, 12, 31)
    month_number = int(month)
    days = calendar.monthrange(first, month_number)[1]  # ValueError for month 13
    if not day or day == "XX":
        return date(first, month_number, 1), date(first, month_number, days)
    return date(first, month_number, int(day)), date(first, month_number, int(day))


@lru_cache(maxsize=65536)
def _parse_part(text: str) -> DatePart:
    """One EDTF date (levels 0 and 1, no seasons); bounds are the ones ``edtf`` gives."""
    match = _PART.match(text)
    if not match:
        raise ValidationError(
            _(
                "“%(part)s” is not an EDTF date. Write 2025-08-22, 2025-04, 2012, 197X (a decade) "
                "or 1955~ (approximate), and join two with “/” for a period."
            ),
            code="invalid",
            params={"part": text},
        )
    year = int(match["year"].replace("X", "0"))
    if year > MAX_CE_YEAR:
        raise ValidationError(
            _("%(year)s looks like a Buddhist Era year (พ.ศ.): subtract 543 and write %(ce)s."),
            code="buddhist_era",
            params={"year": year, "ce": year - BE_OFFSET},
        )
    try:
        lower, upper = _bounds(match["year"], match["month"], match["day"])
    except ValueError as exc:
        raise ValidationError(
            _("“%(part)s” is not a real date: check the month (01–12) and the day."),
            code="invalid",
            params={"part": text},
        ) from exc
    ua = match["ua"]
    return DatePart(lower, upper, _precision(match), ua in ("~", "%"), ua in ("?", "%"))


def parse_fuzzy_date(value: str) -> FuzzyDate:
    """Validate an EDTF string and derive its bounds; raise ValidationError if it is wrong."""
    text = (value or "").strip()
    if not text:
        raise ValidationError(
            _("Enter a date in EDTF, e.g. 2025-08-22 or 1945/1948."), code="required"
        )
    if "/" not in text:
        part = _parse_part(text)
        return FuzzyDate(text, part, part, is_interval=False)
    first, _sep, second = text.partition("/")
    if first in OPEN_ENDS and second in OPEN_ENDS:
        raise ValidationError(_("A period needs at least one known end."), code="invalid")
    start = None if first in OPEN_ENDS else _parse_part(first)
    end = None if second in OPEN_ENDS else _parse_part(second)
    if start and end and end.upper < start.lower:
        raise ValidationError(
            _("The period ends (%(end)s) before it begins (%(start)s)."),
            code="reversed",
            params={"start": first, "end": second},
        )
    return FuzzyDate(text, start, end, is_interval=True)


def iso_date(day: date, precision: str) -> str:
    """``day`` in ISO 8601 to ``precision`` (day, month, else year), the year always in four
    digits as HTML's <time> and schema.org want it ("0476", not "476")."""
    text = f"{day.year:04d}-{day.month:02d}-{day.day:02d}"
    return text[: {Precision.DAY: 10, Precision.MONTH: 7}.get(precision, 4)]


def decade_edtf(year: int) -> str:
    """The EDTF of the decade that ``year`` is in: 1975 -> "197X", 476 -> "047X"."""
    return f"{year // 10:03d}X"
