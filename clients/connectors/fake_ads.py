"""The fake platforms' server, part two: Google Ads, Meta and LinkedIn, and their OAuth endpoints.

Answers in the documented JSON shapes: Google Ads' ``searchStream`` (chunks of 10,000 rows,
proto3 JSON: int64 as text, zero metrics left out; ``listAccessibleCustomers``; manager accounts
whose clients need ``login-customer-id``; the developer token checked), Meta's insights
(``paging.next`` as a full URL on Meta's host, asynchronous report jobs that run for a few polls;
a synchronous request over 31 days refused as Meta does; error codes in ``error.code``;
``X-Business-Use-Case-Usage``), LinkedIn's ``adAnalytics`` (Rest.li ``dateRange``, no paging),
campaigns and accounts paged by ``pageToken``. The consent: an authorize page with Allow and
Deny that redirects to the registered redirect URI only, codes used once, PKCE checked, refresh
tokens that can be revoked. Development and tests only (started by ``fake_server``).
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re
import secrets
import time
from dataclasses import dataclass, field
from decimal import Decimal
from html import escape
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, unquote, urlencode, urlsplit

from clients.connectors import google_ads, meta_ads
from clients.connectors.oauth import pkce_challenge

if TYPE_CHECKING:
    from clients.connectors.fake_server import Handler

ADS = ("google_ads", "meta_ads", "linkedin_ads")
GOOGLE_CHUNK = 10_000
FAILURE = f"type.googleapis.com/google.ads.googleads.{google_ads.API_VERSION}.errors.GoogleAdsFailure"


@dataclass
class AdRow:
    day: dt.date
    campaign_id: str
    name: str
    cost: Decimal
    impressions: int
    clicks: int
    leads: int
    purchases: int
    value: Decimal

    @property
    def conversions(self) -> Decimal:
        return Decimal(self.leads + self.purchases)


@dataclass
class AdsFake:
    """The ad platforms' accounts, apps, tokens and consents."""

    apps: dict[str, str] = field(default_factory=dict)  # client id -> secret (any platform)
    redirect_uris: set[str] = field(default_factory=set)  # registered with every app
    developer_tokens: set[str] = field(default_factory=set)
    tokens: dict[str, tuple[str, float]] = field(default_factory=dict)  # access token -> (platform, expiry)
    refresh_tokens: dict[str, str] = field(default_factory=dict)  # refresh token -> platform
    codes: dict[str, dict[str, Any]] = field(default_factory=dict)
    linkedin_refresh: bool = True  # the app is approved for programmatic refresh tokens
    google_customers: dict[str, dict[str, Any]] = field(default_factory=dict)  # id -> name, currency, manager, clients
    google_accessible: list[str] = field(default_factory=list)
    meta_accounts: dict[str, dict[str, Any]] = field(default_factory=dict)
    linkedin_accounts: dict[str, dict[str, Any]] = field(default_factory=dict)
    rows: dict[tuple[str, str], list[AdRow]] = field(default_factory=dict)  # (platform, account) -> rows by day
    jobs: dict[str, dict[str, Any]] = field(default_factory=dict)
    job_polls: int = 2  # "Job Running" answers before a job completes
    usage: dict[str, dict[str, str]] = field(default_factory=dict)  # platform -> headers on every data answer
    # The demo's tokens are the same in every run of the fake server (platform -> token), so a
    # connection made through the consent keeps working after the development processes restart.
    fixed_tokens: dict[str, str] = field(default_factory=dict)
    fixed_refresh_tokens: dict[str, str] = field(default_factory=dict)
    fault_headers: dict[str, dict[str, str]] = field(default_factory=dict)  # platform -> headers on a scripted fault

    def token_issue(self, platform: str, seconds: int) -> str:
        token = self.fixed_tokens.get(platform) or (
            {"google_ads": "ya29.", "meta_ads": "EAAB", "linkedin_ads": "AQV"}[platform] + secrets.token_urlsafe(24))
        self.tokens[token] = (platform, time.time() + seconds)
        return token

    def refresh_issue(self, platform: str) -> str:
        token = self.fixed_refresh_tokens.get(platform) or "1//rt-" + secrets.token_urlsafe(18)
        self.refresh_tokens[token] = platform
        return token

    def revoke(self, platform: str) -> None:
        """The client withdrew the consent on the platform: its tokens stop working."""
        for token, (owner, _expiry) in list(self.tokens.items()):
            if owner == platform:
                del self.tokens[token]
        for token, owner in list(self.refresh_tokens.items()):
            if owner == platform:
                del self.refresh_tokens[token]


