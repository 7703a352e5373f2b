"""Benchmark bands: shipped with the published figures, read by the agency, edited by admins only."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client as HttpClient

from kpis.catalogue import KPI_KEYS
from portfolio.models import Benchmark
from portfolio.seed import BENCHMARKS, benchmarks_seed
from portfolio.selectors import benchmarks_by_kpi
from portfolio.services import benchmark_save
from tests.conftest import host_of


@pytest.fixture
def seeded(db) -> None:
    benchmarks_seed(Benchmark)  # a committing test elsewhere may have flushed the migration's rows


def test_the_published_figures_are_seeded_with_a_named_source_and_attached_to_real_kpis(seeded) -> None:
    by_kpi = benchmarks_by_kpi()
    assert {b.label: (b.low, b.high) for b in by_kpi["cpl"]} == {
        "Media and publishing": (11.0, 25.0),
        "Financial services": (51.0, 100.0),
    }
    assert [(b.low, b.high) for b in by_kpi["lead_to_customer_rate"]] == [(0.02, 0.05)]
    assert [(b.label, b.low, b.high) for b in by_kpi["marketing_sourced_customer_share"]] == [
        ("Companies with field sales", 0.2, 0.4),
        ("Companies with inside sales", 0.4, 0.8),
    ]
    assert by_kpi["contacted_within_4h_share"][0].low == 0.5
    assert all(b.kpi in KPI_KEYS and b.source_name for b in Benchmark.objects.all())
    assert all(b.currency == "USD" for b in by_kpi["cpl"])


def test_seeding_again_adds_nothing(seeded) -> None:
    assert benchmarks_seed(Benchmark) == 0
    # Exactly the shipped bands, each once.
    assert sorted(Benchmark.objects.values_list("kpi", "label")) == sorted((b["kpi"], b["label"]) for b in BENCHMARKS)


def test_only_an_admin_edits_and_a_band_must_make_sense(seeded, admin_user, staff_a) -> None:
    band = Benchmark.objects.get(kpi="lead_to_customer_rate")
    with pytest.raises(ValidationError):
        benchmark_save(benchmark=band, values={"low": 0.03}, user=staff_a)
    with pytest.raises(ValidationError) as error:
        benchmark_save(benchmark=band, values={"low": 0.09}, user=admin_user)
    assert "high" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        benchmark_save(
            benchmark=None,
            values={"kpi": "not_a_kpi", "label": "x", "low": 1, "unit": "count", "source_name": "s"},
            user=admin_user,
        )
    assert "kpi" in error.value.message_dict
    benchmark_save(benchmark=band, values={"low": 0.03, "source_url": "https://example.org/study"}, user=admin_user)
    band.refresh_from_db()
    assert (band.low, band.high, band.source_url, band.updated_by) == (0.03, 0.05, "https://example.org/study", admin_user)


def test_the_console_screen_lists_for_staff_and_edits_for_admins(seeded, admin_user, staff_a) -> None:
    host = host_of(None)
    staff = HttpClient()
    staff.force_login(staff_a)
    page = staff.get("/benchmarks/", HTTP_HOST=host)
    assert page.status_code == 200 and "Media and publishing" in page.text and "/edit" not in page.text
    band = Benchmark.objects.get(kpi="cpl", label="Financial services")
    assert staff.post(f"/benchmarks/{band.pk}/", {"kpi": "cpl"}, HTTP_HOST=host).status_code == 404

    admin = HttpClient()
    admin.force_login(admin_user)
    form = {
        "kpi": "cpl",
        "label": "Financial services",
        "low": "40",
        "high": "100",
        "unit": "money",
        "currency": "usd",
        "source_name": "An industry study",
        "source_url": "",
        "citation": "",
        "position": "20",
    }
    assert admin.post(f"/benchmarks/{band.pk}/", form, HTTP_HOST=host).status_code == 302
    band.refresh_from_db()
    assert (band.low, band.currency, band.source_name) == (40.0, "USD", "An industry study")
    bad = admin.post(f"/benchmarks/{band.pk}/", {**form, "low": "200"}, HTTP_HOST=host)
    assert bad.status_code == 422 and Benchmark.objects.get(pk=band.pk).low == 40.0
    assert admin.post(f"/benchmarks/{band.pk}/remove/", HTTP_HOST=host).status_code == 302
    assert not Benchmark.objects.filter(pk=band.pk).exists()


def test_a_spanish_admin_types_a_band_with_a_decimal_comma(seeded, admin_user) -> None:
    """The walk of a new Spanish client: the console's number boxes refused "40,5" on a Spanish page."""
    band = Benchmark.objects.get(kpi="cpl", label="Financial services")
    admin = HttpClient(HTTP_ACCEPT_LANGUAGE="es")
    admin.force_login(admin_user)
    form = {"kpi": "cpl", "label": "Financial services", "low": "40,5", "high": "100.25", "currency": "usd",
            "source_name": "An industry study", "source_url": "", "citation": "", "position": "20"}
    assert admin.post(f"/benchmarks/{band.pk}/", form, HTTP_HOST=host_of(None)).status_code == 302
    band.refresh_from_db()
    assert (band.low, band.high) == (40.5, 100.25)
    page = admin.get(f"/benchmarks/{band.pk}/", HTTP_HOST=host_of(None)).content.decode()
    assert 'value="40,5"' in page and 'value="100,25"' in page
