"""Rows in hand are not read again: the admin's forms reuse what the item was read with.

An item's change form reads the item with its relations (``EditorialAdmin.get_object``);
when the editor sends back the same era, the same source of a citation or the same inline
row, the choice field returns the row already held instead of asking the database for it
again, and the model's validation does not ask whether it exists
(``newsroom.models.held_relations``). A different value is looked up as Django always does.
"""

from django import forms
from django.forms.models import BaseInlineFormSet

from newsroom.editing import stored_remember
from newsroom.models import held_relations


class HeldChoiceField(forms.ModelChoiceField):
    """A choice of one row that returns ``held`` (the row the item holds now) when it is
    the one chosen, without a query. The admin makes every foreign key's field one
    (``formfield_overrides``); ``HeldRowsForm`` gives it the row."""

    held = None

    def to_python(self, value):
        held = self.held
        if held is not None and value not in self.empty_values and str(value) == str(held.pk):
            return held
        return super().to_python(value)


class HeldMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A choice of many rows that, when they are the ones ``held`` (the item's relation as
    read with it), neither reads them again nor returns them read: the queryset it returns
    is only evaluated if used (an unchanged relation is not written)."""

    held = None

    def clean(self, value):
        held = self.held
        if (
            held is not None
            and self.to_field_name is None
            and isinstance(value, list | tuple)
            and value
            and {str(pk) for pk in value} == {str(row.pk) for row in held}
        ):
            self.run_validators(value)
            return self.queryset.filter(pk__in=[row.pk for row in held])
        return super().clean(value)


class HeldRowsForm(forms.ModelForm):
    """A model form whose choice fields know the rows its instance holds."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = self.instance
        for name in held_relations(instance):
            if isinstance(field := self.fields.get(name), HeldChoiceField):
                field.held = getattr(instance, name)
        prefetched = getattr(instance, "_prefetched_objects_cache", {})
        for name, field in self.fields.items():
            if isinstance(field, HeldMultipleChoiceField) and name in prefetched:
                field.held = list(prefetched[name])


class HeldRowsFormSet(BaseInlineFormSet):
    """An inline's rows: each form's hidden row id returns the row the formset read (Django
    would read each row again to check its id)."""

    def _existing_object(self, pk):
        row = super()._existing_object(pk)
        if row is not None:
            stored_remember(row)  # before its form changes it
        return row

    def add_fields(self, form, index):
        super().add_fields(form, index)
        name = self.model._meta.pk.name
        field = form.fields.get(name)
        if form.instance._state.adding or type(field) is not forms.ModelChoiceField:
            return
        form.fields[name] = held = HeldChoiceField(
            field.queryset, initial=field.initial, required=False, widget=field.widget
        )
        held.held = form.instance
