#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chantier.settings")
    # DATABASE_STATEMENT_TIMEOUT protects web workers; commands (migrate, imports, demo
    # data) may run long statements on purpose and have their own limit, none by default.
    os.environ["DATABASE_STATEMENT_TIMEOUT"] = os.environ.get("COMMAND_STATEMENT_TIMEOUT") or "0"
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
