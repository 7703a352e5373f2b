from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('agency', '0010_client_language_agency_defaults'),
    ]

    operations = [
        migrations.CreateModel(
            name='PlatformApp',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('platform', models.CharField(max_length=30, unique=True)),
                ('secrets', models.TextField()),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('updated_by_name', models.CharField(blank=True, default='', max_length=150)),
            ],
        ),
    ]
