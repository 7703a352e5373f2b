"""Issue #10 item 1 and item 6 (domains): no account takeover through password links, and custom
domains that are host names only, normalized, paired with their www. form, and routed only
once a DNS TXT record proves them.

DNS is the outside world: ``agency.dns.txt_records`` is replaced by a dictionary here.
"""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client as HttpClient

from agency import dns as portal_dns
from agency.models import Domain, DomainClaim
from agency.services_domains import domain_claim_create, domain_claim_verify, domain_normalize
from agency.services_users import client_user_invite
from tests.conftest import host_of


@pytest.fixture
def dns_records(monkeypatch) -> dict[str, list[str]]:
    """The TXT records the fake resolver answers: name -> values (a missing name: NXDOMAIN)."""
    records: dict[str, list[str]] = {}

    def txt_records(name: str) -> list[str]:
        if name not in records:
            raise portal_dns.LookupFailed("no such name")
        return records[name]

    monkeypatch.setattr(portal_dns, "txt_records", txt_records)
    return records


def _verified(client, domain: str, dns_records: dict) -> DomainClaim:
    claim = domain_claim_create(client=client, domain=domain)
    dns_records[claim.txt_name] = ["v=spf1 -all", claim.txt_value]
    assert domain_claim_verify(claim=claim)
    return claim


def _reset_link(body: str) -> str:
    return re.search(r"https?://\S+", body).group(0)


# --- item 1: password reset ------------------------------------------------------------------


def test_reset_asked_at_a_staff_registered_domain_mails_the_admin_a_console_link(
    tenant_a, staff_a, admin_user, dns_records
) -> None:
    """The reproduction: staff attach a domain they control to a client the admin can open, and
    ask a reset for the admin with that Host. The mail must point at the console, not there."""
    _verified(tenant_a, "evil.example", dns_records)
    admin_user.email = "ada@agency.example"
    admin_user.save()
    HttpClient().post("/accounts/password/reset/", {"email": "ada@agency.example"}, HTTP_HOST="evil.example")
    assert len(mail.outbox) == 1
    link = _reset_link(mail.outbox[0].body)
    assert link.startswith("http://localhost:8000/accounts/reset/"), link
    assert "evil.example" not in mail.outbox[0].body


def test_reset_link_ignores_the_port_and_host_of_the_request(client_user_a, tenant_a) -> None:
    client_user_a.email = "ann@alpha.example"
    client_user_a.save()
    HttpClient().post("/accounts/password/reset/", {"email": "ann@alpha.example"}, HTTP_HOST="alpha.localhost:31337")
    link = _reset_link(mail.outbox[0].body)
    assert link.startswith(f"http://{host_of(tenant_a)}:8000/accounts/reset/"), link


def test_reset_at_an_unverified_domain_is_not_served(tenant_a, client_user_a, dns_records) -> None:
    domain_claim_create(client=tenant_a, domain="pending.example")
    client_user_a.email = "ann@alpha.example"
    client_user_a.save()
    response = HttpClient().post("/accounts/password/reset/", {"email": "ann@alpha.example"}, HTTP_HOST="pending.example")
    assert response.status_code == 404
    assert mail.outbox == []


def test_a_reset_token_works_only_at_the_host_it_was_issued_for(client_user_a, tenant_a, tenant_b) -> None:
    client_user_a.email = "ann@alpha.example"
    client_user_a.save()
    HttpClient().post("/accounts/password/reset/", {"email": "ann@alpha.example"}, HTTP_HOST=host_of(tenant_a))
    path = "/accounts/reset/" + _reset_link(mail.outbox[0].body).split("/accounts/reset/", 1)[1]
    for other in (host_of(None), host_of(tenant_b)):
        page = HttpClient().get(path, HTTP_HOST=other, follow=True)
        assert "new_password1" not in page.content.decode(), other
    page = HttpClient().get(path, HTTP_HOST=host_of(tenant_a), follow=True)
    assert "new_password1" in page.content.decode()


