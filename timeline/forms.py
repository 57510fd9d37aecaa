"""The timeline's forms: the items' in the admin, and the search page's (words, the
timeline's filters and a range of years, CE or BE)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from newsroom.calendar import MAX_CE_YEAR, buddhist_to_christian
from newsroom.held import HeldRowsForm
from timeline.models import Citation, Era, Event, Topic
from timeline.search import Query


class YearField(forms.IntegerField):
    """A year, Christian or Buddhist Era (above 2400, or marked พ.ศ.), cleaned to CE."""

    def __init__(self, **kwargs):
        kwargs = {"required": False, "min_value": 1, "max_value": MAX_CE_YEAR, **kwargs}
        super().__init__(error_messages=_YEAR_ERRORS, **kwargs)

    def to_python(self, value):
        return super().to_python(buddhist_to_christian(value) if isinstance(value, str) else value)


_YEAR_ERRORS = {
    key: _("Enter a year, e.g. 2024 or 2567.") for key in ("invalid", "min_value", "max_value")
}


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search for"), required=False)
    era = forms.SlugField(label=_("Era"), required=False)
    topic = forms.SlugField(label=_("Topic"), required=False)
    person = forms.SlugField(label=_("Person or organisation"), required=False)
    year_from = YearField(label=_("From year"))
    year_to = YearField(label=_("To year"))

    def add_prefix(self, field_name):
        return _PARAMETERS.get(field_name, field_name)  # short URLs: ?from=2019&to=2024

    def query(self) -> Query:
        """What to look for; a field with an error is left out (the page shows the error)."""
        self.is_valid()
        data = {name: value for name, value in self.cleaned_data.items() if value}
        return Query(text=data.pop("q", ""), **data)


_PARAMETERS = {"year_from": "from", "year_to": "to"}


def christian_era_only(text: str) -> None:
    """The admin's side of the one Buddhist Era rule (``buddhist_to_christian``): what an
    import converts, with a note, a form refuses, giving the year to write instead."""
    converted = buddhist_to_christian(text)  # refuses a period of mixed eras
    if converted != text.strip():
        raise ValidationError(
            _("“%(value)s” is in the Buddhist Era (พ.ศ.): write it in the Christian Era, %(ce)s."),
            code="buddhist_era",
            params={"value": text, "ce": converted},
        )


class EventForm(HeldRowsForm):
    class Meta:
        model = Event
        fields = (
            "title",
            "summary",
            "body",
            "slug",
            "status",
            "publish_at",
            "date",
            "start_qualifier",
            "end_qualifier",
            "display_date",
            "era",
            "topics",
            "people",
        )

    def clean_date(self):
        christian_era_only(self.cleaned_data["date"])
        return self.cleaned_data["date"]


class EraForm(HeldRowsForm):
    class Meta:
        model = Era
        fields = ("name", "slug", "description", "start_year", "end_year")

    def clean_start_year(self):
        christian_era_only(str(self.cleaned_data["start_year"] or ""))
        return self.cleaned_data["start_year"]

    def clean_end_year(self):
        christian_era_only(str(self.cleaned_data["end_year"] or ""))
        return self.cleaned_data["end_year"]


class TopicForm(HeldRowsForm):
    class Meta:
        model = Topic
        fields = ("name", "slug", "description", "aliases")


class CitationForm(HeldRowsForm):
    class Meta:
        model = Citation
        fields = ("event", "source", "passage", "note", "position")
