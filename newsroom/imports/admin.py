"""django-import-export's admin (buttons, preview, confirm) running on our import engine.

Import formats carry the encoding ("CSV, Windows-874"), since the stock form has no
encoding field; the resource hands the file to ``newsroom.imports.service.import_table`` and
turns its report into the ``Result`` that the stock preview template shows.
"""

import io
from contextlib import nullcontext
from pathlib import Path

import tablib
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.core.files import File
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin
from import_export.formats.base_formats import Format
from import_export.forms import ExportForm
from import_export.resources import ModelResource
from import_export.results import Error, Result, RowResult

from newsroom.history.diff import words_diff
from newsroom.imports.engine import Report, Spec
from newsroom.imports.exports import export_rows
from newsroom.imports.limits import Limits
from newsroom.imports.service import import_enqueue, import_table
from newsroom.imports.spreadsheets import (
    CONTENT_TYPES,
    SpreadsheetError,
    glance,
    open_table,
    write_table,
)
from newsroom.imports.uploads import UploadStorage


class SpreadsheetFormat(Format):
    name, title, encoding = "csv", _("CSV (encoding detected)"), None

    def __init__(self, encoding=None):
        pass  # the admin passes its own default encoding; ours is part of the format

    def get_title(self):
        return self.title

    def create_dataset(self, in_stream):
        """The file's rows; a large file (by its size or a cheap estimate of its rows) is
        not read here: it goes to the background, where the request's time does not count."""
        limits = Limits.from_settings(max_bytes=settings.IMPORT_MAX_BYTES)
        if isinstance(in_stream, Path):
            rows = glance(in_stream, format=self.name, limits=limits)
            if (
                rows > settings.IMPORT_BACKGROUND_ROWS
                or in_stream.stat().st_size > settings.IMPORT_BACKGROUND_BYTES
            ):
                return BackgroundDataset(in_stream, self, rows)
        table = open_table(in_stream, format=self.name, encoding=self.encoding, limits=limits)
        dataset = tablib.Dataset(headers=table.headers)
        for _number, row in table.rows():
            dataset.append([row.get(header, "") for header in table.headers])
        dataset.table = table  # the engine reads the file itself, with its row numbers
        dataset.raw, dataset.import_format = in_stream, self
        return dataset

    def export_data(self, dataset, **kwargs):
        stream = io.BytesIO()
        write_table(dataset, headers=dataset.headers, format=self.name, stream=stream)
        return stream.getvalue()

    def get_extension(self):
        return self.name

    def get_content_type(self):
        return CONTENT_TYPES[self.name]

    def can_import(self):
        return True

    def can_export(self):
        return self.encoding is None


class Utf8Csv(SpreadsheetFormat):
    title, encoding = _("CSV, UTF-8"), "utf-8-sig"


class ThaiExcelCsv(SpreadsheetFormat):
    title, encoding = _("CSV, Windows-874 (Thai Excel)"), "cp874"


class UnicodeText(SpreadsheetFormat):
    title, encoding = _("Unicode text, UTF-16 (Excel)"), "utf-16"


class Xlsx(SpreadsheetFormat):
    name, title = "xlsx", _("Excel workbook (XLSX)")


class Json(SpreadsheetFormat):
    name, title = "json", _("JSON")


class BackgroundDataset(tablib.Dataset):
    """A file left unread for the background import: its path and an estimate of its rows."""

    background = True

    def __init__(self, path: Path, import_format: SpreadsheetFormat, rows: int):
        super().__init__()
        self.raw, self.import_format, self.estimated_rows = path, import_format, rows

    def __bool__(self):
        return True  # not "no valid data": its rows are read in the background


IMPORT_FORMATS = [SpreadsheetFormat, Utf8Csv, ThaiExcelCsv, UnicodeText, Xlsx, Json]
EXPORT_FORMATS = [SpreadsheetFormat, Xlsx, Json]


# Past this many characters, a changed cell shows its start; the whole diff opens on a click.
LONG_CELL = 160


def _shown(value) -> str:
    if value in (None, "", [], ()):
        return "∅"
    if isinstance(value, list | tuple | set):
        return ", ".join(map(str, value))
    return str(value)


def _changed_cell(header: str, old, new) -> str:
    """The words removed and added (Thai cut into words, as the history's diff does)."""
    old, new = _shown(old), _shown(new)
    diff = words_diff(header.endswith("_th"), old, new)
    if max(len(old), len(new)) <= LONG_CELL:
        return diff
    return format_html("<details><summary>{}</summary>{}</details>", Truncator(new).chars(80), diff)


def _diff(outcome, headers: list[str]) -> list[str]:
    if outcome.action != "updated":
        return ["" for _header in headers]
    cells = []
    for header in headers:
        key = next((k for k in outcome.changes if k == header or k == f"{header}_id"), None)
        cells.append("" if key is None else _changed_cell(header, *outcome.changes[key]))
    return cells


