"""Bulk import and export of spreadsheets: every row validated, then all written or nothing.

One engine serves every model through a ``Spec`` (its columns, in the public order) and
every entry point: the management commands, the admin's import/export and undo. Rows
are streamed in batches, so memory stays flat however long the file; each batch costs a
handful of queries (read the existing rows, bulk create, bulk update, relations).
"""

import time
from collections.abc import Callable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from newsroom.i18n import translated_fields
from newsroom.imports.spreadsheets import SpreadsheetError, Table
from newsroom.imports.sql import insert_rows, update_rows
from newsroom.models import Status
from newsroom.signals import content_changed_send
from newsroom.translations.status import translations_mark_stale
from newsroom.workflow.services import log_rows, transition_error, unsourced

BATCH_SIZE = 1000
SEPARATOR = "|"


@dataclass(frozen=True)
class Column:
    """One column of a file: how its text becomes a model value."""

    name: str
    kind: str = "text"  # slug, text, choice, fk, many, or a name in Spec.parsers
    target: type[models.Model] | None = None  # the model a fk/many column names by slug
    required: bool = False


@dataclass(frozen=True)
class Parser:
    """Turns a cell into model values (and perhaps a note for the report)."""

    fields: tuple[str, ...]
    parse: Callable[[str], tuple[dict, str]]


@dataclass
class Spec:
    """What a model's file looks like and how its rows become rows of the model."""

    model: type[models.Model]
    columns: tuple[Column, ...]
    one_of: tuple[str, ...] = ()  # at least one of these columns must have text
    parsers: dict[str, Parser] = field(default_factory=dict)
    exporters: dict[str, Callable[[dict], str]] = field(default_factory=dict)
    through: dict[str, tuple[type[models.Model], str, str]] = field(default_factory=dict)
    add_only: frozenset[str] = frozenset()  # relations an import adds to but never removes from

    @property
    def headers(self) -> list[str]:
        return [c.name for c in self.columns]

    def model_field(self, column: Column) -> models.Field:
        return self.model._meta.get_field(column.name)


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def __str__(self):
        return _("row %(row)s, %(column)s: %(message)s") % vars(self)


@dataclass
class RowOutcome:
    """What an import did (or would do) to one row, for the preview and the undo log."""

    row: int
    slug: str
    action: str  # created, updated, unchanged
    changes: dict[str, tuple[object, object]] = field(default_factory=dict)


@dataclass
class Report:
    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    unknown_columns: list[str] = field(default_factory=list)
    outcomes: list[RowOutcome] = field(default_factory=list)
    invalid_values: dict[int, dict[str, str]] = field(default_factory=dict)  # for the preview
    elapsed: float = 0.0
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        return _(
            "created %(created)s, updated %(updated)s, unchanged %(unchanged)s, "
            "errors %(errors)s in %(elapsed).2fs"
        ) % {**vars(self), "errors": len(self.errors)}


class ImportFailed(Exception):
    """Raised inside the transaction so that nothing of a failed or dry-run import stays."""


