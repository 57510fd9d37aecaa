"""The editorial items' forms in the admin. Fields are the models' own; the rules they ask
are the services' (``newsroom.services``), asked first so the reason shows beside the field."""

from django import forms
from django.core.exceptions import ValidationError

from newsroom.corrections import correction_kept_error
from newsroom.models import Note


class NoteForm(forms.ModelForm):
    """A note's form asks the corrections rule before the save, to say why beside it."""

    class Meta:
        model = Note
        fields = ("kind", "noted_on", "text", "is_public", "source", "event")

    def clean(self):
        cleaned = super().clean()
        note = self.instance
        if note.pk and (error := correction_kept_error(note=self._as_saved(), deleting=False)):
            raise ValidationError(error)
        return cleaned

    def _as_saved(self) -> Note:
        note = Note(pk=self.instance.pk)
        note.kind = self.cleaned_data.get("kind", self.instance.kind)
        note.is_public = self.cleaned_data.get("is_public", self.instance.is_public)
        return note
