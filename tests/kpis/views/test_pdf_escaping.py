"""Issue #10 item 4 through the page: the PDF of a client whose name is ReportLab markup."""

from __future__ import annotations

import pytest
from django.test import Client as HttpClient

from tests.conftest import host_of


@pytest.fixture
def hostile_client_name(tenant_a):
    original = tenant_a.name
    tenant_a.name = '<font color="red">unclosed <img src="/etc/hostname"/>'
    tenant_a.save(update_fields=["name"])
    yield tenant_a
    tenant_a.name = original
    tenant_a.save(update_fields=["name"])


def test_the_scorecard_pdf_of_a_client_with_a_hostile_name(hostile_client_name, example_snapshots, admin_user) -> None:
    http = HttpClient()
    http.force_login(admin_user)
    response = http.get("/scorecard/export.pdf", {"month": "2026-03"}, HTTP_HOST=host_of(hostile_client_name))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF") and b"/Subtype /Image" not in response.content
