"""Benchmarks only of the client's own industry, in the reader's language (issue #23: an industrial
client saw the "Media and publishing" and "Financial services" cost-per-lead bands, in English)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from agency.models import ExchangeRate
from tests.reports.conftest import browser_for, march  # noqa: F401 -- alpha's March, computed


def _rates() -> None:
    """The reference rate that converts the US-dollar bands for this euro client (March's end)."""
    ExchangeRate.objects.create(currency="USD", date=dt.date(2026, 3, 31), per_euro=Decimal("1.08"))


def _scorecard(user, client) -> str:
    return browser_for(user, client, language="es").get("/scorecard/?month=2026-03").content.decode()


def test_a_client_of_another_industry_sees_no_other_industrys_band_and_is_told(march, staff_a) -> None:  # noqa: F811
    march.industry = "manufacturing"
    march.save()
    _rates()
    page = _scorecard(staff_a, march)
    assert "Medios y editoriales" not in page and "Media and publishing" not in page
    assert "Servicios financieros" not in page
    assert "Aún no hay referencia para este sector." in page


def test_the_clients_own_industry_band_is_shown_translated(march, staff_a) -> None:  # noqa: F811
    march.industry = "media"
    march.save()
    _rates()
    page = _scorecard(staff_a, march)
    assert "Medios y editoriales" in page and "HubSpot, estudio del costo por lead por sector" in page
    assert "Media and publishing" not in page
