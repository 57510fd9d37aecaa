"""Static files: whitenoise's storage (compressed, each name with a hash of its content), with
each file's URL looked up once a process."""

from django.conf import settings
from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """The manifest does not change while a process runs (``collectstatic``, then a restart),
    and every page names the same few files (its style sheet, fonts, icon): a name's URL is
    worked out once, not eight times a page. With DEBUG on, Django's own answer (no hash)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._urls: dict[str, str] = {}

    def url(self, name, force=False):
        if force or settings.DEBUG:
            return super().url(name, force)
        if (url := self._urls.get(name)) is None:
            url = self._urls[name] = super().url(name)
        return url
