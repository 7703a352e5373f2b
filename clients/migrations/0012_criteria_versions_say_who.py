"""A criteria version names its author as the close names people (agency.models.User.display_name:
the full name, else the email address), not by the login name; and says how a version without a
person came in (``saved_via``), so the versions table gives a reason instead of a bare "—".

The stored login names are rewritten where they are a user's login name, and ``saved_via`` is
inferred for the rows saved before it existed: an author (the editor; "Copied from …" notes: a
copied set-up), the demo's notes, else nothing known (the page says "not recorded"). Runs in each
client's schema (the users are in the public schema, on its search path); plain SQL. Backwards:
the field goes; the names are left as they are (a no-op).
"""

from __future__ import annotations

from django.db import migrations, models

SHOWN = "left(coalesce(nullif(trim(u.first_name || ' ' || u.last_name), ''), nullif(u.email, ''), u.username), 150)"


def forwards(apps, schema_editor) -> None:
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE clients_criteriaversion t SET author_name = {SHOWN} FROM agency_user u "  # noqa: S608 -- our own names
            f"WHERE t.author_name = u.username AND t.author_name <> {SHOWN}"
        )
        cursor.execute(
            "UPDATE clients_criteriaversion SET saved_via = CASE"
            " WHEN author_id IS NOT NULL AND (change_note LIKE 'Copied from %' OR change_note LIKE 'Copiado de %') THEN 'copy'"
            " WHEN author_id IS NOT NULL THEN 'editor'"
            " WHEN change_note IN ('Demo data', 'demo criteria') THEN 'demo'"
            " ELSE '' END"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("clients", "0011_connections"),
        ("agency", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="criteriaversion",
            name="saved_via",
            field=models.CharField(
                blank=True,
                choices=[
                    ("editor", "saved in the editor"),
                    ("copy", "copied from another client's set-up"),
                    ("command", "set up on the command line: nobody signed in"),
                    ("demo", "set up with the demo data"),
                ],
                default="",
                max_length=10,
            ),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
