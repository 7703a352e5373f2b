from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0004_month_restated_by"),
    ]

    operations = [
        migrations.AddField(
            model_name="commentary",
            name="drafted",
            field=models.BooleanField(default=False),
        ),
    ]