def test_a_client_user_is_mailed_only_at_its_own_portal(client_user_a, tenant_b) -> None:
    client_user_a.email = "ann@alpha.example"
    client_user_a.save()
    HttpClient().post("/accounts/password/reset/", {"email": "ann@alpha.example"}, HTTP_HOST=host_of(tenant_b))
    assert mail.outbox == []


def test_an_invitation_links_to_the_clients_verified_domain(tenant_a, staff_a, dns_records) -> None:
    _verified(tenant_a, "portal.alpha.example", dns_records)
    client_user_invite(client=tenant_a, email="new@alpha.example", invited_by=staff_a)
    link = _reset_link(mail.outbox[0].body)
    assert link.startswith("http://portal.alpha.example:8000/accounts/reset/")
    path = "/accounts/reset/" + link.split("/accounts/reset/", 1)[1]
    assert "new_password1" in HttpClient().get(path, HTTP_HOST="portal.alpha.example", follow=True).content.decode()
    assert "new_password1" not in HttpClient().get(path, HTTP_HOST=host_of(tenant_a), follow=True).content.decode()


# --- custom domains ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("Portal.Acme.Example", "portal.acme.example"),
        ("portal.acme.example.", "portal.acme.example"),
        ("  portal.acme.example ", "portal.acme.example"),
        ("bücher.example", "xn--bcher-kva.example"),
    ],
)
def test_domains_are_normalized(given, expected) -> None:
    assert domain_normalize(given) == expected


@pytest.mark.parametrize(
    "given",
    ["127.0.0.1", "10.0.0.1", "127.1", "[::1]", "::1", "acme.example:8443", "https://acme.example", "acme.example/x",
     "user@acme.example", "not a host", "", "localhost", "-acme.example", "a" * 64 + ".example", "acme..example"],
)
def test_ips_ports_and_non_hosts_are_refused(given) -> None:
    with pytest.raises(ValidationError):
        domain_normalize(given)


@pytest.mark.parametrize("domain", ["localhost", "x.localhost", "beta.localhost", "www.alpha.localhost"])
def test_the_portals_own_hosts_cannot_be_claimed(tenant_a, domain) -> None:
    with pytest.raises(ValidationError):
        domain_claim_create(client=tenant_a, domain=domain)


def test_a_domain_under_or_above_another_clients_is_refused(tenant_a, tenant_b, dns_records) -> None:
    _verified(tenant_a, "acme.example", dns_records)
    for domain in ("acme.example", "www.acme.example", "reports.acme.example", "ACME.example."):
        with pytest.raises(ValidationError):
            domain_claim_create(client=tenant_b, domain=domain)
    with pytest.raises(ValidationError):  # the same client twice
        domain_claim_create(client=tenant_a, domain="acme.example")


def test_a_pending_claim_squats_nothing_the_first_verified_wins(tenant_a, tenant_b, dns_records) -> None:
    squat = domain_claim_create(client=tenant_b, domain="alpha-brand.example")
    real = domain_claim_create(client=tenant_a, domain="alpha-brand.example")  # not blocked by B's claim
    dns_records[real.txt_name] = [real.txt_value]  # only the domain's owner can publish this
    assert domain_claim_verify(claim=real)
    dns_records[squat.txt_name] = [squat.txt_value]
    assert not domain_claim_verify(claim=squat)
    squat.refresh_from_db()
    assert "already in use" in squat.last_error
    assert Domain.objects.get(domain="alpha-brand.example").tenant_id == tenant_a.pk


