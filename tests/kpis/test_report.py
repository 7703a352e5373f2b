"""The report's logic without a browser: the month it opens on, the month in progress and its
pace, the summary's KPIs, the charts (SVG and ReportLab from one layout)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client as HttpClient
from django_tenants.utils import schema_context

from clients.models import Lead
from kpis import charts
from kpis.report import default_month, headline_defaults, headline_keys, period_of
from kpis.services import snapshot_compute
from tests.conftest import host_of

NOV = dt.date(2026, 11, 1)
OCT = dt.date(2026, 10, 1)


class Tenant:
    timezone = "Europe/Madrid"


def test_opens_on_the_last_complete_month_even_when_the_running_one_has_a_snapshot() -> None:
    now = dt.datetime(2026, 11, 29, 12, tzinfo=dt.UTC)
    assert default_month([NOV, OCT, dt.date(2026, 9, 1)], Tenant(), now) == OCT
    assert default_month([NOV], Tenant(), now) == NOV  # nothing closed yet: the month that runs
    # just after midnight in Madrid on 1 December, November is complete
    assert default_month([dt.date(2026, 12, 1), NOV], Tenant(), dt.datetime(2026, 11, 30, 23, 30, tzinfo=dt.UTC)) == NOV


def test_the_month_in_progress_counts_working_days_and_projects_counts_only() -> None:
    now = dt.datetime(2026, 11, 29, 12, tzinfo=dt.UTC)
    period = period_of(month=NOV, client=Tenant(), holidays={dt.date(2026, 11, 2)}, now=now)  # a Monday
    assert (period.complete, period.day, period.days) == (False, 29, 30)
    assert (period.working_elapsed, period.working_total) == (19, 20)  # 21 weekdays, one holiday; the 30th to go
    assert period.label == "November 2026, month to date (day 29 of 30)"
    assert period.projected("new_leads", 95) == pytest.approx(100.0)
    assert period.projected("cpl", 10.0) is None and period.projected("mrr", 5.0) is None  # a rate, a stock
    assert period_of(month=OCT, client=Tenant(), holidays=(), now=now).complete


def test_staff_choose_the_summary_or_get_the_defaults(tenant_a) -> None:
    assert headline_keys(tenant_a) == headline_defaults()
    tenant_a.headline_kpis = ["sessions", "new_leads", "mqls", "sqls", "customers", "revenue", "no_such_kpi"]
    assert headline_keys(tenant_a) == ("sessions", "new_leads", "mqls", "sqls", "customers", "revenue")
    tenant_a.headline_kpis = ["sessions"]  # fewer than six: the defaults
    assert headline_keys(tenant_a) == headline_defaults()


def test_one_layout_draws_the_svg_and_the_pdf_chart() -> None:
    chart = charts.SeriesChart(
        title="Leads <&>",
        labels=[str(i) for i in range(13)],
        values=[1, 2, None, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13],
        target=10,
        target_text="Target 10",
        marks=[(3, "Note <script>")],
    )
    svg = charts.series_svg(chart)
    assert svg.startswith("<svg") and "<script" not in svg and "Note &lt;script&gt;" in svg and "Leads &lt;&amp;&gt;" in svg
    assert svg.count("<polyline") == 2 * 3  # the undefined month breaks the line (drawn at three widths)
    drawing = charts.series_drawing(chart)
    assert len(drawing.contents) == len(charts.layout_series(chart))
    funnel = charts.BarChart(title="f", bars=[charts.Bar("Sessions", 10000, "10,000"), charts.Bar("Customers", 3, "3")], log=True)
    shapes, _height = charts.layout_bars(funnel)
    widths = [s.coords[2] for s in shapes if s.kind == "rect"]
    assert widths[1] > widths[0] * 0.1  # on a log scale 3 of 10,000 is still a visible bar
    assert charts.png(charts.bars_drawing(funnel)).startswith(b"\x89PNG")


def test_an_axis_of_whole_things_has_no_fractional_ticks() -> None:
    assert charts.nice_ticks(0, 1) == [0, 0.25, 0.5, 0.75, 1.0]  # a rate may
    assert charts.nice_ticks(0, 1, whole=True) == [0, 1]  # customers may not
    assert charts.nice_ticks(0, 9, whole=True) == [0, 5, 10]  # and never 2.5
    chart = charts.SeriesChart(title="Customers", labels=list("abc"), values=[0, 1, 1], whole=True)
    ticks = [s.text for s in charts.layout_series(chart) if s.kind == "text" and s.anchor == "end"]
    assert ticks == ["0", "1"]


def test_the_pdf_is_kept_per_snapshot_and_redrawn_when_it_changes(tenant_a, client_user_a, settings) -> None:
    with schema_context("alpha"):
        Lead.objects.create(id="a", created_at=dt.datetime(2026, 3, 4, tzinfo=dt.UTC))
    snapshot_compute(client=tenant_a, months=[dt.date(2026, 3, 1)])
    http = HttpClient()
    http.force_login(client_user_a)
    first = http.get("/scorecard/export.pdf?month=2026-03", HTTP_HOST=host_of(tenant_a))
    kept = list((settings.MEDIA_ROOT / "alpha" / "reports").glob("2026-03-*.pdf"))
    assert first.status_code == 200 and len(kept) == 1 and kept[0].read_bytes() == first.content
    assert http.get("/scorecard/export.pdf?month=2026-03", HTTP_HOST=host_of(tenant_a)).content == first.content
    snapshot_compute(client=tenant_a, months=[dt.date(2026, 3, 1)])  # a new snapshot state: a new file
    http.get("/scorecard/export.pdf?month=2026-03", HTTP_HOST=host_of(tenant_a))
    assert len(list((settings.MEDIA_ROOT / "alpha" / "reports").glob("2026-03-*.pdf"))) == 2


def test_computing_the_last_closed_month_prepares_its_pdf_in_the_background(
    tenant_a, settings, django_capture_on_commit_callbacks
) -> None:
    from kpis.tasks import report_pdf_task, snapshot_compute_task

    sent = []
    with time_machine.travel(dt.datetime(2026, 4, 10, tzinfo=dt.UTC)):
        from unittest import mock

        with (
            mock.patch.object(report_pdf_task, "apply_async", side_effect=lambda **kw: sent.append(kw)),
            django_capture_on_commit_callbacks(execute=True),
        ):
            snapshot_compute_task.apply(
                kwargs={"client_slug": "alpha", "months": ["2026-02", "2026-03"]}, headers={"_schema_name": "alpha"}
            ).get()
        assert sent and sent[0]["kwargs"]["months"] == ["2026-03"]
        assert report_pdf_task.apply(kwargs=sent[0]["kwargs"], headers=sent[0]["headers"]).get() == 2  # English and Spanish
    assert len(list((settings.MEDIA_ROOT / "alpha" / "reports").glob("2026-03-*.pdf"))) == 2


def test_benchmark_bands_fit_the_clients_currency_and_industry() -> None:
    from types import SimpleNamespace as Band

    from kpis.scorecard import benchmarks_that_fit

    rate = Band(unit="rate", currency="", industry="", label="all")
    usd = Band(unit="money", currency="USD", industry="", label="usd")
    eur = Band(unit="money", currency="EUR", industry="", label="eur")
    saas = Band(unit="rate", currency="", industry="saas", label="saas")
    bands = [rate, usd, eur, saas]
    assert benchmarks_that_fit(bands, currency="EUR") == [rate, eur]  # no USD band on a EUR client, no other industry
    assert benchmarks_that_fit(bands, currency="EUR", industry="saas") == [saas]  # its own industry first
    assert benchmarks_that_fit(bands, currency="USD", industry="retail") == [rate, usd]  # none for retail: the general ones


def test_a_money_band_in_another_currency_is_converted_with_the_agencys_rates_or_hidden() -> None:
    import datetime as dt
    from decimal import Decimal
    from types import SimpleNamespace as Band

    from django.utils import translation

    from kpis.scorecard import band_conversion, benchmark_shown, benchmarks_that_fit

    usd = Band(unit="money", currency="USD", industry="", label="usd", low=11.0, high=25.0, source_name="S", source_url="")
    eur = Band(unit="money", currency="EUR", industry="", label="eur", low=10.0, high=None, source_name="S", source_url="")
    rate = Band(unit="rate", currency="", industry="", label="all", low=0.02, high=0.05, source_name="S", source_url="")
    oct30 = dt.date(2026, 10, 30)
    rates = {"USD": (Decimal("1.0870"), oct30), "GBP": (Decimal("0.8700"), dt.date(2026, 10, 29))}
    # Without a rate a USD band never reaches a EUR client; with one it does, both ways through the euro.
    assert benchmarks_that_fit([usd, eur, rate], currency="EUR") == [eur, rate]
    assert benchmarks_that_fit([usd, eur, rate], currency="EUR", rates=rates) == [usd, eur, rate]
    assert benchmarks_that_fit([usd, eur], currency="MXN", rates=rates) == []  # no MXN rate: neither is shown
    assert band_conversion(usd, currency="EUR", rates=rates) == (Decimal(1) / Decimal("1.0870"), oct30)
    assert band_conversion(eur, currency="USD", rates=rates) == (Decimal("1.0870"), oct30)
    # USD → GBP goes through the euro; the older of the two rates' dates is the one cited.
    assert band_conversion(usd, currency="GBP", rates=rates) == (Decimal("0.8700") / Decimal("1.0870"), dt.date(2026, 10, 29))
    with translation.override("en"):
        shown = benchmark_shown("cpl", usd, currency="EUR", rates=rates)
        assert shown["band"] == "€10.12–€23.00"
        assert shown["converted"] == "converted from USD at 0.92 on 2026-10-30"
        same = benchmark_shown("cpl", eur, currency="EUR", rates=rates)
        assert same["converted"] == "" and same["band"] == "at least €10.00"  # an open end in words, not "–…"
        assert benchmark_shown("lead_to_customer_rate", rate, currency="EUR", rates=rates)["converted"] == ""
        capped = Band(unit="money", currency="EUR", industry="", label="cap", low=None, high=12.0, source_name="S", source_url="")
        assert benchmark_shown("cpl", capped, currency="EUR", rates=rates)["band"] == "up to €12.00"
    with translation.override("es"):
        assert benchmark_shown("cpl", eur, currency="EUR", rates=rates)["band"] == "al menos 10,00\xa0€"


def test_the_rates_for_a_band_follow_the_seven_day_rule(db) -> None:
    import datetime as dt
    from decimal import Decimal
    from types import SimpleNamespace as Band

    from agency.models import ExchangeRate
    from kpis.selectors_scorecard import benchmark_rates

    ExchangeRate.objects.filter(currency__in=["USD", "GBP"]).delete()
    ExchangeRate.objects.create(currency="USD", date=dt.date(2026, 10, 30), per_euro=Decimal("1.087"))
    ExchangeRate.objects.create(currency="USD", date=dt.date(2026, 11, 3), per_euro=Decimal("1.1"))  # after the day: unused
    ExchangeRate.objects.create(currency="GBP", date=dt.date(2026, 10, 23), per_euro=Decimal("0.87"))  # 8 days before
    bands = {"cpl": [Band(unit="money", currency="USD")], "ctr": [Band(unit="rate", currency="")]}
    day = dt.date(2026, 10, 31)
    assert benchmark_rates(bands=bands, currency="EUR", day=day) == {"USD": (Decimal("1.087"), dt.date(2026, 10, 30))}
    assert benchmark_rates(bands=bands, currency="GBP", day=day) == {"USD": (Decimal("1.087"), dt.date(2026, 10, 30))}
    assert benchmark_rates(bands=bands, currency="USD", day=day) == {}  # nothing to convert: no query
    assert benchmark_rates(bands=bands, currency="EUR", day=dt.date(2026, 11, 11)) == {}  # 8 days old: too old


def test_the_outbox_sends_the_report_files_only_from_media(tenant_a, client_user_a, settings, tmp_path) -> None:
    from agency.outbox import _message
    from clients.models import OutboxEmail

    outside = tmp_path / "secret.txt"
    outside.write_text("not ours")
    row = OutboxEmail(
        pk=1,
        to="ann@alpha.example",
        created_at=dt.datetime(2026, 4, 5, tzinfo=dt.UTC),
        payload={"subject": "s", "body": "b", "attachments": [{"path": str(outside), "name": "x.txt", "mimetype": "text/plain"}]},
    )
    assert _message(row, schema=tenant_a.schema_name).attachments == []  # a path outside MEDIA_ROOT is never attached


def test_a_money_axis_puts_the_symbol_where_the_language_does() -> None:
    from django.utils import translation

    from kpis.formatting import axis_format

    with translation.override("en"):
        assert axis_format("marketing_spend", "EUR")(60000) == "€60k"
        assert axis_format("marketing_spend", "CHF")(60000) == "60k\xa0CHF"
    with translation.override("es"):
        assert axis_format("marketing_spend", "EUR")(60000) == "60k\xa0€"  # as the tiles write 41 985,15 €


def test_the_pdf_keeps_the_commentarys_sections_and_lists(tenant_a) -> None:
    """Each section's title on its own line and each "- " line a bullet, not one run-on paragraph."""
    import pypdfium2

    from kpis.report import commentary_joined
    from kpis.services import report_pdf_file

    with schema_context("alpha"):
        Lead.objects.create(id="a", created_at=dt.datetime(2026, 3, 4, tzinfo=dt.UTC))
    snapshot_compute(client=tenant_a, months=[dt.date(2026, 3, 1)])
    sections = [("Summary", "A good month.\n\nMore leads."), ("Wins", "- MQLs up\n- Sessions up"), ("Concerns", " ")]
    words = commentary_joined(sections)
    assert words == "Summary\nA good month.\nMore leads.\n\nWins\n- MQLs up\n- Sessions up"
    path = report_pdf_file(client=tenant_a, month=dt.date(2026, 3, 1), language="en", commentary=words)
    document = pypdfium2.PdfDocument(str(path))
    text = "\n".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    lines = [line.strip() for line in text.replace("\r", "").split("\n")]
    assert "Summary" in lines and "Wins" in lines and "More leads." in lines
    assert "• MQLs up" in lines or ("•" in lines and "MQLs up" in lines)
    assert "Concerns" not in lines


