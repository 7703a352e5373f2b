""""What changed" when a month's customers fell from 10 to 6 for the same spend: the CAC line read
"mostly a change in the split of the customers, Paid search having 50.0 % of the total (30.0 % before)",
as if Paid search had moved, while it won 3 customers both months and the fall (7 → 3) was elsewhere."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
import time_machine
from django.test import Client as HttpClient
from django.utils import translation
from django_tenants.utils import schema_context

from clients.models import Campaign, Lead, Spend
from kpis.draft import DraftInputs, month_draft
from kpis.models import Snapshot
from kpis.services import snapshot_compute
from tests.conftest import host_of

pytestmark = pytest.mark.django_db
OCT, NOV = dt.date(2026, 10, 1), dt.date(2026, 11, 1)


@pytest.fixture
def customers_fell(tenant_a):
    """October: 10 customers (Paid search 3, Organic search 5, Email 2); November: 6 (3, 2, 1). The same
    spend both months: 3,000 EUR on search, 500 on email, 2,000 of sales."""
    with schema_context("alpha"):
        Campaign.objects.create(id="gads", name="Search", channel="paid_search")
        Campaign.objects.create(id="news", name="Newsletter", channel="email")
        leads = []
        for month, counts in ((OCT, {"gads": 3, "organic": 5, "news": 2}), (NOV, {"gads": 3, "organic": 2, "news": 1})):
            for source, count in counts.items():
                for i in range(count):
                    leads.append(Lead(
                        id=f"{month:%m}-{source}-{i}", created_at=dt.datetime(month.year, month.month, 2, tzinfo=dt.UTC),
                        customer_at=dt.datetime(month.year, month.month, 20, tzinfo=dt.UTC), deal_value=Decimal("1000"),
                        campaign_id=None if source == "organic" else source,
                        channel="organic_search" if source == "organic" else "",
                    ))
        Lead.objects.bulk_create(leads)
        for month in (OCT, NOV):
            day = dt.date(month.year, month.month, 5)
            Spend.objects.create(id=f"g{month:%m}", date=day, category="media", amount=Decimal("3000"), campaign_id="gads")
            Spend.objects.create(id=f"n{month:%m}", date=day, category="media", amount=Decimal("500"), campaign_id="news")
            Spend.objects.create(id=f"s{month:%m}", date=day, category="sales", amount=Decimal("2000"))
    snapshot_compute(client=tenant_a, months=[OCT, NOV])
    return tenant_a


def _lines(user, tenant, language: str = "en") -> list[str]:
    http = HttpClient()
    http.force_login(user)
    with time_machine.travel(dt.datetime(2026, 12, 10, tzinfo=dt.UTC)):
        body = http.get("/scorecard/?month=2026-11", HTTP_HOST=host_of(tenant), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    start = body.index('<section class="what-changed"')
    block = body[start : body.index("</section>", start)]
    return [re.sub(r"\( | (?=[.)])", lambda m: m.group(0).strip(), " ".join(re.sub(r"<[^>]+>", " ", li).split()))
            for li in re.findall(r"<li[^>]*>(.*?)<span class=\"visually-hidden\">", block, re.S)]


def test_a_cac_up_from_fewer_customers_elsewhere_says_so(client_user_a, customers_fell) -> None:
    lines = _lines(client_user_a, customers_fell)
    assert ("Cost per lead +66.7 % against October 2026: mostly the new leads outside Paid search, 7 → 3 (10 → 6 in "
            "all), while Paid search had 3 → 3.") in lines  # the same spend over fewer leads, outside Paid search
    cac = next(line for line in lines if "(CAC)" in line)
    assert "split" not in cac, cac
    assert cac == ("Customer acquisition cost (CAC) +66.7 % against October 2026: mostly the customers outside Paid "
                   "search, 7 → 3 (10 → 6 in all), while Paid search had 3 → 3."), cac


def test_the_same_in_spanish(client_user_a, customers_fell) -> None:
    client_user_a.language = "es"
    client_user_a.save()
    cac = next(line for line in _lines(client_user_a, customers_fell, "es") if "(CAC)" in line)
    assert "reparto" not in cac, cac
    assert "7 → 3 (10 → 6 en total)" in cac and "la búsqueda de pago" in cac, cac


def _draft(tenant, language: str) -> str:
    with schema_context(tenant.schema_name):
        documents = {s.month: s.document for s in Snapshot.objects.filter(month__in=[OCT, NOV])}
    with translation.override(language):
        draft = month_draft(DraftInputs(month=NOV, documents=documents, targets={}, quarter=[], currency="EUR"), full=True)
        return "\n".join(line.text for line in draft.lines())


def test_the_draft_says_the_counts_too_not_a_move_to_paid_search(customers_fell) -> None:
    """The commentary draft's mix sentence read "Paid search brought 50.0 % of the customers, against
    30.0 %" under the CAC's rise, and its next step "the shift in the mix above moved it the wrong way,
    not one channel or campaign getting worse", while the customers outside Paid search fell 7 → 3."""
    text = _draft(customers_fell, "en")
    assert ("Most of the change came from the customers outside Paid search: 7 → 3 (10 → 6 in all), while Paid "
            "search had 3 → 3.") in text, text
    assert "brought 50.0 % of the customers" not in text, text
    assert "not one channel or campaign getting worse" not in text, text
    spanish = _draft(customers_fell, "es")
    assert ("La mayor parte del cambio vino del número de clientes fuera de la búsqueda de pago: 7 → 3 (10 → 6 en "
            "total)") in spanish, spanish