def test_an_unverified_domain_is_not_routed_and_check_now_records_why(tenant_a, dns_records) -> None:
    claim = domain_claim_create(client=tenant_a, domain="portal.alpha.example")
    assert not Domain.objects.filter(domain="portal.alpha.example").exists()
    assert HttpClient().get("/accounts/login/", HTTP_HOST="portal.alpha.example").status_code == 404
    assert not domain_claim_verify(claim=claim)
    claim.refresh_from_db()
    assert claim.checked_at is not None and "No TXT record" in claim.last_error and claim.verified_at is None
    dns_records[claim.txt_name] = ["portal-verification=wrong"]
    assert not domain_claim_verify(claim=claim)
    dns_records[claim.txt_name] = [claim.txt_value]
    assert domain_claim_verify(claim=claim)  # a retry succeeds once the record is there
    assert HttpClient().get("/accounts/login/", HTTP_HOST="portal.alpha.example").status_code == 200


def test_www_and_bare_are_one_pair_routed_to_the_same_client(tenant_a, dns_records) -> None:
    _verified(tenant_a, "www.alpha.example", dns_records)
    assert set(Domain.objects.filter(tenant=tenant_a).values_list("domain", flat=True)) >= {
        "alpha.example", "www.alpha.example"}
    assert Domain.objects.get(domain="www.alpha.example").is_primary
    for host in ("www.alpha.example", "alpha.example", "WWW.Alpha.Example", "alpha.example."):
        page = HttpClient().get("/accounts/login/", HTTP_HOST=host)
        assert page.status_code == 200, host
        assert "Alpha Analytics" in page.content.decode(), host


def test_staff_claim_and_check_a_domain_in_the_console(tenant_a, staff_a, dns_records) -> None:
    http = HttpClient()
    http.force_login(staff_a)
    http.post("/clients/alpha/domains/", {"domain": "Portal.Alpha.Example"}, HTTP_HOST="localhost")
    claim = DomainClaim.objects.get(client=tenant_a)
    page = http.get("/clients/alpha/", HTTP_HOST="localhost").content.decode()
    # the record's name as a host (agency.templatetags.hosts: it may wrap before a dot), read as text
    shown = re.sub(r"<[^>]+>", "", page)
    assert claim.txt_name in shown and claim.txt_value in page and "Check now" in page
    failed = http.post(f"/clients/alpha/domains/{claim.pk}/verify/", HTTP_HOST="localhost", follow=True)
    assert "No TXT record" in failed.content.decode()
    dns_records[claim.txt_name] = [claim.txt_value]
    http.post(f"/clients/alpha/domains/{claim.pk}/verify/", HTTP_HOST="localhost")
    assert Domain.objects.get(domain="portal.alpha.example").tenant_id == tenant_a.pk
    # an IP address is refused with a message, nothing claimed
    page = http.post("/clients/alpha/domains/", {"domain": "203.0.113.9"}, HTTP_HOST="localhost", follow=True)
    assert "IP address" in page.content.decode()
    assert not DomainClaim.objects.filter(domain="203.0.113.9").exists()


def test_staff_cannot_claim_a_domain_for_a_client_they_do_not_serve(tenant_b, staff_a) -> None:
    http = HttpClient()
    http.force_login(staff_a)
    assert http.post("/clients/beta/domains/", {"domain": "x.example"}, HTTP_HOST="localhost").status_code == 404
    assert not DomainClaim.objects.exists()




def test_pending_domains_are_retried_in_the_background_for_a_week(tenant_a, dns_records) -> None:
    import datetime as dt

    from django.utils import timezone

    from agency.tasks import domain_claims_check

    fresh = domain_claim_create(client=tenant_a, domain="fresh.alpha.example")
    stale = domain_claim_create(client=tenant_a, domain="stale.alpha.example")
    DomainClaim.objects.filter(pk=stale.pk).update(created_at=timezone.now() - dt.timedelta(days=8))
    assert domain_claims_check.apply().get() == 0
    dns_records[fresh.txt_name] = [fresh.txt_value]
    dns_records[stale.txt_name] = [stale.txt_value]
    assert domain_claims_check.apply().get() == 1
    assert Domain.objects.filter(domain="fresh.alpha.example").exists()
    assert not Domain.objects.filter(domain="stale.alpha.example").exists()  # "Check now" still can
