from django.core.management.base import BaseCommand

from newsroom.progress import progress_bar
from timeline.search import search_rebuild


class Command(BaseCommand):
    help = (
        "Rebuild the search index of events, sources and people in every language. "
        "Saves, imports and publishing keep it current; run this after loading fixtures "
        "or restoring a database."
    )

    def handle(self, **options):
        self._bar, self._kind = None, ""
        try:
            total = search_rebuild(on_batch=self._progress)
        finally:
            if self._bar is not None:
                self._bar.close()
        self.stdout.write(f"Search index rebuilt: {total} entries.")

    def _progress(self, kind: str, done: int, total: int) -> None:
        """One bar per kind of item, moved to ``done`` of ``total``."""
        if kind != self._kind:
            if self._bar is not None:
                self._bar.close()
            self._bar = progress_bar(total=total, unit="items", desc=kind, stream=self.stderr)
            self._kind = kind
        self._bar.update(done - self._bar.n)
