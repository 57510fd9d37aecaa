"""The project's settings, with one more URL: /bare/, a view returning a fixed short text,
and one more header: X-Worker-Pid, the worker that answered (outside the page cache).

The web bench serves the site with these, so that the bare view runs in the same gunicorn,
with the same workers, settings and middleware as the pages it is compared with.
"""

from newsroom.settings import *  # noqa: F403

ROOT_URLCONF = "bare_urls"
MIDDLEWARE = ["bare_urls.worker_pid", *MIDDLEWARE]  # noqa: F405
