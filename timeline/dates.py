"""Fuzzy dates: an EDTF string is the editor's source of truth.

``parse_fuzzy_date`` validates it and derives what the database indexes (start and
end dates with their precision); ``timeline.labels`` says it in Thai or English.
EDTF levels 0 and 1 are taken in full, and level 2 as far as a date can be stored
(qualified parts, unspecified digits anywhere, sets and lists as the span they cover).
Bounds are computed here rather than by the ``edtf`` package: it parses ~200 dates a
second and crashes on some level 2 forms. The tests hold these bounds to ``edtf``'s.
"""

import calendar
import re
from dataclasses import dataclass
from datetime import date, time
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from newsroom.calendar import BE_OFFSET, MAX_CE_YEAR

OPEN, UNKNOWN = "..", ""
OPEN_ENDS = {UNKNOWN, OPEN}
MIN_YEAR, MAX_YEAR = 1, 9999  # what a DateField holds, on SQLite and PostgreSQL alike
_Q = r"[~?%]"
EDTF_DATE = re.compile(
    rf"^(?P<yq>{_Q})?(?P<year>Y-?\d+(?:E\d+)?|-?[\dX]{{4}})(?:S(?P<sig>\d+))?(?P<yt>{_Q})?"
    rf"(?:-(?P<mq>{_Q})?(?P<month>[\dX]{{2}})(?P<mt>{_Q})?"
    rf"(?:-(?P<dq>{_Q})?(?P<day>[\dX]{{2}})(?P<dt>{_Q})?)?)?"
    r"(?:T(?P<time>\d{2}:\d{2}:\d{2})(?P<zone>Z|[+-]\d{2}(?::\d{2})?)?)?$"
)
# Sub-year groupings (level 1: 21-24; level 2: 25-41), as month spans within the year.
# Winter (24, 28, 32 north... as the spec maps them) stays within its year, as ``edtf`` has it.
SEASONS = {
    21: (3, 5), 22: (6, 8), 23: (9, 11), 24: (12, 12),  # spring, summer, autumn, winter
    25: (3, 5), 26: (6, 8), 27: (9, 11), 28: (12, 12),  # the same, northern hemisphere
    29: (9, 11), 30: (12, 12), 31: (3, 5), 32: (6, 8),  # the same, southern hemisphere
    33: (1, 3), 34: (4, 6), 35: (7, 9), 36: (10, 12),  # quarters
    37: (1, 4), 38: (5, 8), 39: (9, 12),  # quadrimesters (four months)
    40: (1, 6), 41: (7, 12),  # semesters (halves)
}  # fmt: skip


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
    """One end of a fuzzy date: its bounds, precision and vagueness.

    ``text`` is its EDTF (labels read unspecified digits and seasons from it);
    ``partial`` holds level 2 qualifiers of single components, e.g. (("day", "~"),).
    """

    lower: date
    upper: date
    precision: str
    approximate: bool = False
    uncertain: bool = False
    text: str = ""
    partial: tuple = ()

    @property
    def year(self) -> int:
        return self.lower.year

    @property
    def spans(self) -> bool:
        """Whether it covers more than one unit of its precision (a decade, a season)."""
        return iso_date(self.lower, self.precision) != iso_date(self.upper, self.precision)


@dataclass(frozen=True)
class FuzzyDate:
    """A date, a period or a set of dates. A missing end is open ("..") or unknown ("")."""

    edtf: str
    start: DatePart | None
    end: DatePart | None
    is_interval: bool
    start_open: bool = False
    end_open: bool = False
    members: tuple = ()  # a set's dates ("[...]": one of them; "{...}": all of them)
    all_members: bool = False

    @property
    def lower(self) -> date | None:
        return self.start.lower if self.start else None

    @property
    def upper(self) -> date | None:
        return self.end.upper if self.end else None


SORT_FIRST, SORT_LAST = date.min, date.max  # where an unknown start and an unknown end sort


def sort_position(fuzzy: FuzzyDate) -> tuple[date, date]:
    """Where an event with this date sits in the timeline: its bounds (an unknown start
    first, an unknown end last), except for a period whose vague start (approximate or
    uncertain) is a coarser span that holds its certain end: "shortly before August 2025"
    (``2025~/2025-08``, some time in 2025 until August) sits where August 2025 begins, not
    in January. A long period (``1955~/1969``) still sits where it begins."""
    start, end = fuzzy.start, fuzzy.end
    if (
        fuzzy.is_interval
        and start is not None
        and end is not None
        and (start.approximate or start.uncertain)
        and not (end.approximate or end.uncertain)
        and start.lower <= end.lower <= start.upper
    ):
        return end.lower, end.upper
    return fuzzy.lower or SORT_FIRST, fuzzy.upper or SORT_LAST


