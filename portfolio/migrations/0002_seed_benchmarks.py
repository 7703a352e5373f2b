from django.db import migrations


def seed(apps, schema_editor):
    from django.conf import settings
    from django.db import connection

    if connection.schema_name != settings.PUBLIC_SCHEMA_NAME:
        return
    from portfolio.seed import benchmarks_seed

    benchmarks_seed(apps.get_model("portfolio", "Benchmark"))


class Migration(migrations.Migration):
    dependencies = [("portfolio", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
