"""Writes of the editorial items: one service per kind, for every entry point (the admin's
forms, inlines and actions, revert, commands); each goes through ``newsroom.editing``."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError

from newsroom.corrections import correction_kept_error
from newsroom.editing import item_delete, item_save
from newsroom.models import Note, Person, Quote, Source


def source_save(*, source: Source, by=None, validated: bool = False, comment: str = "") -> Source:
    return item_save(item=source, by=by, comment=comment, validated=validated)


def person_save(
    *, person: Person, by=None, validated: bool = False, affiliations: Iterable | None = None
) -> Person:
    relations = {} if affiliations is None else {"affiliations": affiliations}
    return item_save(item=person, by=by, relations=relations, validated=validated)


def quote_save(*, quote: Quote, by=None, validated: bool = False) -> Quote:
    return item_save(item=quote, by=by, validated=validated)


def note_save(*, note: Note, by=None, validated: bool = False) -> Note:
    """A published correction may be edited, not hidden nor turned into a note."""
    if error := correction_kept_error(note=note, deleting=False):
        raise ValidationError(error)
    return item_save(item=note, by=by, validated=validated)


def note_delete(*, note: Note, by=None) -> None:
    """A published correction stays; another note may go."""
    if error := correction_kept_error(note=note, deleting=True):
        raise ValidationError(error)
    item_delete(item=note, by=by)
