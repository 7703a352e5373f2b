"""The monthly emails already sent become sent rows of the client's outbox (clients.OutboxEmail)."""

from django.db import migrations


def to_outbox(apps, schema_editor):
    ScorecardEmail = apps.get_model("kpis", "ScorecardEmail")
    OutboxEmail = apps.get_model("clients", "OutboxEmail")
    OutboxEmail.objects.bulk_create(
        [
            OutboxEmail(
                kind="monthly_scorecard", recipient_id=row.user_id, month=row.month, state="sent", sent_at=row.sent_at
            )
            for row in ScorecardEmail.objects.all()
        ],
        ignore_conflicts=True,
    )


def from_outbox(apps, schema_editor):
    ScorecardEmail = apps.get_model("kpis", "ScorecardEmail")
    OutboxEmail = apps.get_model("clients", "OutboxEmail")
    sent = OutboxEmail.objects.filter(kind="monthly_scorecard", state="sent", recipient__isnull=False)
    ScorecardEmail.objects.bulk_create(
        [ScorecardEmail(month=row.month, user_id=row.recipient_id) for row in sent], ignore_conflicts=True
    )


class Migration(migrations.Migration):
    dependencies = [
        ("kpis", "0004_delete_funnelplan"),
        ("clients", "0003_outbox_email"),
    ]

    operations = [
        migrations.RunPython(to_outbox, from_outbox),
        migrations.DeleteModel(name="ScorecardEmail"),
    ]
