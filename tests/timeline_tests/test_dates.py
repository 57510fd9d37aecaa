import datetime
import json
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from timeline.dates import parse_fuzzy_date
from timeline.labels import date_label

D = datetime.date


@pytest.mark.parametrize(
    ("edtf", "lower", "upper", "precisions"),
    [
        ("1945/1948", D(1945, 1, 1), D(1948, 12, 31), ("year", "year")),
        ("1950/1953", D(1950, 1, 1), D(1953, 12, 31), ("year", "year")),
        ("1955~/1969", D(1955, 1, 1), D(1969, 12, 31), ("year", "year")),
        ("197X", D(1970, 1, 1), D(1979, 12, 31), ("decade", "decade")),
        ("198X", D(1980, 1, 1), D(1989, 12, 31), ("decade", "decade")),
        ("2003/2007", D(2003, 1, 1), D(2007, 12, 31), ("year", "year")),
        ("2024-06", D(2024, 6, 1), D(2024, 6, 30), ("month", "month")),
        ("2025-04", D(2025, 4, 1), D(2025, 4, 30), ("month", "month")),
        ("2025-08-22", D(2025, 8, 22), D(2025, 8, 22), ("day", "day")),
        ("2024-10~", D(2024, 10, 1), D(2024, 10, 31), ("month", "month")),
        ("19XX", D(1900, 1, 1), D(1999, 12, 31), ("century", "century")),
        ("2025-08-XX", D(2025, 8, 1), D(2025, 8, 31), ("month", "month")),
    ],
)
def test_each_date_form_of_the_articles_is_stored_with_its_bounds(edtf, lower, upper, precisions):
    fuzzy = parse_fuzzy_date(edtf)
    assert (fuzzy.lower, fuzzy.upper) == (lower, upper)
    assert (fuzzy.start.precision, fuzzy.end.precision) == precisions


def test_open_ended_periods_keep_the_known_end():
    since = parse_fuzzy_date("2022/..")
    assert (since.lower, since.upper, since.end) == (D(2022, 1, 1), None, None)
    until = parse_fuzzy_date("../1950")
    assert (until.lower, until.upper) == (None, D(1950, 12, 31))


def test_article_dates_sort_in_historical_order():
    shuffled = [
        "2025-08-22",
        "197X",
        "1955~/1969",
        "2024-06",
        "1945/1948",
        "198X",
        "2025-04",
        "1950/1953",
        "2003/2007",
        "2012",
    ]
    ordered = sorted(shuffled, key=lambda s: (parse_fuzzy_date(s).lower, parse_fuzzy_date(s).upper))
    assert ordered == [
        "1945/1948",
        "1950/1953",
        "1955~/1969",
        "197X",
        "198X",
        "2003/2007",
        "2012",
        "2024-06",
        "2025-04",
        "2025-08-22",
    ]


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("1945-1948", "not an EDTF date"),
        ("2025-13", "check the month"),
        ("2025-02-30", "not a real date"),
        ("1945-1948", "join two with “/” for a period"),
        ("2568-08-22", "Buddhist Era"),
        ("1953/1950", "ends (1950) before it begins (1953)"),
        ("../..", "at least one known end"),
        ("", "Enter a date"),
        ("mid 1950s", "not an EDTF date"),
    ],
)
def test_bad_dates_are_refused_with_a_reason(bad, message):
    with translation.override("en"):
        with pytest.raises(ValidationError) as error:
            parse_fuzzy_date(bad)
        assert message in " ".join(error.value.messages)


def test_date_errors_speak_thai_to_thai_editors():
    with pytest.raises(ValidationError) as error:
        parse_fuzzy_date("1945-1948")
    with translation.override("th"):
        assert "ไม่ใช่วันที่ในรูปแบบ EDTF" in error.value.messages[0]


def test_buddhist_era_year_message_gives_the_christian_era_year():
    with pytest.raises(ValidationError) as error:
        parse_fuzzy_date("2568")
    with translation.override("en"):
        assert "2025" in error.value.messages[0] and "Buddhist Era" in error.value.messages[0]


