"""Writes to the public schema: provisioning clients, users and memberships.

Every function validates first and raises :class:`django.core.exceptions.ValidationError`
with a message per field, so a form and a command show the same errors and nothing is
created when anything is wrong.
"""

from __future__ import annotations

import re
import zoneinfo
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from agency.models import Client, Domain, Membership, User
from agency.selectors import client_url, console_url

SLUG_RE = re.compile(r"^[a-z][a-z0-9-]{1,38}[a-z0-9]$")
HOST_RE = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$")
RESERVED_SLUGS = {"public", "www", "admin", "api", "static", "media", "mail", "console", "information_schema"}


def _validate_client_fields(
    *,
    slug: str,
    name: str,
    timezone: str,
    currency: str,
    gross_margin: object,
    horizon_months: object,
    domain: str | None,
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not SLUG_RE.match(slug or ""):
        errors["slug"] = [_("Use 3–40 lowercase letters, digits and hyphens, starting with a letter.")]
    elif slug in RESERVED_SLUGS or slug.startswith("pg-"):
        errors["slug"] = [_("“%(slug)s” is reserved.") % {"slug": slug}]
    elif Client.objects.filter(slug=slug).exists() or Client.objects.filter(schema_name=schema_for_slug(slug)).exists():
        errors["slug"] = [_("A client with slug “%(slug)s” already exists.") % {"slug": slug}]
    if not (name or "").strip():
        errors["name"] = [_("Give the client a name.")]
    if timezone not in zoneinfo.available_timezones():
        errors["timezone"] = [_("“%(tz)s” is not a known time zone.") % {"tz": timezone}]
    if not re.match(r"^[A-Z]{3}$", currency or ""):
        errors["currency"] = [_("Use a three-letter ISO currency code such as EUR or USD.")]
    try:
        margin = Decimal(str(gross_margin))
        if not (Decimal(0) <= margin <= Decimal(1)):
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        errors["gross_margin"] = [_("The gross margin is a fraction between 0 and 1.")]
    try:
        if int(str(horizon_months)) < 1:
            raise ValueError
    except ValueError:
        errors["horizon_months"] = [_("The horizon is a whole number of months, at least 1.")]
    if domain:
        if not HOST_RE.match(domain):
            errors["domain"] = [_("“%(domain)s” is not a valid host name.") % {"domain": domain}]
        elif domain == settings.PORTAL_BASE_HOST or domain.endswith("." + settings.PORTAL_BASE_HOST):
            errors["domain"] = [_("A custom domain cannot be under the portal's own host.")]
        elif Domain.objects.filter(domain=domain).exists():
            errors["domain"] = [_("The domain “%(domain)s” is already in use.") % {"domain": domain}]
    return errors


def schema_for_slug(slug: str) -> str:
    return slug.replace("-", "_")


def client_create(
    *,
    slug: str,
    name: str,
    timezone: str = "UTC",
    currency: str = "USD",
    gross_margin: Decimal | float | str = Decimal("0.7"),
    horizon_months: int = 60,
    domain: str | None = None,
) -> Client:
    """Provision a client: its schema (migrated), its ``<slug>.<base host>`` and custom domain."""
    slug = (slug or "").strip().lower()
    domain = (domain or "").strip().lower() or None
    errors = _validate_client_fields(
        slug=slug,
        name=name,
        timezone=timezone,
        currency=currency,
        gross_margin=gross_margin,
        horizon_months=horizon_months,
        domain=domain,
    )
    if errors:
        raise ValidationError(errors)
    client = Client(
        schema_name=schema_for_slug(slug),
        slug=slug,
        name=name.strip(),
        timezone=timezone,
        currency=currency,
        gross_margin=Decimal(str(gross_margin)),
        horizon_months=int(horizon_months),
    )
    client.save(verbosity=0)  # creates and migrates the schema; django-tenants drops it on failure
    try:
        with transaction.atomic():
            Domain.objects.create(domain=f"{slug}.{settings.PORTAL_BASE_HOST}", tenant=client, is_primary=domain is None)
            if domain:
                Domain.objects.create(domain=domain, tenant=client, is_primary=True)
            client.is_ready = True
            client.save(update_fields=["is_ready", "updated_at"])
    except Exception:
        client.delete(force_drop=True)
        raise
    return client


def public_tenant_ensure() -> Client:
    """The public schema's own registry row and the console's host (idempotent)."""
    public, _created = Client.objects.get_or_create(
        schema_name=settings.PUBLIC_SCHEMA_NAME,
        defaults={"slug": "public", "name": "Agency console", "is_ready": True},
    )
    Domain.objects.get_or_create(domain=settings.PORTAL_BASE_HOST, defaults={"tenant": public, "is_primary": True})
    return public


def user_create(
    *,
    username: str,
    email: str,
    role: str,
    password: str | None = None,
    first_name: str = "",
    last_name: str = "",
    client: Client | None = None,
    language: str = "",
) -> User:
    """Create a user; a client user must name its client, and gets exactly that membership."""
    errors: dict[str, list[str]] = {}
    if role not in User.Role.values:
        errors["role"] = [_("Unknown role.")]
    if User.objects.filter(username__iexact=username).exists():
        errors["username"] = [_("That username is taken.")]
    if email and User.objects.filter(email__iexact=email).exists():
        errors["email"] = [_("A user with that email already exists.")]
    if role == User.Role.CLIENT and client is None:
        errors["client"] = [_("A client user belongs to a client.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        user = User(
            username=username,
            email=email,
            role=role,
            first_name=first_name,
            last_name=last_name,
            language=language,
            is_staff=False,
        )
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
        if client is not None:
            Membership.objects.create(user=user, client=client)
    return user


def staff_assign(*, user: User, client: Client) -> Membership:
    if user.role != User.Role.STAFF:
        raise ValidationError({"user": [_("Only agency staff are assigned to clients.")]})
    membership, _created = Membership.objects.get_or_create(user=user, client=client)
    return membership


def staff_unassign(*, user: User, client: Client) -> None:
    Membership.objects.filter(user=user, client=client, user__role=User.Role.STAFF).delete()


def client_user_invite(*, client: Client, email: str, invited_by: User, language: str = "") -> User:
    """Create a client user without a password and email them a link to choose one."""
    email = (email or "").strip().lower()
    if not re.match(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", email):
        raise ValidationError({"email": [_("Enter a valid email address.")]})
    user = user_create(
        username=email,
        email=email,
        role=User.Role.CLIENT,
        client=client,
        language=language or invited_by.language,
    )
    _password_link_send(
        user=user,
        base_url=client_url(client=client, path=""),
        subject=_("You are invited to %(client)s's marketing portal") % {"client": client.name},
        context={"client": client, "invited_by": invited_by},
    )
    return user


def user_password_setup_send(*, user: User) -> None:
    """Email an agency user a link to choose their password at the console."""
    _password_link_send(user=user, base_url=console_url(path=""), subject=_("Your agency portal account"), context={})


def _password_link_send(*, user: User, base_url: str, subject: str, context: dict) -> None:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    link = f"{base_url}/accounts/reset/{uid}/{token}/"
    send_mail(
        subject=subject,
        message=render_to_string("registration/invite_email.txt", {**context, "link": link, "user": user}),
        from_email=None,
        recipient_list=[user.email],
    )


def user_language_set(*, user: User, language: str) -> None:
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": [_("Unknown language.")]})
    user.language = language
    user.save(update_fields=["language"])


__all__ = [
    "client_create",
    "client_user_invite",
    "console_url",
    "public_tenant_ensure",
    "staff_assign",
    "staff_unassign",
    "user_create",
    "user_language_set",
    "user_password_setup_send",
]
