from django.contrib import admin, messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationStackedInline

from newsroom import services
from newsroom.admin import users  # noqa: F401 - the accounts, for chief editors
from newsroom.admin.base import EditorialAdmin, EditorialInline, NotesInline
from newsroom.corrections import correction_kept_error
from newsroom.forms import NoteForm, PersonForm, QuoteForm, SourceForm
from newsroom.imports.service import import_retry, import_undo
from newsroom.models import FailedLogin, ImportRecord, Note, Person, Quote, Source, WorkflowLog
from newsroom.translations.filters import MissingTranslationFilter


class NoteInline(NotesInline, TranslationStackedInline):
    fk_name = "source"


class QuoteInline(EditorialInline, TranslationStackedInline):
    model = Quote
    form = QuoteForm
    fk_name = "source"
    fields = ("person", "event", "text", "position")
    autocomplete_fields = ("person", "event")
    extra = 0
    classes = ("collapse",)


class FilledValuesFilter(admin.AllValuesFieldListFilter):
    """The values a text field holds, the empty one left out (a link must have a text)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.lookup_choices = [value for value in self.lookup_choices if value]


@admin.register(Source)
class SourceAdmin(EditorialAdmin):
    form = SourceForm
    spec_name = "sources"
    list_display = (
        "title",
        "publisher",
        "language",
        "published_on",
        "is_complete",
        "status",
        "event_count",
    )
    list_filter = (
        "status",
        "language",
        "is_complete",
        ("publisher", FilledValuesFilter),
        MissingTranslationFilter,
    )
    search_fields = ("slug", "title_th", "title_en", "publisher", "author", "url")
    autocomplete_fields = ("translation_of",)
    prepopulated_fields = {"slug": ("title_en",)}
    date_hierarchy = "published_on"
    inlines = (NoteInline, QuoteInline)
    fieldsets = (
        (None, {"fields": ("title", "summary", "slug")}),
        (
            _("Publishing"),
            {"fields": ("status", "publish_at", "workflow_log"), "classes": ("collapse",)},
        ),
        (
            _("Publication"),
            {
                "fields": (
                    "publisher",
                    "author",
                    "url",
                    "published_on",
                    "language",
                    "translation_of",
                )
            },
        ),
        (
            _("Text as published"),
            {"fields": ("is_complete", "full_text"), "classes": ("collapse",)},
        ),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(event_total=Count("events", distinct=True))

    def save_item(self, request, obj, relations):
        services.source_save(source=obj, by=request.user, validated=True)

    @admin.display(description=_("events"), ordering="event_total")
    def event_count(self, obj):
        return obj.event_total


@admin.register(Person)
class PersonAdmin(EditorialAdmin):
    form = PersonForm
    spec_name = "people"
    list_display = ("name", "kind", "role")
    list_filter = ("kind", "affiliations", MissingTranslationFilter)
    search_fields = ("slug", "name_th", "name_en", "role_th", "role_en")
    autocomplete_fields = ("affiliations",)
    prepopulated_fields = {"slug": ("name_en",)}
    fields = ("name", "slug", "kind", "role", "affiliations", "description", "aliases")

    def save_item(self, request, obj, relations):
        services.person_save(
            person=obj, by=request.user, validated=True, affiliations=relations.get("affiliations")
        )


@admin.register(Quote)
class QuoteAdmin(EditorialAdmin):
    form = QuoteForm
    list_display = ("__str__", "person", "source", "event")
    list_filter = ("person", "source", MissingTranslationFilter)
    search_fields = ("text_th", "text_en", "person__name_th", "person__name_en")
    autocomplete_fields = ("person", "source", "event")
    list_select_related = ("person", "source", "event")

    def save_item(self, request, obj, relations):
        services.quote_save(quote=obj, by=request.user, validated=True)


@admin.register(Note)
class NoteAdmin(EditorialAdmin):
    list_display = ("__str__", "kind", "noted_on", "source", "event", "is_public")
    list_filter = ("kind", "is_public", MissingTranslationFilter)
    search_fields = ("text_th", "text_en")
    autocomplete_fields = ("source", "event")
    list_select_related = ("source", "event")
    date_hierarchy = "noted_on"
    form = NoteForm

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if obj is not None and correction_kept_error(note=obj, deleting=True):
            fields += ["kind", "is_public"]  # a published correction stays one
        return fields

    def has_delete_permission(self, request, obj=None):
        if obj is not None and correction_kept_error(note=obj, deleting=True):
            return False
        return super().has_delete_permission(request, obj)

    def save_item(self, request, obj, relations):
        services.note_save(note=obj, by=request.user, validated=True)

    def delete_model(self, request, obj):
        services.note_delete(note=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        kept = [note for note in queryset if correction_kept_error(note=note, deleting=True)]
        for note in kept:
            self.message_user(
                request,
                f"{note}: {correction_kept_error(note=note, deleting=True)}",
                messages.ERROR,
            )
        for note in queryset.exclude(pk__in=[note.pk for note in kept]):
            services.note_delete(note=note, by=request.user)


def kind_label(content_type) -> str:
    model = content_type.model_class()
    return capfirst(model._meta.verbose_name_plural) if model else str(content_type)


class ImportedKindFilter(admin.RelatedOnlyFieldListFilter):
    """The kinds of content imported so far (events, sources...), by their names."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = _("kind of content")

    def field_choices(self, field, request, model_admin):
        kinds = ContentType.objects.filter(pk__in=model_admin.get_queryset(request).values("model"))
        return sorted(((kind.pk, kind_label(kind)) for kind in kinds), key=lambda c: c[1])


