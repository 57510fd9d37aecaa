"""ASGI entry point."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
application = get_asgi_application()

from newsroom.apps import apps_warm_up  # noqa: E402  (the apps are ready only now)

apps_warm_up()  # as wsgi.py does
