"""Import and undo: the service both the commands and the admin call."""

from collections import defaultdict
from collections.abc import Callable
from contextlib import suppress
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from reversion import is_registered

from newsroom.batches import key_chunks
from newsroom.history.versions import revision_start, versions_bulk_create
from newsroom.imports.engine import BATCH_SIZE, Importer, Report, Spec
from newsroom.imports.specs import spec_for
from newsroom.imports.spreadsheets import SpreadsheetError, Table
from newsroom.imports.sql import insert_rows
from newsroom.models import ImportChange, ImportRecord
from newsroom.signals import content_changed_send
from newsroom.translations.status import translation_states_restore
from newsroom.workflow.services import log_rows


def import_table(
    *,
    spec: Spec,
    table: Table,
    user=None,
    file_name: str = "",
    dry_run: bool = False,
    keep_outcomes: bool = False,
    on_batch: Callable[[Report], None] | None = None,
    record: ImportRecord | None = None,
) -> tuple[Report, ImportRecord | None]:
    """Import ``table`` whole or not at all; a real import is recorded so it can be undone."""
    if dry_run:
        importer = Importer(
            spec, dry_run=True, keep_outcomes=keep_outcomes, on_batch=on_batch, user=user
        )
        return importer.run(table), None
    record = record or ImportRecord.objects.create(
        model=ContentType.objects.get_for_model(spec.model),
        user=user,
        file_name=file_name,
        file_format=table.format,
        encoding=table.encoding,
    )

    # Named now, in the user's language: the importer writes in the site's language.
    revision, comment = None, _import_comment(record)

    def log(entries):
        nonlocal revision
        record.created_ids += [pk for pk, action, _before in entries if action == "created"]
        if is_registered(spec.model):  # each row written gets a version, in bulk
            revision = revision or revision_start(user=user or record.user, comment=comment)
            versions_bulk_create(
                model=spec.model, pks=[pk for pk, _a, _b in entries], revision=revision
            )
        insert_rows(
            ImportChange,
            [
                {"record_id": record.pk, "object_id": pk, "before": before}
                for pk, action, before in entries
                if action == "updated"
            ],
        )

    importer = Importer(
        spec, keep_outcomes=keep_outcomes, on_batch=on_batch, log=log, user=user or record.user
    )
    try:
        report = importer.run(table)
    except BaseException:  # Ctrl-C, SIGTERM, a worker's timeout: the record must not say running
        _interrupted(record)
        raise
    if not report.ok:
        record.created_ids = []
    _finish(record, report)
    return report, record


def _interrupted(record: ImportRecord) -> None:
    """The import stopped half-way (its transaction rolled back): record it as failed."""
    message = _(
        "The import was interrupted before it ended: nothing was written. Import the file again."
    )
    record.state, record.finished_at, record.created_ids = (
        ImportRecord.State.FAILED,
        timezone.now(),
        [],
    )
    record.errors = [str(message)]
    _file_release(record)
    # The database may be what failed: then the original error says more than this one.
    with suppress(Exception):
        record.save()


def _file_release(record: ImportRecord) -> None:
    """A background import's file is removed when it ends, unless kept for audit."""
    if record.file and not settings.IMPORT_KEEP_FILES_DAYS:
        record.file.delete(save=False)


def import_files_prune() -> int:
    """Remove the stored files of imports that ended more than IMPORT_KEEP_FILES_DAYS ago;
    return how many."""
    cutoff = timezone.now() - timedelta(days=settings.IMPORT_KEEP_FILES_DAYS)
    ended = (
        ImportRecord.objects.exclude(file="")
        .exclude(state__in=[ImportRecord.State.QUEUED, ImportRecord.State.RUNNING])
        .filter(finished_at__lte=cutoff)
    )
    removed = 0
    for record in ended.iterator():
        record.file.delete(save=False)
        ImportRecord.objects.filter(pk=record.pk).update(file="")
        removed += 1
    return removed


def _import_comment(record: ImportRecord) -> str:
    return _("Imported from %(file)s (import %(id)s)") % {"file": record.file_name, "id": record.pk}


def _finish(record: ImportRecord, report: Report) -> None:
    record.state = ImportRecord.State.DONE if report.ok else ImportRecord.State.FAILED
    record.finished_at = timezone.now()
    record.rows_total = record.rows_done = report.total
    record.created, record.updated, record.unchanged = (
        report.created,
        report.updated,
        report.unchanged,
    )
    record.errors = [str(error) for error in report.errors[:1000]]
    record.notes = report.notes[:1000]
    _file_release(record)
    record.save()
    if record.background:
        import_files_prune()  # those kept for audit, once their days are over


@transaction.atomic
def import_undo(*, record: ImportRecord, by) -> None:
    """Remove what the import created and give what it updated its previous values back."""
    record = ImportRecord.objects.select_for_update().get(pk=record.pk)
    if record.state != ImportRecord.State.DONE:
        raise ValidationError(
            _("Only a finished import can be undone; this one is %(state)s.")
            % {"state": record.get_state_display()}
        )
    spec = spec_for(record.model.model_class())
    ids = record.created_ids
    for start in range(0, len(ids), BATCH_SIZE):
        spec.model.objects.filter(pk__in=ids[start : start + BATCH_SIZE]).delete()
    restored = _restore(spec, record.changes.iterator(chunk_size=BATCH_SIZE), by=by)
    translation_states_restore(model=spec.model, snapshot=record.translation_states)
    if is_registered(spec.model) and restored:
        revision = revision_start(user=by, comment=_("Undo of import %(id)s") % {"id": record.pk})
        for start in range(0, len(restored), BATCH_SIZE):
            versions_bulk_create(
                model=spec.model, pks=restored[start : start + BATCH_SIZE], revision=revision
            )
    record.state, record.undone_at, record.undone_by = ImportRecord.State.UNDONE, timezone.now(), by
    record.save()


