"""A target names who set it as the close names people (agency.models.User.display_name: the full
name, else the email address), not by the login name, as reports 0007 and clients 0012 did for the
close and the criteria versions. The stored login names are rewritten where they are a user's login
name. Public schema (targets live beside the portfolio's summaries); plain SQL, so the app code may
change later. Backwards: a no-op (the names are left as they are)."""

from __future__ import annotations

from django.db import migrations

SHOWN = "left(coalesce(nullif(trim(u.first_name || ' ' || u.last_name), ''), nullif(u.email, ''), u.username), 150)"


def rename(apps, schema_editor) -> None:
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE portfolio_target t SET set_by = {SHOWN} FROM agency_user u "  # noqa: S608 -- our own names
            f"WHERE t.set_by = u.username AND t.set_by <> {SHOWN}"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("portfolio", "0013_clientmonthsummary_has_spend"),
        ("agency", "0001_initial"),
    ]

    operations = [migrations.RunPython(rename, migrations.RunPython.noop)]
