"""Drop the ``varchar_pattern_ops`` ("_like") indexes Django adds beside the varchar keys of the
imported tables, in every client schema (django-tenants runs this migration in each).

PostgreSQL needs such an index only for ``LIKE 'prefix%'`` (``__startswith``) on a column whose
collation is not C; no query of the portal filters these keys by a prefix (the lead search is
``__icontains``, which no B-tree serves), while every import had to maintain them: for the
leads table they were two of its five indexes (docs/performance.md, "Sources"). Django does not
track them in the migration state, so the models are unchanged and ``makemigrations`` sees
nothing to do; the reverse creates them again as Django would.
"""

from django.db import migrations

# (model, field) pairs whose "_like" index is dropped.
FIELDS = (
    ("lead", "id"), ("lead", "campaign"),
    ("activity", "id"), ("activity", "lead"),
    ("spend", "id"), ("spend", "campaign"),
    ("emailrow", "campaign"),
)


def _like_name(schema_editor, model, field) -> str:
    return schema_editor._create_index_name(model._meta.db_table, [field.column], suffix="_like")


def drop_like_indexes(apps, schema_editor) -> None:
    for model_name, field_name in FIELDS:
        model = apps.get_model("clients", model_name)
        field = model._meta.get_field(field_name)
        schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(_like_name(schema_editor, model, field))}")


def create_like_indexes(apps, schema_editor) -> None:
    for model_name, field_name in FIELDS:
        model = apps.get_model("clients", model_name)
        field = model._meta.get_field(field_name)
        statement = schema_editor._create_like_index_sql(model, field)
        if statement is not None:
            schema_editor.execute(statement)


class Migration(migrations.Migration):

    dependencies = [
        ("clients", "0007_outbox_email_uncertain"),
    ]

    operations = [
        migrations.RunPython(drop_like_indexes, create_like_indexes),
    ]
