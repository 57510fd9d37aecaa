"""Translation files: the missing or stale fields handed to a translator's CAT tool as XLIFF,
and taken back.

Export: for one language, each field whose translation is missing or stale, of a selection
or of the whole worklist (published items, as the worklist counts them).

Import: every unit is checked (the item and field exist, the original has not changed since
the export, the user may translate into the file's language); a unit that fails is refused
with its reason and the others are applied. They are written by the imports' engine
(``import_table``: the same row rules, one record per kind of item so it can be undone,
versions named after the import), then the fields are marked up to date.
"""

import dataclasses
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from newsroom.batches import key_chunks
from newsroom.i18n import missing_translation_q, translated_fields
from newsroom.imports.engine import Column, Spec
from newsroom.imports.service import import_table
from newsroom.imports.specs import specs
from newsroom.models import ImportRecord
from newsroom.signals import content_batch
from newsroom.translations.status import (
    confirm_error,
    originals,
    source_language,
    stale_fields,
    stale_q,
    target_languages,
    translation_fields_confirm,
    translation_states_snapshot,
)
from newsroom.translations.xliff import Document, Unit, XliffError, document_read, text_hash

STATES = ("missing", "stale", "all")


def _state_q(model, language: str, state: str) -> Q:
    wanted = Q(pk__in=[])
    if state in ("missing", "all"):
        wanted |= missing_translation_q(model, language)
    if state in ("stale", "all"):
        wanted |= stale_q(model, language)
    return wanted


def worklist_items() -> dict[str, object]:
    """Per kind of item: the published items (the worklist counts those)."""
    selection = {}
    for name, spec in specs().items():
        items = spec.model.objects.all()
        if hasattr(items, "published"):
            items = items.published()
        selection[name] = items
    return selection


def units_to_translate(obj, *, kind: str, language: str, state: str = "all") -> list[Unit]:
    """The fields of ``obj`` to translate into ``language``, each with notes for the translator."""
    now, todo = originals(obj), {}
    if state in ("missing", "all"):
        todo = {
            name: None
            for name, text in now.items()
            if text and not _translation(obj, name, language)
        }
    if state in ("stale", "all"):
        for name, before in stale_fields(obj, language).items():
            if now[name]:
                todo.setdefault(name, before)
    units = []
    for name in [name for name in now if name in todo]:  # in the form's order
        notes = [("field", str(obj._meta.get_field(name).verbose_name))]
        if translation := _translation(obj, name, language):
            notes.append(("translation-so-far", translation))
        if before := todo[name]:
            notes.append(("original-when-translated", before))
        units.append(Unit(kind=kind, pk=obj.pk, field=name, source=now[name], notes=notes))
    return units


def _translation(obj, name: str, language: str) -> str:
    return getattr(obj, f"{name}_{language}") or ""


def translations_export(
    *, language: str, state: str = "all", selection: dict[str, object] | None = None
) -> tuple[bytes, int]:
    """The XLIFF file of the fields to translate into ``language`` (and how many): of
    ``selection`` (querysets by kind), else of the whole worklist."""
    from newsroom.translations.xliff import document_write

    selection = worklist_items() if selection is None else selection
    units, labels = [], {}
    for kind, items in selection.items():
        model = specs()[kind].model
        for obj in items.filter(_state_q(model, language, state)).order_by("pk").iterator():
            found = units_to_translate(obj, kind=kind, language=language, state=state)
            units += found
            if found:
                labels[(kind, obj.pk)] = obj.slug
    document = Document(source_language(), language, units)
    return document_write(document, labels=labels), len(units)


# Import ---------------------------------------------------------------------------------


@dataclass
class Outcome:
    """What an import did (or would do) with one unit of the file."""

    unit: Unit | None
    label: str = ""
    action: str = ""  # applied, unchanged, refused, skipped
    before: str = ""
    reason: str = ""
    unit_id: str = ""  # as the file gives it

    @property
    def id(self) -> str:
        return self.unit.id if self.unit else self.unit_id


