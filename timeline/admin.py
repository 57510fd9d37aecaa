from django.conf import settings
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationStackedInline

from newsroom.admin.base import EditorialAdmin, EditorialInline, NotesInline
from newsroom.held import HeldRowsFormSet
from newsroom.translations.filters import MissingTranslationFilter
from newsroom.workflow.services import source_removal_error
from timeline import services
from timeline.dates import SORT_FIRST, SORT_LAST, decade_edtf, parse_fuzzy_date
from timeline.forms import CitationForm, EraForm, EventForm, TopicForm
from timeline.labels import date_label
from timeline.models import Citation, Era, Event, Topic


class CitationFormSet(HeldRowsFormSet):
    """A published event keeps at least one citation (the workflow's rule)."""

    def clean(self):
        super().clean()
        kept = any(
            form.cleaned_data.get("source") and not self._should_delete_form(form)
            for form in self.forms
            if getattr(form, "cleaned_data", None)
        )
        if error := source_removal_error(
            model=Event, status=self.instance.status, had=bool(self.initial_forms), keeps=kept
        ):
            raise ValidationError(error)


class CitationInline(EditorialInline, TranslationStackedInline):
    model = Citation
    form = CitationForm
    formset = CitationFormSet
    fields = ("source", "passage", "note", "position")
    autocomplete_fields = ("source",)
    extra = 0
    min_num = 0
    classes = ("collapse",)

    def save_row(self, request, row):
        services.citation_save(citation=row, by=request.user, validated=True)

    def delete_row(self, request, row):
        services.citation_delete(citation=row, by=request.user)


class EventNoteInline(NotesInline, TranslationStackedInline):
    fk_name = "event"


class CitedFilter(admin.SimpleListFilter):
    title = _("citations")
    parameter_name = "cited"

    def lookups(self, request, model_admin):
        return [("no", _("no citation")), ("yes", _("cited"))]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.uncited()
        if self.value() == "yes":
            return queryset.filter(citations__isnull=False).distinct()
        return queryset


class DecadeFilter(admin.SimpleListFilter):
    """A date range filter by decade, on the derived start date."""

    title = _("period")
    parameter_name = "decade"

    def lookups(self, request, model_admin):
        years = Event.objects.exclude(date_start=None).dates("date_start", "year")
        decades = sorted({d.year // 10 * 10 for d in years})
        language = (get_language() or settings.LANGUAGE_CODE)[:2]
        return [
            (str(d), date_label(parse_fuzzy_date(decade_edtf(d)), language=language))
            for d in decades
        ]

    def queryset(self, request, queryset):
        if not (self.value() or "").isdigit():
            return queryset
        start = int(self.value())
        return queryset.filter(date_start__year__gte=start, date_start__year__lt=start + 10)


@admin.register(Event)
class EventAdmin(EditorialAdmin):
    form = EventForm
    spec_name = "events"
    list_display = ("title", "date_column", "era", "status", "citation_column")
    list_filter = (
        "status",
        "era",
        "topics",
        ("citations__source", admin.RelatedOnlyFieldListFilter),
        "people",
        DecadeFilter,
        CitedFilter,
        MissingTranslationFilter,
    )
    search_fields = ("slug", "date", "title_th", "title_en", "summary_th", "summary_en")
    autocomplete_fields = ("era", "topics", "people")
    prepopulated_fields = {"slug": ("title_en",)}
    readonly_fields = ("derived_date", "citation_warning")
    date_hierarchy = "date_start"
    list_select_related = ("era",)
    inlines = (CitationInline, EventNoteInline)
    fieldsets = (
        (None, {"fields": ("title", "summary", "body", "slug", "citation_warning")}),
        (
            _("Publishing"),
            {"fields": ("status", "publish_at", "workflow_log"), "classes": ("collapse",)},
        ),
        (
            _("Date"),
            {
                "fields": (
                    "date",
                    ("start_qualifier", "end_qualifier"),
                    "display_date",
                    "sorts_as",
                    "derived_date",
                )
            },
        ),
        (_("Classification"), {"fields": ("era", "topics", "people"), "classes": ("collapse",)}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(citation_total=Count("citations"))

    def save_item(self, request, obj, relations):
        services.event_save(event=obj, by=request.user, validated=True, **relations)

    @admin.display(description=_("date"), ordering="date_start")
    def date_column(self, obj):
        return format_html("{}<br><small>{}</small>", obj.date_label("th"), obj.date_label("en"))

    @admin.display(description=_("citations"), ordering="citation_total")
    def citation_column(self, obj):
        if obj.citation_total:
            return obj.citation_total
        return format_html('<strong class="errornote">⚠ {}</strong>', _("No citation"))

    @admin.display(description=_("citations"))
    def citation_warning(self, obj):
        if obj.pk and obj.citations.exists():
            return _("%(count)s citation(s) below.") % {"count": obj.citations.count()}
        return format_html(
            '<strong class="errornote">⚠ {}</strong>',
            _("This event cites no source yet. Add a citation below."),
        )

    @admin.display(description=_("how the date reads"))
    def derived_date(self, obj):
        try:
            obj.fuzzy_date  # noqa: B018 - an invalid date being corrected has no label yet
        except ValidationError:
            return "—"
        return format_html(
            "ไทย: {}<br>English: {}<br><small>{} {} → {}</small>",
            obj.date_label("th"),
            obj.date_label("en"),
            _("sorts as"),
            obj.sort_start if obj.sort_start != SORT_FIRST else "…",
            obj.sort_end if obj.sort_end != SORT_LAST else "…",
        )


@admin.register(Era)
class EraAdmin(EditorialAdmin):
    form = EraForm
    spec_name = "eras"
    list_display = ("name", "start_year", "end_year")
    search_fields = ("slug", "name_th", "name_en")
    prepopulated_fields = {"slug": ("name_en",)}
    list_filter = (MissingTranslationFilter,)


@admin.register(Topic)
class TopicAdmin(EditorialAdmin):
    form = TopicForm
    spec_name = "topics"
    list_display = ("name", "slug")
    search_fields = ("slug", "name_th", "name_en")
    prepopulated_fields = {"slug": ("name_en",)}
    list_filter = (MissingTranslationFilter,)


@admin.register(Citation)
class CitationAdmin(EditorialAdmin):
    form = CitationForm
    list_display = ("event", "source", "position")
    list_filter = (("source", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("passage", "event__title_th", "event__title_en", "source__title_th")
    autocomplete_fields = ("event", "source")
    list_select_related = ("event", "source")
