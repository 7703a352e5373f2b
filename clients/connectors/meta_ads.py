"""Meta (Facebook and Instagram ads): campaign insights by day from the Marketing API, as the export maps them.

``GET /{version}/act_{id}/insights?level=campaign&time_increment=1`` with ``spend``,
``impressions``, ``inline_link_clicks``, ``actions`` and ``action_values`` (leads and
purchases) and ``account_currency``, paged by following ``paging.next`` (only its path and
query: the request still goes to Meta's host). A range longer than a month runs as an
asynchronous report job (``POST …/insights`` → ``report_run_id``, polled until
``async_status`` is ``Job Completed``, then its ``/insights`` paged the same way). Meta's usage
headers (``X-Business-Use-Case-Usage``, ``X-Ad-Account-Usage``, ``X-FB-Ads-Insights-Throttle``)
slow the sync down before the limit, and its throttling errors (codes 4, 17, 32, 613, 80000…)
wait what they ask. Auth: a long-lived user token (about 60 days, no refresh: reconnect) or a
system user's token (no expiry). Meta restates up to 28 days: each daily sync re-reads 28 days.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import time
from collections.abc import Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import httpx
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from clients.connectors.ads import AdAccount, AdConnector, chunks, day_row, number_text, prefetched, resume_day
from clients.connectors.base import Row, Window
from clients.connectors.oauth import OAuthEndpoints, token_request, tokens_apply
from clients.connectors.transport import ConnectorError

if TYPE_CHECKING:
    from clients.connectors.transport import Session

API_VERSION = "v24.0"  # pinned here only; each Graph API version lives about two years
ENDPOINTS = OAuthEndpoints(
    authorize_base="https://www.facebook.com", authorize_path=f"/{API_VERSION}/dialog/oauth",
    grant_base="https://graph.facebook.com", grant_path=f"/{API_VERSION}/oauth/access_token",
    scopes=("ads_read",), scope_separator=",",
)
FIELDS = "campaign_id,campaign_name,spend,impressions,inline_link_clicks,actions,action_values,account_currency"
PAGE = 500
ASYNC_DAYS = 31  # longer ranges run as a report job
POLL_MAX = 30.0  # seconds: the longest wait between two checks of a report job
SPAN_DAYS = 92  # one report a quarter: a backfill resumes after the last quarter written
THROTTLE_CODES = frozenset({4, 17, 32, 613, 80000, 80001, 80002, 80003, 80004, 80005, 80006, 80008, 80009, 80014})
REAUTH_CODES = frozenset({102, 190, 200, 10})
# Leads and purchases, each counted once: the aggregated type when Meta gives it, else its parts.
LEAD_TYPES = (("lead",), ("onsite_conversion.lead_grouped", "offsite_conversion.fb_pixel_lead"))
PURCHASE_TYPES = (("omni_purchase",), ("purchase",), ("offsite_conversion.fb_pixel_purchase",))


def account_number(text: str) -> str:
    return (text or "").strip().removeprefix("act_")


def action_values(actions: list[dict[str, Any]] | None) -> dict[str, Any]:
    """Meta's ``actions`` (or ``action_values``) list by action type: its value as Meta gave it."""
    return {str(action.get("action_type")): action.get("value") for action in actions or ()}


def action_total(actions: list[dict[str, Any]] | dict[str, Any] | None, choices: tuple[tuple[str, ...], ...]) -> Decimal:
    """The first of ``choices`` (a group of action types) present in ``actions``, summed."""
    by_type = actions if isinstance(actions, dict) else action_values(actions)
    for group in choices:
        if any(name in by_type for name in group):
            return sum((Decimal(str(by_type[name] or 0)) for name in group if name in by_type), Decimal(0))
    return Decimal(0)


