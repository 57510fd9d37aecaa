"""The project's settings, with one more URL: /bare/, a view returning a fixed short text,
and two more headers: X-Worker-Pid, the worker that answered, and X-Query-Count, the SQL
queries the request ran (both outside the page cache).

The web bench serves the site with these, so that the bare view runs in the same gunicorn,
with the same workers, settings and middleware as the pages it is compared with.
"""

from newsroom.settings import *  # noqa: F403

ROOT_URLCONF = "bare_urls"
MIDDLEWARE = ["bare_urls.bench_headers", *MIDDLEWARE]  # noqa: F405
