from django.db import migrations, models
from django.db.models import F


def dispatched_before(apps, schema_editor):
    """Approvals confirmed before the field existed were sent whole or failed: their tasks (one may
    still be queued) approve as they did, the failed ones nothing."""
    BulkApproval = apps.get_model("portfolio", "BulkApproval")
    BulkApproval.objects.filter(failure="").update(dispatched_at=F("created_at"))


class Migration(migrations.Migration):

    dependencies = [
        ('portfolio', '0018_bulk_approval'),
    ]

    operations = [
        migrations.AddField(
            model_name='bulkapproval',
            name='dispatched_at',
            field=models.DateTimeField(help_text="every client's task sent: the tasks may approve", null=True),
        ),
        migrations.RunPython(dispatched_before, migrations.RunPython.noop),
    ]
