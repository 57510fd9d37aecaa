import sys

from django.core.management.base import BaseCommand

from timeline.search import search_rebuild


class Command(BaseCommand):
    help = (
        "Rebuild the search index of events, sources and people in every language. "
        "Saves, imports and publishing keep it current; run this after loading fixtures "
        "or restoring a database."
    )

    def handle(self, **options):
        total = search_rebuild(on_batch=self._progress)
        if sys.stderr.isatty():
            self.stderr.write("")
        self.stdout.write(f"Search index rebuilt: {total} entries.")

    def _progress(self, kind: str, done: int, total: int) -> None:
        if sys.stderr.isatty():
            self.stderr.write(f"\r{kind:<8} {done:>9,}/{total:,}", ending="")
