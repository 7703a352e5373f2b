"""Google Ads: cost and delivery by campaign and day from ``googleAds:searchStream``, as the export maps them.

``POST /{version}/customers/{id}/googleAds:searchStream`` with a GAQL query over ``campaign``
segmented by ``segments.date``: ``metrics.cost_micros`` ÷ 1,000,000 in the customer's
``customer.currency_code``, impressions, clicks, conversions (fractional) and
conversions_value. The answer is a JSON array of chunks of up to 10,000 rows. Every request
carries the agency's ``developer-token`` and, when the account is read through a manager
account, ``login-customer-id`` (the manager's id). Auth: OAuth (refresh token at Google's
``/token``). Conversions keep arriving for 30 days (the default conversion window): each
daily sync re-reads 30 days.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import httpx
from django.utils.translation import gettext_lazy as _

from clients.connectors.ads import AdAccount, AdConnector, chunks, day_row, number_text, prefetched, resume_day
from clients.connectors.base import Row, Window
from clients.connectors.oauth import OAuthEndpoints, refresh_with, session_app
from clients.connectors.transport import ConnectorError

if TYPE_CHECKING:
    from clients.connectors.transport import Session

API_VERSION = "v22"  # pinned here only; Google sunsets a version about a year after its release
ENDPOINTS = OAuthEndpoints(
    authorize_base="https://accounts.google.com", authorize_path="/o/oauth2/v2/auth",
    grant_base="https://oauth2.googleapis.com", grant_path="/token",
    scopes=("https://www.googleapis.com/auth/adwords",), pkce=True,
    extra={"access_type": "offline", "prompt": "consent", "include_granted_scopes": "true"},
)
QUERY = ("SELECT campaign.id, campaign.name, segments.date, customer.currency_code, metrics.cost_micros, "
         "metrics.impressions, metrics.clicks, metrics.conversions, metrics.conversions_value FROM campaign "
         "WHERE segments.date BETWEEN '{first}' AND '{last}' ORDER BY segments.date, campaign.id")
SPAN_DAYS = 92  # one query per quarter: a backfill resumes after the last quarter written
MICROS = 1_000_000


def customer_id(text: str) -> str:
    """``123-456-7890`` (as the UI shows it) → ``1234567890``."""
    return re.sub(r"[\s-]", "", text or "")


class GoogleAds(AdConnector):
    slug = "google_ads"
    label = "Google Ads"
    source = "google_ads"
    documented_base = "https://googleads.googleapis.com"
    account_label = _("Customer ID")
    account_help = _("The ten-digit number at the top of Google Ads (123-456-7890).")
    lookback = dt.timedelta(days=30)
    token_lifetime = dt.timedelta(hours=1)
    endpoints = ENDPOINTS

    def account_key(self, account_id: str) -> str:
        return customer_id(account_id)

    def authorize(self, session: Session, headers: dict[str, str]) -> None:
        app = session_app(session, self.slug)
        headers["Authorization"] = f"Bearer {session.credentials.access_token}"
        headers["developer-token"] = app.developer_token
        manager = session.credentials.extra.get("login_customer_id") or app.login_customer_id
        if manager:
            headers["login-customer-id"] = customer_id(manager)

    def refresh(self, session: Session) -> bool:
        return refresh_with(session, platform=self.slug, endpoints=ENDPOINTS)

    def error_words(self, body: dict[str, Any]) -> str:
        error = body.get("error")
        if isinstance(error, dict):
            for detail in error.get("details") or []:
                for item in detail.get("errors") or []:
                    if item.get("message"):
                        return str(item["message"])[:300]
            return str(error.get("message") or error.get("status") or "")[:300]
        return str(body.get("error_description") or error or "")[:300]

    def needs_reauth(self, status: int, body: dict[str, Any]) -> bool:
        error = body.get("error")
        name = error.get("status") if isinstance(error, dict) else error
        return status == 401 or name in {"UNAUTHENTICATED", "invalid_grant"}

    def throttled(self, response: httpx.Response) -> float | None:
        # RESOURCE_EXHAUSTED: the QuotaErrorDetails say how long to wait ("retryDelay": "30s").
        if response.status_code != 429:
            return None
        try:
            error = response.json().get("error") or {}
        except ValueError:
            return 0.0
        for detail in error.get("details") or []:
            delay = str((detail.get("quotaErrorDetails") or {}).get("retryDelay") or detail.get("retryDelay") or "")
            if delay.endswith("s"):
                try:
                    return float(delay[:-1])
                except ValueError:
                    pass
        return 0.0

    def _search(self, session: Session, customer: str, query: str, *, manager: str = "") -> list[dict[str, Any]]:
        headers = {"login-customer-id": customer_id(manager)} if manager else {}
        chunks_answer = session.request("POST", f"/{API_VERSION}/customers/{customer_id(customer)}/googleAds:searchStream",
                                        json={"query": query}, headers=headers)
        results: list[dict[str, Any]] = []
        for chunk in chunks_answer if isinstance(chunks_answer, list) else [chunks_answer]:
            results.extend(chunk.get("results") or [])
        return results

    def accounts(self, session: Session) -> list[AdAccount]:
        listed = session.request("GET", f"/{API_VERSION}/customers:listAccessibleCustomers")
        found: list[AdAccount] = []
        seen: set[str] = set()
        for resource in listed.get("resourceNames") or []:
            top = str(resource).rpartition("/")[2]
            rows = self._search(session, top, "SELECT customer.id, customer.descriptive_name, customer.currency_code, "
                                              "customer.manager FROM customer", manager=top)
            customer = (rows[0].get("customer") if rows else {}) or {}
            if customer.get("manager"):
                found.append(AdAccount(top, str(customer.get("descriptiveName") or top), "", "", is_manager=True))
                clients = self._search(session, top, (
                    "SELECT customer_client.id, customer_client.descriptive_name, customer_client.currency_code, "
                    "customer_client.manager, customer_client.level FROM customer_client "
                    "WHERE customer_client.level = 1"), manager=top)
                for row in clients:
                    child = row.get("customerClient") or {}
                    child_id = str(child.get("id") or "")
                    if child_id and not child.get("manager") and child_id not in seen:
                        seen.add(child_id)
                        found.append(AdAccount(child_id, str(child.get("descriptiveName") or child_id),
                                               str(child.get("currencyCode") or ""), manager_id=top))
            elif top not in seen:
                seen.add(top)
                found.append(AdAccount(top, str(customer.get("descriptiveName") or top),
                                       str(customer.get("currencyCode") or "")))
        return found

    def check(self, session: Session) -> tuple[str, str]:
        account = customer_id(session.account_id)
        if not account.isdigit():
            raise ConnectorError(str(_("A Google Ads customer ID is ten digits (123-456-7890).")))
        rows = self._search(session, account, "SELECT customer.descriptive_name, customer.currency_code FROM customer")
        customer = (rows[0].get("customer") if rows else {}) or {}
        name = str(customer.get("descriptiveName") or account)
        return name, str(_("connected: %(name)s, customer %(id)s, amounts in %(currency)s") % {
            "name": name, "id": account, "currency": customer.get("currencyCode") or "?"})

    def rows(self, session: Session, window: Window, position: dict[str, Any], options: dict[str, Any]) -> Iterator[Row]:
        account = customer_id(session.account_id)
        spans = chunks(resume_day(window, position), window.last_day, SPAN_DAYS)

        def fetch(first: dt.date, last: dt.date) -> list[dict[str, Any]]:
            return self._search(session, account, QUERY.format(first=first.isoformat(), last=last.isoformat()))

        for _span, results in prefetched(session, spans, fetch):
            for result in results:
                campaign = result.get("campaign") or {}
                metrics = result.get("metrics") or {}
                day = dt.date.fromisoformat(str((result.get("segments") or {}).get("date")))
                # proto3 JSON: int64 as text, and a metric that is 0 left out.
                cost = int(metrics.get("costMicros") or 0)
                values = {
                    "date": day.isoformat(), "campaign_id": str(campaign.get("id") or ""),
                    "campaign_name": str(campaign.get("name") or campaign.get("id") or ""),
                    "amount": number_text(Decimal(cost) / MICROS),
                    "currency": str((result.get("customer") or {}).get("currencyCode") or ""),
                    "impressions": number_text(metrics.get("impressions")),
                    "clicks": number_text(metrics.get("clicks")),
                    "conversions": number_text(metrics.get("conversions")),
                    "conversion_value": number_text(metrics.get("conversionsValue")),
                }
                yield day_row(values, day=day, window=window)
