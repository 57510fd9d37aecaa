"""The import_<things> and export_<things> management commands share these two classes."""

import signal
import sys
import threading
from contextlib import nullcontext
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, no_translations

from newsroom.imports.exports import export_rows
from newsroom.imports.service import import_table
from newsroom.imports.specs import specs
from newsroom.imports.spreadsheets import (
    FORMATS,
    SpreadsheetError,
    glance,
    open_table,
    write_table,
)
from newsroom.progress import progress_bar


class Terminated(KeyboardInterrupt):
    """SIGTERM (a service stopping, ``timeout``) unwinds the import as Ctrl-C does."""


class _Stop:
    """Ctrl-C or SIGTERM: raised where it lands, and raised again at the next batch. Python
    only prints an exception raised inside a destructor (``__del__``): a signal landing
    there was lost, and the import went on to the end."""

    def __init__(self):
        self.received = None

    def __call__(self, signum, frame):
        self.received = signum
        self.check()

    def check(self) -> None:
        if self.received == signal.SIGTERM:
            raise Terminated
        if self.received is not None:
            raise KeyboardInterrupt


class ImportCommand(BaseCommand):
    things = ""  # "events", "sources", ...

    @property
    def help(self):
        return (
            f"Import {self.things} from a CSV, XLSX or JSON file: all rows or none. "
            "Rows are matched by slug; a new slug creates, a known one updates."
        )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the file to import")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="check the whole file and report, but write nothing",
        )
        parser.add_argument("--format", choices=FORMATS, help="default: from the file name")
        parser.add_argument("--encoding", help="e.g. utf-8, cp874, utf-16 (default: detect)")

    @no_translations  # one language on the terminal: the command's own lines are English
    def handle(self, *, file, dry_run, format, encoding, **options):
        try:
            table = open_table(
                Path(file),
                filename=file,
                format=format,
                encoding=encoding,
                max_bytes=settings.IMPORT_MAX_BYTES,
            )
        except (SpreadsheetError, OSError) as error:
            raise CommandError(str(error)) from error
        main = threading.current_thread() is threading.main_thread()  # where signals go
        stop = _Stop()
        signals = (signal.SIGTERM, signal.SIGINT) if main else ()
        previous = {sig: signal.signal(sig, stop) for sig in signals}
        estimate = _rows_estimate(Path(file), table.format)
        try:
            with progress_bar(
                total=estimate, unit="rows", desc=self.things, stream=self.stderr
            ) as bar:
                report, _record = import_table(
                    spec=specs()[self.things],
                    table=table,
                    file_name=Path(file).name,
                    dry_run=dry_run,
                    on_batch=lambda report: (stop.check(), bar.update(report.total - bar.n)),
                )
                bar.total = report.total  # the estimate was only that
        except KeyboardInterrupt as error:
            raise CommandError("Interrupted: nothing was imported.", returncode=130) from error
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        self._print(report, table)
        if not report.ok:
            raise CommandError(f"{len(report.errors)} error(s): nothing was imported.")

    def _print(self, report, table) -> None:
        self.stdout.write(f"{table.format}, {table.encoding or 'binary'}: {report.total} rows")
        for note in report.notes:
            self.stdout.write(f"note: {note}")
        for error in report.errors:
            self.stderr.write(f"error: {error}")
        if report.ok:  # a failed import's counts are of rows that were not written
            prefix = "dry run (nothing written): " if report.dry_run else ""
            self.stdout.write(prefix + report.summary())


def _rows_estimate(path: Path, format: str) -> int | None:
    """The rows the file holds, estimated cheaply, for the progress bar's time left."""
    try:
        return glance(path, format=format) or None
    except (SpreadsheetError, OSError):
        return None


def _counted(rows, bar):
    for row in rows:
        yield row
        bar.update()


class ExportCommand(BaseCommand):
    things = ""

    @property
    def help(self):
        return f"Export {self.things} as CSV (UTF-8 with BOM), XLSX or JSON."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=FORMATS, help="default: from -o, else csv")
        parser.add_argument("-o", "--output", help="the file to write (default: standard output)")
        parser.add_argument(
            "--status", action="append", help="only rows in this state (repeat for several)"
        )

    @no_translations
    def handle(self, *, format, output, status, **options):
        spec = specs()[self.things]
        format = format or (Path(output).suffix.lstrip(".").lower() if output else "csv")
        if format not in FORMATS:
            raise CommandError(f"Unknown format “{format}”: use one of {', '.join(FORMATS)}.")
        queryset = spec.model.objects.all()
        if status:
            if "status" not in spec.headers:
                raise CommandError(f"{self.things} have no status.")
            queryset = queryset.filter(status__in=status)
        total = queryset.count()
        with (
            open(output, "wb") if output else nullcontext(sys.stdout.buffer) as stream,
            progress_bar(total=total, unit="rows", desc=self.things, stream=self.stderr) as bar,
        ):
            rows = _counted(export_rows(spec, queryset), bar)
            write_table(rows, headers=spec.headers, format=format, stream=stream)
        if output:
            self.stderr.write(f"Wrote {total} {self.things} to {output}.")
