"""Background work, through django.tasks (run by ``manage.py db_worker``, newsroom.worker)."""

from django.db import DatabaseError
from django.tasks import task


@task()
def import_in_background(record_id: int, attempt: int = 1) -> None:
    """Import a kept file. Run again (a worker died, the database went away) it starts over,
    or does nothing if the import ended meanwhile: it is written whole or not at all."""
    from newsroom.imports.service import import_failed, import_recorded_file
    from newsroom.models import ImportRecord
    from newsroom.worker import again_later

    record = ImportRecord.objects.get(pk=record_id)
    if record.state not in (ImportRecord.State.QUEUED, ImportRecord.State.RUNNING):
        return
    try:
        import_recorded_file(record=record)
    except DatabaseError as error:
        again_later(import_in_background, record_id, attempt=attempt, error=error)
    except Exception as error:
        import_failed(record=record, error=error)
        raise