def test_the_history_note_counts_the_months_computed_not_the_kpis_values() -> None:
    from kpis.report import history_note

    span = [dt.date(2025, 3 + i, 1) if i < 10 else dt.date(2026, i - 9, 1) for i in range(13)]
    assert history_note(span, [False] * 11 + [True, True]) == "Data from February 2026: 2 months so far."
    assert history_note(span, [False] * 12 + [True]) == "Data from March 2026: 1 month so far."
    assert history_note(span, [True] * 13) == ""  # a full chart needs no word
    assert history_note(span, [False] * 13) == ""  # nothing computed: the page says so elsewhere


def test_a_default_summary_leaves_revenue_kpis_out_until_revenue_is_imported() -> None:
    from types import SimpleNamespace

    from kpis.report import REVENUE_BASED, headline_defaults, summary_keys

    default = SimpleNamespace(headline_kpis=[])
    assert "romi" in headline_defaults()
    without = summary_keys(default, has_revenue=False)
    assert not REVENUE_BASED & set(without) and 6 <= len(without) <= 8
    assert summary_keys(default, has_revenue=True) == headline_defaults()
    chosen = SimpleNamespace(headline_kpis=["new_leads", "mqls", "customers", "marketing_spend", "cpl", "romi"])
    assert "romi" in summary_keys(chosen, has_revenue=False)  # staff's explicit choice is respected


