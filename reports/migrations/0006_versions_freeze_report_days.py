"""Approved versions from before versions kept what the report draws from rows (kpis.report.FROZEN:
the ad rows by day, the campaigns' names) get it now, from the rows, where the rows still add up to the approved figures (the month's ad spend and clicks): then
the days are the approved ones. A month restated since keeps reading the rows until its revision
is approved (docs/monthly-close.md). Only the latest version of each month: it is what the client
reads. Whether the client had revenue data then cannot be told now: it stays read from the rows
for these versions. Runs in each client's schema; plain SQL, so the app code may change later."""

from __future__ import annotations

from django.db import migrations

KEY = "report"


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 0.005 + 1e-9 * max(abs(a), abs(b))


def freeze(apps, schema_editor) -> None:
    ReportVersion = apps.get_model("reports", "ReportVersion")
    latest = ReportVersion.objects.order_by("month", "-number").distinct("month")
    with schema_editor.connection.cursor() as cursor:
        for version in latest:
            document = version.document or {}
            if KEY in document:
                continue
            after = version.month.replace(year=version.month.year + (version.month.month == 12),
                                          month=version.month.month % 12 + 1)
            cursor.execute(
                "SELECT date, sum(amount), sum(clicks) FROM clients_spend WHERE date >= %s AND date < %s "
                "AND platform <> '' GROUP BY 1 ORDER BY 1",
                [version.month, after],
            )
            days = [(day, float(spend), None if clicks is None else float(clicks)) for day, spend, clicks in cursor.fetchall()]
            kpis = document.get("kpis", {})
            spend_now = sum(spend for _day, spend, _clicks in days)
            clicks_now = sum(clicks or 0.0 for _day, _spend, clicks in days)
            if not _close(spend_now, float(kpis.get("ad_spend") or 0.0)) or not _close(clicks_now, float(kpis.get("clicks") or 0.0)):
                continue  # restated since: the approved days are not in the rows any more
            members = list(document.get("breakdowns", {}).get("campaign", {}))
            names = {}
            if members:
                cursor.execute("SELECT id, name FROM clients_campaign WHERE id = ANY(%s)", [members])
                names = dict(cursor.fetchall())
            version.document = {
                **document,
                KEY: {
                    "paid_days": [[day.isoformat(), spend, clicks] for day, spend, clicks in days],
                    "campaign_names": names,
                },
            }
            version.save(update_fields=["document"])


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0005_commentary_drafted"),
        ("clients", "0011_connections"),
    ]

    operations = [migrations.RunPython(freeze, migrations.RunPython.noop)]
