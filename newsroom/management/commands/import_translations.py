from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, no_translations

from newsroom.translations.exchange import translations_import


class Command(BaseCommand):
    help = (
        "Import an XLIFF 2 file written by export_translations and filled in a CAT tool. "
        "A unit is applied when its target has text and its state is not “initial”; units "
        "left untranslated are skipped. A unit whose original changed since the export (or "
        "whose item or field is gone) is refused with the reason and the others are still "
        "applied; the exit status is then 1. Applied fields are marked up to date. Each kind "
        "of item is recorded as one import, which can be undone from the admin's imports."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the .xlf file to import")
        parser.add_argument(
            "--dry-run", action="store_true", help="check the whole file and report, write nothing"
        )

    @no_translations
    def handle(self, *, file, dry_run, **options):
        try:
            path = Path(file)
            if path.stat().st_size > settings.IMPORT_MAX_BYTES:
                raise CommandError(f"{file} is larger than {settings.IMPORT_MAX_BYTES:,} bytes.")
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(str(error)) from error
        result = translations_import(data=data, file_name=path.name, dry_run=dry_run)
        for error in result.errors:
            self.stderr.write(f"error: {error}")
        for outcome in result.of("refused"):
            self.stderr.write(f"refused: {outcome.id}: {outcome.reason}")
        if result.errors:
            raise CommandError("The file was refused: nothing was imported.")
        prefix = "dry run (nothing written): " if dry_run else ""
        self.stdout.write(f"{prefix}{result.language}: {result.summary()}")
        for record in result.records:
            self.stdout.write(f"import {record.pk} ({record.model.name}): undo it from the admin")
        if result.of("refused"):
            raise CommandError(f"{len(result.of('refused'))} unit(s) refused (see above).")