@dataclass
class TranslationImport:
    language: str = ""
    dry_run: bool = False
    errors: list[str] = field(default_factory=list)  # the file as a whole: nothing applied
    outcomes: list[Outcome] = field(default_factory=list)
    records: list[ImportRecord] = field(default_factory=list)

    def of(self, action: str) -> list[Outcome]:
        return [o for o in self.outcomes if o.action == action]

    @property
    def ok(self) -> bool:
        return not self.errors and not self.of("refused")

    def summary(self) -> str:
        counts = {action: len(self.of(action)) for action in ACTIONS}
        return (
            _(
                "%(applied)s applied, %(unchanged)s unchanged, %(refused)s refused, "
                "%(skipped)s not translated in the file"
            )
            % counts
        )


ACTIONS = ("applied", "unchanged", "refused", "skipped")


@dataclass
class _Table:
    """The rows of one kind, as the imports' engine reads a table."""

    headers: list[str]
    records: list[dict[str, str]]
    format: str = "xliff"
    encoding: str = "utf-8"

    def rows(self):
        yield from enumerate(self.records, start=2)  # row 1 would be the headers


def translations_import(
    *, data: bytes, file_name: str = "", user=None, dry_run: bool = False
) -> TranslationImport:
    """Check every unit of an XLIFF file, apply those that pass (unless ``dry_run``)."""
    result = TranslationImport(dry_run=dry_run)
    try:
        document = document_read(data)
    except XliffError as error:
        result.errors.append(str(error))
        return result
    result.language = document.target_language
    if error := _document_error(document, user):
        result.errors.append(error)
        return result
    for unit_id, reason in document.unreadable:
        result.outcomes.append(Outcome(None, action="refused", reason=reason, unit_id=unit_id))
    by_kind = _checked(document, result, user)
    try:
        # Readers' pages and the search index hear of the import once, at its end.
        with content_batch(), transaction.atomic():
            for kind, outcomes in by_kind.items():
                _import_kind(kind, outcomes, result, user=user, file_name=file_name)
    except _WriteFailed as error:
        result.errors.append(
            _("Nothing was written: %(error)s. Import the file again.") % {"error": error}
        )
        result.records = []
    return result


class _WriteFailed(Exception):
    """The engine refused rows it had accepted a moment before (the items changed meanwhile)."""


def _document_error(document: Document, user) -> str:
    if document.source_language != source_language():
        return _("The file's original language is “%(found)s”; this site's is “%(wanted)s”.") % {
            "found": document.source_language,
            "wanted": source_language(),
        }
    if document.target_language not in target_languages():
        return _("The file's target language “%(found)s” is not one of %(wanted)s.") % {
            "found": document.target_language,
            "wanted": ", ".join(target_languages()),
        }
    return confirm_error(language=document.target_language, by=user)


def _checked(document: Document, result: TranslationImport, user) -> dict[str, list[Outcome]]:
    """Each unit's outcome so far (refused, skipped, or to apply), those to apply by kind."""
    seen, by_kind = set(), {}
    items = _items(document.units)
    for unit in document.units:
        obj = items.get((unit.kind, unit.pk))
        outcome = Outcome(unit, label=obj.slug if obj else "")
        result.outcomes.append(outcome)
        if not unit.ready:  # nothing to write: whatever became of its original
            outcome.action = "skipped"
        elif reason := _refusal(unit, obj, user, seen):
            outcome.action, outcome.reason = "refused", reason
        else:
            outcome.before = _translation(obj, unit.field, document.target_language)
            by_kind.setdefault(unit.kind, []).append(outcome)
        seen.add(unit.id)
    return by_kind


def _items(units: list[Unit]) -> dict[tuple[str, int], object]:
    """The items the units name, read once per kind."""
    items, known = {}, specs()
    for kind in {u.kind for u in units if u.kind in known}:
        pks = {u.pk for u in units if u.kind == kind}
        for part in key_chunks(pks):
            objects = known[kind].model.objects.filter(pk__in=part)
            items |= {(kind, obj.pk): obj for obj in objects}
    return items


