"""The close named people by their login name ("approved by sam"); it names them as pages, PDFs and
emails should (agency.models.User.display_name): the full name, else the email address. The names
stored before are rewritten where they are a user's login name. Runs in each client's schema (the
users are in the public schema, on its search path); plain SQL, so the app code may change later."""

from __future__ import annotations

from django.db import migrations

SHOWN = "left(coalesce(nullif(trim(u.first_name || ' ' || u.last_name), ''), nullif(u.email, ''), u.username), 150)"
COLUMNS = [
    ("reports_monthreport", "approved_by_name"),
    ("reports_reportversion", "approved_by_name"),
    ("reports_commentary", "author_name"),
    ("reports_sharelink", "created_by_name"),
    ("reports_question", "asked_by_name"),
    ("reports_question", "answered_by_name"),
    ("reports_checknote", "author_name"),
    ("kpis_checkresult", "resolved_by_name"),
    ("kpis_annotation", "author_name"),
]


def rename(apps, schema_editor) -> None:
    with schema_editor.connection.cursor() as cursor:
        for table, column in COLUMNS:
            cursor.execute(
                f"UPDATE {table} t SET {column} = {SHOWN} FROM agency_user u "  # noqa: S608 -- our own names
                f"WHERE t.{column} = u.username AND t.{column} <> {SHOWN}"
            )


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0006_versions_freeze_report_days"),
        ("kpis", "0006_check_result"),
        ("agency", "0001_initial"),
    ]

    operations = [migrations.RunPython(rename, migrations.RunPython.noop)]
