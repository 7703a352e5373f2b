"""A table in every client schema; fails in the schema named by PORTAL_FAULT_MIGRATION_FAIL_AT."""

import os

from django.db import migrations


def forward(apps, schema_editor):
    schema = schema_editor.connection.schema_name
    if schema == os.environ.get("PORTAL_FAULT_MIGRATION_FAIL_AT"):
        raise RuntimeError(f"fault injected: this migration fails in schema {schema}")


class Migration(migrations.Migration):
    initial = True
    dependencies = []
    operations = [
        migrations.RunSQL("CREATE TABLE faultmig_mark (id integer PRIMARY KEY)", "DROP TABLE faultmig_mark"),
        migrations.RunPython(forward, migrations.RunPython.noop),
    ]
