"""Calendars of the newsroom: Buddhist Era years (พ.ศ.) and how a day is written.

Thai newspapers count years in the Buddhist Era; dates are stored in the Christian Era.
Every label, form and import that converts between them uses these functions.
"""

import datetime
import re

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

_BE_YEAR = re.compile(r"(?<![\dX])(2[4-9]\d\d)(?![\dX])")


def buddhist_to_christian(value: str) -> str:
    """Turn Buddhist Era years (above 2400, or marked "พ.ศ.") into CE: '2568-08' -> '2025-08'."""
    text = value.replace("พ.ศ.", "").strip()
    return _BE_YEAR.sub(lambda m: str(int(m.group(1)) - BE_OFFSET), text)


def shown_year(year: int, language: str) -> int:
    """The year as readers of ``language`` count it."""
    return year + BE_OFFSET if language in BUDDHIST_ERA_LANGUAGES else year


def month_label(month: int, year: int, *, language: str) -> str:
    return f"{MONTHS[language][month - 1]} {shown_year(year, language)}"


def day_label(day: datetime.date, *, language: str) -> str:
    """A calendar date as readers of ``language`` expect it ("22 สิงหาคม 2568")."""
    return f"{day.day} {month_label(day.month, day.year, language=language)}"
