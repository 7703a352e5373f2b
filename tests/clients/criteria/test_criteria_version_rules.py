"""A criteria version's page says every rule in words: who fits, each scoring rule with its points,
the MQL threshold and the buying signals. It showed the fit rules alone, so what decides an MQL
(the points and the threshold) could only be read in the JSON, in English and in Spanish."""

from __future__ import annotations

import html

from django.test import Client as HttpClient

from clients.criteria.services import criteria_version_create
from tests.conftest import host_of

CRITERIA = {
    "fit": {"field": "employees", "op": "gte", "value": 10},
    "threshold": 35,
    "points": [{"action": "content_download", "points": 10}, {"field": "employees", "op": "gte", "value": 250, "points": 25}],
    "sales_ready_actions": ["demo_request"],
}


def _rules(user, tenant, language: str) -> str:
    http = HttpClient(HTTP_ACCEPT_LANGUAGE=language)
    http.force_login(user)
    body = http.get("/criteria/1/", HTTP_HOST=host_of(tenant)).content.decode()
    section = body.split('id="criteria-rules"', 1)[1].split("<details", 1)[0]  # the words, not the JSON
    return " ".join(html.unescape(section).split())


def test_the_version_page_says_the_points_threshold_and_buying_signals(admin_user, tenant_a) -> None:
    criteria_version_create(criteria=CRITERIA, effective_from="2026-01-01", author=admin_user, client=tenant_a)
    english = _rules(admin_user, tenant_a, "en")
    assert "Employees at least 10" in english
    assert "Content download: 10 points" in english and "Employees at least 250: 25 points" in english
    assert "MQL threshold (points)</dt><dd>35" in english
    assert "Demo request" in english
    spanish = _rules(admin_user, tenant_a, "es")
    assert "Descarga de contenido: 10 puntos" in spanish and "Umbral de MQL (puntos)</dt><dd>35" in spanish
    assert "Solicitud de demo" in spanish and "points" not in spanish


def test_a_version_without_scoring_rules_says_so(admin_user, tenant_a) -> None:
    criteria_version_create(criteria={**CRITERIA, "points": [], "sales_ready_actions": []}, effective_from="2026-01-01",
                            author=admin_user, client=tenant_a)
    english = _rules(admin_user, tenant_a, "en")
    assert "none: every lead that fits scores 0" in english
    assert "Buying signals (fast-track to MQL)</dt><dd>none" in english
