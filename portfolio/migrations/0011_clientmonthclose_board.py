from django.db import migrations, models


class Migration(migrations.Migration):
    """The close board's columns of the public mirror: the commentary's state and when the figures
    were computed. Existing rows take ``figures_at`` from the public summary (written with the same
    snapshot); their commentary state is filled at the next change of their month."""

    dependencies = [
        ("portfolio", "0010_connection_health"),
    ]

    operations = [
        migrations.AddField(
            model_name="clientmonthclose",
            name="commentary_state",
            field=models.CharField(default="none", max_length=10),
        ),
        migrations.AddField(
            model_name="clientmonthclose",
            name="figures_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddIndex(
            model_name="clientmonthclose",
            index=models.Index(fields=["month", "client"], name="month_close_month_client"),
        ),
        migrations.RunSQL(
            """UPDATE portfolio_clientmonthclose c SET figures_at = s.computed_at
               FROM portfolio_clientmonthsummary s WHERE s.client_id = c.client_id AND s.month = c.month""",
            migrations.RunSQL.noop,
        ),
    ]