def _refusal(unit: Unit, obj, user, seen: set[str]) -> str:
    """Why ``unit`` cannot be applied ("" if it can)."""
    spec = specs().get(unit.kind)
    if unit.id in seen:
        return _("this unit is in the file twice")
    if spec is None or unit.field not in translated_fields(spec.model):
        return _("this unit's id is not one this site gave")
    if obj is None:
        return _("the item was deleted since the export")
    opts = spec.model._meta
    if user is not None and not user.has_perm(f"{opts.app_label}.change_{opts.model_name}"):
        return _("you may not change %(things)s") % {"things": opts.verbose_name_plural}
    original = originals(obj)[unit.field]
    if text_hash(original) != (unit.source_hash or text_hash(unit.source)):
        return _(
            "the original changed since the export: export the file again and translate "
            "the new original"
        )
    return ""


def _import_kind(kind: str, outcomes: list[Outcome], result, *, user, file_name: str) -> None:
    """Apply one kind's units through the imports' engine: checked first (a unit the engine
    refuses is reported), then written and recorded; then its fields are up to date."""
    language, spec = result.language, specs()[kind]
    todo = _engine_checked(spec, outcomes, language, user=user)
    for outcome in todo:
        outcome.action = "unchanged" if outcome.before == outcome.unit.target else "applied"
    if result.dry_run or not todo:
        return
    fields = {}
    for outcome in todo:
        fields.setdefault(outcome.unit.pk, set()).add(outcome.unit.field)
    snapshot = translation_states_snapshot(model=spec.model, pks=list(fields), language=language)
    table_spec, table = _table(spec, todo, language)
    report, record = import_table(spec=table_spec, table=table, user=user, file_name=file_name)
    if not report.ok:  # the items changed between the check and the write
        raise _WriteFailed("; ".join(str(error) for error in report.errors))
    record.translation_states = snapshot
    record.save(update_fields=["translation_states"])
    result.records.append(record)
    for part in key_chunks(fields):
        for obj in spec.model.objects.filter(pk__in=part):
            translation_fields_confirm(
                obj=obj, language=language, fields=fields[obj.pk], by=user, bulk=True
            )


def _engine_checked(spec: Spec, outcomes: list[Outcome], language: str, *, user) -> list:
    """The units the engine accepts (its dry run); those it refuses get its message."""
    todo = outcomes
    for attempt in range(3):  # a unit the engine refuses, then (rarely) its whole item
        table_spec, table = _table(spec, todo, language)
        check, _none = import_table(spec=table_spec, table=table, user=user, dry_run=True)
        if check.ok:
            break
        _refuse_rows(check, todo, table, language, whole_rows=attempt == 2)
        todo = [o for o in todo if o.action != "refused"]
    return todo


def _table(spec: Spec, outcomes: list[Outcome], language: str) -> tuple[Spec, _Table]:
    """The units as rows of the kind's table: its slug and the columns the units fill (a
    field of an item that has no unit in the file keeps its text)."""
    filled = {o.unit.field for o in outcomes}
    names = [f"{name}_{language}" for name in translated_fields(spec.model) if name in filled]
    rows: dict[int, dict[str, str]] = {}
    items = spec.model.objects.in_bulk({o.unit.pk for o in outcomes})
    for outcome in outcomes:
        obj = items[outcome.unit.pk]
        row = rows.setdefault(
            obj.pk, {"slug": obj.slug, **{n: getattr(obj, n) or "" for n in names}}
        )
        row[f"{outcome.unit.field}_{language}"] = outcome.unit.target
    columns = (Column("slug", "slug", required=True), *(Column(name) for name in names))
    return dataclasses.replace(spec, columns=columns, one_of=()), _Table(
        ["slug", *names], list(rows.values())
    )


def _refuse_rows(report, outcomes: list[Outcome], table: _Table, language: str, *, whole_rows):
    """Units the engine refused: refused, with its message. An error of the row as a whole
    (or, with ``whole_rows``, any error) refuses every unit of that item."""
    slugs = {number: row["slug"] for number, row in table.rows()}
    columns = {f"{name}_{language}" for name in {o.unit.field for o in outcomes}}
    for error in report.errors:
        for outcome in outcomes:
            own = error.column == f"{outcome.unit.field}_{language}"
            if outcome.label != slugs.get(error.row) or not (
                own or whole_rows or error.column not in columns
            ):
                continue
            reason = error.message if own else f"{error.column}: {error.message}"
            outcome.action = "refused"
            outcome.reason = "; ".join(filter(None, [outcome.reason, reason]))
