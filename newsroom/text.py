"""Cleaning of editorial text, Thai first: one function used on save and on import."""

import unicodedata

from pythainlp.util import remove_repeat_vowels, remove_spaces_before_marks, remove_zw


def clean_text(value: str, *, multiline: bool = False) -> str:
    """Return ``value`` in NFC with Thai extraction artifacts repaired.

    Fixes NIKHAHIT + SARA AA written for SARA AM ('ผู้นํา' -> 'ผู้นำ'), doubled
    vowels ('พบปะะ', 'เเ'), zero-width characters and stray spaces before marks.
    Paragraphs survive in multi-line text; single-line text is trimmed.
    NFKC is never used: it would create the SARA AM artifact instead of fixing it.
    """
    if not value:
        return value
    text = unicodedata.normalize("NFC", value).replace("\r\n", "\n").replace("\r", "\n")
    text = remove_repeat_vowels(remove_spaces_before_marks(remove_zw(text)))
    text = unicodedata.normalize("NFC", text)
    if multiline:
        return "\n".join(line.rstrip() for line in text.split("\n")).strip("\n")
    return " ".join(text.split())
