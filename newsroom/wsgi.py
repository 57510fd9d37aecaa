"""WSGI entry point, for gunicorn and other WSGI servers.

Each server process loads here what it would otherwise load in a reader's request (the Thai
word list of search, ...): the apps' ``warm_up``, then a request of each of their
``warm_up_paths`` through the whole stack, before the first reader's comes.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
application = get_wsgi_application()

from newsroom.apps import apps_warm_up  # noqa: E402  (the apps are ready only now)

apps_warm_up(application)
