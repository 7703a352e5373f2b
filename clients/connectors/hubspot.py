"""HubSpot: contacts from the CRM v3 search API, as the ``hubspot_contacts`` export maps them.

``POST /crm/v3/objects/contacts/search``, filtered on ``lastmodifieddate`` within the window and
sorted by it, 100 a page, paged with ``paging.next.after``. The search API stops at 10,000
results a query, so past that a new query starts at the last modification time read. Values
come back as HubSpot's internal names (``ORGANIC_SEARCH``); they are written as the export's
labels (``Organic Search``) so the file source's table maps them. Auth: a private-app token
(or an OAuth access token) as a bearer token.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import httpx
from django.conf import settings
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from clients.connectors.base import Connector, CredentialField, Row, Window
from clients.connectors.transport import ConnectorError, ReauthNeeded, oauth_base, say

if TYPE_CHECKING:
    from clients.connectors.transport import Session

SEARCH = "/crm/v3/objects/contacts/search"
PAGE = 200  # the search API's largest page
SEARCH_CAP = 10_000
# Original Traffic Source (hs_analytics_source): the API's values → the export's labels.
SOURCES = {
    "ORGANIC_SEARCH": "Organic Search", "PAID_SEARCH": "Paid Search", "EMAIL_MARKETING": "Email Marketing",
    "SOCIAL_MEDIA": "Organic Social", "PAID_SOCIAL": "Paid Social", "REFERRALS": "Referrals",
    "DIRECT_TRAFFIC": "Direct Traffic", "OFFLINE": "Offline Sources", "OTHER_CAMPAIGNS": "Other Campaigns",
    "AI_REFERRALS": "AI Referrals",
}
# Lifecycle stage dates: the v2 "date entered" property, else the older one.
STAGES = {
    "sql_at": ("hs_v2_date_entered_salesqualifiedlead", "hs_lifecyclestage_salesqualifiedlead_date"),
    "opportunity_at": ("hs_v2_date_entered_opportunity", "hs_lifecyclestage_opportunity_date"),
    "customer_at": ("hs_v2_date_entered_customer", "hs_lifecyclestage_customer_date"),
}
PROPERTIES = [
    "createdate", "lastmodifieddate", "email", "hs_analytics_source", "industry", "numberofemployees", "annualrevenue",
    "recent_deal_amount", "total_revenue", *(name for names in STAGES.values() for name in names),
]


def _millis(moment: dt.datetime) -> str:
    return str(int(moment.timestamp() * 1000))


def parse_time(value: str | None) -> dt.datetime | None:
    """HubSpot's timestamps: ISO 8601 (``2026-03-04T09:30:00.000Z``) or epoch milliseconds."""
    if not value:
        return None
    value = str(value).strip()
    if value.isdigit():
        return dt.datetime.fromtimestamp(int(value) / 1000, tz=dt.UTC)
    moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def local_text(moment: dt.datetime | None, zone: Any) -> str:
    """A timestamp as the export writes it: the account's local time (here the client's zone)."""
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S") if moment else ""


def _label(value: str | None) -> str:
    """An enumeration's internal name as its label: COMPUTER_SOFTWARE → Computer Software."""
    return (value or "").replace("_", " ").title()


