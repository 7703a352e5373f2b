"""Writes to the public schema: provisioning clients, users and memberships.

Every function validates first and raises :class:`django.core.exceptions.ValidationError`
with a message per field, so a form and a command show the same errors and nothing is
created when anything is wrong.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import re
import secrets
import zoneinfo
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from agency import dns as portal_dns
from agency.emails import password_email_render, registry_email_send
from agency.mail import LINE_BREAKS
from agency.models import Client, Domain, DomainClaim, Membership, User
from agency.selectors import client_primary_host, console_url, host_url
from agency.signals import client_timezone_changed
from agency.tokens import password_token_generator

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
    """Create a client user without a password and email them a link to choose one; for someone
    of this client already invited who has not chosen a password yet, email the link again.

    The invitation goes through the client's outbox (agency.emails): a refusal of the mail server
    keeps the person and the email, which is tried again by itself; ``user.invitation_refused``
    says what the server answered ("" when it went out)."""
    email = (email or "").strip().lower()
    if not re.match(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", email):
        raise ValidationError({"email": [_("Enter a valid email address.")]})
    # Inviting again someone of this client who never chose a password sends the link again (an
    # invitation lost in a spam folder, or one the mail server refused), instead of "taken".
    user = User.objects.filter(
        email__iexact=email, role=User.Role.CLIENT, memberships__client=client, is_active=True
    ).first()
    if user is None or user.has_usable_password():
        user = user_create(
            username=email,
            email=email,
            role=User.Role.CLIENT,
            client=client,
            # The client's language, not the inviting staff member's (a Spanish client was invited
            # in English by English-speaking staff): the user's pages and emails until they choose.
            language=language or client.report_language,
        )
    host = password_link_host(user=user, client=client)
    message = password_email_render(
        user=user, client=client, kind="invitation", link=password_link(user=user, host=host), invited_by=invited_by
    )
    _sent, user.invitation_refused = registry_email_send(user=user, client=client, kind="invitation", message=message)
    return user


def user_password_setup_send(*, user: User) -> None:
    """Email an agency user a link to choose their password at the console (sent at once: the
    console has no outbox)."""
    link = password_link(user=user, host=settings.PORTAL_BASE_HOST)
    message = password_email_render(user=user, client=None, kind="account", link=link)
    registry_email_send(user=user, client=None, kind="account", message=message)


def password_link_host(*, user: User, client: Client | None = None) -> str | None:
    """The one host where ``user`` sets a password: the console's base host for agency people
    (never a client's domain, which agency staff may register), else the primary verified host
    of the user's client. None for a client user without a client."""
    if user.is_agency:
        return settings.PORTAL_BASE_HOST
    if client is None:
        membership = user.memberships.select_related("client").order_by("pk").first()
        client = membership.client if membership else None
    return client_primary_host(client=client) if client is not None else None


def password_link(*, user: User, host: str) -> str:
    """The link is built from the configured scheme and port and a host of the routing table,
    never from a request, and its token is only accepted at that host (agency.tokens)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = password_token_generator(host=host).make_token(user)
    return host_url(host=host) + f"/accounts/reset/{uid}/{token}/"


def user_language_set(*, user: User, language: str) -> None:
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": [_("Unknown language.")]})
    user.language = language
    user.save(update_fields=["language"])


# --- custom domains ------------------------------------------------------------------------
# A client's white-label domain is a host name only, normalized (lower case, IDNA, no trailing
# dot), never an IP address or a port, never the portal's own host or a name under it, never
# under or above another client's domain. The bare name and its ``www.`` form are one pair: both
# route to the same client (the tenant middleware also reads www.X as X), and neither can go to
# another client. A name goes live (into the Domain routing table) only after its DNS TXT record
# proves that whoever asked controls it.


def domain_normalize(value: str) -> str:
    """The host name as the routing table stores it, or ValidationError saying why not."""
    text = (value or "").strip()
    invalid = ValidationError(_("“%(domain)s” is not a valid host name.") % {"domain": text[:100]})
    if not text or len(text) > 300:
        raise invalid
    if any(c in text for c in ":/@[]\\?#%") or any(c.isspace() or ord(c) < 32 for c in text):
        raise ValidationError(_("Give a host name only: no scheme, port, path or spaces."))
    if text.endswith("."):  # a fully qualified name: the same host
        text = text[:-1]
    try:
        ascii_name = text.encode("idna").decode("ascii").lower()
    except UnicodeError:
        raise invalid from None
    try:
        ipaddress.ip_address(ascii_name)
    except ValueError:
        pass
    else:
        raise ValidationError(_("An IP address cannot be a custom domain: give a host name."))
    if ascii_name.rsplit(".", 1)[-1].isdigit():  # 127.1, 10.0.1: IP addresses in other spellings
        raise ValidationError(_("An IP address cannot be a custom domain: give a host name."))
    if not HOST_RE.match(ascii_name):
        raise invalid
    return ascii_name


def domain_pair(domain: str) -> list[str]:
    """The name and its www. partner (``acme.example`` ↔ ``www.acme.example``), when valid."""
    other = domain[4:] if domain.startswith("www.") else "www." + domain
    return [domain, other] if HOST_RE.match(other) else [domain]


def _related_names(name: str) -> Q:
    """Rows whose domain is ``name``, a parent of it, or a name under it."""
    labels = name.split(".")
    parents = [".".join(labels[i:]) for i in range(1, len(labels))]
    return Q(domain__in=[name, *parents]) | Q(domain__endswith="." + name)


def domain_problems(*, domain: str, client: Client | None, claim: DomainClaim | None = None) -> list[str]:
    """Why ``domain`` (normalized) cannot be claimed by ``client`` (None: a client being created)."""
    base = settings.PORTAL_BASE_HOST.lower()
    problems: list[str] = []
    for name in domain_pair(domain):
        if name == base or name.endswith("." + base) or base.endswith("." + name):
            return [_("A custom domain cannot be the portal's own host, under it or above it.")]
        related = _related_names(name)
        rows = list(Domain.objects.filter(related).values_list("domain", "tenant_id"))
        # Another client's pending claim blocks nothing (no squatting a name without proving it):
        # the first claim whose TXT record is verified wins, and the others then fail here.
        if client is not None:
            rows += list(DomainClaim.objects.filter(related, client=client).exclude(pk=getattr(claim, "pk", None))
                         .values_list("domain", "client_id"))
        for existing, owner in rows:
            if client is not None and owner == client.pk:
                if existing == name and claim is None:
                    problems.append(_("The domain “%(domain)s” is already added.") % {"domain": name})
            else:
                problems.append(_("The domain “%(domain)s” is already in use.") % {"domain": existing})
    return sorted(set(problems))


def domain_claim_create(*, client: Client, domain: str) -> DomainClaim:
    """Claim a custom domain for ``client``: pending until its TXT record is verified."""
    name = domain_normalize(domain)
    problems = domain_problems(domain=name, client=client)
    if problems:
        raise ValidationError({"domain": problems})
    return DomainClaim.objects.create(client=client, domain=name, token=secrets.token_hex(16))


def domain_claim_verify(*, claim: DomainClaim) -> bool:
    """Look the claim's TXT record up now; when it holds the token, route the domain pair.

    Every check is recorded (``checked_at``, ``last_error``) so staff see what was found; a
    failed check can be retried any number of times.
    """
    now = timezone.now()
    try:
        found = [value.strip() for value in portal_dns.txt_records(claim.txt_name)]
    except portal_dns.LookupFailed as error:
        found, reason = [], _("No TXT record at %(name)s (%(reason)s).") % {"name": claim.txt_name, "reason": error}
    else:
        reason = _("The TXT record at %(name)s does not hold %(value)s yet.") % {
            "name": claim.txt_name, "value": claim.txt_value}
    if claim.txt_value not in found:
        DomainClaim.objects.filter(pk=claim.pk).update(checked_at=now, last_error=reason[:300])
        claim.checked_at, claim.last_error = now, reason[:300]
        return False
    with transaction.atomic():
        problems = domain_problems(domain=claim.domain, client=claim.client, claim=claim)
        if problems:
            DomainClaim.objects.filter(pk=claim.pk).update(checked_at=now, last_error=problems[0][:300])
            claim.checked_at, claim.last_error = now, problems[0][:300]
            return False
        for name in domain_pair(claim.domain):
            Domain.objects.get_or_create(domain=name, defaults={"tenant": claim.client, "is_primary": False})
        Domain.objects.filter(tenant=claim.client).update(is_primary=False)
        Domain.objects.filter(domain=claim.domain).update(is_primary=True)
        DomainClaim.objects.filter(pk=claim.pk).update(checked_at=now, verified_at=now, last_error="")
    claim.checked_at = claim.verified_at = now
    claim.last_error = ""
    return True


CLAIM_RETRY_DAYS = 7


def domain_claims_check(*, now: dt.datetime | None = None) -> int:
    """Retry every pending claim younger than CLAIM_RETRY_DAYS (beat, every 15 minutes): a TXT
    record published after the last "Check now" still brings the domain live. Returns how many
    went live."""
    now = now or timezone.now()
    pending = DomainClaim.objects.filter(verified_at__isnull=True, created_at__gte=now - dt.timedelta(days=CLAIM_RETRY_DAYS))
    return sum(domain_claim_verify(claim=claim) for claim in pending.select_related("client"))


__all__ = [
    "client_create",
    "client_timezone_set",
    "client_user_invite",
    "console_url",
    "domain_claim_create",
    "domain_claim_verify",
    "domain_claims_check",
    "domain_normalize",
    "public_tenant_ensure",
    "staff_assign",
    "staff_unassign",
    "user_create",
    "user_language_set",
    "user_password_setup_send",
]


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


def user_sessions_end_all(*, user: User) -> None:
    """End every session of ``user`` on every host (sessions are per host, so none is listed).

    Each session stores a hash of the user's password and session generation
    (``User._get_session_auth_hash``); raising the generation makes every stored hash stale,
    and Django's authentication middleware signs each of those sessions out at its next request.
    """
    from django.db.models import F

    User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
    user.refresh_from_db(fields=["session_generation"])
