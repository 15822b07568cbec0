#!/usr/bin/env python
"""Django's command line for Stay; a mistake in the environment is one sentence, not a traceback.

Every setting is read from the environment (facilitator/settings.py) and a wrong value
stops the process naming the variable. `make run` starts with `manage.py migrate`, so
that sentence is what a newcomer sees first: it is printed alone, without the ~50 lines
of Django's import machinery above it.
"""

import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "facilitator.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(sys.argv)
    except ImproperlyConfigured as exc:
        sys.exit(f"Stay cannot start: {exc}")
