from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0003_check_note"),
    ]

    operations = [
        migrations.AddField(
            model_name="commentary",
            name="drafted",
            field=models.BooleanField(default=False),
        ),
    ]
