"""The dispatcher's index of when each client's connections are due (agency.models.ConnectionDue),
filled from the connections that already exist in the clients' schemas."""

import django.db.models.deletion
from django.db import migrations, models

# The rule of clients.connectors.schedule.connection_due_at, as it stood when this was written:
# nothing while re-authorisation is needed, a sync under way 30 minutes after it started, else
# the nightly slot.
FILL = """
INSERT INTO agency_connectiondue (client_id, platform, due_at)
SELECT %s, platform, CASE
    WHEN state = 'reauth' THEN NULL
    WHEN state = 'syncing' THEN COALESCE(last_attempt_at + interval '30 minutes', next_run_at)
    ELSE next_run_at END
FROM {table}
ON CONFLICT (client_id, platform) DO NOTHING
"""


def fill(apps, schema_editor):
    Client = apps.get_model("agency", "Client")
    with schema_editor.connection.cursor() as cursor:
        for client_id, schema in Client.objects.exclude(schema_name="public").values_list("pk", "schema_name"):
            table = schema_editor.quote_name(schema) + ".clients_connection"
            cursor.execute("SELECT to_regclass(%s)", [table])
            if cursor.fetchone()[0] is not None:
                cursor.execute(FILL.format(table=table), [client_id])


class Migration(migrations.Migration):

    dependencies = [
        ("agency", "0012_public_outbox_email"),
    ]

    operations = [
        migrations.CreateModel(
            name="ConnectionDue",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("platform", models.CharField(max_length=30)),
                ("due_at", models.DateTimeField(blank=True, null=True)),
                ("client", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="connections_due",
                                             to="agency.client")),
            ],
            options={
                "constraints": [models.UniqueConstraint(fields=("client", "platform"), name="connection_due_client_platform")],
                "indexes": [models.Index(condition=models.Q(("due_at__isnull", False)), fields=["due_at"],
                                         name="connection_due_at")],
            },
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
