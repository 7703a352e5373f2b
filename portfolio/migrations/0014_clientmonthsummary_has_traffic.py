from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('portfolio', '0013_clientmonthsummary_has_spend'),
    ]

    operations = [
        migrations.AddField(
            model_name='clientmonthsummary',
            name='has_traffic',
            field=models.BooleanField(blank=True, null=True),
        ),
    ]