def make_ad_rows(*, campaigns: int, first_day: dt.date, days: int, seed: int = 5, prefix: str = "1",
                 titles: tuple[str, ...] = ()) -> list[AdRow]:
    """``campaigns`` campaigns (named ``titles`` when given) with a row for every day (ordered by day, then campaign)."""
    rng = random.Random(seed)
    rows = []
    names = [(f"{prefix}{number:04d}", titles[number - 1] if number <= len(titles) else f"Campaign {prefix}-{number:02d}")
             for number in range(1, campaigns + 1)]
    for offset in range(days):
        day = first_day + dt.timedelta(days=offset)
        for campaign_id, name in names:
            impressions = rng.randrange(200, 5000)
            clicks = rng.randrange(0, impressions // 20)
            purchases = rng.randrange(0, 3)
            rows.append(AdRow(day, campaign_id, name, Decimal(rng.randrange(100, 20000)) / 100, impressions, clicks,
                              rng.randrange(0, 4), purchases, Decimal(purchases * rng.randrange(2000, 9000)) / 100))
    return rows


def _between(rows: list[AdRow], first: dt.date, last: dt.date) -> list[AdRow]:
    return [row for row in rows if first <= row.day <= last]


def _form(handler: Handler) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(handler.raw.decode()).items()}


def _query(handler: Handler) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(handler.path).query).items()}


def platform_of(path: str, raw: bytes) -> str:
    """Which ad platform a path belongs to ("" for none)."""
    if path.startswith((f"/{google_ads.API_VERSION}/", "/o/oauth2/")) or (path == "/token" and b"jwt-bearer" not in raw):
        return "google_ads"
    if path.startswith(f"/{meta_ads.API_VERSION}/"):
        return "meta_ads"
    if path.startswith(("/rest/", "/oauth/v2/")):
        return "linkedin_ads"
    return ""


def route(handler: Handler, method: str, path: str, platform: str) -> int:
    ads: AdsFake = handler.platforms.ads
    if path in {"/o/oauth2/v2/auth", f"/{meta_ads.API_VERSION}/dialog/oauth", "/oauth/v2/authorization"}:
        return _authorize(handler, platform)
    if path in {"/token", f"/{meta_ads.API_VERSION}/oauth/access_token", "/oauth/v2/accessToken"}:
        return _token(handler, platform, _query(handler) if method == "GET" else _form(handler))
    token = handler.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    owner, expiry = ads.tokens.get(token, ("", 0.0))
    if owner != platform or expiry < time.time() or platform in handler.platforms.expired:
        return _unauthorised(handler, platform, known=bool(owner))
    fault = handler.platforms._fault(platform)
    if fault is not None:
        headers = dict(ads.fault_headers.get(platform, {}))
        if fault.retry_after:
            headers["Retry-After"] = fault.retry_after
        return handler._send(fault.status, fault.body or _error_body(platform, fault.status), headers)
    with handler.platforms.lock:
        handler.platforms.data_requests[platform] += 1
    if platform == "google_ads":
        return _google(handler, method, path)
    if platform == "meta_ads":
        return _meta(handler, method, path)
    return _linkedin(handler, method, path)


