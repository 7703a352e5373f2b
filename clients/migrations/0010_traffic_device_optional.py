from django.db import migrations, models


class Migration(migrations.Migration):
    """formats.md: traffic's device is optional ("" when the file does not give it)."""

    dependencies = [("clients", "0009_spend_ad_delivery_and_optional_bounces")]

    operations = [
        migrations.AlterField(
            model_name="trafficrow",
            name="device",
            field=models.CharField(
                blank=True, choices=[("desktop", "Desktop"), ("mobile", "Mobile"), ("tablet", "Tablet")],
                default="", max_length=10,
            ),
        ),
    ]