def test_the_default_summary_shows_romi_once_a_deal_value_is_imported(tenant_a, client_user_a) -> None:
    import datetime as dt
    from decimal import Decimal

    from django.core.cache import cache

    from clients.models import Spend

    with schema_context("alpha"):
        Lead.objects.create(id="l1", created_at=dt.datetime(2026, 3, 10, tzinfo=dt.UTC))
        Spend.objects.create(id="s1", date=dt.date(2026, 3, 5), category="media", amount=Decimal("100"))
    snapshot_compute(client=tenant_a, months=[dt.date(2026, 3, 1)])
    http = HttpClient()
    http.force_login(client_user_a)
    cache.clear()
    page = http.get("/scorecard/?month=2026-03", HTTP_HOST=host_of(tenant_a)).content.decode()
    assert 'data-kpi="new_leads" data-summary' in page and 'data-kpi="romi" data-summary' not in page
    with schema_context("alpha"):
        Lead.objects.filter(id="l1").update(deal_value=Decimal("500"), customer_at=dt.datetime(2026, 3, 20, tzinfo=dt.UTC))
    snapshot_compute(client=tenant_a, months=[dt.date(2026, 3, 1)])
    cache.clear()
    page = http.get("/scorecard/?month=2026-03", HTTP_HOST=host_of(tenant_a)).content.decode()
    assert 'data-kpi="romi" data-summary' in page
