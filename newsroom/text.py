"""Cleaning of editorial text, Thai first: one function used on save and on import."""

import re
import unicodedata

from django import forms
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


_THAI_OR_ZERO_WIDTH = re.compile("[\u0e00-\u0e7f\u200b\u200c]")


def _thai_cleanup(text: str) -> str:
    if not _THAI_OR_ZERO_WIDTH.search(text) or not _MAY_NEED_CLEANING.search(text):
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
    text = value.replace("\r\n", "\n").replace("\r", "\n") if "\r" in value else value
    if not text.isascii():  # ASCII text is NFC already and has nothing Thai to repair
        text = unicodedata.normalize("NFC", _thai_cleanup(unicodedata.normalize("NFC", text)))
    if multiline:
        if " \n" in text or "\t\n" in text or text[-1:].isspace():
            text = "\n".join(line.rstrip() for line in text.split("\n"))
        return text.strip("\n")
    return " ".join(text.split())


class CleanedTextField(forms.CharField):
    """A form's text field that cleans as every write does (``clean_text``), before the form
    compares it with what is stored: a browser's CRLF line ends are no change."""

    def __init__(self, *, multiline: bool = False, **kwargs):
        self.multiline = multiline
        super().__init__(**kwargs)

    def to_python(self, value):
        return clean_text(super().to_python(value), multiline=self.multiline)
