"""What to do about a failing connection, by kind of failure, in the reader's language.

A sync fails in a worker; its reason is stored as words (agency.reasons) with the kind of failure
(clients.connectors.transport.Failure) and the platform's own text apart. The screen shows three
things: what happened (the stored words), what to do (chosen here, from the kind, when the page is
read: "the portal tries again tomorrow at 03:00" needs the next run as it is now), and, smaller, what
the platform said itself, untranslated.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _

from clients.connectors.ads import AdConnector
from clients.connectors.transport import Failure
from clients.words import next_run_words


def failure_of(reason_words: dict[str, Any] | None) -> tuple[str, str]:
    """(kind, what the platform said) of a stored reason; ("", "") for one stored before kinds were kept."""
    stored = reason_words or {}
    return str(stored.get("kind") or ""), str(stored.get("said") or "")


def connected_by_consent(connector: Any) -> bool:
    """Whether ``connector``'s accounts are connected through the platform's consent screen (the ad
    platforms: a person signs in there), not with a key, token or service account pasted in a form."""
    return isinstance(connector, AdConnector)


def failure_advice(*, kind: str, platform: str, account: str, account_label: str,
                   next_run_at: dt.datetime | None, paused: bool = False, consent: bool = True,
                   zone_named: bool = False) -> str:
    """What a person should do about a failure of ``kind`` ("" when the kind has no advice).

    ``consent``: the platform is connected by signing in on its consent screen; else by credentials
    pasted in the connect form (HubSpot's token, Mailchimp's key, GA4's service account).
    ``zone_named``: the next run's time names its zone (an email's; a page is read in the client's zone)."""
    values = {"platform": platform, "account": account, "account_label": account_label}
    if (kind == Failure.CREDENTIALS or paused) and not consent:
        return _("Choose Connect again and enter credentials %(platform)s accepts for this account (the form "
                 "says where to find them); the figures already imported stay.") % values
    if kind == Failure.CREDENTIALS or paused:
        return _("Choose Connect again and sign in to %(platform)s with a user who can read this account; "
                 "the figures already imported stay.") % values
    if kind in {Failure.RATE_LIMITED, Failure.UNAVAILABLE} and next_run_at is not None:
        values.update(next_run_words(next_run_at, zone_named=zone_named))
        if kind == Failure.RATE_LIMITED:
            return _("Nothing to do: the portal tries again by itself %(day)s at %(time)s, when the limit has "
                     "reset.") % values
        # The time before the day: "4:48 a.m." ending a sentence would read "a.m.."
        return _("Nothing to do: the problem is on %(platform)s's side and the portal tries again by itself at "
                 "%(time)s %(day)s. If it still fails then, use Sync now later or check %(platform)s's status "
                 "page.") % values
    if kind == Failure.NOT_FOUND:
        return _("Check the %(account_label)s, %(account)s, under Change credentials: it must be this client's "
                 "account in %(platform)s, and still exist there.") % values
    if kind == Failure.PERMISSION:
        return _("Check in %(platform)s that the user who connected it can still read account %(account)s "
                 "(read access is enough), then choose Sync now.") % values
    if kind == Failure.REFUSED:
        return _("Choose Sync now to try again; if it fails again, send what %(platform)s said (below) to "
                 "whoever manages the %(platform)s account.") % values
    return ""


def connect_advice(*, kind: str, platform: str, account: str, account_label: str) -> str:
    """What to do when the test of new credentials failed (nothing was saved): "" when the kind has no advice."""
    values = {"platform": platform, "account": account, "account_label": account_label}
    if kind == Failure.CREDENTIALS:
        return _("Check that the whole key or token was copied (no space before or after) and that it was not "
                 "revoked in %(platform)s, then try again.") % values
    if kind == Failure.NOT_FOUND:
        return _("Check the %(account_label)s: %(platform)s does not know “%(account)s”.") % values
    if kind == Failure.PERMISSION:
        return _("The credentials work but cannot read “%(account)s”: give their user or app access to it in "
                 "%(platform)s (read access is enough), then try again.") % values
    if kind in {Failure.RATE_LIMITED, Failure.UNAVAILABLE}:
        return _("Nothing was saved: try again in a few minutes.")
    return ""
