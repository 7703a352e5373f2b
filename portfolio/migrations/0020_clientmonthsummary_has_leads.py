"""ClientMonthSummary.has_leads: whether the client had a lead source up to the month's end (kpis.nodata).

Rows already there keep null (read as loaded, as before): the answer needs the client's leads and CRM
syncs, which the next computation of its snapshots reads (kpis.services.snapshot_upsert).
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('portfolio', '0019_bulkapproval_dispatched_at'),
    ]

    operations = [
        migrations.AddField(
            model_name='clientmonthsummary',
            name='has_leads',
            field=models.BooleanField(blank=True, null=True),
        ),
    ]
