"""Labels of the EDTF forms that a precision alone cannot say: seasons and other sub-year
groupings, unspecified digits inside a date, and significant digits ("1950S2")."""

import re

from newsroom.calendar import BE_OFFSET, MONTHS
from timeline.dates import EDTF_DATE, DatePart

SEASON_WORDS = {
    "th": ("ฤดูใบไม้ผลิ", "ฤดูร้อน", "ฤดูใบไม้ร่วง", "ฤดูหนาว"),
    "en": ("spring", "summer", "autumn", "winter"),
}
HEMISPHERES = {"th": ("ซีกโลกเหนือ", "ซีกโลกใต้"), "en": ("northern hemisphere", "southern hemisphere")}
GROUPS = {  # quarters (33-36), thirds of a year (37-39), halves (40-41)
    "th": ("ไตรมาสที่ {n} ของปี {y}", "ช่วงสี่เดือนที่ {n} ของปี {y}", "ครึ่งที่ {n} ของปี {y}"),
    "en": ("{nth} quarter of {y}", "{nth} third of {y}", "{nth} half of {y}"),
}
NTH = ("first", "second", "third", "fourth")


def _year(year: int, language: str) -> str:
    return f"พ.ศ. {year + BE_OFFSET}" if language == "th" else str(year)


def _season(code: int, year: int, language: str) -> str:
    y = _year(year, language)
    if code <= 32:
        name = SEASON_WORDS[language][(code - 21) % 4]
        text = f"{name} {y}"
        if code >= 25:
            text += f" ({HEMISPHERES[language][(code - 25) // 4]})"
        return text
    group, first = (0, 33) if code <= 36 else (1, 37) if code <= 39 else (2, 40)
    n = code - first + 1
    return GROUPS[language][group].format(n=n, nth=NTH[n - 1], y=y)


def _years(part: DatePart, year: str, language: str) -> str:
    """The years an unspecified year can be: a decade, a century, a span, or none known."""
    if year == "XXXX":
        return "ไม่ทราบปี" if language == "th" else "year unknown"
    if re.fullmatch(r"\d{3}X", year):
        return f"คริสต์ทศวรรษ {year[:3]}0" if language == "th" else f"the {year[:3]}0s"
    if re.fullmatch(r"\d{2}XX", year):
        century = int(year[:2]) + 1
        return f"คริสต์ศตวรรษที่ {century}" if language == "th" else f"the {century}th century"
    first, last = part.lower.year, part.upper.year
    if language == "th":
        return f"ปีใดปีหนึ่งใน พ.ศ. {first + BE_OFFSET}–{last + BE_OFFSET}"
    return f"a year in {first}–{last}"


def _within_year(part: DatePart, month: str | None, day: str | None, language: str) -> str:
    """What the date says of its month and day: "25 December", "October–December", ""."""
    names = MONTHS[language]
    low, high = part.lower, part.upper
    month_text = ""
    if month and month != "XX":
        month_text = names[low.month - 1]
        if "X" in month:
            month_text = f"{names[low.month - 1]}–{names[high.month - 1]}"
    if not day or day == "XX":
        return month_text
    day_text = day if "X" not in day else f"{low.day}–{high.day}"
    day_text = str(int(day_text)) if day_text.isdigit() else day_text
    if month_text:
        return f"{day_text} {month_text}"
    return f"วันที่ {day_text} ของเดือนใดเดือนหนึ่ง" if language == "th" else f"day {day_text} of a month"


def special_label(part: DatePart | None, language: str) -> str | None:
    """The label of a season, of unspecified digits inside a date or of significant digits;
    ``None`` for the forms a precision says (``timeline.labels`` says those)."""
    match = part and EDTF_DATE.match(part.text)
    if not match:
        return None
    year, month, day = match["year"], match["month"], match["day"]
    if match["sig"]:
        estimate = int(re.sub(r"\D", "", year) or 0)
        if language == "th":
            return f"ปีใดปีหนึ่งใน พ.ศ. {part.lower.year + BE_OFFSET}–{part.upper.year + BE_OFFSET} (น่าจะเป็น พ.ศ. {estimate + BE_OFFSET})"  # noqa: E501
        return f"a year in {part.lower.year}–{part.upper.year}, probably {estimate}"
    if month and "X" not in month and int(month) > 12:
        return _season(int(month), part.year, language)
    plain_year = not re.search(r"X(?!X*$)", year) and year.count("X") <= 2 and not month
    masked_inside = any(p and "X" in p and p != "XX" for p in (month, day))
    if "X" not in year and not masked_inside and not (month == "XX" and day and day != "XX"):
        return None
    if "X" in year and plain_year:
        return None  # 197X, 19XX: a decade, a century
    within = _within_year(part, month, day, language)
    if "X" not in year:  # only the month or the day is unspecified
        if month == "XX":
            return (
                f"{within}ในปี {_year(part.year, 'th')}"
                if language == "th"
                else f"{within} in {part.year}"
            )
        return f"{within} {part.year + (BE_OFFSET if language == 'th' else 0)}"
    years = _years(part, year, language)
    if not within:
        return years
    if year == "XXXX":
        return f"{within}, {years}" if language == "en" else f"{within} {years}"
    return f"{within} ใน{years}" if language == "th" else f"{within} in {years}"