def _error_body(platform: str, status: int) -> dict[str, Any]:
    if platform == "google_ads":
        return {"error": {"code": status, "message": "Resource has been exhausted (e.g. check quota).",
                          "status": "RESOURCE_EXHAUSTED", "details": [{
                              "@type": FAILURE,
                              "errors": [{"errorCode": {"quotaError": "RESOURCE_TEMPORARILY_EXHAUSTED"},
                                          "message": "Too many requests. Retry in 1 seconds."}]}]}}
    if platform == "meta_ads":
        return {"error": {"message": "(#80004) There have been too many calls to this ad-account. Wait a bit and try "
                                     "again.", "type": "OAuthException", "code": 80004, "error_subcode": 2446079,
                          "fbtrace_id": secrets.token_hex(6)}}
    return {"status": status, "code": "TOO_MANY_REQUESTS", "message": "Resource level throttle APPLICATION DAY limit "
                                                                       "for calls to this resource is reached."}


def _unauthorised(handler: Handler, platform: str, *, known: bool) -> int:
    if platform == "google_ads":
        return handler._send(401, {"error": {"code": 401, "status": "UNAUTHENTICATED", "message": (
            "Request is missing required authentication credential. Expected OAuth 2 access token.")}})
    if platform == "meta_ads":
        return handler._send(400, {"error": {"message": "Error validating access token: The session has been "
                                                        "invalidated because the user changed their password or "
                                                        "Facebook has changed the session for security reasons.",
                                             "type": "OAuthException", "code": 190, "error_subcode": 460}})
    return handler._send(401, {"status": 401, "serviceErrorCode": 65601, "code": "REVOKED_ACCESS_TOKEN",
                               "message": "The token used in the request has been revoked by the user"})


# --- OAuth --------------------------------------------------------------------------------------

def _authorize(handler: Handler, platform: str) -> int:
    ads: AdsFake = handler.platforms.ads
    query = _query(handler)
    redirect = query.get("redirect_uri", "")
    if query.get("client_id") not in ads.apps or redirect not in ads.redirect_uris:
        return _html(handler, 400, "Error 400: redirect_uri_mismatch",
                     "The redirect URI in the request does not match the ones authorized for the OAuth client.")
    if query.get("decision") == "deny":
        return _redirect(handler, redirect, {"error": "access_denied", "state": query.get("state", "")})
    if query.get("decision") == "allow":
        code = "4/0A" + secrets.token_urlsafe(20)
        ads.codes[code] = {"platform": platform, "client_id": query["client_id"], "redirect_uri": redirect,
                           "challenge": query.get("code_challenge", ""), "used": False}
        return _redirect(handler, redirect, {"code": code, "state": query.get("state", "")})
    names = {"google_ads": "Google", "meta_ads": "Facebook", "linkedin_ads": "LinkedIn"}
    allow = handler.path + "&" + urlencode({"decision": "allow"})
    deny = handler.path + "&" + urlencode({"decision": "deny"})
    return _html(handler, 200, f"{names[platform]} (fake): sign in", (
        f"<p>The agency's app asks to read your ads ({escape(query.get('scope', ''))}).</p>"
        f"<p><a id='allow' href='{escape(allow)}'>Allow</a> · <a id='deny' href='{escape(deny)}'>Deny</a></p>"))


def _html(handler: Handler, status: int, title: str, body: str) -> int:
    data = f"<!doctype html><title>{escape(title)}</title><h1>{escape(title)}</h1>{body}".encode()
    handler.send_response(status)
    handler.send_header("Content-Type", "text/html; charset=utf-8")
    handler.send_header("Content-Length", str(len(data)))
    handler.end_headers()
    handler.wfile.write(data)
    return status


def _redirect(handler: Handler, uri: str, params: dict[str, str]) -> int:
    handler.send_response(302)
    handler.send_header("Location", uri + ("&" if "?" in uri else "?") + urlencode(params))
    handler.send_header("Content-Length", "0")
    handler.end_headers()
    return 302


