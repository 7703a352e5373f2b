from django.db import migrations, models


class Migration(migrations.Migration):
    """A failing scheduled source's reason as words (its kind, what the address said), so the portfolio
    says what happened and what to do in the reader's language."""

    dependencies = [
        ("portfolio", "0015_clientmonthsummary_has_traffic"),
    ]

    operations = [
        migrations.AddField(
            model_name="sourcefailure",
            name="words",
            field=models.JSONField(blank=True, default=dict),
        ),
    ]
