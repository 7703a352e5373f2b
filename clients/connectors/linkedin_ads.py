"""LinkedIn: campaign analytics by day from the Marketing API's ``adAnalytics``, as the export maps them.

``GET /rest/adAnalytics?q=analytics&pivot=CAMPAIGN&timeGranularity=DAILY`` for the account
(Rest.li 2.0 query syntax: ``dateRange=(start:(year:…))``, ``accounts=List(urn…)``) with
``costInLocalCurrency``, ``impressions``, ``clicks``, ``externalWebsiteConversions`` and
``oneClickLeads`` (lead-gen form leads, added to conversions as the export's Leads column
is); campaign names from ``/rest/adAccounts/{id}/adCampaigns`` (paged by ``pageToken``), the
currency from the account. Every request names the API version (``LinkedIn-Version``).
``adAnalytics`` does not page (at most 15,000 elements an answer): the window is read a quarter
at a time. Auth: 3-legged OAuth; access tokens last 60 days; refresh tokens only for apps
LinkedIn approved for them. LinkedIn restates conversions for 30 days: each daily sync re-reads 30.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from django.utils.translation import gettext_lazy as _

from clients.connectors.ads import AdAccount, AdConnector, chunks, day_row, number_text, prefetched, resume_day
from clients.connectors.base import Row, Window
from clients.connectors.oauth import OAuthEndpoints, refresh_with
from clients.connectors.transport import ConnectorError

if TYPE_CHECKING:
    from clients.connectors.transport import Session

API_VERSION = "202510"  # LinkedIn-Version (YYYYMM), pinned here only; each version is served about a year
ENDPOINTS = OAuthEndpoints(
    authorize_base="https://www.linkedin.com", authorize_path="/oauth/v2/authorization",
    grant_base="https://www.linkedin.com", grant_path="/oauth/v2/accessToken",
    scopes=("r_ads", "r_ads_reporting"),
)
FIELDS = "dateRange,pivotValues,costInLocalCurrency,impressions,clicks,externalWebsiteConversions,oneClickLeads"
SPAN_DAYS = 92
CAMPAIGN_PAGE = 100


def _date(day: dt.date) -> str:
    return f"(year:{day.year},month:{day.month},day:{day.day})"


def _day(value: dict[str, Any]) -> dt.date:
    return dt.date(int(value["year"]), int(value["month"]), int(value["day"]))


class LinkedInAds(AdConnector):
    slug = "linkedin_ads"
    label = "LinkedIn Ads"
    source = "linkedin_ads"
    documented_base = "https://api.linkedin.com"
    account_label = _("Ad account ID")
    account_help = _("Campaign Manager › the account's number (in the address after /accounts/).")
    lookback = dt.timedelta(days=30)
    token_lifetime = dt.timedelta(days=60)
    endpoints = ENDPOINTS

    def authorize(self, session: Session, headers: dict[str, str]) -> None:
        headers["Authorization"] = f"Bearer {session.credentials.access_token}"
        headers["LinkedIn-Version"] = API_VERSION
        headers["X-Restli-Protocol-Version"] = "2.0.0"

    def refresh(self, session: Session) -> bool:
        return refresh_with(session, platform=self.slug, endpoints=ENDPOINTS)

    def error_words(self, body: dict[str, Any]) -> str:
        return str(body.get("message") or body.get("error_description") or body.get("code") or "")[:300]

    def needs_reauth(self, status: int, body: dict[str, Any]) -> bool:
        return status == 401 or body.get("code") in {"REVOKED_ACCESS_TOKEN", "EXPIRED_ACCESS_TOKEN"}

    def accounts(self, session: Session) -> list[AdAccount]:
        found, token = [], ""
        while True:
            query = f"q=search&pageSize={CAMPAIGN_PAGE}" + (f"&pageToken={quote(token)}" if token else "")
            page = session.request("GET", f"/rest/adAccounts?{query}")
            for account in page.get("elements") or []:
                found.append(AdAccount(str(account.get("id")), str(account.get("name") or account.get("id")),
                                       str(account.get("currency") or "")))
            token = str((page.get("metadata") or {}).get("nextPageToken") or "")
            if not token or not page.get("elements"):
                return found

    def _account(self, session: Session) -> dict[str, Any]:
        if not session.account_id.isdigit():
            raise ConnectorError(str(_("A LinkedIn ad account ID is a number (Campaign Manager › Accounts).")))
        return session.request("GET", f"/rest/adAccounts/{session.account_id}")

    def check(self, session: Session) -> tuple[str, str]:
        account = self._account(session)
        name = str(account.get("name") or session.account_id)
        return name, str(_("connected: %(name)s, ad account %(id)s, amounts in %(currency)s") % {
            "name": name, "id": session.account_id, "currency": account.get("currency") or "?"})

    def campaign_names(self, session: Session) -> dict[str, str]:
        names, token = {}, ""
        while True:
            query = f"q=search&pageSize={CAMPAIGN_PAGE}" + (f"&pageToken={quote(token)}" if token else "")
            page = session.request("GET", f"/rest/adAccounts/{session.account_id}/adCampaigns?{query}")
            for campaign in page.get("elements") or []:
                names[str(campaign.get("id"))] = str(campaign.get("name") or campaign.get("id"))
            token = str((page.get("metadata") or {}).get("nextPageToken") or "")
            if not token or not page.get("elements"):
                return names

    def rows(self, session: Session, window: Window, position: dict[str, Any], options: dict[str, Any]) -> Iterator[Row]:
        spans = chunks(resume_day(window, position), window.last_day, SPAN_DAYS)
        if not spans:
            return
        currency = str(self._account(session).get("currency") or "")
        names = self.campaign_names(session)
        account = quote(f"urn:li:sponsoredAccount:{session.account_id}", safe="")

        def fetch(first: dt.date, last: dt.date) -> list[dict[str, Any]]:
            query = (f"q=analytics&pivot=CAMPAIGN&timeGranularity=DAILY&dateRange=(start:{_date(first)},end:{_date(last)})"
                     f"&accounts=List({account})&fields={FIELDS}")
            answer = session.request("GET", f"/rest/adAnalytics?{query}")
            return sorted(answer.get("elements") or [],
                          key=lambda e: (_day(e["dateRange"]["start"]), str((e.get("pivotValues") or [""])[0])))

        for _span, elements in prefetched(session, spans, fetch):
            for element in elements:
                day = _day(element["dateRange"]["start"])
                campaign = str((element.get("pivotValues") or [""])[0]).rpartition(":")[2]
                values = {
                    "date": day.strftime("%m/%d/%Y"), "campaign_id": campaign,
                    "campaign_name": names.get(campaign, campaign), "amount": number_text(element.get("costInLocalCurrency")),
                    "currency": currency, "impressions": number_text(element.get("impressions")),
                    "clicks": number_text(element.get("clicks")),
                    "conversions": number_text(element.get("externalWebsiteConversions")),
                    "_leads": number_text(element.get("oneClickLeads")),
                }
                yield day_row(values, day=day, window=window)