def _batches(rows: Iterator, size: int) -> Iterator[list]:
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _pairs(through, own: str, other: str, pks: list[int]) -> list[tuple[int, int]]:
    """(owner id, target id) links of ``pks``, read in one plain query."""
    if not pks:
        return []
    quote, opts = connection.ops.quote_name, through._meta
    own_column, other_column = opts.get_field(own).column, opts.get_field(other).column
    sql = (
        f"SELECT {quote(own_column)}, {quote(other_column)} FROM {quote(opts.db_table)} "
        f"WHERE {quote(own_column)} IN ({', '.join(['%s'] * len(pks))})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, pks)
        return cursor.fetchall()


def _same(old, new) -> bool:
    return (old if old is not None else "") == (new if new is not None else "")


class Importer:
    """Imports one table for one spec; ``run`` returns the report."""

    def __init__(
        self,
        spec: Spec,
        *,
        dry_run: bool = False,
        keep_outcomes: bool = False,
        on_batch: Callable[[Report], None] | None = None,
        log: Callable[[list[tuple[int, str, dict]]], None] | None = None,
        user=None,
    ):
        self.spec, self.dry_run, self.keep_outcomes = spec, dry_run, keep_outcomes
        self.on_batch, self.log, self.user = on_batch, log, user
        self.report = Report(dry_run=dry_run)
        self.rows_of_slug: dict[str, int] = {}
        self.present: list[Column] = []
        self.lookups: dict[str, dict[str, int | None]] = {}
        self.validated_fields: dict[str, models.Field] = {}

    def run(self, table: Table) -> Report:
        started = time.perf_counter()
        if self._check_headers(table.headers):
            self.validated_fields = self._validated_fields()
            self._load_lookups()
            # A check (dry run) writes nothing: no transaction, so that on SQLite it takes no
            # write lock and its progress (on_batch) is seen by others as it goes.
            writes = nullcontext() if self.dry_run else transaction.atomic()
            try:
                with writes:
                    for batch in _batches(table.rows(), BATCH_SIZE):
                        self._import_batch(batch)
                    if self.report.errors or self.dry_run:
                        raise ImportFailed
            except ImportFailed:
                pass
            except SpreadsheetError as error:  # a malformed row further down the file
                self._error(self.report.total + 1, "-", str(error))
        self.report.elapsed = time.perf_counter() - started
        return self.report

    def _check_headers(self, headers: list[str]) -> bool:
        known = {c.name: c for c in self.spec.columns}
        self.report.unknown_columns = [h for h in headers if h not in known]
        self.present = [known[h] for h in headers if h in known]
        missing = [c.name for c in self.spec.columns if c.required and c.name not in headers]
        if self.spec.one_of and not set(self.spec.one_of) & set(headers):
            missing.append(" / ".join(self.spec.one_of))
        for name in missing:
            self._error(1, name, _("this column is required but the file has none"))
        if self.report.unknown_columns:
            self._error(
                1,
                ", ".join(self.report.unknown_columns),
                _("unknown column(s); nothing was imported. The columns are: %(columns)s")
                % {"columns": ", ".join(self.spec.headers)},
            )
        return not self.report.errors

    def _load_lookups(self) -> None:
        for column in self.present:
            if column.kind in ("fk", "many"):
                targets = column.target.objects.values_list("slug", "pk")
                self.lookups[column.name] = dict(targets.iterator())

    def _error(self, row: int, column: str, message) -> None:
        self.report.errors.append(RowError(row, column, str(message)))

    # Reading one row ----------------------------------------------------------------

    def _parse_row(self, number: int, raw: dict[str, str]):
        """(values by attname, relations by column, ok) for one row; errors go to the report."""
        values: dict[str, object] = {}
        relations: dict[str, set[int | str]] = {}
        errors_before = len(self.report.errors)
        for column in self.present:
            text = raw.get(column.name, "")
            try:
                note = self._parse_cell(column, text, values, relations)
                if note:
                    self.report.notes.append(str(RowError(number, column.name, note)))
            except ValidationError as error:
                for message in error.messages:
                    self._error(number, column.name, message)
        values = self._prepared(number, values)
        self._check_row(number, raw, values)
        ok = len(self.report.errors) == errors_before
        if not ok and self.keep_outcomes:
            self.report.invalid_values[number] = raw
        return values, relations, ok

    def _parse_cell(self, column: Column, text: str, values: dict, relations: dict) -> str:
        """Put the cell's value(s) in ``values`` or ``relations``; return a note, if any."""
        if column.required and not text:
            raise ValidationError(_("this cell is required"))
        if column.kind in self.spec.parsers:
            parsed, note = self.spec.parsers[column.kind].parse(text)
            values.update(parsed)
            return note
        if column.kind == "fk":
            ids = self._resolve(column, [text] if text else [])
            values[f"{column.name}_id"] = ids[0] if ids else None
        elif column.kind == "many":
            slugs = [s.strip() for s in text.split(SEPARATOR) if s.strip()]
            relations[column.name] = set(self._resolve(column, slugs))
        else:
            values[column.name] = self._plain_value(column, text)
        return ""

    def _plain_value(self, column: Column, text: str):
        """A cell's text for its field; a choice is matched whatever its case (the model's own
        rules, cleaning and validation, come after: ``_prepared``)."""
        if column.kind == "choice":
            return text.strip().lower() or self.spec.model_field(column).get_default()
        return text

    def _prepared(self, number: int, values: dict) -> dict:
        """The row's values as ``save()`` stores them (the model's ``prepared``: text cleaned,
        values derived) and validated by the model's fields, as ``full_clean`` does."""
        model = self.spec.model
        try:
            values = model.prepared(values)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                for message in messages:
                    self._error(number, self._column_of(name), message)
        for name, model_field in self.validated_fields.items():
            value = values.get(name)
            if value in model_field.empty_values:
                continue
            try:
                model_field.validate(value, None)
                model_field.run_validators(value)
            except ValidationError as error:
                for message in error.messages:
                    self._error(number, self._column_of(name), message)
        return values

    def _validated_fields(self) -> dict[str, models.Field]:
        """The model fields the file's columns fill (read once, with the headers)."""
        model = self.spec.model
        fields = (model._meta.get_field(name) for name in self._value_names() if name != "pk")
        return {f.attname: f for f in fields if f.editable and not f.is_relation}

    def _column_of(self, attname: str) -> str:
        for column in self.present:
            parser = self.spec.parsers.get(column.kind)
            if column.name == attname or (parser and attname in parser.fields):
                return column.name
        return attname

    def _resolve(self, column: Column, slugs: list[str]) -> list[int | str]:
        known = self.lookups[column.name]
        unknown = [slug for slug in slugs if slug not in known]
        if unknown:
            raise ValidationError(
                _("unknown %(what)s: %(slugs)s")
                % {"what": column.target._meta.verbose_name, "slugs": ", ".join(unknown)}
            )
        # A row created earlier in this file has no id until it is written: keep its slug.
        return [slug if known[slug] is None else known[slug] for slug in slugs]

    def _check_row(self, number: int, raw: dict, values: dict) -> None:
        slug = values.get("slug", "")
        if slug in self.rows_of_slug:
            self._error(
                number,
                "slug",
                _("“%(slug)s” is already on row %(row)s of this file")
                % {"slug": slug, "row": self.rows_of_slug[slug]},
            )
        elif slug:
            self.rows_of_slug[slug] = number
            for name in self._self_references():  # later rows may name this one
                self.lookups[name].setdefault(slug, None)
        if self.spec.one_of and not any(raw.get(name) for name in self.spec.one_of):
            self._error(number, " / ".join(self.spec.one_of), _("give at least one of these"))

    # Writing one batch ---------------------------------------------------------------

    def _import_batch(self, batch: list[tuple[int, dict]]) -> None:
        if self.report.total + len(batch) > settings.IMPORT_MAX_ROWS:
            self._error(
                batch[-1][0],
                "-",
                _(
                    "the file has more than %(limit)s rows, the most one import takes; "
                    "split it into smaller files"
                )
                % {"limit": settings.IMPORT_MAX_ROWS},
            )
            raise ImportFailed
        parsed = []
        for number, raw in batch:
            values, relations, ok = self._parse_row(number, raw)
            if ok:
                parsed.append((number, values, relations))
        self.report.total += len(batch)
        slugs = [values["slug"] for _n, values, _r in parsed]
        existing = {row["slug"]: row for row in self._existing(slugs)}
        current = self._current_relations([row["pk"] for row in existing.values()])
        creates, updates = [], []
        for number, values, relations in parsed:
            old = existing.get(values["slug"])
            if old is None:
                creates.append((number, values, relations))
            else:
                self._derived_with_stored(old, values)
                self._classify(number, old, values, relations, current, updates)
        moves = self._status_moves(creates, updates)
        self.report.created += len(creates)
        self.report.updated += len(updates)
        if self.keep_outcomes:
            self.report.outcomes += [RowOutcome(n, v["slug"], "created") for n, v, _r in creates]
        if not (self.report.errors or self.dry_run):
            # modeltranslation fills the base columns (`title`) in the active language.
            with translation.override(settings.LANGUAGE_CODE):
                created = self._write(creates, updates, current)
            self._log_moves(moves, created)
        if self.on_batch:
            self.on_batch(self.report)

    def _status_moves(self, creates, updates) -> list[tuple[int | str, str, str]]:
        """Status changes the rows ask for, checked against the workflow and the user's rights."""
        if not any(c.name == "status" for c in self.present):
            return []
        moves = [(n, v["slug"], "", v["status"]) for n, v, _r in creates]
        moves += [
            (n, old["pk"], *changes["status"])
            for n, old, _v, changes in updates
            if "status" in changes
        ]
        uncited = self._unsourced_rows(creates, updates)
        for number, _key, old, new in moves:
            if error := transition_error(
                model=self.spec.model,
                user=self.user,
                old=old,
                new=new,
                is_unsourced=number in uncited,
            ):
                self._error(number, "status", error)
        return [(key, old, new) for _n, key, old, new in moves]

    def _unsourced_rows(self, creates, updates) -> set[int]:
        """The rows to be published that will cite no source: none named in the file (its
        ``sources`` column, say) and none stored."""
        name = getattr(self.spec.model, "publish_requires", "")
        if not name:
            return set()
        rows = {n for n, v, r in creates if v.get("status") == Status.PUBLISHED and not r.get(name)}
        asked = {
            old["pk"]: n
            for n, old, _v, changes in updates
            if changes.get("status", ("", ""))[1] == Status.PUBLISHED
            and not changes.get(name, ((), ()))[1]
        }
        return rows | {asked[pk] for pk in unsourced(self.spec.model, list(asked))}

    def _log_moves(self, moves, created: dict[str, int]) -> None:
        """Log status moves; a created row's key is its slug, now known by its id."""
        if moves:
            log_rows(
                model=self.spec.model,
                by=self.user,
                reason=str(_("import")),
                moves=[(created.get(key, key), old, new) for key, old, new in moves],
            )

    def _value_names(self) -> list[str]:
        names = ["pk", "slug"]
        for column in self.present:
            if column.kind in self.spec.parsers:
                names += self.spec.parsers[column.kind].fields
            elif column.kind == "fk":
                names.append(f"{column.name}_id")
            elif column.kind != "many":
                names.append(column.name)
        return list(dict.fromkeys(names))

    def _kept_inputs(self) -> list[str]:
        """The fields the model derives values from that the file does not carry (an event's
        ``sorts_as``): an updated row keeps its stored ones, and derives from them."""
        names = self._value_names()
        return [name for name in self.spec.model.DERIVED_FROM if name not in names]

    def _existing(self, slugs: list[str]):
        names = [*self._value_names(), *self._kept_inputs()]
        return self.spec.model.objects.filter(slug__in=slugs).values(*names)

    def _derived_with_stored(self, old: dict, values: dict) -> None:
        """Derive an updated row's values with its stored inputs for what the file lacks."""
        kept = {name: old[name] for name in self._kept_inputs()}
        carried = set(self.spec.model.DERIVED_FROM) & set(values)
        if carried and any(kept.values()):  # no input in the file: nothing derived changes
            derived = self.spec.model.derived({**kept, **values})
            values.update({name: value for name, value in derived.items() if name in values})

    def _self_references(self) -> list[str]:
        return [
            c.name for c in self.present if c.kind in ("fk", "many") and c.target is self.spec.model
        ]

    def _relations(self):
        return [c for c in self.present if c.kind == "many"]

    def _current_relations(self, pks: list[int]) -> dict[str, dict[int, set[int]]]:
        current = {}
        for column in self._relations():
            through, own, other = self.spec.through[column.name]
            links = _pairs(through, own, other, pks)
            current[column.name] = by_owner = {}
            for owner, target in links:
                by_owner.setdefault(owner, set()).add(target)
        return current

    def _classify(self, number, old, values, relations, current, updates) -> None:
        changes = {k: (old[k], v) for k, v in values.items() if not _same(old[k], v)}
        for name, wanted in relations.items():
            had = current[name].get(old["pk"], set())
            if name in self.spec.add_only:
                wanted = had | wanted
            if had != wanted:
                changes[name] = (had, wanted)
        if changes:
            updates.append((number, old, values, changes))
            if self.keep_outcomes:
                self.report.outcomes.append(RowOutcome(number, old["slug"], "updated", changes))
        else:
            self.report.unchanged += 1
            if self.keep_outcomes:
                self.report.outcomes.append(RowOutcome(number, old["slug"], "unchanged"))

    def _write(self, creates, updates, current) -> dict[str, int]:
        """Write one batch; return the ids of the rows it created, by slug."""
        model = self.spec.model
        insert_rows(model, [values for _n, values, _r in creates])
        created = (
            dict(
                model.objects.filter(slug__in=[v["slug"] for _n, v, _r in creates]).values_list(
                    "slug", "pk"
                )
            )
            if creates
            else {}
        )
        for name in self._self_references():
            self.lookups[name].update(created)
        update_rows(
            model,
            [
                (old["pk"], {k: values[k] for k in changes if k in values})
                for _n, old, values, changes in updates
                if set(changes) - set(self.spec.through)
            ],
        )
        self._write_relations(creates, updates, current, created)
        self._mark_translations_stale(updates)
        content_changed_send(
            model=model,
            pks=[*created.values(), *(old["pk"] for _n, old, _v, _c in updates)],
            bulk=True,
        )
        if self.log:
            entries = [(pk, "created", {}) for pk in created.values()]
            entries += [
                (old["pk"], "updated", self._before(old, changes, current))
                for _n, old, _v, changes in updates
            ]
            self.log(entries)
        return created

    def _mark_translations_stale(self, updates) -> None:
        """Rows whose original (Thai) text changed: their translations are now stale."""
        columns = {
            f"{name}_{settings.TRANSLATION_SOURCE_LANGUAGE}": name
            for name in translated_fields(self.spec.model)
        }
        before = {}
        for _n, old, _v, changes in updates:
            changed = {
                columns[c]: previous or "" for c, (previous, _) in changes.items() if c in columns
            }
            if changed:
                before[old["pk"]] = changed
        if before:
            translations_mark_stale(model=self.spec.model, before=before)

    def _write_relations(self, creates, updates, current, created) -> None:
        for column in self._relations():
            through, own, other = self.spec.through[column.name]
            wanted = [(created[v["slug"]], r[column.name]) for _n, v, r in creates]
            wanted += [
                (old["pk"], c[column.name][1]) for _n, old, _v, c in updates if column.name in c
            ]
            add_only = column.name in self.spec.add_only
            stale = [pk for pk, _ids in wanted if current[column.name].get(pk)]
            if stale and not add_only:
                through.objects.filter(**{f"{own}__in": stale}).delete()
            ids_of = self.lookups[column.name]
            links = []
            for pk, targets in wanted:
                keep = current[column.name].get(pk, set()) if add_only else set()
                links += [
                    {f"{own}_id": pk, f"{other}_id": ids_of.get(t, t)} for t in targets - keep
                ]
            insert_rows(through, links)

    def _before(self, old: dict, changes: dict, current: dict) -> dict:
        """What undo needs to put back: old values and old relation sets."""
        before = {}
        for name, (previous, _new) in changes.items():
            if name in self.spec.through:
                before[name] = sorted(current[name].get(old["pk"], set()))
            else:
                before[name] = previous.isoformat() if hasattr(previous, "isoformat") else previous
        return before
