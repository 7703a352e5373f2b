"""ClientMonthClose.emails_failed: the month's approval email could not be prepared (the close board's mark).

Rows already there are false; the next change of the month's close (or of its email: "Try again")
mirrors it. A month whose email failed before this migration shows on its own page as before.
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('portfolio', '0020_clientmonthsummary_has_leads'),
    ]

    operations = [
        migrations.AddField(
            model_name='clientmonthclose',
            name='emails_failed',
            field=models.BooleanField(default=False),
        ),
    ]