class ImportedByFilter(admin.RelatedOnlyFieldListFilter):
    """The people who imported files."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = _("user")


@admin.register(ImportRecord)
class ImportRecordAdmin(admin.ModelAdmin):
    """Every import, who ran it and what it did; undone from here."""

    list_display = (
        "__str__",
        "kind",
        "user",
        "state",
        "created",
        "updated",
        "unchanged",
        "error_count",
        "progress",
    )
    list_filter = ("state", ("model", ImportedKindFilter), ("user", ImportedByFilter))
    list_select_related = ("model", "user")
    search_fields = ("file_name",)
    actions = ("undo", "retry")
    # The kind of content by its name (its field is labelled "of", for the record's sentence).
    readonly_fields = [
        "kind" if f.name == "model" else f.name
        for f in ImportRecord._meta.fields
        if f.name != "created_ids"
    ]
    exclude = ("created_ids", "model")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("kind of content"), ordering="model")
    def kind(self, obj):
        return kind_label(obj.model)

    @admin.display(description=_("progress"))
    def progress(self, obj):
        if obj.state in (ImportRecord.State.QUEUED, ImportRecord.State.RUNNING):
            return _("%(done)s rows checked") % {"done": obj.rows_done}
        return "✓" if obj.state == ImportRecord.State.DONE else "—"

    @admin.display(description=_("errors"))
    def error_count(self, obj):
        return len(obj.errors)

    @admin.action(description=_("Undo the selected imports"), permissions=["undo"])
    def undo(self, request, queryset):
        for record in queryset:
            try:
                import_undo(record=record, by=request.user)
            except ValidationError as error:
                self.message_user(request, f"{record}: {' '.join(error.messages)}", messages.ERROR)
            else:
                self.message_user(request, _("Undone: %(record)s") % {"record": record})

    @admin.action(description=_("Retry the selected failed imports"), permissions=["retry"])
    def retry(self, request, queryset):
        for record in queryset:
            try:
                import_retry(record=record, by=request.user)
            except ValidationError as error:
                self.message_user(request, f"{record}: {' '.join(error.messages)}", messages.ERROR)
            else:
                self.message_user(request, _("Queued again: %(record)s") % {"record": record})

    def has_retry_permission(self, request):
        return request.user.has_perm("newsroom.add_importrecord")

    def has_undo_permission(self, request):
        return request.user.has_perm("newsroom.delete_importrecord")


@admin.register(WorkflowLog)
class WorkflowLogAdmin(admin.ModelAdmin):
    """Every move between workflow states: read-only."""

    list_display = (
        "at",
        "content_type",
        "object_id",
        "from_status",
        "to_status",
        "publish_at",
        "by",
        "reason",
    )
    list_filter = ("to_status", "content_type", "by")
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(FailedLogin)
class FailedLoginAdmin(admin.ModelAdmin):
    """Wrong passwords of the last minutes (``newsroom.logins``): a chief editor deletes an
    account's rows to let a colleague sign in again at once."""

    list_display = ("at", "username", "address")
    search_fields = ("username", "address")
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
