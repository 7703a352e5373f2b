"""The address emails go out from. The demo's monthly email, invitations and password emails read
"from Northwind Growth <portal@localhost>": a development machine's host name, which a person reading
the email frowns at. Unset, the address is now the demo agency's reserved domain on a development
machine, ``portal@<base host>`` at a real domain, and ``DEFAULT_FROM_EMAIL`` still decides."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.core.cache import cache

from agency.models import AgencyBrand, User
from agency.services_users import user_create, user_password_setup_send
from agency.settings import default_from_email

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("base_host", "address"),
    [
        ("localhost", "portal@agency.example"),
        ("portal.localhost", "portal@agency.example"),
        ("LOCALHOST.", "portal@agency.example"),
        ("portal.northwind-growth.com", "portal@portal.northwind-growth.com"),
    ],
)
def test_the_default_sender_is_never_at_localhost(base_host: str, address: str) -> None:
    assert default_from_email(base_host) == address


def _loaded(**env: str) -> str:
    probe = "from django.conf import settings; print(settings.DEFAULT_FROM_EMAIL)"
    clean = {key: value for key, value in os.environ.items() if key not in {"DEFAULT_FROM_EMAIL", "PORTAL_BASE_HOST"}}
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=60,
        env={**clean, "DJANGO_SETTINGS_MODULE": "agency.settings", **env},
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_the_environment_still_sets_the_sender_as_production_does() -> None:
    assert _loaded(DEBUG="true") == "portal@agency.example"
    assert _loaded(DEBUG="true", DEFAULT_FROM_EMAIL="reports@northwind.example") == "reports@northwind.example"
    assert _loaded(DEBUG="true", PORTAL_BASE_HOST="portal.northwind-growth.com") == "portal@portal.northwind-growth.com"


@pytest.fixture
def demo_brand():
    AgencyBrand.objects.update_or_create(pk=1, defaults={"name": "Northwind Growth", "sender_name": "Northwind Growth"})
    yield
    cache.delete(AgencyBrand.BRAND_CACHE_KEY)  # the cached brand outlives the test's rollback


@pytest.mark.django_db
def test_a_password_email_is_from_the_agencys_name_at_the_default_address(tenant_a, demo_brand) -> None:
    if os.environ.get("DEFAULT_FROM_EMAIL"):
        pytest.skip("DEFAULT_FROM_EMAIL is set in this environment")
    user = user_create(username="nora", email="nora@agency.example", role=User.Role.STAFF)
    user_password_setup_send(user=user)
    (message,) = mail.outbox
    assert settings.DEFAULT_FROM_EMAIL == "portal@agency.example"
    assert message.from_email == "Northwind Growth <portal@agency.example>"
    assert "localhost" not in message.message()["From"]


@pytest.mark.django_db
def test_an_emails_message_id_is_at_the_sending_domain_not_localhost(tenant_a, demo_brand, settings) -> None:
    """Django names a Message-ID after the machine (``@localhost`` in a container): the outbox names it
    after the domain the email is from, the default address's or the one the environment sets."""
    settings.DEFAULT_FROM_EMAIL = "reports@northwind-growth.example"
    user = user_create(username="nora", email="nora@agency.example", role=User.Role.STAFF)
    user_password_setup_send(user=user)
    user_password_setup_send(user=user)
    first, second = (message.message()["Message-ID"] for message in mail.outbox)
    assert first.startswith("<") and first.endswith("@northwind-growth.example>"), first
    assert first != second  # each email its own
    assert "localhost" not in first


@pytest.mark.parametrize(("sender", "domain"), [
    ("Northwind Growth <portal@agency.example>", "@agency.example>"),
    ("portal@Portal.Northwind-Growth.COM.", "@portal.northwind-growth.com>"),
    ("Nórdica <informes@agencia-ñandú.example>", "@xn--agencia-and-8db4j.example>"),  # as DNS writes it
])
def test_the_message_id_takes_the_senders_domain(sender: str, domain: str) -> None:
    from agency.mail import message_id

    assert message_id(sender).endswith(domain)


@pytest.mark.parametrize("sender", ["", "Northwind Growth", "portal@", "portal@under_score.example"])
def test_a_sender_without_a_domain_leaves_djangos_message_id(sender: str) -> None:
    from agency.mail import message_id

    assert message_id(sender) is None