def _usage(response: httpx.Response) -> tuple[float, float]:
    """(the highest usage percentage in Meta's headers, seconds until access is regained)."""
    highest, regain = 0.0, 0.0
    for name in ("X-Business-Use-Case-Usage", "X-Ad-Account-Usage", "X-FB-Ads-Insights-Throttle", "X-App-Usage"):
        text = response.headers.get(name)
        if not text:
            continue
        try:
            data = json.loads(text)
        except ValueError:
            continue
        entries = [entry for values in data.values() for entry in values] if name == "X-Business-Use-Case-Usage" else [data]
        for entry in entries:
            if not isinstance(entry, dict):
                continue
            for key in ("call_count", "total_cputime", "total_time", "acc_id_util_pct", "app_id_util_pct"):
                with contextlib.suppress(TypeError, ValueError):
                    highest = max(highest, float(entry.get(key) or 0))
            with contextlib.suppress(TypeError, ValueError):
                regain = max(regain, float(entry.get("estimated_time_to_regain_access") or 0) * 60,
                             float(entry.get("reset_time_duration") or 0))
    return highest, regain


class MetaAds(AdConnector):
    slug = "meta_ads"
    label = "Meta Ads"
    source = "meta_ads"
    documented_base = "https://graph.facebook.com"
    account_label = _("Ad account ID")
    account_help = _("Ads Manager › the account menu: the number after “act_”.")
    lookback = dt.timedelta(days=28)
    token_lifetime = dt.timedelta(days=60)
    endpoints = ENDPOINTS

    def account_key(self, account_id: str) -> str:
        return account_number(account_id)

    def error_words(self, body: dict[str, Any]) -> str:
        error = body.get("error")
        if isinstance(error, dict):
            return str(error.get("error_user_msg") or error.get("message") or "")[:300]
        return str(error or "")[:300]

    def _code(self, body: dict[str, Any]) -> int | None:
        error = body.get("error")
        try:
            return int(error.get("code")) if isinstance(error, dict) else None
        except (TypeError, ValueError):
            return None

    def needs_reauth(self, status: int, body: dict[str, Any]) -> bool:
        return status == 401 or self._code(body) in REAUTH_CODES

    def throttled(self, response: httpx.Response) -> float | None:
        if response.status_code < 400:
            return None
        try:
            body = response.json()
        except ValueError:
            return None
        if self._code(body if isinstance(body, dict) else {}) not in THROTTLE_CODES:
            return None
        return _usage(response)[1]

    def pause_after(self, response: httpx.Response) -> float:
        highest, regain = _usage(response)
        if highest >= 90:  # close to the limit: let it recover before the next call
            return max(regain, 10.0)
        return 0.0

    def exchange_code(self, session: Session, *, code: str, redirect_uri: str, verifier: str) -> None:
        # The code gives a short-lived token (about an hour), exchanged at once for a long-lived one (about 60 days).
        short = token_request(session, platform=self.slug, endpoints=self.endpoints, method="GET",
                              form={"code": code, "redirect_uri": redirect_uri})
        answer = token_request(session, platform=self.slug, endpoints=self.endpoints, method="GET", form={
            "grant_type": "fb_exchange_token", "fb_exchange_token": str(short.get("access_token") or "")})
        if not tokens_apply(session, answer):
            raise ConnectorError(str(_("Meta gave no access token.")))

    def _pages(self, session: Session, path: str, params: dict[str, Any]) -> Iterator[dict[str, Any]]:
        page = session.request("GET", path, params=params)
        while True:
            yield from page.get("data") or []
            following = (page.get("paging") or {}).get("next")
            if not following or not page.get("data"):
                return
            parts = urlsplit(following)  # its path and query only: never another host
            page = session.request("GET", parts.path + ("?" + parts.query if parts.query else ""))

    def accounts(self, session: Session) -> list[AdAccount]:
        return [AdAccount(account_number(str(row.get("account_id") or row.get("id") or "")), str(row.get("name") or ""),
                          str(row.get("currency") or ""))
                for row in self._pages(session, f"/{API_VERSION}/me/adaccounts",
                                       {"fields": "account_id,name,currency,account_status", "limit": 100})]

    def check(self, session: Session) -> tuple[str, str]:
        number = account_number(session.account_id)
        if not number.isdigit():
            raise ConnectorError(str(_("A Meta ad account ID is a number (act_ followed by digits).")))
        account = session.request("GET", f"/{API_VERSION}/act_{number}", params={"fields": "name,currency,account_status"})
        name = str(account.get("name") or number)
        return name, str(_("connected: %(name)s, ad account %(id)s, amounts in %(currency)s") % {
            "name": name, "id": number, "currency": account.get("currency") or "?"})

    def _insights(self, session: Session, number: str, first: dt.date, last: dt.date) -> Iterator[dict[str, Any]]:
        params = {"level": "campaign", "time_increment": 1, "fields": FIELDS, "limit": PAGE,
                  "time_range": json.dumps({"since": first.isoformat(), "until": last.isoformat()})}
        if (last - first).days + 1 <= ASYNC_DAYS:
            yield from self._pages(session, f"/{API_VERSION}/act_{number}/insights", params)
            return
        job = session.request("POST", f"/{API_VERSION}/act_{number}/insights", data=params)
        run_id = str(job.get("report_run_id") or "")
        if not run_id:
            raise ConnectorError(str(_("Meta did not start the report job.")))
        deadline = time.monotonic() + settings.PORTAL_CONNECTOR_JOB_TIMEOUT
        wait = settings.PORTAL_CONNECTOR_JOB_POLL
        while True:
            status = session.request("GET", f"/{API_VERSION}/{run_id}")
            state = str(status.get("async_status") or "")
            if state == "Job Completed" and int(status.get("async_percent_completion") or 100) >= 100:
                break
            if state in {"Job Failed", "Job Skipped"}:
                raise ConnectorError(str(_("Meta's report job ended as “%(state)s”; the next sync tries again.") % {
                    "state": state}))
            if time.monotonic() > deadline:
                raise ConnectorError(str(_("Meta's report job had not finished after %(seconds)s s; the next sync "
                                           "tries again.") % {"seconds": int(settings.PORTAL_CONNECTOR_JOB_TIMEOUT)}))
            # Checked at once (a small report is often ready), then less and less often: each check
            # counts against the account's rate limit, and a long report takes minutes.
            time.sleep(max(0.0, min(wait, deadline - time.monotonic())))
            wait = min(POLL_MAX, wait * 2)
        yield from self._pages(session, f"/{API_VERSION}/{run_id}/insights", {"limit": PAGE})

    def rows(self, session: Session, window: Window, position: dict[str, Any], options: dict[str, Any]) -> Iterator[Row]:
        number = account_number(session.account_id)
        spans = chunks(resume_day(window, position), window.last_day, SPAN_DAYS)

        def fetch(first: dt.date, last: dt.date) -> list[dict[str, Any]]:
            # Meta promises no order: a span's records sorted by day, so a resumed sync starts after the last day written.
            return sorted(self._insights(session, number, first, last),
                          key=lambda record: (str(record.get("date_start")), str(record.get("campaign_id"))))

        for _span, records in prefetched(session, spans, fetch):
            yield from (self._row(record, window) for record in records)

    def _row(self, record: dict[str, Any], window: Window) -> Row:
        day = dt.date.fromisoformat(str(record.get("date_start")))
        actions, values_by_type = action_values(record.get("actions")), action_values(record.get("action_values"))
        leads = action_total(actions, LEAD_TYPES)
        purchases = action_total(actions, PURCHASE_TYPES)
        value = action_total(values_by_type, PURCHASE_TYPES) + action_total(values_by_type, LEAD_TYPES)
        values = {
            "date": day.isoformat(), "campaign_id": str(record.get("campaign_id") or ""),
            "campaign_name": str(record.get("campaign_name") or record.get("campaign_id") or ""),
            "amount": number_text(record.get("spend")), "currency": str(record.get("account_currency") or ""),
            "impressions": number_text(record.get("impressions")),
            "clicks": number_text(record.get("inline_link_clicks")),
            # The export's Results counted when its indicator is a lead or a purchase: both here.
            "conversions": number_text(leads + purchases), "_indicator": "actions:lead+purchase",
            "conversion_value": number_text(value),
        }
        return day_row(values, day=day, window=window)
