from django.core.management.base import BaseCommand

from newsroom.imports.service import import_files_prune
from newsroom.imports.uploads import uploads_prune


class Command(BaseCommand):
    help = (
        "Remove the files of background imports that ended more than IMPORT_KEEP_FILES_DAYS "
        "ago, and the admin's uploads whose preview was never confirmed (after a day)."
    )

    def handle(self, **options):
        imports, uploads = import_files_prune(), uploads_prune()
        if options["verbosity"]:
            self.stdout.write(f"Removed {imports} import file(s) and {uploads} upload(s).")
