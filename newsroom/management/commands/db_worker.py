"""``manage.py db_worker``: django-tasks-db's command and options, with the worker that
survives the database's faults and takes back the work of workers that died
(``newsroom.worker``)."""

from django_tasks_db.management.commands import db_worker

from newsroom.worker import SurvivingWorker


class Command(db_worker.Command):
    help = (
        "Run the background worker (imports, search indexing). It waits out database "
        "faults and runs again the tasks of workers that stopped."
    )

    def handle(self, *args, **options):
        db_worker.Worker = SurvivingWorker  # the command builds its worker by this name
        try:
            return super().handle(*args, **options)
        finally:
            db_worker.Worker = SurvivingWorker.__mro__[1]
