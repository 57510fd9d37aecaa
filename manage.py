#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys

NOT_INSTALLED = """\
Django is not installed for this Python ({python}).
Install the project first with `make run` (or `make install`), then run its commands
with the project's own Python: .venv/bin/python manage.py {command}"""


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    try:
        from django.core.management import execute_from_command_line
    except ImportError:
        # A fresh clone, or the system's Python: say what to do, not a bare traceback.
        command = " ".join(sys.argv[1:]) or "help"
        sys.exit(NOT_INSTALLED.format(python=sys.executable, command=command))

    execute_from_command_line(sys.argv)
