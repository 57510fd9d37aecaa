from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from newsroom.progress import progress_bar
from timeline.models import Event

SEED = settings.BASE_DIR / "fixtures" / "seed.json"


class Command(BaseCommand):
    help = (
        "Load the content of the two seed articles (fixtures/seed.json) into an empty "
        "database. With --force, also over existing content: seed rows are reset."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load even if the database holds content (resets seed rows).",
        )

    def handle(self, *, force, **options):
        if Event.objects.exists() and not force:
            self.stdout.write(
                "The database holds content already; the seed was not loaded "
                "(nothing was changed). Use --force to reset the seed rows."
            )
            return
        with progress_bar(total=3, unit="steps", desc="seed", stream=self.stderr) as bar:
            call_command("loaddata", SEED, stdout=self.stdout, stderr=self.stderr)
            bar.update()
            # loaddata saves raw, unseen by the search index: rebuild it whole.
            call_command("rebuild_search_index", stdout=self.stdout, stderr=self.stderr)
            bar.update()
            # The history starts with the seed as it was loaded (one version per item).
            call_command(
                "createinitialrevisions",
                "timeline.Event",
                "newsroom.Source",
                comment="Loaded from fixtures/seed.json",
                verbosity=0,
            )
            bar.update()
