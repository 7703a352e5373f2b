"""Which client each ad account feeds (agency.models.AccountClaim), filled from the connections that
already exist in the clients' schemas, so that connecting an account no longer opens them."""

import django.db.models.deletion
from django.db import migrations, models

# The platforms whose accounts feed one client only when this was written (clients.connectors:
# exclusive_accounts). Their account ids are stored already in one spelling (account_key).
EXCLUSIVE = ("google_ads", "meta_ads", "linkedin_ads")

# Clients in the order of their ids, the first keeping an account two somehow share: the order in
# which the check this replaces found the holder.
FILL = """
INSERT INTO agency_accountclaim (client_id, platform, account_id)
SELECT %s, platform, account_id FROM {table} WHERE platform = ANY(%s)
ON CONFLICT DO NOTHING
"""


def fill(apps, schema_editor):
    Client = apps.get_model("agency", "Client")
    with schema_editor.connection.cursor() as cursor:
        clients = Client.objects.exclude(schema_name="public").order_by("pk").values_list("pk", "schema_name")
        for client_id, schema in clients:
            table = schema_editor.quote_name(schema) + ".clients_connection"
            cursor.execute("SELECT to_regclass(%s)", [table])
            if cursor.fetchone()[0] is not None:
                cursor.execute(FILL.format(table=table), [client_id, list(EXCLUSIVE)])


class Migration(migrations.Migration):

    dependencies = [
        ("agency", "0013_connection_due"),
    ]

    operations = [
        migrations.CreateModel(
            name="AccountClaim",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("platform", models.CharField(max_length=30)),
                ("account_id", models.CharField(max_length=200)),
                ("client", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="account_claims",
                                             to="agency.client")),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("platform", "account_id"), name="account_claim_one_client"),
                    models.UniqueConstraint(fields=("client", "platform"), name="account_claim_client_platform"),
                ],
            },
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
