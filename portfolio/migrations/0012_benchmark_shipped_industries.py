from django.db import migrations


def shipped_industries(apps, schema_editor):
    from portfolio.seed import benchmarks_shipped_industries

    benchmarks_shipped_industries(apps.get_model("portfolio", "Benchmark"))


class Migration(migrations.Migration):
    """The shipped industry bands (cost per lead of media, of financial services) were seeded before
    the industry column existed and shown to every client: they now carry their industry."""

    dependencies = [
        ("portfolio", "0011_clientmonthclose_board"),
    ]

    operations = [migrations.RunPython(shipped_industries, migrations.RunPython.noop)]
