"""Which client each platform account feeds (agency.models.AccountClaim).

Connecting an ad account asks here whether another client holds it: one query in the public
schema instead of opening every other client's schema. ``clients.connectors.sync`` writes the
claim in the same transaction as the connection's row; the unique key on (platform, account)
refuses the second of two clients connecting the same account at the same moment.

The accounts of the other platforms (a HubSpot portal, a GA4 property, a Mailchimp audience) may
feed several clients by design; their claims are written too (``exclusive=False``, no unique key on
the account) so that connecting one another client already reads is said, naming that client,
before it is done (``account_sharers``): two clients fed by one portal count its leads twice.
"""

from __future__ import annotations

import logging

from django.db import IntegrityError, transaction
from django.db.models import Q

from agency.models import AccountClaim, Client

logger = logging.getLogger(__name__)


def account_holder(*, platform: str, account_id: str, besides: Client) -> Client | None:
    """The other client whose ``platform`` connection reads ``account_id``, or None."""
    claim = (AccountClaim.objects.filter(platform=platform, account_id=account_id, exclusive=True).exclude(client=besides)
             .select_related("client").first())
    return claim.client if claim else None


def account_holders(*, platform: str, account_ids: list[str], besides: Client) -> dict[str, Client]:
    """Of ``account_ids``, those another client's ``platform`` connection holds (account id -> that
    client), in one query: the consent's account chooser says so before a choice that would be refused."""
    claims = (AccountClaim.objects.filter(platform=platform, account_id__in=account_ids, exclusive=True)
              .exclude(client=besides).select_related("client"))
    return {claim.account_id: claim.client for claim in claims}


def account_sharers(*, platform: str, account_id: str, besides: Client) -> list[Client]:
    """The other clients whose ``platform`` connection reads ``account_id`` (a shareable account), by name."""
    return [claim.client for claim in AccountClaim.objects.filter(platform=platform, account_id=account_id)
            .exclude(client=besides).select_related("client").order_by("client__name")]


def account_shared_with(*, client: Client) -> dict[str, list[str]]:
    """Per platform, the names of the other clients that read the account ``client``'s connection reads
    (a shareable account): the Imports page says so on the connection, so the sharing stays visible."""
    mine = list(AccountClaim.objects.filter(client=client, exclusive=False).values_list("platform", "account_id"))
    if not mine:
        return {}
    same = Q()
    for platform, account_id in mine:
        same |= Q(platform=platform, account_id=account_id)
    shared: dict[str, list[str]] = {}
    for platform, name in (AccountClaim.objects.filter(same, exclusive=False).exclude(client=client)
                           .order_by("client__name").values_list("platform", "client__name")):
        shared.setdefault(platform, []).append(name)
    return shared


def account_claimed(*, client: Client, platform: str, account_id: str) -> bool:
    """Whether ``client``'s ``platform`` connection reads ``account_id`` already (a reconnect)."""
    return AccountClaim.objects.filter(client=client, platform=platform, account_id=account_id).exists()


def account_claim(*, client: Client, platform: str, account_id: str, exclusive: bool = True) -> bool:
    """``client``'s ``platform`` connection now reads ``account_id`` (its former account is freed).

    False, and nothing written, when another client holds an exclusive account. In the caller's
    transaction (a savepoint of its own, so a refusal leaves the caller's transaction usable).
    """
    try:
        with transaction.atomic():
            AccountClaim.objects.bulk_create(
                [AccountClaim(client=client, platform=platform, account_id=account_id, exclusive=exclusive)],
                update_conflicts=True, unique_fields=["client", "platform"], update_fields=["account_id", "exclusive"])
    except IntegrityError:
        return False
    return True


def account_release(*, client: Client, platform: str) -> None:
    """``client``'s ``platform`` connection is gone: its account is free for another client."""
    AccountClaim.objects.filter(client=client, platform=platform).delete()


def account_claims_replace(*, client: Client, accounts: dict[str, str], shared: dict[str, str] | None = None) -> int:
    """``client``'s claims become exactly ``accounts`` (platform → account id, exclusive) and
    ``shared`` (the same, of the platforms whose accounts several clients may read): the rebuild.

    An exclusive account another client already holds is left to that client (logged), as a new
    connection of it would be refused. Returns how many claims ``client`` holds.
    """
    shared = shared or {}
    with transaction.atomic():
        AccountClaim.objects.filter(client=client).delete()
        AccountClaim.objects.bulk_create(
            [AccountClaim(client=client, platform=platform, account_id=account_id)
             for platform, account_id in accounts.items()]
            + [AccountClaim(client=client, platform=platform, account_id=account_id, exclusive=False)
               for platform, account_id in shared.items()], ignore_conflicts=True)
        held = AccountClaim.objects.filter(client=client).count()
    if held < len(accounts) + len(shared):
        logger.warning("%s: %s account(s) held by another client were not claimed", client.slug,
                       len(accounts) + len(shared) - held)
    return held
