"""The editorial items' forms in the admin. Fields are the models' own (modeltranslation
gives each translated one its _th and _en inputs; the admin cleans text before comparing:
``newsroom.admin.base``); the rules they ask are the services', asked first so the reason
shows beside the field."""

from django.core.exceptions import ValidationError

from newsroom.corrections import correction_kept_error
from newsroom.held import HeldRowsForm
from newsroom.models import Note, Person, Quote, Source


class SourceForm(HeldRowsForm):
    class Meta:
        model = Source
        fields = (
            "title",
            "summary",
            "slug",
            "status",
            "publish_at",
            "publisher",
            "author",
            "url",
            "published_on",
            "language",
            "translation_of",
            "is_complete",
            "full_text",
        )


class PersonForm(HeldRowsForm):
    class Meta:
        model = Person
        fields = ("name", "slug", "kind", "role", "affiliations", "description", "aliases")


class QuoteForm(HeldRowsForm):
    class Meta:
        model = Quote
        fields = ("person", "source", "event", "text", "position")


class NoteForm(HeldRowsForm):
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