def _token_error(handler: Handler, platform: str, description: str) -> int:
    if platform == "meta_ads":
        return handler._send(400, {"error": {"message": description, "type": "OAuthException", "code": 100,
                                             "error_subcode": 36009}})
    return handler._send(400, {"error": "invalid_grant" if platform == "google_ads" else "invalid_request",
                               "error_description": description})


def _token(handler: Handler, platform: str, form: dict[str, str]) -> int:
    ads: AdsFake = handler.platforms.ads
    if not form.get("client_id") or ads.apps.get(form["client_id"]) != form.get("client_secret"):
        return handler._send(401, {"error": "invalid_client", "error_description": "The OAuth client was not found."})
    grant = form.get("grant_type", "authorization_code" if platform == "meta_ads" and "code" in form else "")
    if grant == "authorization_code":
        with handler.platforms.lock:
            consent = ads.codes.get(form.get("code", ""))
            replay = consent is not None and consent["used"]
            if consent is not None:
                consent["used"] = True
        if consent is None or replay or consent["platform"] != platform:
            return _token_error(handler, platform, "This authorization code has been used." if replay
                                else "Malformed auth code.")
        if consent["redirect_uri"] != form.get("redirect_uri") or consent["client_id"] != form["client_id"]:
            return _token_error(handler, platform, "redirect_uri_mismatch")
        if consent["challenge"] and pkce_challenge(form.get("code_verifier", "")) != consent["challenge"]:
            return _token_error(handler, platform, "Invalid code verifier.")
        if platform == "meta_ads":
            return handler._send(200, {"access_token": ads.token_issue(platform, 3600), "token_type": "bearer",
                                       "expires_in": 3600})
        answer: dict[str, Any] = {"token_type": "Bearer"}
        if platform == "google_ads":
            answer.update(access_token=ads.token_issue(platform, 3599), expires_in=3599,
                          refresh_token=ads.refresh_issue(platform), scope="https://www.googleapis.com/auth/adwords")
        else:
            answer.update(access_token=ads.token_issue(platform, 5184000), expires_in=5184000, scope="r_ads,r_ads_reporting")
            if ads.linkedin_refresh:
                answer.update(refresh_token=ads.refresh_issue(platform), refresh_token_expires_in=31536000)
        return handler._send(200, answer)
    if grant == "fb_exchange_token" and platform == "meta_ads":
        owner, expiry = ads.tokens.get(form.get("fb_exchange_token", ""), ("", 0.0))
        if owner != platform or expiry < time.time():
            return _token_error(handler, platform, "Invalid OAuth access token.")
        return handler._send(200, {"access_token": ads.token_issue(platform, 5183944), "token_type": "bearer",
                                   "expires_in": 5183944})
    if grant == "refresh_token" and platform != "meta_ads":
        if ads.refresh_tokens.get(form.get("refresh_token", "")) != platform:
            return _token_error(handler, platform, "Token has been expired or revoked.")
        seconds = 3599 if platform == "google_ads" else 5184000
        answer = {"access_token": ads.token_issue(platform, seconds), "expires_in": seconds, "token_type": "Bearer"}
        if platform == "linkedin_ads":
            answer["refresh_token"] = form["refresh_token"]
        return handler._send(200, answer)
    return _token_error(handler, platform, "Unsupported grant type.")


# --- Google Ads ---------------------------------------------------------------------------------

def _google_error(handler: Handler, status: int, name: str, code: dict[str, str], message: str) -> int:
    return handler._send(status, {"error": {"code": status, "message": "The caller does not have permission",
                                            "status": name, "details": [{
                                                "@type": f"type.googleapis.com/google.ads.googleads.{google_ads.API_VERSION}"
                                                         ".errors.GoogleAdsFailure",
                                                "errors": [{"errorCode": code, "message": message}]}]}})