def _restore(spec: Spec, changes, *, by) -> list[int]:
    """Write the old values back; return the ids of the rows restored."""
    by_fields, restored = defaultdict(list), []
    for change in changes:
        restored.append(change.object_id)
        values = {k: v for k, v in change.before.items() if k not in spec.through}
        for name, old_ids in change.before.items():
            if name in spec.through:
                _restore_relation(spec, name, change.object_id, set(old_ids))
        if values:
            fields = {k: spec.model._meta.get_field(k) for k in values}
            obj = spec.model(
                pk=change.object_id,
                updated_at=timezone.now(),
                **{k: fields[k].to_python(v) for k, v in values.items()},
            )
            by_fields[tuple(sorted(values))].append(obj)
    for names, objects in by_fields.items():
        if "status" in names:
            _log_status_restore(spec.model, objects, by=by)
        spec.model.objects.bulk_update(objects, [*names, "updated_at"], batch_size=BATCH_SIZE)
        content_changed_send(model=spec.model, pks=[obj.pk for obj in objects], bulk=True)
    return restored


def _log_status_restore(model, objects, *, by) -> None:
    """Undoing an import's status change is a workflow move too: log it."""
    now = {}
    for pks in key_chunks(o.pk for o in objects):
        now.update(model.objects.filter(pk__in=pks).values_list("pk", "status"))
    log_rows(
        model=model,
        moves=[(o.pk, now.get(o.pk, ""), o.status) for o in objects],
        by=by,
        reason=str(_("undo of an import")),
    )


def _restore_relation(spec: Spec, name: str, pk: int, old_ids: set[int]) -> None:
    through, own, other = spec.through[name]
    links = through.objects.filter(**{own: pk})
    links.exclude(**{f"{other}__in": old_ids}).delete()
    present = set(links.values_list(other, flat=True))
    through.objects.bulk_create(
        [through(**{f"{own}_id": pk, f"{other}_id": target}) for target in old_ids - present]
    )
    content_changed_send(model=spec.model, pks=[pk])


def import_enqueue(
    *, spec: Spec, data: bytes | File, file_name: str, file_format: str, encoding: str | None, user
) -> ImportRecord:
    """Keep the file and import it in the background (django.tasks); return its record."""
    from django.core.files.base import ContentFile

    from newsroom.imports.tasks import import_in_background

    record = ImportRecord(
        model=ContentType.objects.get_for_model(spec.model),
        user=user,
        file_name=file_name,
        file_format=file_format,
        encoding=encoding or "",
        background=True,
        state=ImportRecord.State.QUEUED,
    )
    record.file.save(file_name, data if isinstance(data, File) else ContentFile(data), save=False)
    record.save()
    transaction.on_commit(lambda: import_in_background.enqueue(record.pk))
    return record


def import_failed(*, record: ImportRecord, error: Exception) -> None:
    """A background import stopped on an error of ours (not of the file): say so."""
    if isinstance(error, SpreadsheetError):  # the file cannot be read: its own message
        message = str(error)
    else:
        message = _(
            "The import stopped on an unexpected error (%(error)s); nothing was written."
        ) % {"error": type(error).__name__}
    ImportRecord.objects.filter(pk=record.pk).update(
        state=ImportRecord.State.FAILED, finished_at=timezone.now(), errors=[message]
    )


def import_retry(*, record: ImportRecord, by) -> ImportRecord:
    """Queue a failed background import of a kept file again."""
    if record.state != ImportRecord.State.FAILED or not record.background or not record.file:
        raise ValidationError(
            _("Only a failed background import whose file is kept can be retried.")
        )
    from newsroom.imports.tasks import import_in_background

    ImportRecord.objects.filter(pk=record.pk).update(
        state=ImportRecord.State.QUEUED, errors=[], notes=[], rows_done=0, notified=False
    )
    transaction.on_commit(lambda: import_in_background.enqueue(record.pk))
    record.refresh_from_db()
    return record


def import_recorded_file(*, record: ImportRecord) -> Report:
    """Run a queued import: check every row first (progress visible), then write it all."""
    from newsroom.imports.spreadsheets import open_table

    spec = spec_for(record.model.model_class())
    with record.file.open("rb") as stream:
        table = open_table(
            stream.read(),
            filename=record.file_name,
            format=record.file_format or None,
            encoding=record.encoding or None,
        )
    ImportRecord.objects.filter(pk=record.pk).update(  # from the start, if run again
        state=ImportRecord.State.RUNNING, encoding=table.encoding, rows_done=0
    )

    def progress(report: Report) -> None:  # outside any transaction: others see it at once
        ImportRecord.objects.filter(pk=record.pk).update(rows_done=report.total)

    check = Importer(spec, dry_run=True, on_batch=progress, user=record.user).run(table)
    if not check.ok:
        _finish(record, check)
        return check
    record.refresh_from_db()
    report, _record = import_table(spec=spec, table=table, record=record)
    return report
