"""The checks computed with each snapshot, against real PostgreSQL: what the SQL reads, the
upsert that keeps a resolution, findings that go away, and the public counts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.utils import translation
from django_tenants.utils import schema_context

from agency.months import Month
from clients.models import Campaign, Job, Lead, Spend, TrafficRow
from kpis.checks.selectors import check_data, delivery_available, month_checks_read
from kpis.checks.services import checks_compute
from kpis.models import CheckResult
from kpis.services import snapshot_compute
from portfolio.models import ClientMonthChecks

pytestmark = pytest.mark.django_db

OCT = Month.parse("2026-10")
MONTHS = [(OCT - i).first_day for i in range(4, -1, -1)]  # June … October
GAP = {dt.date(2026, 10, 6), dt.date(2026, 10, 7), dt.date(2026, 10, 8)}


def seed(
    *, gap: set[dt.date] = frozenset(), twins: bool = False, contacted: bool = True, sqls: int = 0, mqls: bool = True
) -> None:
    """Daily spend and traffic June–October, 60 leads a month with a campaign, each first contacted
    two hours after it arrived unless not ``contacted``; ``gap``: days of October without spend;
    ``sqls``: leads a month that become SQLs the next day (MQLs an hour after arriving, unless not
    ``mqls``)."""
    Campaign.objects.create(id="c1", name="Marca España", channel="paid_search")
    if twins:
        Campaign.objects.create(id="c2", name="marca  espana", channel="paid_search")
    spend, traffic, leads = [], [], []
    for month in MONTHS:
        for day in Month.of(month).days():
            if day not in gap:
                spend.append(Spend(id=f"s{day}", date=day, category="media", amount=Decimal("40"), campaign_id="c1"))
            traffic.append(TrafficRow(date=day, channel="organic_search", device="desktop", sessions=100))
        for i in range(60):
            created = dt.datetime.combine(month + dt.timedelta(days=i % 27), dt.time(10), tzinfo=dt.UTC)
            leads.append(
                Lead(
                    id=f"{month}-{i}",
                    created_at=created,
                    campaign_id="c2" if twins and i == 0 else "c1",
                    first_contacted_at=created + dt.timedelta(hours=2) if contacted else None,
                    # 5 MQLs a month besides the SQLs': a month of leads and no MQL is a check of its own
                    mql_at=created + dt.timedelta(hours=1) if (i < sqls or i >= 55) and mqls else None,
                    sql_at=created + dt.timedelta(days=1) if i < sqls else None,
                )
            )
    Spend.objects.bulk_create(spend)
    TrafficRow.objects.bulk_create(traffic)
    Lead.objects.bulk_create(leads)


@time_machine.travel(dt.datetime(2026, 11, 10, 9, tzinfo=dt.UTC), tick=False)
def test_a_gap_in_daily_spend_is_stored_with_its_days_and_counted_in_public(tenant_a) -> None:
    with schema_context("alpha"):
        seed(gap=GAP, twins=True)
    snapshot_compute(client=tenant_a, months=MONTHS)
    with schema_context("alpha"):
        keys = set(CheckResult.objects.filter(month=OCT.first_day).values_list("key", "subject"))
        assert keys == {("coverage.source_gap", "spend"), ("tracking.campaign_name_twins", "marcaespana")}
        with translation.override("es"):
            sentences = [c["sentence"] for c in month_checks_read(month=OCT.first_day, currency="EUR")]
    assert "Inversión: faltan los datos de 3 días del mes (6–8 oct)." in sentences
    counts = ClientMonthChecks.objects.get(client=tenant_a, month=OCT.first_day)
    assert (counts.total, counts.high, counts.open, counts.open_high) == (2, 1, 2, 1)
    # September had both campaign names too, but no gap.
    with schema_context("alpha"):
        assert list(CheckResult.objects.filter(month=dt.date(2026, 9, 1)).values_list("key", flat=True)) == [
            "tracking.campaign_name_twins"
        ]


@time_machine.travel(dt.datetime(2026, 11, 10, 9, tzinfo=dt.UTC), tick=False)
def test_recomputing_keeps_one_row_and_its_resolution_and_drops_what_is_gone(tenant_a) -> None:
    with schema_context("alpha"):
        seed(gap=GAP)
    snapshot_compute(client=tenant_a, months=MONTHS)
    with schema_context("alpha"):
        row = CheckResult.objects.get(month=OCT.first_day)
        resolved = dt.datetime(2026, 11, 9, tzinfo=dt.UTC)
        CheckResult.objects.filter(pk=row.pk).update(resolved_at=resolved, resolution_note="late feed")
    snapshot_compute(client=tenant_a, months=[OCT.first_day])
    snapshot_compute(client=tenant_a, months=[OCT.first_day])
    with schema_context("alpha"):
        (again,) = CheckResult.objects.filter(month=OCT.first_day)
        assert again.pk == row.pk and again.resolution_note == "late feed"
        Spend.objects.bulk_create(
            [Spend(id=f"late{d}", date=d, category="media", amount=Decimal("40"), campaign_id="c1") for d in GAP]
        )
    snapshot_compute(client=tenant_a, months=[OCT.first_day])
    with schema_context("alpha"):
        assert not CheckResult.objects.filter(month=OCT.first_day).exists()
    assert ClientMonthChecks.objects.get(client=tenant_a, month=OCT.first_day).total == 0


@time_machine.travel(dt.datetime(2026, 10, 20, 9, tzinfo=dt.UTC), tick=False)
def test_the_month_in_progress_is_not_checked(tenant_a) -> None:
    with schema_context("alpha"):
        seed(gap=GAP)
    assert checks_compute(client=tenant_a, months=[OCT.first_day]) == {}


def test_check_data_reads_a_fixed_number_of_queries_and_partial_data(tenant_a, django_assert_max_num_queries) -> None:
    with schema_context("alpha"):
        Lead.objects.create(id="x", created_at=dt.datetime(2026, 10, 3, 23, 30, tzinfo=dt.UTC))  # 4 Oct in Madrid
        with django_assert_max_num_queries(6):
            data = check_data(months=MONTHS, timezone="Europe/Madrid")
    assert data[OCT.first_day].source_days["leads"] == {dt.date(2026, 10, 4)}
    assert data[OCT.first_day].unattributed_leads == 1
    assert data[OCT.first_day].delivery == ({} if delivery_available() else None)  # no ad rows: nothing to judge


@time_machine.travel(dt.datetime(2026, 11, 10, 9, tzinfo=dt.UTC), tick=False)
def test_check_month_prints_the_checks_as_json_and_export_snapshot_includes_them(tenant_a) -> None:
    import io
    import json

    from django.core.management import call_command

    with schema_context("alpha"):
        seed(gap=GAP)
    snapshot_compute(client=tenant_a, months=MONTHS)
    out = io.StringIO()
    call_command("check_month", "alpha", "--month", "2026-10", "--language", "es", stdout=out)
    printed = json.loads(out.getvalue())
    (check,) = printed["checks"]
    assert printed["month"] == "2026-10" and check["key"] == "coverage.source_gap" and check["severity"] == "high"
    assert check["figures"]["days"] == ["2026-10-06", "2026-10-07", "2026-10-08"]
    assert check["sentence"] == "Inversión: faltan los datos de 3 días del mes (6–8 oct)." and check["link"] == "/imports/"
    out = io.StringIO()
    call_command("export_snapshot", "alpha", "--month", "2026-10", stdout=out)
    exported = json.loads(out.getvalue())
    assert [c["key"] for c in exported["checks"]] == ["coverage.source_gap"]
    assert exported["checks"][0]["sentence"] == "Spend has no data for 3 days of the month: Oct 6–8."


@pytest.mark.skipif(not delivery_available(), reason="spend rows have no delivery columns yet (paid media)")
@time_machine.travel(dt.datetime(2026, 11, 10, 9, tzinfo=dt.UTC), tick=False)
def test_a_campaign_spending_without_clicks_is_a_tracking_break_read_from_the_spend_rows(tenant_a) -> None:
    with schema_context("alpha"):
        Campaign.objects.create(id="g1", name="Brand search", channel="paid_search")
        rows = []
        for day in [*Month.parse("2026-09").days(), *OCT.days()]:
            silent = day >= dt.date(2026, 10, 25)
            rows.append(
                Spend(
                    id=f"g{day}",
                    date=day,
                    category="media",
                    amount=Decimal("50"),
                    campaign_id="g1",
                    platform="google_ads",
                    clicks=0 if silent else 40,
                    conversions=Decimal(0 if silent else 2),
                )
            )
        Spend.objects.bulk_create(rows)
    snapshot_compute(client=tenant_a, months=[dt.date(2026, 9, 1), OCT.first_day])
    with schema_context("alpha"):
        row = CheckResult.objects.get(month=OCT.first_day, key="tracking.spend_without_results")
    assert row.figures["count"] == 7 and row.figures["first"] == "2026-10-25" and row.subject == "Brand search:clicks"


def _google_ads_export(path, *, total: str) -> None:
    """A Google Ads campaign report in Spanish: title, range, header, two days, its totals rows."""
    path.write_text(
        "Informe de campañas\n01/10/2026 - 02/10/2026\n"
        "Día,ID de campaña,Campaña,Código de moneda,Coste,Impr.,Clics\n"
        '2026-10-01,111,Marca,EUR,"100,50",1.000,40\n'
        '2026-10-02,111,Marca,EUR,"99,50",1.000,40\n'
        f'Total: Cuenta,,,EUR,"{total}",,\n'
        f'Total: Campañas,,,EUR,"{total}",,\n',
        encoding="utf-8",
    )


@time_machine.travel(dt.datetime(2026, 11, 10, 9, tzinfo=dt.UTC), tick=False)
def test_an_imported_file_whose_rows_miss_its_totals_row_is_a_reconciliation_gap(tenant_a, tmp_path) -> None:
    from clients.imports.services import import_job_create_from_path, import_job_run
    from clients.storage import imports_dir

    for name, total, expected in (("agrees.csv", "200,00", []), ("short.csv", "260,00", ["reconciliation.file_totals"])):
        with schema_context("alpha"):
            CheckResult.objects.all().delete()
        path = tmp_path / name
        _google_ads_export(path, total=total)
        imports_dir(client=tenant_a).mkdir(parents=True, exist_ok=True)
        job = import_job_create_from_path(client=tenant_a, path=path, filename=name, kind="", source="google_ads")
        result = import_job_run(client=tenant_a, job_id=job.pk)
        assert result.ok, result.errors
        with schema_context("alpha"):
            stored = Job.objects.get(pk=job.pk).result
        assert stored["totals_row"] == {"amount": float(total.replace(",", ".")), "rows_amount": 200.0}
        snapshot_compute(client=tenant_a, months=[OCT.first_day])
        with schema_context("alpha"):
            found = list(
                CheckResult.objects.filter(month=OCT.first_day, key__startswith="reconciliation.file").values_list(
                    "key", flat=True
                )
            )
            with translation.override("es"):
                sentences = [c["sentence"] for c in month_checks_read(month=OCT.first_day, currency="EUR")]
        assert found == expected
        if expected:
            assert "Las filas de short.csv suman 200,00\xa0€ de inversión, pero su fila de totales dice 260,00\xa0€." in sentences


def test_many_findings_are_stored_exactly_in_one_statement_and_re_stored_in_place(tenant_a) -> None:
    """Forty findings (past the size at which the statement had to be split in Python) keep every
    value as given: floats to the last bit, nested figures, accents, microseconds."""
    from django.db import connection

    from kpis.checks.services import _findings_store

    months = [dt.date(2026, 9, 1), dt.date(2026, 10, 1)]
    at = dt.datetime(2026, 11, 10, 9, 1, 2, 345678, tzinfo=dt.UTC)
    rows = [
        {
            "month": months[i % 2], "key": "tracking.campaign_name_twins", "subject": f"campaña-{i}",
            "family": "tracking", "severity": "high" if i % 3 == 0 else "medium",
            "figures": {"share": 0.1 + 0.2 * i, "names": [f"Campaña {i}", "campana"], "none": None},
            "link": f"/scorecard/?month=2026-10#c{i}", "computed_at": at, "resolved_by_name": "", "resolution_note": "",
        }
        for i in range(40)
    ]  # fmt: skip
    with schema_context("alpha"):
        with connection.execute_wrapper(lambda execute, sql, *rest: statements.append(sql) or execute(sql, *rest)):
            statements: list[str] = []
            counts = _findings_store(months=months, rows=[dict(row) for row in rows])
        assert [sql for sql in statements if "kpis_checkresult" in sql] == statements[-1:]  # one, after the search path
        assert counts[months[0]] == {"total": 20, "high": 7, "open": 20, "open_high": 7}
        stored = {r.subject: r for r in CheckResult.objects.all()}
        assert len(stored) == 40
        for row in rows:
            got = stored[row["subject"]]
            assert (got.month, got.severity, got.figures, got.link, got.computed_at) == (
                row["month"], row["severity"], row["figures"], row["link"], row["computed_at"]
            )  # fmt: skip
        first_ids = {r.subject: r.pk for r in stored.values()}
        _findings_store(months=months, rows=[dict(row, severity="low") for row in rows[:30]])
        again = {r.subject: r for r in CheckResult.objects.all()}
    assert set(again) == {row["subject"] for row in rows[:30]}
    assert all(r.pk == first_ids[s] and r.severity == "low" for s, r in again.items())
