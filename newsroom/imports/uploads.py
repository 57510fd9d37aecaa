"""Files uploaded to the admin's import, between the preview and the confirmation.

They are streamed to a folder of their own (never held whole in memory), removed when the
import is confirmed or its preview refused, and pruned after a day if the editor never came
back (django-import-export's own storage leaves them in the temporary folder for ever).
"""

import re
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

from django.core.exceptions import SuspiciousOperation
from import_export.tmp_storages import BaseStorage

UPLOAD_LIFETIME = 24 * 3600  # seconds an unconfirmed preview's file is kept
_NAME = re.compile(r"upload-\w+")


def uploads_folder() -> Path:
    folder = Path(tempfile.gettempdir()) / "newsroom-imports"
    folder.mkdir(exist_ok=True)
    return folder


class UploadStorage(BaseStorage):
    """A django-import-export storage whose ``read`` gives the file's path, not its bytes."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        if self.name is not None and not _NAME.fullmatch(self.name):
            raise SuspiciousOperation("An import file name that this site did not give.")

    def save(self, data: bytes) -> None:
        self.save_chunks([data])

    def save_chunks(self, chunks: Iterable[bytes]) -> None:
        uploads_prune()
        with tempfile.NamedTemporaryFile(
            "wb", dir=uploads_folder(), prefix="upload-", delete=False
        ) as file:
            for chunk in chunks:
                file.write(chunk)
        self.name = Path(file.name).name

    def read(self) -> Path:
        return uploads_folder() / self.name

    def remove(self) -> None:
        if self.name:
            self.read().unlink(missing_ok=True)


def uploads_prune(*, older_than: float = UPLOAD_LIFETIME) -> int:
    """Remove the files of previews never confirmed; return how many."""
    removed, cutoff = 0, time.time() - older_than
    for path in uploads_folder().glob("upload-*"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
                removed += 1
        except FileNotFoundError:  # removed meanwhile by its own request
            continue
    return removed
