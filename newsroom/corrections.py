"""Published corrections stay: they may be edited (each edit kept in the history) but not
deleted or hidden, as newsrooms do."""

from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from newsroom.models import Note, NoteKind

KEPT = _(
    "A published correction cannot be deleted, hidden or turned into a note; "
    "add a further correction instead."
)


def published_corrections(pks) -> set[int]:
    """Which of these notes are, as stored now, corrections shown to readers."""
    return set(
        Note.objects.filter(pk__in=pks, kind=NoteKind.CORRECTION, is_public=True).values_list(
            "pk", flat=True
        )
    )


class CorrectionsKeptFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        kept = published_corrections([f.instance.pk for f in self.forms if f.instance.pk])
        for form in self.forms:
            if form.instance.pk not in kept:
                continue
            data = getattr(form, "cleaned_data", {})
            if (
                data.get("DELETE")
                or data.get("is_public") is False
                or data.get("kind", NoteKind.CORRECTION) != NoteKind.CORRECTION
            ):
                raise ValidationError(KEPT)


class CorrectionsKeptMixin:
    """For the notes' own admin: no delete of a published correction."""

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.pk in published_corrections([obj.pk]):
            return False
        return super().has_delete_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        fields = [*super().get_readonly_fields(request, obj)]
        if obj is not None and obj.pk in published_corrections([obj.pk]):
            fields += ["kind", "is_public"]
        return fields
