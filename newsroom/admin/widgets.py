"""The admin's autocomplete (select2) widget, with valid HTML: its empty choice has a text."""

from django.contrib.admin.widgets import AutocompleteSelect
from django.db.models import BLANK_CHOICE_DASH

BLANK_LABEL = BLANK_CHOICE_DASH[0][1]


class AutocompleteSelectBlankNamed(AutocompleteSelect):
    """Valid HTML: an ``<option>`` may not be empty, and a required ``<select>`` starts with an
    empty choice (select2 shows its placeholder for it, and lists only what it finds)."""

    def create_option(self, name, value, label, *args, **kwargs):
        return super().create_option(name, value, label or BLANK_LABEL, *args, **kwargs)

    def optgroups(self, name, value, attr=None):
        groups = super().optgroups(name, value, attr)
        if self.is_required:
            groups[0][1].insert(0, self.create_option(name, "", "", False, 0))
        return groups


class AutocompleteFields:
    """For admins and inlines: their autocomplete foreign keys use the widget above."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = AutocompleteSelectBlankNamed(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