def _google(handler: Handler, method: str, path: str) -> int:
    ads: AdsFake = handler.platforms.ads
    if handler.headers.get("developer-token", "") not in ads.developer_tokens:
        return _google_error(handler, 401, "UNAUTHENTICATED", {"authenticationError": "DEVELOPER_TOKEN_INVALID"},
                             "The developer token is not valid.")
    if path == f"/{google_ads.API_VERSION}/customers:listAccessibleCustomers":
        return handler._send(200, {"resourceNames": [f"customers/{cid}" for cid in ads.google_accessible]})
    match = re.fullmatch(rf"/{google_ads.API_VERSION}/customers/(\d+)/googleAds:searchStream", path)
    if not match or method != "POST":
        return handler._send(404, {"error": {"code": 404, "status": "NOT_FOUND", "message": "Not found"}})
    customer = match.group(1)
    manager = handler.headers.get("login-customer-id", "")
    direct = customer in ads.google_accessible and (not manager or manager == customer)
    through = manager in ads.google_accessible and customer in ads.google_customers.get(manager, {}).get("clients", [])
    if customer not in ads.google_customers or not (direct or through):
        return _google_error(handler, 403, "PERMISSION_DENIED", {"authorizationError": "USER_PERMISSION_DENIED"}, (
            "User doesn't have permission to access customer. Note: If you're accessing a client customer, the "
            "manager's customer id must be set in the 'login-customer-id' header."))
    query = handler._json().get("query", "")
    info = ads.google_customers[customer]
    if "FROM customer_client" in query:
        results = [{"customerClient": {"resourceName": f"customers/{customer}/customerClients/{child}", "id": child,
                                       "descriptiveName": ads.google_customers[child]["name"],
                                       "currencyCode": ads.google_customers[child]["currency"],
                                       "manager": bool(ads.google_customers[child].get("manager")), "level": "1"}}
                   for child in info.get("clients", [])]
    elif "FROM customer" in query:
        results = [{"customer": {"resourceName": f"customers/{customer}", "id": customer, "descriptiveName": info["name"],
                                 "currencyCode": info["currency"], "manager": bool(info.get("manager"))}}]
    else:
        first, last = re.search(r"BETWEEN '([\d-]+)' AND '([\d-]+)'", query).groups()  # type: ignore[union-attr]
        results = []
        for row in _between(ads.rows.get(("google_ads", customer), []), dt.date.fromisoformat(first),
                            dt.date.fromisoformat(last)):
            metrics: dict[str, Any] = {"costMicros": str(int(row.cost * 1_000_000)), "impressions": str(row.impressions),
                                       "clicks": str(row.clicks), "conversions": float(row.conversions),
                                       "conversionsValue": float(row.value)}
            results.append({"customer": {"resourceName": f"customers/{customer}", "currencyCode": info["currency"]},
                            "campaign": {"resourceName": f"customers/{customer}/campaigns/{row.campaign_id}",
                                         "id": row.campaign_id, "name": row.name},
                            "metrics": {k: v for k, v in metrics.items() if v not in ("0", 0.0)},
                            "segments": {"date": row.day.isoformat()}})
    chunks = [{"results": results[at:at + GOOGLE_CHUNK], "fieldMask": "campaign.id,metrics.costMicros",
               "requestId": secrets.token_hex(8)} for at in range(0, len(results), GOOGLE_CHUNK)]
    empty = [{"fieldMask": "", "requestId": secrets.token_hex(8)}]
    return handler._send(200, chunks or empty, ads.usage.get("google_ads"))


# --- Meta ---------------------------------------------------------------------------------------

def _meta_record(row: AdRow, currency: str) -> dict[str, Any]:
    record: dict[str, Any] = {"campaign_id": row.campaign_id, "campaign_name": row.name, "spend": f"{row.cost:.2f}",
                              "impressions": str(row.impressions), "inline_link_clicks": str(row.clicks),
                              "account_currency": currency, "date_start": row.day.isoformat(),
                              "date_stop": row.day.isoformat()}
    actions = []
    if row.leads:  # Meta gives the aggregate and its parts: counting both would double the leads
        actions += [{"action_type": "lead", "value": str(row.leads)},
                    {"action_type": "offsite_conversion.fb_pixel_lead", "value": str(row.leads)}]
    if row.purchases:
        actions += [{"action_type": "omni_purchase", "value": str(row.purchases)},
                    {"action_type": "purchase", "value": str(row.purchases)}]
        record["action_values"] = [{"action_type": "omni_purchase", "value": f"{row.value:.2f}"},
                                   {"action_type": "purchase", "value": f"{row.value:.2f}"}]
    if actions:
        record["actions"] = actions
    return record


