"""The accounts several clients may read (HubSpot portals, GA4 properties, Mailchimp audiences) are
claimed too, ``exclusive=False``, without the one-client key: connecting one that another client
already reads is then said, naming that client (clients.connectors.sync), instead of silently
counting its leads for both. Filled from the connections already in the clients' schemas.
Backwards: those claims are deleted and the key covers every row again."""

from django.db import migrations, models

# The platforms whose accounts may feed several clients when this was written (clients.connectors:
# not exclusive_accounts).
SHARED = ("hubspot", "ga4", "mailchimp")

FILL = """
INSERT INTO agency_accountclaim (client_id, platform, account_id, exclusive)
SELECT %s, platform, account_id, false FROM {table} WHERE platform = ANY(%s)
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
                cursor.execute(FILL.format(table=table), [client_id, list(SHARED)])


def empty(apps, schema_editor):
    apps.get_model("agency", "AccountClaim").objects.filter(exclusive=False).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("agency", "0015_language_spanish_mexico"),
    ]

    operations = [
        migrations.AddField(
            model_name="accountclaim",
            name="exclusive",
            field=models.BooleanField(db_default=True, default=True),
        ),
        migrations.RemoveConstraint(model_name="accountclaim", name="account_claim_one_client"),
        migrations.AddConstraint(
            model_name="accountclaim",
            constraint=models.UniqueConstraint(condition=models.Q(exclusive=True), fields=("platform", "account_id"),
                                               name="account_claim_one_client"),
        ),
        migrations.RunPython(fill, empty),
    ]
