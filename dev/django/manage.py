#!/usr/bin/env python
"""Django's command line for the test provider: `.venv/bin/python manage.py runprovider`."""

import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "provider.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
