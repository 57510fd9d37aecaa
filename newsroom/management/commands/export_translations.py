from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, no_translations

from newsroom.translations.exchange import STATES, translations_export
from newsroom.translations.status import target_languages


class Command(BaseCommand):
    help = (
        "Export, as an XLIFF 2.0 file for a translator's CAT tool (OmegaT, memoQ, Trados...), "
        "the fields of published items whose translation into one language is missing or "
        "stale. Each unit carries the original as exported; import the file back with "
        "import_translations."
    )

    def add_arguments(self, parser):
        parser.add_argument("--language", required=True, help="the translation's language")
        parser.add_argument(
            "--state",
            choices=STATES,
            default="all",
            help="missing translations, stale ones, or both (default)",
        )
        parser.add_argument("-o", "--output", help="the .xlf file to write (default: stdout)")

    @no_translations
    def handle(self, *, language, state, output, **options):
        if language not in target_languages():
            raise CommandError(
                f"“{language}” is not a translation: use one of {', '.join(target_languages())}."
            )
        data, count = translations_export(language=language, state=state)
        if not count:
            self.stderr.write(f"Nothing to translate into {language} ({state}): no file written.")
            return
        if output:
            Path(output).write_bytes(data)
            self.stderr.write(f"Wrote {count} field(s) to translate into {language} to {output}.")
        else:
            self.stdout.write(data.decode(), ending="")
