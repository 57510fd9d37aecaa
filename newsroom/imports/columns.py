"""Cell parsers shared by the specs: dates and years, with Buddhist Era years converted."""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from newsroom.calendar import MAX_CE_YEAR, buddhist_to_christian
from newsroom.imports.engine import Parser


def converted_years(text: str) -> tuple[str, str]:
    """The text with BE years made CE, and a note saying so when that changed anything."""
    converted = buddhist_to_christian(text)
    if converted == text.strip():
        return converted, ""
    return converted, _("Buddhist Era year converted: %(old)s → %(new)s") % {
        "old": text.strip(),
        "new": converted,
    }


def _day(text: str) -> tuple[dict, str]:
    if not text:
        return {"published_on": None}, ""
    converted, note = converted_years(text)
    try:
        return {"published_on": datetime.date.fromisoformat(converted)}, note
    except ValueError as error:
        raise ValidationError(
            _("“%(value)s” is not a date: write YYYY-MM-DD, e.g. 2025-08-25") % {"value": text}
        ) from error


def year_parser(name: str, *, required: bool = False) -> Parser:
    def parse(text: str) -> tuple[dict, str]:
        if not text:
            if required:
                raise ValidationError(_("this cell is required"))
            return {name: None}, ""
        converted, note = converted_years(text)
        if not converted.isdigit() or not 1 <= int(converted) <= MAX_CE_YEAR:
            raise ValidationError(_("“%(value)s” is not a year: write e.g. 1945") % {"value": text})
        return {name: int(converted)}, note

    return Parser((name,), parse)


day_parser = Parser(("published_on",), _day)