def _invalid(text: str) -> ValidationError:
    return ValidationError(
        _(
            "“%(part)s” is not an EDTF date. Write 2025-08-22, 2025-04, 2012, 197X (a decade) "
            "or 1955~ (approximate), and join two with “/” for a period."
        ),
        code="invalid",
        params={"part": text},
    )


def _not_real(text: str) -> ValidationError:
    return ValidationError(
        _(
            "“%(part)s” is not a real date: check the month (01–12, or 21–41 for a season) "
            "and the day."
        ),
        code="invalid",
        params={"part": text},
    )


def _out_of_range(text: str) -> ValidationError:
    return ValidationError(
        _(
            "“%(part)s” is outside the years this timeline can store (1 to 9999 CE): years "
            "before 1 CE (such as -1985 or 0000) and after 9999 (Y…) cannot be sorted with "
            "the others. Write the nearest year it can store and say the date in “date as "
            "shown”."
        ),
        code="out_of_range",
        params={"part": text},
    )


def _year_digits(match: re.Match, text: str) -> str:
    """The year as four characters (digits or X), or an error if it cannot be stored."""
    year = match["year"]
    if year.startswith("Y"):
        mantissa, _e, exponent = year[1:].partition("E")
        value = int(mantissa) * 10 ** int(exponent or 0)
        if match["month"]:
            raise _invalid(text)  # a Y year is a year only
        if not MIN_YEAR <= value <= MAX_YEAR:
            raise _out_of_range(text)
        year = f"{value:04d}"
    if year.startswith("-") or year == "0000":
        raise _out_of_range(text)
    if match["sig"]:
        kept = int(match["sig"])
        if not 1 <= kept <= 4 or "X" in year:
            raise _invalid(text)
        year = year[:kept] + "X" * (4 - kept)
    return year


def _candidates(pattern: str | None, last: int) -> list[int]:
    """The numbers 1..last that a two-character field with X digits can be."""
    if not pattern:
        return list(range(1, last + 1))
    regex = re.compile(pattern.replace("X", r"\d"))
    return [n for n in range(1, last + 1) if regex.fullmatch(f"{n:02d}")]


def _bounds(year: str, month: str | None, day: str | None) -> tuple[date, date]:
    """Earliest and latest days the components allow; ValueError if there are none."""
    first = max(int(year.replace("X", "0")), MIN_YEAR)  # 0XXX: its year 0 cannot be stored
    last = int(year.replace("X", "9"))
    if month and int(month.replace("X", "0")) > 12:
        if day or "X" in month or int(month) not in SEASONS:
            raise ValueError("not a month nor a season")
        months = SEASONS[int(month)]
        return date(first, months[0], 1), date(last, months[1], _days(last, months[1]))
    months = _candidates(month, 12)
    low = [d for d in _candidates(day, 31) if d <= _days(first, months[0])] if months else []
    high = [d for d in _candidates(day, 31) if d <= _days(last, months[-1])] if months else []
    if not (low and high):
        raise ValueError("no such day")
    return date(first, months[0], low[0]), date(last, months[-1], high[-1])


