"""Calendars of the newsroom: Buddhist Era years (พ.ศ.) and how a day is written.

Thai newspapers count years in the Buddhist Era; dates are stored in the Christian Era.
Every label, form and import that converts between them uses these functions.
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

BE_OFFSET = 543
MAX_CE_YEAR = 2400  # anything later is taken for a Buddhist Era year typed by mistake
# Languages whose labels count Buddhist Era years: their pages add the CE years beside.
BUDDHIST_ERA_LANGUAGES = {"th"}

MONTHS = {
    "th": (
        "มกราคม",
        "กุมภาพันธ์",
        "มีนาคม",
        "เมษายน",
        "พฤษภาคม",
        "มิถุนายน",
        "กรกฎาคม",
        "สิงหาคม",
        "กันยายน",
        "ตุลาคม",
        "พฤศจิกายน",
        "ธันวาคม",
    ),
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
}

_YEAR = re.compile(r"(?<![\dX])(\d{4})(?![\dX])")


def buddhist_to_christian(value: str) -> str:
    """Turn Buddhist Era years into CE: '2568-08' -> '2025-08'. The one rule of every entry
    point: a year is Buddhist Era above MAX_CE_YEAR, or in a text marked "พ.ศ."; a period
    whose ends are of different eras ('2000/2568') is refused, as no one can tell which end
    is wrong."""
    marked = "พ.ศ." in value
    text = value.replace("พ.ศ.", "").strip()
    years = [int(year) for year in _YEAR.findall(text)]
    buddhist = [year for year in years if marked or year > MAX_CE_YEAR]
    if buddhist and len(buddhist) < len(years):
        ce = _YEAR.sub(lambda m: str(_as_ce(int(m[1]))), text)
        be = _YEAR.sub(lambda m: str(_as_ce(int(m[1])) + BE_OFFSET), text)
        raise ValidationError(
            _(
                "“%(value)s” mixes Buddhist Era (พ.ศ.) and Christian Era years. Write both "
                "ends in one era: %(ce)s, or %(be)s."
            ),
            code="mixed_eras",
            params={"value": value, "ce": ce, "be": be},
        )
    if not buddhist:
        return text
    return _YEAR.sub(lambda m: str(int(m[1]) - BE_OFFSET), text)


def _as_ce(year: int) -> int:
    return year - BE_OFFSET if year > MAX_CE_YEAR else year


def shown_year(year: int, language: str) -> int:
    """The year as readers of ``language`` count it."""
    return year + BE_OFFSET if language in BUDDHIST_ERA_LANGUAGES else year


def month_label(month: int, year: int, *, language: str) -> str:
    return f"{MONTHS[language][month - 1]} {shown_year(year, language)}"


def day_label(day: datetime.date, *, language: str) -> str:
    """A calendar date as readers of ``language`` expect it ("22 สิงหาคม 2568")."""
    return f"{day.day} {month_label(day.month, day.year, language=language)}"
