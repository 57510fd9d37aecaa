"""Date labels in Thai and English, generated from a parsed fuzzy date.

Thai labels give Buddhist Era years (พ.ศ.), as Thai newspapers do; decades and
centuries stay Christian Era ("คริสต์ทศวรรษ 1970"), because BE decades cut across
them. English labels give Christian Era years.

One spacing rule for Thai: a word placed before a date (ราว, ต้น/กลาง/ปลาย, ตั้งแต่,
จนถึง, ถึง) joins the date's unit noun with no space ("ราวเดือนตุลาคม 2567",
"ตั้งแต่ปี พ.ศ. 2565"); spaces separate the parts of a phrase, as Thai writes them.
English puts "the" before a decade or a century after such a word ("to the 1960s").
"""

from newsroom.calendar import BE_OFFSET, BUDDHIST_ERA_LANGUAGES, MONTHS, day_label
from timeline.dates import DatePart, FuzzyDate, Precision, parse_fuzzy_date
from timeline.label_parts import special_label

QUALIFIERS = {
    "th": {"early": "ต้น", "mid": "กลาง", "late": "ปลาย"},
    "en": {"early": "early ", "mid": "mid-", "late": "late "},
}
NOUNS_TH = {Precision.DAY: "วันที่ ", Precision.MONTH: "เดือน", Precision.YEAR: "ปี "}
SPANS = (Precision.DECADE, Precision.CENTURY)
WORDS = {
    "th": {
        "about": "ราว{}",
        "maybe": "{} (ไม่แน่ชัด)",
        "range": "{} ถึง{}",
        "since": "ตั้งแต่{} เป็นต้นมา",
        "from_unknown": "ตั้งแต่{} (ไม่ทราบว่าสิ้นสุดเมื่อใด)",
        "until": "จนถึง{}",
        "until_unknown": "จนถึง{} (ไม่ทราบว่าเริ่มเมื่อใด)",
        "or": " หรือ ",
        "and": " และ ",
        "or_earlier": "{} หรือก่อนหน้านั้น",
        "or_later": "{} หรือหลังจากนั้น",
    },
    "en": {
        "about": "about {}",
        "around": "around {}",
        "maybe": "{} (uncertain)",
        "range": "{} to {}",
        "since": "since {}",
        "from_unknown": "from {} (end unknown)",
        "until": "until {}",
        "until_unknown": "until {} (start unknown)",
        "or": " or ",
        "and": " and ",
        "or_earlier": "{} or earlier",
        "or_later": "{} or later",
    },
}