def column_label(spec: Spec, name: str) -> str:
    """A file column's name as the admin says it (the model field's label), else the name."""
    try:
        return capfirst(spec.model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


class FileError(Error):
    """A problem of the file as a whole (a column, the header): its message, no traceback
    (the stock template shows an ``Error``'s exception and its traceback)."""

    traceback = ""

    def __init__(self, message: str):
        super().__init__(ValueError(message))


def result_from_report(report: Report, spec: Spec) -> Result:
    """The stock admin's preview of our report: new, updated (with a diff), unchanged, invalid."""
    result = Result()
    result.diff_headers = spec.headers
    result.diff_labels = [(name, column_label(spec, name)) for name in spec.headers]
    by_row: dict[int, dict[str, list[str]]] = {}
    for error in report.errors:
        by_row.setdefault(error.row, {}).setdefault(error.column, []).append(error.message)
    for number, errors in sorted(by_row.items()):
        if number == 1:  # the header: the file as a whole is wrong
            for column, messages in errors.items():
                result.append_base_error(FileError(f"{column}: {' '.join(messages)}"))
            continue
        values = report.invalid_values.get(number, {})
        result.append_invalid_row(number, values, ValidationError(errors or {NON_FIELD_ERRORS: []}))
    kinds = {
        "created": RowResult.IMPORT_TYPE_NEW,
        "updated": RowResult.IMPORT_TYPE_UPDATE,
        "unchanged": RowResult.IMPORT_TYPE_SKIP,
    }
    for outcome in sorted(report.outcomes, key=lambda o: o.row):
        row = RowResult()
        row.import_type, row.object_repr = kinds[outcome.action], outcome.slug
        row.diff = _diff(outcome, spec.headers)
        row.diff[0] = outcome.slug
        result.append_row_result(row)
        result.increment_row_result_total(row)
    return result


class SpecResource(ModelResource):
    """A resource whose import and export are the engine's, for one spec."""

    spec: Spec

    def import_data(self, dataset, dry_run=False, **kwargs):
        if getattr(dataset, "background", False):  # previewed in the background, not here
            result = Result()
            result.background_rows = dataset.estimated_rows
            return result
        table = getattr(dataset, "table", None)
        report, _record = import_table(
            spec=self.spec,
            table=table,
            user=kwargs.get("user"),
            file_name=kwargs.get("file_name") or "",
            dry_run=dry_run,
            keep_outcomes=True,
        )
        return result_from_report(report, self.spec)

    def export(self, queryset=None, **kwargs):
        queryset = self.spec.model.objects.all() if queryset is None else queryset
        dataset = tablib.Dataset(headers=self.spec.headers)
        for row in export_rows(self.spec, queryset):
            dataset.append(row)
        return dataset


def resource_for(spec: Spec) -> type[SpecResource]:
    meta = type(
        "Meta",
        (),
        {"model": spec.model, "fields": tuple(spec.headers), "import_id_fields": ("slug",)},
    )
    return type(f"{spec.model.__name__}Resource", (SpecResource,), {"Meta": meta, "spec": spec})


class SpreadsheetAdmin(ImportExportModelAdmin):
    """Import and export buttons on a changelist, through the engine."""

    import_formats = IMPORT_FORMATS
    export_formats = EXPORT_FORMATS
    export_form_class = ExportForm  # the columns are a contract: no per-field choice
    tmp_storage_class = UploadStorage
    import_template_name = "newsroom/admin/import.html"  # labelled, readable preview
    export_template_name = "newsroom/admin/export.html"
    spec_name = ""

    def has_import_permission(self, request):
        return bool(self.spec_name) and super().has_import_permission(request)

    def has_export_permission(self, request):
        return bool(self.spec_name) and super().has_export_permission(request)

    def get_resource_classes(self, request):
        from newsroom.imports.specs import specs

        return [resource_for(specs()[self.spec_name])]

    def write_to_tmp_storage(self, import_file, input_format):
        storage = UploadStorage()
        storage.save_chunks(import_file.chunks())  # streamed: never the whole file in memory
        return storage

    def import_action(self, request, **kwargs):
        response = super().import_action(request, **kwargs)
        context = getattr(response, "context_data", None) or {}
        if "confirm_form" not in context:  # refused: no confirmation will come for the file
            upload = request.FILES.get("import_file")  # the form forgets a refused file
            UploadStorage(name=getattr(upload, "tmp_storage_name", None)).remove()
        elif (rows := getattr(context.get("result"), "background_rows", None)) is not None:
            messages.info(
                request,
                _(
                    "This file is large (about %(rows)s rows): it is not previewed here. Once "
                    "you confirm, it is checked and imported in the background, whole or not "
                    "at all, and you are told here when it ends."
                )
                % {"rows": rows},
            )
        return response

    def process_dataset(self, dataset, form, request, **kwargs):
        """Large files go to the background; the editor is told when they end."""
        background = getattr(dataset, "background", False)
        if not background and len(dataset) <= settings.IMPORT_BACKGROUND_ROWS:
            return super().process_dataset(dataset, form, request, **kwargs)
        from newsroom.imports.specs import specs

        import_format = dataset.import_format
        raw = dataset.raw  # the uploaded file's path (bytes if the stock storage is used)
        with raw.open("rb") if isinstance(raw, Path) else nullcontext(raw) as data:
            record = import_enqueue(
                spec=specs()[self.spec_name],
                data=File(data) if isinstance(raw, Path) else data,
                user=request.user,
                file_name=kwargs.get("file_name")
                or form.cleaned_data.get("original_file_name")
                or "",
                file_format=import_format.name,
                encoding=import_format.encoding,
            )
        result = Result()
        result.queued_record = record
        return result

    def process_result(self, result, request):
        record = getattr(result, "queued_record", None)
        if record is None:
            return super().process_result(result, request)
        self.message_user(
            request,
            _(
                "%(file)s is being imported in the background. Its progress is under Imports; "
                "you will be told here when it ends."
            )
            % {"file": record.file_name},
        )
        return HttpResponseRedirect(reverse("admin:newsroom_importrecord_change", args=[record.pk]))

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, SpreadsheetError):
            form.add_error("import_file", str(e))
        else:
            super().add_data_read_fail_error_to_form(form, e)
