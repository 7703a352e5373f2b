"""What a process checks before it starts work: the environment, then (for commands) the database.

A missing setting or an unmigrated database stops start-up with one sentence that says what
to do (:class:`StartupError`; ``manage.py`` prints it without a traceback), instead of a
traceback from deep inside Django or psycopg.
"""

from __future__ import annotations

import sys

from django.core.exceptions import ImproperlyConfigured

# The project's own commands read and write the portal's tables; Django's own (migrate_schemas,
# check, shell …) are left alone.
PROJECT_APPS = {"agency", "clients", "kpis", "portfolio"}


class StartupError(ImproperlyConfigured):
    """Start-up cannot go on; the message is one sentence saying what to set or run."""


def command_prepare(argv: list[str]) -> None:
    """Before one of the project's management commands: make sure the database is migrated."""
    if len(argv) < 2 or argv[1].startswith("-"):
        return
    import django

    django.setup()
    from django.core.management import get_commands

    if get_commands().get(argv[1]) in PROJECT_APPS:
        database_migrated_ensure()


def database_migrated_ensure() -> None:
    """Migrate the embedded development database if it is behind; stop with what to run otherwise.

    Only the public schema is looked at (one query plus reading the migration files): a fresh
    database or new migrations show there first, and migrate_schemas migrates every client too.
    """
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    if not executor.migration_plan(executor.loader.graph.leaf_nodes()):
        return
    if settings.EMBEDDED_DATABASE:
        print("» the database is not migrated: migrating it first (migrate_schemas)", file=sys.stderr, flush=True)
        call_command("migrate_schemas", verbosity=0)
        return
    raise StartupError("The database is not migrated: run `python manage.py migrate_schemas` first.")
