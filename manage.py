#!/usr/bin/env python
"""Django's command-line utility for the agency portal."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "agency.settings")
    from django.core.management import execute_from_command_line

    from agency.startup import StartupError, command_prepare

    try:
        command_prepare(sys.argv)
        execute_from_command_line(sys.argv)
    except StartupError as error:  # one sentence saying what to set or run, no traceback
        sys.exit(f"{error}")


if __name__ == "__main__":
    main()
