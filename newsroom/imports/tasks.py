"""Background work, through django.tasks."""

from django.tasks import task


@task()
def import_in_background(record_id: int) -> None:
    from newsroom.imports.service import import_recorded_file
    from newsroom.models import ImportRecord

    import_recorded_file(record=ImportRecord.objects.get(pk=record_id))