def _ordinal(number: int) -> str:
    suffix = (
        "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    )
    return f"{number}{suffix}"


def _plain_th(part: DatePart) -> str:
    match part.precision:
        case Precision.DAY:
            return day_label(part.lower, language="th")
        case Precision.MONTH:
            return f"{MONTHS['th'][part.lower.month - 1]} {part.year + BE_OFFSET}"
        case Precision.YEAR:
            return f"พ.ศ. {part.year + BE_OFFSET}"
        case Precision.DECADE:
            return f"คริสต์ทศวรรษ {part.year}"
    return f"คริสต์ศตวรรษที่ {part.year // 100 + 1}"


def _plain_en(part: DatePart) -> str:
    match part.precision:
        case Precision.DAY:
            return day_label(part.lower, language="en")
        case Precision.MONTH:
            return f"{MONTHS['en'][part.lower.month - 1]} {part.year}"
        case Precision.YEAR:
            return str(part.year)
        case Precision.DECADE:
            return f"{part.year}s"
    return f"{_ordinal(part.year // 100 + 1)} century"


def _label_th(part: DatePart, qualifier: str, after_word: bool) -> str:
    text = special_label(part, "th")
    if text is None:
        q = QUALIFIERS["th"].get(qualifier, "")
        noun = NOUNS_TH.get(part.precision, "") if (q or after_word or part.approximate) else ""
        text = f"{q}{noun}{_plain_th(part)}"
    return WORDS["th"]["about"].format(text) if part.approximate else text


def _label_en(part: DatePart, qualifier: str, after_word: bool) -> str:
    text = special_label(part, "en")
    span = text is None and part.precision in SPANS
    if text is None:
        text = QUALIFIERS["en"].get(qualifier, "") + _plain_en(part)
    if part.approximate:
        return WORDS["en"]["around" if span else "about"].format(f"the {text}" if span else text)
    return f"the {text}" if span and after_word else text


def part_label(
    part: DatePart, *, language: str, qualifier: str = "", after_word: bool = False
) -> str:
    """One date; ``after_word``: it follows a word ("to", "ถึง") and takes its noun or "the"."""
    label = _label_th if language == "th" else _label_en
    text = label(part, qualifier, after_word)
    if part.uncertain:
        text = WORDS[language]["maybe"].format(text)
    return text + _partial_note(part, language)


_COMPONENTS = {"th": {"year": "ปี", "month": "เดือน", "day": "วัน"}, "en": {}}
_STATES = {
    "th": {"~": "โดยประมาณ", "?": "ไม่แน่ชัด", "?~": "ไม่แน่ชัดและโดยประมาณ"},
    "en": {"~": "approximate", "?": "uncertain", "?~": "uncertain and approximate"},
}


def _partial_note(part: DatePart, language: str) -> str:
    """Level 2 qualifiers of single components: "(year uncertain, day approximate)"."""
    if not part.partial:
        return ""
    names, states = _COMPONENTS[language], _STATES[language]
    grouped: dict[str, list[str]] = {}
    for name, flags in part.partial:
        grouped.setdefault(flags, []).append(names.get(name, name))
    if language == "th":
        return " ({})".format(" ".join("และ".join(n) + states[f] for f, n in grouped.items()))
    return " ({})".format(", ".join(" and ".join(n) + " " + states[f] for f, n in grouped.items()))


def _simple_years(fuzzy: FuzzyDate) -> bool:
    return all(
        p and p.precision == Precision.YEAR and not (p.approximate or p.uncertain or p.partial)
        for p in (fuzzy.start, fuzzy.end)
    ) and not (special_label(fuzzy.start, "en") or special_label(fuzzy.end, "en"))


def _interval_label(fuzzy: FuzzyDate, language: str, start_q: str, end_q: str) -> str:
    words = WORDS[language]
    if _simple_years(fuzzy) and not (start_q or end_q):
        offset = BE_OFFSET if language == "th" else 0
        years = f"{fuzzy.start.year + offset}–{fuzzy.end.year + offset}"
        return f"พ.ศ. {years}" if language == "th" else years
    if fuzzy.start and fuzzy.end:
        start = part_label(fuzzy.start, language=language, qualifier=start_q)
        end = part_label(fuzzy.end, language=language, qualifier=end_q, after_word=True)
        return words["range"].format(start, end)
    if fuzzy.start:
        start = part_label(fuzzy.start, language=language, qualifier=start_q, after_word=True)
        return words["since" if fuzzy.end_open else "from_unknown"].format(start)
    end = part_label(fuzzy.end, language=language, qualifier=end_q, after_word=True)
    return words["until" if fuzzy.start_open else "until_unknown"].format(end)


def _member_label(member: FuzzyDate, language: str) -> str:
    words = WORDS[language]
    if not member.is_interval:
        return part_label(member.start, language=language)
    if member.start_open:
        return words["or_earlier"].format(part_label(member.end, language=language))
    if member.end_open:
        return words["or_later"].format(part_label(member.start, language=language))
    return _interval_label(member, language, "", "")


def _set_label(fuzzy: FuzzyDate, language: str) -> str:
    """ "1667, 1668 or 1670–1672" (one of them) / "1960 and December 1961" (all of them)."""
    labels = [_member_label(member, language) for member in fuzzy.members]
    last = WORDS[language]["and" if fuzzy.all_members else "or"]
    return last.join([", ".join(labels[:-1]), labels[-1]]) if len(labels) > 1 else labels[0]


def date_label(
    fuzzy: FuzzyDate, *, language: str, start_qualifier: str = "", end_qualifier: str = ""
) -> str:
    """Say a fuzzy date in ``language`` ("th" or "en")."""
    if fuzzy.members:
        return _set_label(fuzzy, language)
    if not fuzzy.is_interval:
        return part_label(fuzzy.start, language=language, qualifier=start_qualifier)
    return _interval_label(fuzzy, language, start_qualifier, end_qualifier)


# The dates the About page shows, with the labels this module gives them: (EDTF, qualifier).
EXAMPLES = (
    ("1955~", ""),
    ("198X", "late"),
    ("197X~", ""),
    ("1945/1948", ""),
    ("195X/196X", "mid"),
    ("2022/..", ""),
    ("2022/", ""),
    ("2001-21", ""),
    ("[1667,1668,1670..1672]", ""),
)


def examples(language: str) -> list[tuple[str, str]]:
    """The About page's examples: each EDTF string and its label in ``language``."""
    return [
        (text, date_label(parse_fuzzy_date(text), language=language, start_qualifier=qualifier))
        for text, qualifier in EXAMPLES
    ]


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