def _meta_page(handler: Handler, records: list[dict[str, Any]], path: str, query: dict[str, str]) -> int:
    ads: AdsFake = handler.platforms.ads
    after = int(query.get("after") or 0)
    limit = min(int(query.get("limit") or 25), 500)
    answer: dict[str, Any] = {"data": records[after:after + limit]}
    if after + limit < len(records):
        following = {**query, "after": str(after + limit)}
        answer["paging"] = {"cursors": {"before": str(after), "after": str(after + limit)},
                            "next": f"https://graph.facebook.com{path}?{urlencode(following)}"}
    return handler._send(200, answer, ads.usage.get("meta_ads"))


def _meta(handler: Handler, method: str, path: str) -> int:
    ads: AdsFake = handler.platforms.ads
    version = f"/{meta_ads.API_VERSION}"
    query = _query(handler)
    if path == f"{version}/me/adaccounts":
        records = [{"account_id": aid, "id": f"act_{aid}", "name": a["name"], "currency": a["currency"], "account_status": 1}
                   for aid, a in ads.meta_accounts.items()]
        return _meta_page(handler, records, path, query)
    match = re.fullmatch(rf"{version}/act_(\d+)(/insights)?", path)
    if match:
        account = match.group(1)
        if account not in ads.meta_accounts:
            return handler._send(400, {"error": {"message": "(#100) Missing permissions", "type": "OAuthException",
                                                 "code": 100}})
        info = ads.meta_accounts[account]
        if not match.group(2):
            return handler._send(200, {"id": f"act_{account}", "name": info["name"], "currency": info["currency"],
                                       "account_status": 1})
        params = _form(handler) if method == "POST" else query
        time_range = json.loads(params.get("time_range") or "{}")
        first, last = dt.date.fromisoformat(time_range["since"]), dt.date.fromisoformat(time_range["until"])
        if method == "POST":
            run_id = str(6_000_000_000 + len(ads.jobs) + 1)
            ads.jobs[run_id] = {"account": account, "first": first, "last": last, "polls": 0}
            return handler._send(200, {"report_run_id": run_id})
        if (last - first).days + 1 > 31:
            return handler._send(500, {"error": {"message": "Please reduce the amount of data you're asking for, then "
                                                            "retry your request", "type": "OAuthException", "code": 1}})
        rows = _between(ads.rows.get(("meta_ads", account), []), first, last)
        return _meta_page(handler, [_meta_record(row, info["currency"]) for row in reversed(rows)], path, query)
    match = re.fullmatch(rf"{version}/(\d+)(/insights)?", path)
    if match and match.group(1) in ads.jobs:
        job = ads.jobs[match.group(1)]
        if not match.group(2):
            job["polls"] += 1
            done = job["polls"] > ads.job_polls
            return handler._send(200, {"id": match.group(1), "account_id": job["account"],
                                       "async_status": "Job Completed" if done else "Job Running",
                                       "async_percent_completion": 100 if done else 50 * job["polls"] // ads.job_polls})
        if job["polls"] <= ads.job_polls:
            return handler._send(400, {"error": {"message": "Report not ready", "type": "OAuthException", "code": 100}})
        if "records" not in job:  # made once per job, as Meta stores a job's result
            info = ads.meta_accounts[job["account"]]
            rows = _between(ads.rows.get(("meta_ads", job["account"]), []), job["first"], job["last"])
            job["records"] = [_meta_record(row, info["currency"]) for row in reversed(rows)]
        return _meta_page(handler, job["records"], path, query)
    return handler._send(404, {"error": {"message": "Unknown path components", "type": "OAuthException", "code": 2500}})


# --- LinkedIn -----------------------------------------------------------------------------------

def _paged(handler: Handler, elements: list[dict[str, Any]], query: dict[str, str]) -> int:
    start = int(query.get("pageToken") or 0)
    size = min(int(query.get("pageSize") or 100), 1000)
    metadata = {"nextPageToken": str(start + size)} if start + size < len(elements) else {}
    return handler._send(200, {"elements": elements[start:start + size], "metadata": metadata, "paging": {}})


def _linkedin(handler: Handler, method: str, path: str) -> int:
    ads: AdsFake = handler.platforms.ads
    if not handler.headers.get("LinkedIn-Version"):
        return handler._send(426, {"status": 426, "code": "VERSION_MISSING", "message": "A version must be present."})
    query = _query(handler)
    if path == "/rest/adAccounts":
        return _paged(handler, [{"id": int(aid), "name": a["name"], "currency": a["currency"], "status": "ACTIVE"}
                                for aid, a in ads.linkedin_accounts.items()], query)
    match = re.fullmatch(r"/rest/adAccounts/(\d+)(/adCampaigns)?", path)
    if match:
        account = match.group(1)
        if account not in ads.linkedin_accounts:
            return handler._send(403, {"status": 403, "code": "ACCESS_DENIED", "message": "Not enough permissions to "
                                                                                           "access: adAccounts.GET"})
        if not match.group(2):
            info = ads.linkedin_accounts[account]
            return handler._send(200, {"id": int(account), "name": info["name"], "currency": info["currency"]})
        names = {row.campaign_id: row.name for row in ads.rows.get(("linkedin_ads", account), [])}
        return _paged(handler, [{"id": int(cid), "name": name, "account": f"urn:li:sponsoredAccount:{account}"}
                                for cid, name in sorted(names.items())], query)
    if path == "/rest/adAnalytics":
        raw = unquote(urlsplit(handler.path).query)
        found = re.search(r"dateRange=\(start:\(year:(\d+),month:(\d+),day:(\d+)\),"
                          r"end:\(year:(\d+),month:(\d+),day:(\d+)\)\)", raw)
        account = re.search(r"accounts=List\(urn:li:sponsoredAccount:(\d+)\)", raw)
        if not found or not account or "pivot=CAMPAIGN" not in raw or "timeGranularity=DAILY" not in raw:
            return handler._send(400, {"status": 400, "code": "ILLEGAL_ARGUMENT", "message": "Invalid query parameters"})
        numbers = [int(n) for n in found.groups()]
        first, last = dt.date(*numbers[:3]), dt.date(*numbers[3:])
        if account.group(1) not in ads.linkedin_accounts:
            return handler._send(403, {"status": 403, "code": "ACCESS_DENIED", "message": "Not enough permissions"})
        elements = []
        for row in _between(ads.rows.get(("linkedin_ads", account.group(1)), []), first, last):
            span = {"year": row.day.year, "month": row.day.month, "day": row.day.day}
            elements.append({"dateRange": {"start": span, "end": span},
                             "pivotValues": [f"urn:li:sponsoredCampaign:{row.campaign_id}"],
                             "costInLocalCurrency": str(row.cost), "impressions": row.impressions, "clicks": row.clicks,
                             "externalWebsiteConversions": row.purchases, "oneClickLeads": row.leads})
        if len(elements) > 15000:
            return handler._send(400, {"status": 400, "code": "TOO_MANY_ELEMENTS",
                                       "message": "Request would return more than 15000 elements"})
        return handler._send(200, {"elements": elements, "paging": {"start": 0, "count": 10, "links": []}},
                             ads.usage.get("linkedin_ads"))
    return handler._send(404, {"status": 404, "code": "NOT_FOUND", "message": "Not found"})