class HubSpot(Connector):
    slug = "hubspot"
    label = "HubSpot"
    source = "hubspot_contacts"
    kind = "leads"
    documented_base = "https://api.hubapi.com"
    account_label = _("Portal ID (Hub ID)")
    account_help = _("The number at the top right of HubSpot's menu, or in Settings › Account defaults.")
    credential_fields = (
        CredentialField("access_token", _("Private app access token"),
                        _("Settings › Integrations › Private apps › your app › Auth; scope crm.objects.contacts.read.")),
    )
    lookback = dt.timedelta(hours=1)

    def refresh(self, session: Session) -> bool:
        """OAuth: a new access token from the refresh token (``POST /oauth/v1/token``), with the
        agency's HubSpot app (``PORTAL_OAUTH_CLIENT_ID_HUBSPOT`` / ``…_SECRET_HUBSPOT``).
        Private-app tokens have no refresh token and never expire: False."""
        credentials = session.credentials
        if not credentials.refresh_token:
            return False
        client_id, client_secret = settings.PORTAL_OAUTH_APPS.get(self.slug, ("", ""))
        if not client_id:
            raise ReauthNeeded(str(_("The HubSpot OAuth app is not configured (PORTAL_OAUTH_CLIENT_ID_HUBSPOT).")))
        try:
            answer = session.request("POST", "/oauth/v1/token", base=oauth_base(self.slug, self.documented_base), auth=False,
                                     data={"grant_type": "refresh_token", "client_id": client_id,
                                           "client_secret": client_secret, "refresh_token": credentials.refresh_token})
        except ConnectorError as error:
            if error.status is None or error.status >= 500 or error.status == 429:
                raise  # HubSpot unreachable or failing: the next sync tries again
            raise ReauthNeeded(say(gettext_noop("HubSpot refused to refresh the access token: %(reason)s"),
                                   reason=error.words or error.reason), said=error.said) from None
        credentials.access_token = str(answer.get("access_token") or "")
        credentials.refresh_token = str(answer.get("refresh_token") or credentials.refresh_token)
        credentials.expires_at = timezone.now() + dt.timedelta(seconds=int(answer.get("expires_in") or 1800))
        return bool(credentials.access_token)

    def needs_reauth(self, status: int, body: dict[str, Any]) -> bool:
        return status == 401 or body.get("category") in {"EXPIRED_AUTHENTICATION", "INVALID_AUTHENTICATION"}

    def pause_after(self, response: httpx.Response) -> float:
        # Private apps: 190 requests per 10 s; when HubSpot says none remain, wait out the interval.
        remaining = response.headers.get("X-HubSpot-RateLimit-Remaining")
        if remaining is not None and remaining.strip() == "0":
            interval = response.headers.get("X-HubSpot-RateLimit-Interval-Milliseconds", "10000")
            return int(interval) / 1000 if interval.isdigit() else 10.0
        return 0.0

    def check(self, session: Session) -> tuple[str, str]:
        details = session.request("GET", "/account-info/v3/details")
        portal = str(details.get("portalId") or session.account_id)
        if session.account_id and portal != session.account_id:
            raise_mismatch(portal, session.account_id)
        found = session.request("POST", SEARCH, json={"limit": 1, "properties": ["createdate"]})
        total = int(found.get("total") or 0)
        label = _("portal %(portal)s") % {"portal": portal}
        return str(label), str(_("connected: %(count)s contacts, portal %(portal)s") % {
            "count": number_format(total, force_grouping=True), "portal": portal})

    def rows(self, session: Session, window: Window, position: dict[str, Any], options: dict[str, Any]) -> Iterator[Row]:
        since = position.get("since") or _millis(window.start)
        until = _millis(window.end)
        after = position.get("after") or ""
        skip = int(position.get("skip") or 0)
        span = max(1.0, window.end.timestamp() - window.start.timestamp())
        while True:
            body: dict[str, Any] = {
                "filterGroups": [{"filters": [
                    {"propertyName": "lastmodifieddate", "operator": "GTE", "value": since},
                    {"propertyName": "lastmodifieddate", "operator": "LT", "value": until},
                ]}],
                "sorts": [{"propertyName": "lastmodifieddate", "direction": "ASCENDING"}],
                "properties": PROPERTIES, "limit": PAGE,
            }
            if after:
                body["after"] = after
            page = session.request("POST", SEARCH, json=body)
            results = page.get("results") or []
            last_modified = None
            for index, record in enumerate(results):
                properties = record.get("properties") or {}
                last_modified = parse_time(properties.get("lastmodifieddate")) or last_modified
                if index < skip:
                    continue
                done = (last_modified.timestamp() - window.start.timestamp()) / span if last_modified else None
                yield Row(self._values(record, window.zone),
                          position={"since": since, "after": after, "skip": index + 1},
                          group=str(record.get("id")), key=str(record.get("id")),
                          progress=min(1.0, max(0.0, done)) if done is not None else None)
            skip = 0
            following = ((page.get("paging") or {}).get("next") or {}).get("after")
            if not following or not results:
                return
            if int(following) >= SEARCH_CAP:
                # The search API answers at most 10,000 results a query: start again from the last
                # modification time read (contacts at that instant are read again and change nothing).
                new_since = _millis(last_modified) if last_modified else since
                if new_since == since:
                    return
                since, after = new_since, ""
                continue
            after = following

    def _values(self, record: dict[str, Any], zone: Any) -> dict[str, str]:
        properties = record.get("properties") or {}
        values = {
            "id": str(record.get("id") or properties.get("hs_object_id") or ""),
            "created_at": local_text(parse_time(properties.get("createdate") or record.get("createdAt")), zone),
            "email": properties.get("email") or "",
            "channel": SOURCES.get(properties.get("hs_analytics_source") or "", _label(properties.get("hs_analytics_source"))),
            "vertical": _label(properties.get("industry")),
            "employees": _number(properties.get("numberofemployees")),
            "company_revenue": _number(properties.get("annualrevenue")),
        }
        for target, names in STAGES.items():
            values[target] = local_text(next((parse_time(properties.get(n)) for n in names if properties.get(n)), None), zone)
        # As the export's two columns: the source keeps the recent deal amount, else the total revenue,
        # for customers only (clients.sources.builtin), so a file and the API decide alike.
        values["deal_value"] = _number(properties.get("recent_deal_amount"))
        values["_total_revenue"] = _number(properties.get("total_revenue"))
        return values


def _number(value: Any) -> str:
    return "" if value in (None, "") else str(value).strip()


def raise_mismatch(found: str, given: str) -> None:
    raise ConnectorError(str(_("These credentials belong to HubSpot portal %(found)s, not %(given)s.") % {
        "found": found, "given": given}))
