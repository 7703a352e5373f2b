"""Writes to the public schema about a client's custom domains: normalized, claimed, verified by DNS.

A client's white-label domain is a host name only, normalized (lower case, IDNA, no trailing
dot), never an IP address or a port, never the portal's own host or a name under it, never
under or above another client's domain. The bare name and its ``www.`` form are one pair: both
route to the same client (the tenant middleware also reads www.X as X), and neither can go to
another client. A name goes live (into the Domain routing table) only after its DNS TXT record
proves that whoever asked controls it.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import re
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from agency import dns as portal_dns
from agency.models import Client, Domain, DomainClaim

HOST_RE = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$")



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
