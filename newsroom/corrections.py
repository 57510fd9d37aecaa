"""Published corrections stay: they may be edited (each edit kept in the history) but not
deleted or hidden, as newsrooms do. ``correction_kept_error`` is the rule; the note
services apply it, and the admin's forms ask it first to show the reason beside the note."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from newsroom.held import HeldRowsFormSet
from newsroom.models import Note, NoteKind

KEPT = _(
    "A published correction cannot be deleted, hidden or turned into a note; "
    "add a further correction instead."
)


def published_corrections(pks) -> set[int]:
    """Which of these notes are, as stored now, corrections shown to readers."""
    notes = Note.objects.filter(pk__in=pks, kind=NoteKind.CORRECTION, is_public=True)
    return set(notes.values_list("pk", flat=True))


def correction_kept_error(*, note: Note, deleting: bool, stored: set[int] | None = None) -> str:
    """Why ``note`` may not be deleted or saved as it is ("" if it may).

    ``stored``: the published corrections among the notes at hand, if already read."""
    if note.pk is None:
        return ""
    kept = published_corrections([note.pk]) if stored is None else stored
    if note.pk not in kept:
        return ""
    if deleting or not note.is_public or note.kind != NoteKind.CORRECTION:
        return str(KEPT)
    return ""


class CorrectionsKeptFormSet(HeldRowsFormSet):
    """An inline of notes: the rule, asked before anything is saved, for every note at once."""

    def clean(self):
        super().clean()
        stored = published_corrections([f.instance.pk for f in self.forms if f.instance.pk])
        for form in self.forms:
            deleting = self.can_delete and self._should_delete_form(form)
            if error := correction_kept_error(note=form.instance, deleting=deleting, stored=stored):
                raise ValidationError(error)  # the formset's own error: a deleted row shows none
