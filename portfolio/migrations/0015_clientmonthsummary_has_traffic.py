from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('portfolio', '0014_target_set_by_person_name'),
    ]

    operations = [
        migrations.AddField(
            model_name='clientmonthsummary',
            name='has_traffic',
            field=models.BooleanField(blank=True, null=True),
        ),
    ]
