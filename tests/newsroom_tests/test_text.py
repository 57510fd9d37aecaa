import unicodedata

import pytest

from newsroom.text import clean_text

ARTIFACT = "ผู้น\u0e4d\u0e32"  # NIKHAHIT + SARA AA, as the PDF extraction wrote it


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        (ARTIFACT, "ผู้นำ"),
        ("พบปะะกับ", "พบปะกับ"),
        ("เเละ", "และ"),
        ("น\u0e4d\u0e49\u0e32", "น้ำ"),
        ("คิม\u200bจอง\u200bอึน", "คิมจองอึน"),
        ("  Kim   Jong Un ", "Kim Jong Un"),
    ],
)
def test_single_line_text_is_repaired(raw, clean):
    assert clean_text(raw) == clean


def test_multiline_text_keeps_its_paragraphs():
    raw = f"{ARTIFACT}เกาหลีเหนือ\r\n\r\n## หัวข้อ\r\n  ย่อหน้าที่สอง  \n"
    assert clean_text(raw, multiline=True) == "ผู้นำเกาหลีเหนือ\n\n## หัวข้อ\n  ย่อหน้าที่สอง"


def test_cleaning_is_stable_and_never_decomposes_sara_am():
    once = clean_text(ARTIFACT)
    assert clean_text(once) == once
    assert unicodedata.is_normalized("NFC", once)
    assert "\u0e33" in once and "\u0e4d" not in once
