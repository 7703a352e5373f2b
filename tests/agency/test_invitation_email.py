"""The invitation email says who sent it and how long its link lasts (agency/emails.py,
templates/registration/invite_email.txt and password_email.html): a stranger's email from an
unknown portal is otherwise easy to take for spam, and a link clicked on day four just fails."""

from __future__ import annotations

from django.core import mail
from django.core.cache import cache

from agency.models import AgencyBrand, User
from agency.services_users import client_user_invite
from tests.factories import UserFactory


def _invite(tenant, *, language: str = "en", timeout: int | None = None, settings=None):
    AgencyBrand.objects.create(name="Agencia Norte")
    cache.delete(AgencyBrand.BRAND_CACHE_KEY)
    if timeout is not None:
        settings.PASSWORD_RESET_TIMEOUT = timeout
    tenant.language = language
    tenant.save(update_fields=["language"])
    inviter = UserFactory(username="sam-staff", first_name="Sam", last_name="Ruiz", role=User.Role.STAFF, clients=[tenant])
    client_user_invite(client=tenant, email="lucia@client.example", invited_by=inviter)
    (message,) = mail.outbox
    return message.body, message.alternatives[0][0]


def test_the_invitation_names_who_sent_it_and_how_long_the_link_lasts(tenant_a, settings) -> None:
    text, html = _invite(tenant_a, timeout=3 * 86400, settings=settings)
    for part in (text, html):
        assert "Sam Ruiz of Agencia Norte sent you this invitation." in part
        assert "This link works for 3 days." in part
        assert "Forgot your password?" in part


def test_the_lifetime_follows_the_token_setting(tenant_a, settings) -> None:
    text, html = _invite(tenant_a, timeout=12 * 3600, settings=settings)
    assert "This link works for 12 hours." in text and "This link works for 12 hours." in html


def test_a_spanish_client_reads_who_invited_them_and_the_lifetime_in_spanish(tenant_a, settings) -> None:
    text, html = _invite(tenant_a, language="es", timeout=86400, settings=settings)
    for part in (text, html):
        assert "Sam Ruiz, de Agencia Norte, te envió esta invitación." in part
        assert "Este enlace funciona durante 1 día. Pasado ese tiempo, pide uno nuevo" in part
        assert "«¿Olvidaste tu contraseña?»" in part
        assert "sent you" not in part and "This link" not in part and "Forgot" not in part
