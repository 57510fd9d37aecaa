"""The background worker that survives: ``manage.py db_worker`` is django-tasks-db's worker
with three things more.

- **It outlives the database's faults.** A database that is locked, restarting or away
  stops a plain worker for good; this one logs it, waits (1 s, 2 s, 4 s ... at most
  ``WORKER_RETRY_MAX_SECONDS``) and goes on when the database is back.
- **It says it is alive.** A thread writes the worker's heartbeat every
  ``WORKER_HEARTBEAT_SECONDS`` (``WorkerHeartbeat``), on a connection of its own, so a long
  task does not silence it.
- **It takes back work whose worker died.** A task left *running* by a worker that no
  longer beats (killed, its machine gone; or this worker, after a database fault) is run
  again: imports and search indexing are written whole or not at all, so running one again
  is safe. After ``WORKER_MAX_ATTEMPTS`` runs it is marked failed, and so is its import,
  which the Imports list offers to retry.
"""

import contextlib
import logging
import os
import socket
import threading
import time
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connections
from django.db.models import Q
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import is_locked_database_exception

from newsroom.models import ImportRecord, WorkerHeartbeat

logger = logging.getLogger(__name__)
IMPORT_TASK = "newsroom.imports.tasks.import_in_background"


def heartbeat(worker_id: str) -> None:
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"seen_at": timezone.now(), "pid": os.getpid(), "host": socket.gethostname()},
    )


def living_workers() -> set[str]:
    since = timezone.now() - timedelta(seconds=settings.WORKER_LEASE_SECONDS)
    return set(
        WorkerHeartbeat.objects.filter(seen_at__gte=since).values_list("worker_id", flat=True)
    )


def orphans_recover(*, own_id: str, own_busy: bool) -> int:
    """Run again the tasks left running by a worker that is gone (or by this one, when it is
    not running anything); give up on those run ``WORKER_MAX_ATTEMPTS`` times. Returns how
    many were taken back."""
    alive = living_workers() - ({own_id} if not own_busy else set())
    recovered = 0
    for result in DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING):
        claimed_by = result.worker_ids[-1] if result.worker_ids else ""
        if claimed_by in alive:
            continue
        if len(result.worker_ids) >= settings.WORKER_MAX_ATTEMPTS:
            _give_up(result)
        else:
            DBTaskResult.objects.filter(pk=result.pk, status=TaskResultStatus.RUNNING).update(
                status=TaskResultStatus.READY, started_at=None
            )
            logger.warning(
                "Task %s (%s) lost its worker: it runs again.", result.pk, result.task_path
            )
        recovered += 1
    return recovered


def _give_up(result: DBTaskResult) -> None:
    DBTaskResult.objects.filter(pk=result.pk).update(
        status=TaskResultStatus.FAILED,
        finished_at=timezone.now(),
        exception_class_path="newsroom.worker.WorkerLost",
        traceback=f"The worker stopped {len(result.worker_ids)} times while running this task.",
    )
    logger.error("Task %s (%s) lost its worker too often: failed.", result.pk, result.task_path)
    if result.task_path == IMPORT_TASK and result.args_kwargs.get("args"):
        record_id = result.args_kwargs["args"][0]
        ImportRecord.objects.filter(
            Q(pk=record_id),
            Q(state=ImportRecord.State.RUNNING) | Q(state=ImportRecord.State.QUEUED),
        ).update(
            state=ImportRecord.State.FAILED,
            finished_at=timezone.now(),
            errors=["The background worker stopped while importing; nothing was written. Retry."],
        )


def again_later(task, *args, attempt: int, error: Exception) -> None:
    """The database failed under ``task``: enqueue it again in a while (30 s, 60 s, ...),
    ``WORKER_MAX_ATTEMPTS`` times in all; then ``error`` stands."""
    if attempt >= settings.WORKER_MAX_ATTEMPTS:
        raise error
    delay = timedelta(seconds=30 * 2 ** (attempt - 1))
    logger.warning("%s failed (%s): it runs again in %s.", task.name, error, delay)
    close_old_connections()
    task.using(run_after=timezone.now() + delay).enqueue(*args, attempt=attempt + 1)


class SurvivingWorker(Worker):
    def run(self) -> None:
        self._done = threading.Event()
        beat = threading.Thread(target=self._beat, name="worker-heartbeat", daemon=True)
        beat.start()
        try:
            self._run_surviving()
        finally:
            self._done.set()
            beat.join(timeout=5)

    def _run_surviving(self) -> None:
        delay = 1
        while self.running:
            started = time.monotonic()
            try:
                close_old_connections()
                heartbeat(self.worker_id)
                # Nothing runs here yet: what this worker had claimed was cut short.
                orphans_recover(own_id=self.worker_id, own_busy=False)
                super().run()
                return  # --batch or --max-tasks: done
            except DatabaseError as error:
                if time.monotonic() - started > 60:
                    delay = 1  # it had been working: start the back-off again
                logger.error("The database failed (%s); trying again in %s s.", error, delay)
                self._close()
                time.sleep(delay)
                delay = min(delay * 2, settings.WORKER_RETRY_MAX_SECONDS)

    def _beat(self) -> None:
        while not self._done.wait(settings.WORKER_HEARTBEAT_SECONDS):
            try:
                heartbeat(self.worker_id)
                # Other workers' lost tasks only: this worker's own are the main loop's.
                orphans_recover(own_id=self.worker_id, own_busy=True)
            except DatabaseError as error:
                # SQLite: a long import holds the write lock; the beat waits for the next turn.
                level = logging.DEBUG if is_locked_database_exception(error) else logging.WARNING
                logger.log(level, "Heartbeat not written (%s).", error)
            finally:
                connections.close_all()  # this thread's own connections

    @staticmethod
    def _close() -> None:
        for connection in connections.all(initialized_only=True):
            with contextlib.suppress(DatabaseError):
                connection.close()
