"""Date labels in Thai and English, generated from a parsed fuzzy date.

Thai labels give Buddhist Era years (พ.ศ.), as Thai newspapers do; decades and
centuries stay Christian Era ("คริสต์ทศวรรษ 1970"), because BE decades cut across
them. English labels give Christian Era years.
"""

from newsroom.calendar import BE_OFFSET, BUDDHIST_ERA_LANGUAGES, MONTHS, day_label
from timeline.dates import DatePart, FuzzyDate, Precision

QUALIFIERS = {
    "th": {"early": "ต้น", "mid": "กลาง", "late": "ปลาย"},
    "en": {"early": "early ", "mid": "mid-", "late": "late "},
}
WORDS = {
    "th": {
        "about": "ราว {}",
        "maybe": "{} (ไม่แน่ชัด)",
        "range": "{} ถึง {}",
        "from": "ตั้งแต่ {}",
        "until": "จนถึง {}",
    },
    "en": {
        "about": "about {}",
        "maybe": "{} (uncertain)",
        "range": "{} to {}",
        "from": "from {}",
        "until": "until {}",
    },
}


def _ordinal(number: int) -> str:
    suffix = (
        "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    )
    return f"{number}{suffix}"


def _plain_th(part: DatePart, qualifier: str) -> str:
    q = QUALIFIERS["th"].get(qualifier, "")
    be_year = part.year + BE_OFFSET
    match part.precision:
        case Precision.DAY:
            return day_label(part.lower, language="th")
        case Precision.MONTH:
            return f"{q}{'เดือน' if q else ''}{MONTHS['th'][part.lower.month - 1]} {be_year}"
        case Precision.YEAR:
            return f"{q}{'ปี ' if q else ''}พ.ศ. {be_year}"
        case Precision.DECADE:
            return f"{q}คริสต์ทศวรรษ {part.year}"
    return f"{q}คริสต์ศตวรรษที่ {part.year // 100 + 1}"


def _plain_en(part: DatePart, qualifier: str) -> str:
    q = QUALIFIERS["en"].get(qualifier, "")
    match part.precision:
        case Precision.DAY:
            return day_label(part.lower, language="en")
        case Precision.MONTH:
            return f"{q}{MONTHS['en'][part.lower.month - 1]} {part.year}"
        case Precision.YEAR:
            return f"{q}{part.year}"
        case Precision.DECADE:
            return f"{q}{part.year}s"
    return f"{q}{_ordinal(part.year // 100 + 1)} century"


def part_label(part: DatePart, *, language: str, qualifier: str = "") -> str:
    text = (_plain_th if language == "th" else _plain_en)(part, qualifier)
    words = WORDS[language]
    if part.approximate:
        text = words["about"].format(text)
    if part.uncertain:
        text = words["maybe"].format(text)
    return text


def _simple_years(fuzzy: FuzzyDate) -> bool:
    return all(
        p and p.precision == Precision.YEAR and not (p.approximate or p.uncertain)
        for p in (fuzzy.start, fuzzy.end)
    )


def date_label(
    fuzzy: FuzzyDate, *, language: str, start_qualifier: str = "", end_qualifier: str = ""
) -> str:
    """Say a fuzzy date in ``language`` ("th" or "en")."""
    words = WORDS[language]
    if not fuzzy.is_interval:
        return part_label(fuzzy.start, language=language, qualifier=start_qualifier)
    if _simple_years(fuzzy) and not (start_qualifier or end_qualifier):
        offset = BE_OFFSET if language == "th" else 0
        years = f"{fuzzy.start.year + offset}–{fuzzy.end.year + offset}"
        return f"พ.ศ. {years}" if language == "th" else years
    start = fuzzy.start and part_label(fuzzy.start, language=language, qualifier=start_qualifier)
    end = fuzzy.end and part_label(fuzzy.end, language=language, qualifier=end_qualifier)
    if start and end:
        return words["range"].format(start, end)
    return words["from"].format(start) if start else words["until"].format(end)


def ce_years(fuzzy: FuzzyDate) -> str:
    """The Christian Era years a date spans ("1945–1948"), shown beside Thai BE labels."""
    first = fuzzy.start.year if fuzzy.start else None
    last = fuzzy.end.upper.year if fuzzy.end else None
    if first and last and first != last:
        return f"{first}–{last}"
    if first and last:
        return str(first)
    return f"{first}–" if first else f"–{last}"


def years_label(first: int, last: int | None, *, language: str) -> str:
    """A span of whole years, e.g. an era's: "พ.ศ. 2488–2534" or "1945–1991"."""
    offset = BE_OFFSET if language in BUDDHIST_ERA_LANGUAGES else 0
    span = f"{first + offset}–{last + offset if last else ''}"
    return f"พ.ศ. {span}" if offset else span
