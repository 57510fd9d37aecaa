"""Cleaning of editorial text, Thai first: one function used on save and on import."""

import re
import unicodedata

from pythainlp import thai_above_vowels as ABOVE
from pythainlp import thai_below_vowels as BELOW
from pythainlp import thai_follow_vowels as FOLLOW
from pythainlp import thai_lead_vowels as LEAD
from pythainlp import thai_tonemarks as TONES
from pythainlp.util import remove_repeat_vowels, remove_spaces_before_marks, remove_zw

_MARKS = "\u0e3a\u0e4c\u0e4d\u0e4e"  # phinthu, thanthakhat, nikhahit, yamakkan
# Everything PyThaiNLP's cleaning could change. Where none of it occurs the text is already
# clean, and the (slow) full pass is skipped: imports clean millions of fields.
_MAY_NEED_CLEANING = re.compile(
    "[\u200b\u200c\u0e4d\u0e45]"  # zero-width characters, nikhahit, lakkhangyao
    "|\u0e40\u0e40"  # sara e twice for sara ae
    f"|[{TONES}\u0e4c][{ABOVE}{BELOW}]|[{FOLLOW}][{TONES}]|[{TONES}]{{2}}"  # misordered marks
    f"|([{FOLLOW}{LEAD}{ABOVE}{BELOW}{_MARKS}]) *\\1"  # a repeated vowel or sign
    f"| [{ABOVE}{BELOW}{TONES}{_MARKS}]"  # a space before a mark
)


def _thai_cleanup(text: str) -> str:
    if not _MAY_NEED_CLEANING.search(text):
        return text
    return remove_repeat_vowels(remove_spaces_before_marks(remove_zw(text)))


def clean_text(value: str, *, multiline: bool = False) -> str:
    """Return ``value`` in NFC with Thai extraction artifacts repaired.

    Fixes NIKHAHIT + SARA AA written for SARA AM ('ผู้นํา' -> 'ผู้นำ'), doubled
    vowels ('พบปะะ', 'เเ'), zero-width characters and stray spaces before marks.
    Paragraphs survive in multi-line text; single-line text is trimmed.
    NFKC is never used: it would create the SARA AM artifact instead of fixing it.
    """
    if not value:
        return value
    text = unicodedata.normalize("NFC", value)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", _thai_cleanup(text))
    if multiline:
        return "\n".join(line.rstrip() for line in text.split("\n")).strip("\n")
    return " ".join(text.split())
