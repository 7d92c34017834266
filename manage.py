#!/usr/bin/env python
"""Django's command-line utility for Stuurwiel."""

import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stuurwiel.settings")
    # manage.py lives in the source checkout, for development: without a SECRET_KEY
    # it runs as the demo does. Installations use `stuurwiel manage` with SECRET_KEY set.
    if "SECRET_KEY" not in os.environ:
        os.environ.setdefault("STUURWIEL_DEMO", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
