"""Writes to the public schema: provisioning clients (people: ``agency.services_users``; custom
domains: ``agency.services_domains``).

Every function validates first and raises :class:`django.core.exceptions.ValidationError`
with a message per field, so a form and a command show the same errors and nothing is
created when anything is wrong.
"""

from __future__ import annotations

import re
import zoneinfo
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agency.mail import LINE_BREAKS
from agency.models import Client, Domain
from agency.services_domains import domain_claim_create, domain_normalize, domain_problems
from agency.signals import client_economics_changed, client_timezone_changed

SLUG_RE = re.compile(r"^[a-z][a-z0-9-]{1,38}[a-z0-9]$")
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
    elif LINE_BREAKS.search(name):
        errors["name"] = [_("Write it on one line.")]
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
        try:
            domain_normalize(domain)
        except ValidationError as error:
            errors["domain"] = error.messages
        else:
            problems = domain_problems(domain=domain, client=None)
            if problems:
                errors["domain"] = problems
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
    language: str = "",
) -> Client:
    """Provision a client: its schema (migrated), its ``<slug>.<base host>``, and a claim on its
    custom domain, which goes live once its DNS TXT record is verified (:func:`domain_claim_verify`)."""
    slug = (slug or "").strip().lower()
    domain = (domain or "").strip() or None
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
        language=language if language in dict(settings.LANGUAGES) else "",
    )
    client.save(verbosity=0)  # creates and migrates the schema; django-tenants drops it on failure
    try:
        with transaction.atomic():
            Domain.objects.create(domain=f"{slug}.{settings.PORTAL_BASE_HOST}", tenant=client, is_primary=True)
            if domain:
                domain_claim_create(client=client, domain=domain)
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



def client_review_delay_set(*, client: Client, days: object) -> Client:
    """Days after a month ends before the monthly close puts it in review (0–28)."""
    try:
        value = int(str(days).strip())
    except ValueError:
        value = -1
    if not 0 <= value <= 28:
        raise ValidationError({"review_delay_days": [_("Between 0 and 28 days.")]})
    client.review_delay_days = value
    client.save(update_fields=["review_delay_days", "updated_at"])
    return client


def client_economics_set(*, client: Client, gross_margin: object, horizon_months: object) -> Client:
    """Change the client's gross margin (a fraction, 0–1) and LTV horizon (months, at least 1): a value
    typed wrong when the client was added is no dead end. Every month is then computed again with them
    (``agency.signals.client_economics_changed``); an approved month whose figures move waits for staff
    as a revision, as after a time zone change."""
    errors: dict[str, list[str]] = {}
    try:
        margin = Decimal(str(gross_margin).strip().replace(",", ".")).quantize(Decimal("0.0001"))
        if not (Decimal(0) <= margin <= Decimal(1)):
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        errors["gross_margin"] = [_("The gross margin is a fraction between 0 and 1.")]
    try:
        horizon = int(str(horizon_months).strip())
        if not 1 <= horizon <= 1200:
            raise ValueError
    except ValueError:
        errors["horizon_months"] = [_("The horizon is a whole number of months, at least 1.")]
    if errors:
        raise ValidationError(errors)
    if margin == client.gross_margin and horizon == client.horizon_months:
        return client
    client.gross_margin, client.horizon_months = margin, horizon
    client.save(update_fields=["gross_margin", "horizon_months", "updated_at"])
    client_economics_changed.send(sender=Client, client=client)
    return client


def client_timezone_set(*, client: Client, zone: str) -> Client:
    """Move the client to another time zone; what is scheduled by its local time follows
    (``agency.signals.client_timezone_changed``: its connections' nightly syncs)."""
    if zone not in zoneinfo.available_timezones():
        raise ValidationError({"timezone": [_("“%(tz)s” is not a known time zone.") % {"tz": zone}]})
    if zone == client.timezone:
        return client
    client.timezone = zone
    client.save(update_fields=["timezone", "updated_at"])
    client_timezone_changed.send(sender=Client, client=client, at=timezone.now())
    return client