def _days(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _precision(year: str, month: str | None, day: str | None) -> str:
    """The unit the date's span is counted in: what sorting, <time> and JSON-LD show."""
    if year.count("X") > 1 or "X" in year[:3]:
        return Precision.CENTURY
    if year.endswith("X"):
        return Precision.DECADE
    if not month or "X" in month:
        return Precision.YEAR
    if int(month) > 12:
        return Precision.MONTH  # a season: its months
    if not day or "X" in day:
        return Precision.MONTH
    return Precision.DAY


def _qualifiers(match: re.Match) -> dict[str, set]:
    """Each component's qualifiers: one on its left is its own; one on its right is
    also every component's to the left (EDTF level 2 group qualification)."""
    names = [n for n in ("year", "month", "day") if match[n]]
    flags = {name: set() for name in names}
    for index, name in enumerate(names):
        short = name[0]
        if match[f"{short}q"]:
            flags[name].update(_flag(match[f"{short}q"]))
        if match[f"{short}t"]:
            for covered in names[: index + 1]:
                flags[covered].update(_flag(match[f"{short}t"]))
    return flags


def _flag(character: str) -> set:
    return {"~", "?"} if character == "%" else {character}


def _check_time(match: re.Match, text: str) -> None:
    """A date-time keeps its day; its time must be a real one, on a full date."""
    if not match["time"]:
        return
    if not match["day"] or "X" in match.group(0) or re.search(_Q, match.group(0)):
        raise _invalid(text)
    try:
        time.fromisoformat(match["time"])
    except ValueError as exc:
        raise _invalid(text) from exc


@lru_cache(maxsize=65536)
def _parse_part(text: str) -> DatePart:
    """One EDTF date of any level that names a day, month, season, year or span of years."""
    match = EDTF_DATE.match(text)
    if not match:
        raise _invalid(text)
    _check_time(match, text)
    year = _year_digits(match, text)
    if (number := int(year.replace("X", "0"))) > MAX_CE_YEAR:
        raise ValidationError(
            _("%(year)s looks like a Buddhist Era year (พ.ศ.): subtract 543 and write %(ce)s."),
            code="buddhist_era",
            params={"year": number, "ce": number - BE_OFFSET},
        )
    try:
        lower, upper = _bounds(year, match["month"], match["day"])
    except ValueError as exc:
        raise _not_real(text) from exc
    flags = _qualifiers(match)
    every = set.intersection(*flags.values())
    partial = tuple((name, "".join(sorted(f - every))) for name, f in flags.items() if f - every)
    return DatePart(
        lower,
        upper,
        _precision(year, match["month"], match["day"]),
        approximate="~" in every,
        uncertain="?" in every,
        text=text,
        partial=partial,
    )


def _interval(text: str) -> FuzzyDate:
    first, _sep, second = text.partition("/")
    if first in OPEN_ENDS and second in OPEN_ENDS:
        raise ValidationError(_("A period needs at least one known end."), code="invalid")
    start = None if first in OPEN_ENDS else _parse_part(first)
    end = None if second in OPEN_ENDS else _parse_part(second)
    _check_order(start, end, first, second)
    return FuzzyDate(text, start, end, True, start_open=first == OPEN, end_open=second == OPEN)


def _check_order(start: DatePart | None, end: DatePart | None, first: str, second: str):
    if start and end and end.upper < start.lower:
        raise ValidationError(
            _("The period ends (%(end)s) before it begins (%(start)s)."),
            code="reversed",
            params={"start": first, "end": second},
        )


def _member(text: str) -> FuzzyDate:
    """One member of a set: a date, a range "a..b", or "..a" / "a.." (or earlier / later)."""
    if ".." not in text:
        part = _parse_part(text)
        return FuzzyDate(text, part, part, is_interval=False)
    first, _sep, second = text.partition("..")
    if not (first or second):
        raise _invalid(text)
    start, end = (_parse_part(first) if first else None), (_parse_part(second) if second else None)
    _check_order(start, end, first, second)
    return FuzzyDate(text, start, end, True, start_open=not first, end_open=not second)


def _set(text: str) -> FuzzyDate:
    """A set ("[a,b]": one of them) or a list ("{a,b}": all of them), stored as its span."""
    closing = {"[": "]", "{": "}"}[text[0]]
    if not text.endswith(closing) or not text[1:-1].strip():
        raise _invalid(text)
    members = tuple(_member(m.strip()) for m in text[1:-1].split(","))
    starts = [m.start for m in members]
    ends = [m.end for m in members]
    start = None if None in starts else min(starts, key=lambda p: p.lower)
    end = None if None in ends else max(ends, key=lambda p: p.upper)
    if start is None and end is None:  # "[..1760,1800..]": any time at all
        raise ValidationError(_("A period needs at least one known end."), code="invalid")
    return FuzzyDate(
        text,
        start,
        end,
        is_interval=False,
        start_open=start is None,
        end_open=end is None,
        members=members,
        all_members=closing == "}",
    )


def parse_fuzzy_date(value: str) -> FuzzyDate:
    """Validate an EDTF string and derive its bounds; raise ValidationError if it is wrong."""
    text = (value or "").strip()
    if not text:
        raise ValidationError(
            _("Enter a date in EDTF, e.g. 2025-08-22 or 1945/1948."), code="required"
        )
    if text[0] in "[{":
        return _set(text)
    if "/" not in text:
        part = _parse_part(text)
        return FuzzyDate(text, part, part, is_interval=False)
    return _interval(text)


def iso_date(day: date, precision: str) -> str:
    """``day`` in ISO 8601 to ``precision`` (day, month, else year), the year always in four
    digits as HTML's <time> and schema.org want it ("0476", not "476")."""
    text = f"{day.year:04d}-{day.month:02d}-{day.day:02d}"
    return text[: {Precision.DAY: 10, Precision.MONTH: 7}.get(precision, 4)]


def decade_edtf(year: int) -> str:
    """The EDTF of the decade that ``year`` is in: 1975 -> "197X", 476 -> "047X"."""
    return f"{year // 10:03d}X"