@pytest.mark.parametrize(
    ("edtf", "qualifier", "thai", "english"),
    [
        ("1945/1948", "", "พ.ศ. 2488–2491", "1945–1948"),
        ("197X", "", "คริสต์ทศวรรษ 1970", "1970s"),
        ("195X/196X", "mid", "กลางคริสต์ทศวรรษ 1950 ถึงคริสต์ทศวรรษ 1960", "mid-1950s to the 1960s"),
        ("195X/196X", "", "คริสต์ทศวรรษ 1950 ถึงคริสต์ทศวรรษ 1960", "1950s to the 1960s"),
        ("197X~", "", "ราวคริสต์ทศวรรษ 1970", "around the 1970s"),
        ("195X~", "mid", "ราวกลางคริสต์ทศวรรษ 1950", "around the mid-1950s"),
        ("19XX~", "", "ราวคริสต์ศตวรรษที่ 20", "around the 20th century"),
        ("1955~", "", "ราวปี พ.ศ. 2498", "about 1955"),
        ("2025-08-22~", "", "ราววันที่ 22 สิงหาคม 2568", "about 22 August 2025"),
        ("2025-04", "", "เมษายน 2568", "April 2025"),
        ("2025-08-22", "", "22 สิงหาคม 2568", "22 August 2025"),
        ("2012", "", "พ.ศ. 2555", "2012"),
        ("2012", "early", "ต้นปี พ.ศ. 2555", "early 2012"),
        ("2024-10~", "", "ราวเดือนตุลาคม 2567", "about October 2024"),
        ("1988?", "", "พ.ศ. 2531 (ไม่แน่ชัด)", "1988 (uncertain)"),
        ("2022/..", "", "ตั้งแต่ปี พ.ศ. 2565 เป็นต้นมา", "since 2022"),
        ("2022/", "", "ตั้งแต่ปี พ.ศ. 2565 (ไม่ทราบว่าสิ้นสุดเมื่อใด)", "from 2022 (end unknown)"),
        ("../1950", "", "จนถึงปี พ.ศ. 2493", "until 1950"),
        ("/1950", "", "จนถึงปี พ.ศ. 2493 (ไม่ทราบว่าเริ่มเมื่อใด)", "until 1950 (start unknown)"),
        ("197X/..", "", "ตั้งแต่คริสต์ทศวรรษ 1970 เป็นต้นมา", "since the 1970s"),
        ("2001-21", "", "ฤดูใบไม้ผลิ พ.ศ. 2544", "spring 2001"),
        ("2001-29", "", "ฤดูใบไม้ผลิ พ.ศ. 2544 (ซีกโลกใต้)", "spring 2001 (southern hemisphere)"),
        ("2001-34", "", "ไตรมาสที่ 2 ของปี พ.ศ. 2544", "second quarter of 2001"),
        ("2001-40", "", "ครึ่งที่ 1 ของปี พ.ศ. 2544", "first half of 2001"),
        (
            "[1667,1668,1670..1672]",
            "",
            "พ.ศ. 2210, พ.ศ. 2211 หรือ พ.ศ. 2213–2215",
            "1667, 1668 or 1670–1672",
        ),
        ("{1960,1961-12}", "", "พ.ศ. 2503 และ ธันวาคม 2504", "1960 and December 1961"),
        ("[..1760-12-03]", "", "3 ธันวาคม 2303 หรือก่อนหน้านั้น", "3 December 1760 or earlier"),
        ("156X-12-25", "", "25 ธันวาคม ในคริสต์ทศวรรษ 1560", "25 December in the 1560s"),
        ("XXXX-12-XX", "", "ธันวาคม ไม่ทราบปี", "December, year unknown"),
        ("1984-1X", "", "ตุลาคม–ธันวาคม 2527", "October–December 1984"),
        (
            "?2004-06-~11",
            "",
            "11 มิถุนายน 2547 (ปีไม่แน่ชัด วันโดยประมาณ)",
            "11 June 2004 (year uncertain, day approximate)",
        ),
        (
            "1950S2",
            "",
            "ปีใดปีหนึ่งใน พ.ศ. 2443–2542 (น่าจะเป็น พ.ศ. 2493)",
            "a year in 1900–1999, probably 1950",
        ),
        ("1985-04-12T23:20:30+04:30", "", "12 เมษายน 2528", "12 April 1985"),
        ("19XX", "", "คริสต์ศตวรรษที่ 20", "20th century"),
    ],
)
def test_generated_labels_read_naturally_in_both_languages(edtf, qualifier, thai, english):
    fuzzy = parse_fuzzy_date(edtf)
    assert date_label(fuzzy, language="th", start_qualifier=qualifier) == thai
    assert date_label(fuzzy, language="en", start_qualifier=qualifier) == english


def test_bounds_agree_with_the_edtf_package():
    """The fast parser computes what the `edtf` package (the reference) computes."""
    import random

    from edtf import parse_edtf, struct_time_to_date

    rng = random.Random(1945)
    samples = [
        "197X",
        "19XX",
        "2025-08-XX",
        "2024-XX",
        "1955~",
        "1988?",
        "2000-02-29%",
        "2024-02",
        "2023-02",
        "1900-02",
    ]
    for _ in range(300):
        year = rng.randint(1000, 2400)
        samples += [
            str(year),
            f"{year}-{rng.randint(1, 12):02d}",
            f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}~",
        ]
    for text in samples:
        ours, reference = parse_fuzzy_date(text), parse_edtf(text)
        expected = (
            struct_time_to_date(reference.lower_strict()),
            struct_time_to_date(reference.upper_strict()),
        )
        assert (ours.lower, ours.upper) == expected, text


@pytest.mark.parametrize("bad", ["0000", "2023-02-29", "2025-42", "2025-21-01", "197X-13"])
def test_dates_that_edtf_does_not_have_or_we_cannot_store_are_refused(bad):
    with pytest.raises(ValidationError):
        parse_fuzzy_date(bad)


def test_every_seed_date_keeps_the_bounds_it_was_stored_with():
    seed = json.loads((Path(__file__).parents[2] / "fixtures" / "seed.json").read_text())
    events = [row["fields"] for row in seed if row["model"] == "timeline.event"]
    assert events
    for event in events:
        fuzzy = parse_fuzzy_date(event["date"])
        stored = (event["date_start"], event["date_end"])
        assert (str(fuzzy.lower), str(fuzzy.upper)) == stored, event["date"]
        precisions = (fuzzy.start.precision, fuzzy.end.precision)
        assert precisions == (event["start_precision"], event["end_precision"])


def test_the_seed_says_its_range_of_decades_as_the_generated_labels_do():
    seed = json.loads((Path(__file__).parents[2] / "fixtures" / "seed.json").read_text())
    (event,) = [
        row["fields"]
        for row in seed
        if row["model"] == "timeline.event"
        and row["fields"]["display_date_en"] == "mid-1950s to the 1960s"
    ]
    decades = parse_fuzzy_date("195X/196X")
    for language in ("th", "en"):
        generated = date_label(decades, language=language, start_qualifier="mid")
        assert event[f"display_date_{language}"] == generated
