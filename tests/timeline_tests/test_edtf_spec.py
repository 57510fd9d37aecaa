"""Every example of the EDTF specification: stored with the bounds the `edtf` package gives,
or refused, when its year cannot be stored, with a message that says so."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from edtf import parse_edtf

from tests.timeline_tests.edtf_spec_examples import HAND_BOUNDS, SPEC_EXAMPLES
from timeline.dates import parse_fuzzy_date


def _iso(value) -> str:
    if isinstance(value, float):
        return "-inf" if value < 0 else "inf"
    year, month, day = tuple(value)[:3]
    return f"{'-' if year < 0 else ''}{abs(year):04d}-{month:02d}-{day:02d}"


def _storable(bound: str) -> bool:
    """Whether a bound is a day a DateField holds (years 1 to 9999)."""
    return bound in ("inf", "-inf") or bool(re.match(r"(?!0000)\d{4}-", bound))


def _ours(edtf: str, bounds: tuple, fuzzy: tuple | None) -> tuple:
    """What we store for the package's bounds: the rules where we differ on purpose."""
    lower, upper = fuzzy or bounds  # "1950S2": some year of 1900-1999, the span stored
    if lower.startswith("0000-") and "X" in edtf:  # XXXX: its year 0 cannot be stored
        lower = "0001" + lower[4:]
    # An open end ("..", the package's infinity) and an unknown one ("", where the package
    # guesses ten years) are both stored empty: the date does not say when.
    if lower == "-inf" or edtf.startswith("/"):
        lower = None
    if upper == "inf" or edtf.endswith("/"):
        upper = None
    as_date = datetime.date.fromisoformat
    return (lower and as_date(lower), upper and as_date(upper))


def _cases() -> list:
    return [
        pytest.param(edtf, bounds, fuzzy[0] if fuzzy else None, id=f"L{level}-{edtf}")
        for level, _feature, edtf, bounds, *fuzzy in SPEC_EXAMPLES
    ]


@pytest.mark.parametrize(("edtf", "bounds", "fuzzy"), _cases())
def test_the_edtf_package_gives_the_bounds_we_vendored(edtf, bounds, fuzzy):
    if bounds is None:  # the package cannot parse it: our bounds are by hand (HAND_BOUNDS)
        with pytest.raises(Exception):  # noqa: B017 (any of its errors: when it can, vendor its)
            parse_edtf(edtf).lower_strict()
        return
    parsed = parse_edtf(edtf)
    assert (_iso(parsed.lower_strict()), _iso(parsed.upper_strict())) == bounds
    if fuzzy:
        assert (_iso(parsed.lower_fuzzy()), _iso(parsed.upper_fuzzy())) == fuzzy


@pytest.mark.parametrize(("edtf", "bounds", "fuzzy"), _cases())
def test_every_specification_example_is_stored_or_refused_for_its_year(edtf, bounds, fuzzy):
    bounds = bounds or HAND_BOUNDS[edtf]
    if all(_storable(bound) for bound in (fuzzy or bounds)) or "X" in edtf:
        fuzzy_date = parse_fuzzy_date(edtf)
        assert (fuzzy_date.lower, fuzzy_date.upper) == _ours(edtf, bounds, fuzzy)
        return
    with pytest.raises(ValidationError) as error:
        parse_fuzzy_date(edtf)
    assert error.value.code == "out_of_range"
    with translation.override("en"):
        message = error.value.messages[0]
    assert "1 to 9999" in message and "not a real date" not in message


def test_open_and_unknown_ends_are_told_apart():
    assert parse_fuzzy_date("1985/..").end_open and not parse_fuzzy_date("1985/").end_open
    assert parse_fuzzy_date("../1985").start_open and not parse_fuzzy_date("/1985").start_open


def test_level_2_qualifiers_stay_with_their_components():
    day_only = parse_fuzzy_date("2004-06-~11").start
    assert day_only.partial == (("day", "~"),) and not day_only.approximate
    group = parse_fuzzy_date("2004-06~-11").start
    assert group.partial == (("year", "~"), ("month", "~"))
    whole = parse_fuzzy_date("2004-06-11%").start
    assert whole.approximate and whole.uncertain and not whole.partial


def test_a_set_keeps_its_members_for_the_label():
    one_of = parse_fuzzy_date("[1667,1668,1670..1672]")
    assert [m.edtf for m in one_of.members] == ["1667", "1668", "1670..1672"]
    assert not one_of.all_members and parse_fuzzy_date("{1960,1961-12}").all_members


@pytest.mark.parametrize("bad", ["2001-42", "2001-21-03", "Y2000-01", "1985-04-12T24:00:00"])
def test_forms_outside_the_specification_stay_refused(bad):
    with pytest.raises(ValidationError):
        parse_fuzzy_date(bad)


def test_the_out_of_range_message_speaks_thai_to_thai_editors():
    with pytest.raises(ValidationError) as error:
        parse_fuzzy_date("-1985")
    with translation.override("th"):
        assert "อยู่นอกช่วงปีที่ไทม์ไลน์นี้เก็บได้" in error.value.messages[0]


def test_a_set_open_at_both_ends_is_refused_as_saying_nothing():
    with translation.override("en"), pytest.raises(ValidationError, match="one known end"):
        parse_fuzzy_date("[..1760,1800..]")


@pytest.mark.parametrize("edtf", ["2001-21", "[..1760-12-03]", "{1960,1961-12}", "156X-12-25"])
def test_every_new_form_makes_a_timelinejs_slide(edtf):
    from timeline.timelinejs import slide_dates

    dates = slide_dates(parse_fuzzy_date(edtf))
    assert dates["start_date"]["year"] in (1560, 1760, 1960, 2001)
