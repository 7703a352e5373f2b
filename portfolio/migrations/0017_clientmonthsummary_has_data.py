"""ClientMonthSummary.has_data: whether anything is recorded in the month, as the month's page judges it.

The rows already there are filled from each client's stored snapshots (the same figures the snapshot
computation reads, kpis.datastart.MONTH_ROWS as of this migration), so the close board agrees with the
month's page at once, not only after each month is computed again. A client whose schema has no
snapshot table keeps null, which the board reads from the summary's own figures as before.
"""

from django.db import migrations, models

# kpis.datastart.MONTH_ROWS when this migration was written (a migration never imports the live code).
MONTH_ROWS = (
    "sessions", "new_leads", "mqls", "sqls", "customers", "emails_sent", "marketing_spend", "sales_spend",
    "ad_spend", "impressions", "clicks", "new_mrr", "expansion_mrr", "contraction_mrr", "churned_mrr",
)


def fill(apps, schema_editor):
    connection = schema_editor.connection
    Client = apps.get_model("agency", "Client")
    Summary = apps.get_model("portfolio", "ClientMonthSummary")
    table = connection.ops.quote_name(Summary._meta.db_table)
    # Each figure above 0, as Django's document__kpis__<key>__gt=0 reads it (a JSON number above 0).
    recorded = " OR ".join(
        f"(jsonb_typeof(k.document -> 'kpis' -> '{key}') = 'number' AND (k.document -> 'kpis' -> '{key}') > '0'::jsonb)"
        for key in MONTH_ROWS
    )
    with connection.cursor() as cursor:
        for client_id, schema in Client.objects.filter(month_summaries__isnull=False).distinct().values_list("pk", "schema_name"):
            snapshots = f"{connection.ops.quote_name(schema)}.kpis_snapshot"
            cursor.execute("SELECT to_regclass(%s)", [snapshots])
            if cursor.fetchone()[0] is None:
                continue
            cursor.execute(
                f"UPDATE {table} s SET has_data = EXISTS (SELECT 1 FROM {snapshots} k WHERE k.month = s.month AND ({recorded})) "
                "WHERE s.client_id = %s",
                [client_id],
            )  # names from the models and the registry, the client as a parameter


class Migration(migrations.Migration):

    dependencies = [
        ('agency', '0001_initial'),
        ('portfolio', '0016_sourcefailure_words'),
    ]

    operations = [
        migrations.AddField(
            model_name='clientmonthsummary',
            name='has_data',
            field=models.BooleanField(blank=True, null=True),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
