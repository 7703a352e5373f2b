"""A local stand-in for HubSpot, GA4 (and Google's token endpoint) and Mailchimp — development only.

It answers the documented endpoints the connectors call, in the platforms' JSON shapes: HubSpot's
contacts search (``after`` paging, the 10,000-result cap, ``category`` errors), GA4's
``runReport`` (``limit``/``offset``, ``rowCount``) and the service-account JWT grant, Mailchimp's
``/3.0/reports`` (``count``/``offset``, ``total_items``, basic auth with the API key). Faults can
be scripted (a 429 with ``Retry-After``, 500s, expired tokens), and it counts requests and the
most requests of one platform in flight at once. The demo (``scripts/run``) and the tests use
it; it refuses to start unless ``DEBUG`` (or the test settings) is on.
"""

from __future__ import annotations

import base64
import bisect
import datetime as dt
import json
import os
import random
import secrets
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from django.conf import settings

from agency.months import Month
from clients.connectors import fake_ads
from clients.connectors.consent import redirect_uri

CHANNELS = ["Organic Search", "Paid Search", "Organic Social", "Paid Social", "Email", "Referral", "Direct",
            "Unassigned"]
DEVICES = ["desktop", "mobile", "tablet"]
HUBSPOT_SOURCES = ["ORGANIC_SEARCH", "PAID_SEARCH", "EMAIL_MARKETING", "SOCIAL_MEDIA", "PAID_SOCIAL", "REFERRALS",
                   "DIRECT_TRAFFIC", "OTHER_CAMPAIGNS"]
SEARCH_CAP = 10_000


class FakeServerRefused(RuntimeError):
    """The fake platforms run on a development machine only."""


@dataclass
class Fault:
    platform: str
    status: int
    times: int = 1
    retry_after: str = ""
    after: int = 0  # data requests of the platform answered normally before this fault
    body: dict[str, Any] = field(default_factory=dict)


@dataclass
class FakePlatforms:
    """The fake accounts: their records, credentials, scripted faults and what was asked."""

    hubspot_tokens: dict[str, str] = field(default_factory=dict)  # token -> portal id
    hubspot_contacts: list[dict[str, Any]] = field(default_factory=list)
    # A portal with records of its own (the demo's account for a new client); any other reads hubspot_contacts.
    hubspot_portal_contacts: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    hubspot_apps: dict[str, str] = field(default_factory=dict)  # OAuth client id -> secret
    hubspot_refresh_tokens: dict[str, str] = field(default_factory=dict)  # refresh token -> portal id
    hubspot_expiry: dict[str, float] = field(default_factory=dict)  # OAuth access token -> when it expires
    mailchimp_keys: dict[str, str] = field(default_factory=dict)  # api key -> account name
    mailchimp_reports: list[dict[str, Any]] = field(default_factory=list)
    mailchimp_key_reports: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # api key -> its own reports
    ga4_accounts: dict[str, Any] = field(default_factory=dict)  # client_email -> public key
    ga4_properties: set[str] = field(default_factory=set)
    ga4_rows: list[tuple[str, str, str, str, int, int]] = field(default_factory=list)  # date, channel, device, page, s, e
    ga4_property_rows: dict[str, list[tuple[str, str, str, str, int, int]]] = field(default_factory=dict)  # its own rows
    ga4_tokens: dict[str, float] = field(default_factory=dict)  # issued access token -> expiry
    faults: list[Fault] = field(default_factory=list)
    expired: set[str] = field(default_factory=set)  # platforms whose every token is expired
    expired_tokens: set[str] = field(default_factory=set)  # single tokens that have expired
    latency: float = 0.0
    ads: fake_ads.AdsFake = field(default_factory=fake_ads.AdsFake)  # Google Ads, Meta, LinkedIn (fake_ads)
    on_request: Callable[[str, str], None] | None = None  # (platform, path), e.g. to kill a worker mid-sync
    requests: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    data_requests: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    in_flight: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    max_in_flight: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    log: list[tuple[float, str, str, int]] = field(default_factory=list)  # time, platform, path, status
    lock: threading.Lock = field(default_factory=threading.Lock)

    def fail(self, platform: str, status: int, *, times: int = 1, retry_after: str = "", after: int = 0,
             body: dict[str, Any] | None = None) -> None:
        """Answer ``status`` ``times`` times, once ``after`` more data requests of ``platform`` were answered."""
        with self.lock:
            self.faults.append(Fault(platform, status, times, retry_after, self.data_requests[platform] + after,
                                     body or {}))

    def hubspot_sorted(self, low: int, high: int, *, portal: str = "") -> list[dict[str, Any]]:
        """Contacts of ``portal`` (its own, else hubspot_contacts) modified in [low, high) (epoch ms),
        by modification time then id (each list kept sorted once)."""
        contacts = self.hubspot_portal_contacts.get(portal, self.hubspot_contacts)
        with self.lock:
            cache = self.__dict__.setdefault("_sorted_cache", {})
            cached = cache.get(id(contacts))
            if cached is None or cached[0] is not contacts or cached[1] != len(contacts):
                def millis(contact: dict[str, Any]) -> int:
                    text = contact["properties"]["lastmodifieddate"]
                    return int(dt.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp() * 1000)

                pairs = sorted(((millis(c), int(c["id"])), c) for c in contacts)
                cached = (contacts, len(contacts), [key for key, _contact in pairs], [contact for _key, contact in pairs])
                cache[id(contacts)] = cached
            keys, ordered = cached[2], cached[3]
            start = bisect.bisect_left(keys, (low, -1))
            end = bisect.bisect_left(keys, (high, -1))
            return ordered[start:end]

    def _fault(self, platform: str) -> Fault | None:
        with self.lock:
            for fault in self.faults:
                if fault.platform == platform and self.data_requests[platform] >= fault.after and fault.times:
                    fault.times -= 1
                    return fault
        return None


# --- the records ----------------------------------------------------------------------------------

def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def make_contacts(count: int, *, first: dt.datetime, last: dt.datetime, seed: int = 7) -> list[dict[str, Any]]:
    """``count`` HubSpot contacts created between ``first`` and ``last``, some further down the funnel."""
    rng = random.Random(seed)
    span = (last - first).total_seconds()
    contacts = []
    for number in range(count):
        # Whole minutes, as HubSpot's screens and exports show them (the parity test compares with a file).
        created = (first + dt.timedelta(seconds=int(span * number / max(1, count)) + rng.randrange(0, 3600))).replace(
            second=0, microsecond=0)
        properties: dict[str, Any] = {
            "createdate": _iso(created), "email": f"lead{number}@example.com",
            "hs_analytics_source": rng.choice(HUBSPOT_SOURCES),
            "industry": rng.choice(["COMPUTER_SOFTWARE", "RETAIL", "HOSPITAL_HEALTH_CARE", ""]),
            "numberofemployees": str(rng.choice([5, 25, 120, 800])), "annualrevenue": str(rng.choice([0, 250000, 4000000])),
        }
        modified = created + dt.timedelta(hours=1)
        # Each stage only where it is in the past: a lead of the last weeks can already be an SQL (the
        # month being closed has its sales), not yet a customer. (A lead that would pass a stage
        # after ``last`` stops before it, as a real portal's would on ``last``.)
        sql = created + dt.timedelta(days=rng.randrange(1, 20)) if rng.random() < 0.3 else last
        if sql < last:
            properties["hs_v2_date_entered_salesqualifiedlead"] = _iso(sql)
            modified = sql
            opportunity = sql + dt.timedelta(days=rng.randrange(1, 15)) if rng.random() < 0.5 else last
            if opportunity < last:
                properties["hs_v2_date_entered_opportunity"] = _iso(opportunity)
                modified = opportunity
                customer = opportunity + dt.timedelta(days=rng.randrange(1, 20)) if rng.random() < 0.5 else last
                if customer < last:
                    properties["hs_v2_date_entered_customer"] = _iso(customer)
                    if rng.random() < 0.7:
                        properties["recent_deal_amount"] = str(rng.choice([1200, 4800, 9600]))
                    properties["total_revenue"] = str(rng.choice([2400, 9600]))
                    modified = customer
        modified = min(modified, last)
        properties["lastmodifieddate"] = _iso(modified)
        contacts.append({"id": str(100000 + number), "properties": properties, "createdAt": _iso(created),
                         "updatedAt": _iso(modified), "archived": False})
    return contacts


def make_ga4_rows(first_day: dt.date, days: int, *, seed: int = 11, channels: list[str] | None = None,
                  landing_pages: tuple[str, ...] = ("",)) -> list[tuple[str, str, str, str, int, int]]:
    rng = random.Random(seed)
    rows = []
    for offset in range(days):
        day = (first_day + dt.timedelta(days=offset)).strftime("%Y%m%d")
        for channel in channels or CHANNELS:
            for device in DEVICES:
                for page in landing_pages:
                    sessions = rng.randrange(5, 400)
                    rows.append((day, channel, device, page, sessions, rng.randrange(0, sessions + 1)))
    return rows


def make_reports(count: int, *, first: dt.datetime, last: dt.datetime, seed: int = 13) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    span = (last - first).total_seconds()
    reports = []
    for number in range(count):
        sent_at = first + dt.timedelta(seconds=int(span * number / max(1, count)))
        sent = rng.randrange(500, 5000)
        hard, soft = rng.randrange(0, 20), rng.randrange(0, 30)
        opens = rng.randrange(50, sent // 2)
        reports.append({
            "id": f"c{number:05d}", "campaign_title": f"Newsletter {number:04d}", "type": "regular",
            "list_id": "a1b2c3", "subject_line": f"News {number}", "emails_sent": sent, "abuse_reports": 0,
            "unsubscribed": rng.randrange(0, 15), "send_time": sent_at.astimezone(dt.UTC).isoformat(),
            "bounces": {"hard_bounces": hard, "soft_bounces": soft, "syntax_errors": 0},
            "opens": {"opens_total": opens * 2, "unique_opens": opens, "open_rate": opens / sent},
            "clicks": {"clicks_total": opens // 3, "unique_clicks": opens // 4, "unique_subscriber_clicks": opens // 5,
                       "click_rate": 0.01},
        })
    return reports


def service_account(email: str = "portal-demo@fake-project.iam.gserviceaccount.com") -> tuple[dict[str, Any], Any]:
    """A service account's JSON key (with a fresh RSA key) and its public key for the fake token endpoint."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption()).decode()
    account = {"type": "service_account", "project_id": "fake-project", "private_key_id": secrets.token_hex(8),
               "private_key": pem, "client_email": email, "token_uri": "https://oauth2.googleapis.com/token"}
    return account, key.public_key()


# --- the server -----------------------------------------------------------------------------------

def _b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _ga4_day(value: str, *, today: dt.date | None = None) -> str:
    """A GA4 date as the rows hold it (YYYYMMDD): "2026-03-01", or the relative "today",
    "yesterday" and "NdaysAgo" GA4 accepts (counted back from the machine's today, as the demo's rows are)."""
    today = today or dt.date.today()  # noqa: DTZ011 (the fake's rows run up to the machine's today)
    if value == "today":
        return today.strftime("%Y%m%d")
    if value == "yesterday":
        return (today - dt.timedelta(days=1)).strftime("%Y%m%d")
    if value.endswith("daysAgo") and value.removesuffix("daysAgo").isdigit():
        return (today - dt.timedelta(days=int(value.removesuffix("daysAgo")))).strftime("%Y%m%d")
    return value.replace("-", "")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    platforms: FakePlatforms

    def log_message(self, *args: object) -> None:
        return

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def _dispatch(self, method: str) -> None:
        path = urlsplit(self.path).path
        length = int(self.headers.get("Content-Length") or 0)
        self.raw = self.rfile.read(length) if length else b""
        platform = fake_ads.platform_of(path, self.raw) or (
                    "hubspot" if path.startswith(("/crm/", "/account-info/", "/oauth/v1/")) else
                    "ga4" if path.startswith(("/v1beta/", "/token")) else "mailchimp" if path.startswith("/3.0") else "")
        state = self.platforms
        with state.lock:
            state.requests[platform] += 1
            state.in_flight[platform] += 1
            state.max_in_flight[platform] = max(state.max_in_flight[platform], state.in_flight[platform])
        status = 500
        try:
            if state.on_request is not None:
                state.on_request(platform, path)
            if state.latency:
                time.sleep(state.latency)
            status = self._route(method, path, platform)
        finally:
            with state.lock:
                state.in_flight[platform] -= 1
                state.log.append((time.monotonic(), platform, path, status))

    def _send(self, status: int, body: Any, headers: dict[str, str] | None = None) -> int:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)
        return status

    def _json(self) -> dict[str, Any]:
        try:
            return json.loads(self.raw or b"{}")
        except ValueError:
            return {}

    def _route(self, method: str, path: str, platform: str) -> int:
        if platform in fake_ads.ADS:
            return fake_ads.route(self, method, path, platform)
        if platform == "hubspot":
            return self._hubspot(method, path)
        if platform == "ga4":
            return self._ga4(method, path)
        if platform == "mailchimp":
            return self._mailchimp(method, path)
        return self._send(404, {"message": "not found"})

    def _scripted(self, platform: str) -> int | None:
        fault = self.platforms._fault(platform)
        if fault is None:
            return None
        headers = {"Retry-After": fault.retry_after} if fault.retry_after else {}
        bodies = {"hubspot": {"status": "error", "message": "You have reached your secondly limit.",
                              "category": "RATE_LIMITS"},
                  "ga4": {"error": {"code": fault.status, "message": "Quota exceeded", "status": "RESOURCE_EXHAUSTED"}},
                  "mailchimp": {"type": "about:blank", "title": "Too Many Requests", "status": fault.status,
                                "detail": "You have exceeded the limit of 10 simultaneous connections."}}
        return self._send(fault.status, fault.body or bodies[platform], headers)

    # HubSpot ---------------------------------------------------------------------------------
    def _hubspot(self, method: str, path: str) -> int:
        state = self.platforms
        if path == "/oauth/v1/token" and method == "POST":
            form = {key: values[0] for key, values in parse_qs(self.raw.decode()).items()}
            if state.hubspot_apps.get(form.get("client_id", "")) != form.get("client_secret") or not form.get("client_id"):
                return self._send(400, {"status": "BAD_CLIENT_ID", "message": "missing or unknown client id"})
            portal = state.hubspot_refresh_tokens.get(form.get("refresh_token", ""))
            if form.get("grant_type") != "refresh_token" or portal is None:
                return self._send(400, {"status": "BAD_REFRESH_TOKEN", "message": "missing or invalid refresh token"})
            token = "CJ" + secrets.token_urlsafe(24)
            with state.lock:
                state.hubspot_tokens[token] = portal
                state.hubspot_expiry[token] = time.time() + 1800
            return self._send(200, {"token_type": "bearer", "refresh_token": form["refresh_token"],
                                    "access_token": token, "expires_in": 1800})
        token = self.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        if state.hubspot_expiry.get(token, float("inf")) < time.time():
            state.expired_tokens.add(token)
        if token not in state.hubspot_tokens or "hubspot" in state.expired or token in state.expired_tokens:
            known = token in state.hubspot_tokens or token in state.expired_tokens
            category = "EXPIRED_AUTHENTICATION" if known else "INVALID_AUTHENTICATION"
            message = ("The OAuth token used to make this call expired 2 hour(s) ago." if known
                       else "Authentication credentials not found.")
            return self._send(401, {"status": "error", "message": message, "correlationId": secrets.token_hex(8),
                                    "category": category})
        if path == "/account-info/v3/details":
            return self._send(200, {"portalId": int(state.hubspot_tokens[token]), "timeZone": "Europe/Madrid",
                                    "companyCurrency": "EUR", "uiDomain": "app.hubspot.com"})
        if path != "/crm/v3/objects/contacts/search" or method != "POST":
            return self._send(404, {"status": "error", "message": "Not found", "category": "OBJECT_NOT_FOUND"})
        scripted = self._scripted("hubspot")
        if scripted is not None:
            return scripted
        with state.lock:
            state.data_requests["hubspot"] += 1
        body = self._json()
        low, high = 0, 1 << 62
        for group in body.get("filterGroups") or []:
            for rule in group.get("filters") or []:
                if rule.get("propertyName") == "lastmodifieddate":
                    value = int(rule.get("value"))
                    if rule.get("operator") in {"GTE", "GT"}:
                        low = value + (1 if rule["operator"] == "GT" else 0)
                    elif rule.get("operator") in {"LT", "LTE"}:
                        high = value + (1 if rule["operator"] == "LTE" else 0)
        after = int(body.get("after") or 0)
        limit = min(int(body.get("limit") or 10), 200)
        if after >= SEARCH_CAP:
            return self._send(400, {"status": "error", "category": "VALIDATION_ERROR",
                                    "message": "There was a problem with the request: paging beyond 10000 results"})

        found = state.hubspot_sorted(low, high, portal=state.hubspot_tokens[token])
        page = found[after:after + limit]
        answer: dict[str, Any] = {"total": len(found), "results": page}
        if after + limit < len(found):
            answer["paging"] = {"next": {"after": str(after + limit), "link": ""}}
        return self._send(200, answer, {"X-HubSpot-RateLimit-Remaining": "150",
                                        "X-HubSpot-RateLimit-Interval-Milliseconds": "10000"})

    # GA4 -------------------------------------------------------------------------------------
    def _ga4(self, method: str, path: str) -> int:
        state = self.platforms
        if path == "/token":
            form = {key: values[0] for key, values in parse_qs(self.raw.decode()).items()}
            try:
                head, claims_text, signature = form.get("assertion", "").split(".")
                claims = json.loads(_b64decode(claims_text))
                public = state.ga4_accounts[claims["iss"]]
                public.verify(_b64decode(signature), f"{head}.{claims_text}".encode(), padding.PKCS1v15(),
                              hashes.SHA256())
            except Exception:
                return self._send(400, {"error": "invalid_grant", "error_description": "Invalid JWT Signature."})
            token = "ya29." + secrets.token_urlsafe(24)
            with state.lock:
                state.ga4_tokens[token] = time.time() + 3600
            return self._send(200, {"access_token": token, "expires_in": 3599, "token_type": "Bearer"})
        token = self.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        if state.ga4_tokens.get(token, 0) < time.time() or "ga4" in state.expired:
            return self._send(401, {"error": {"code": 401, "status": "UNAUTHENTICATED",
                                              "message": "Request had invalid authentication credentials."}})
        prefix, _sep, action = path.removeprefix("/v1beta/properties/").partition(":")
        if action != "runReport" or method != "POST":
            return self._send(404, {"error": {"code": 404, "status": "NOT_FOUND", "message": "Not found"}})
        if prefix not in state.ga4_properties:
            return self._send(403, {"error": {"code": 403, "status": "PERMISSION_DENIED",
                                              "message": "User does not have sufficient permissions for this property."}})
        scripted = self._scripted("ga4")
        if scripted is not None:
            return scripted
        with state.lock:
            state.data_requests["ga4"] += 1
        return self._send(200, self._report(self._json(), rows=state.ga4_property_rows.get(prefix, state.ga4_rows)))

    def _report(self, body: dict[str, Any], *, rows: list[tuple[str, str, str, str, int, int]]) -> dict[str, Any]:
        names = [d["name"] for d in body.get("dimensions") or []]
        date_range = (body.get("dateRanges") or [{}])[0]
        start, end = (_ga4_day(date_range.get(edge, "")) for edge in ("startDate", "endDate"))
        columns = {"date": 0, "sessionDefaultChannelGroup": 1, "deviceCategory": 2, "landingPage": 3}
        totals: dict[tuple[str, ...], list[int]] = defaultdict(lambda: [0, 0])
        for row in rows:
            if start <= row[0] <= end:
                key = tuple(row[columns[name]] for name in names)
                totals[key][0] += row[4]
                totals[key][1] += row[5]
        keys = sorted(totals)
        offset, limit = int(body.get("offset") or 0), int(body.get("limit") or 10000)
        metrics = [m["name"] for m in body.get("metrics") or []]
        rows = [{"dimensionValues": [{"value": value} for value in key],
                 "metricValues": [{"value": str(totals[key][0 if metric == "sessions" else 1])} for metric in metrics]}
                for key in keys[offset:offset + limit]]
        return {"dimensionHeaders": [{"name": name} for name in names],
                "metricHeaders": [{"name": metric, "type": "TYPE_INTEGER"} for metric in metrics],
                "rows": rows, "rowCount": len(keys), "metadata": {"currencyCode": "EUR", "timeZone": "Europe/Madrid"},
                "kind": "analyticsData#runReport"}

    # Mailchimp -------------------------------------------------------------------------------
    def _mailchimp(self, method: str, path: str) -> int:
        state = self.platforms
        header = self.headers.get("Authorization", "")
        key = ""
        if header.startswith("Basic "):
            key = base64.b64decode(header[6:]).decode(errors="replace").partition(":")[2]
        if key not in state.mailchimp_keys or "mailchimp" in state.expired:
            return self._send(401, {"type": "https://mailchimp.com/developer/marketing/docs/errors/",
                                    "title": "API Key Invalid", "status": 401,
                                    "detail": "Your API key may be invalid, or you've attempted to access the wrong "
                                              "datacenter.", "instance": secrets.token_hex(8)})
        if path in {"/3.0/", "/3.0"}:
            return self._send(200, {"account_id": "8d3a3db4d97663a9074efcc16", "account_name": state.mailchimp_keys[key],
                                    "total_subscribers": 4242})
        if path != "/3.0/reports":
            return self._send(404, {"title": "Resource Not Found", "status": 404, "detail": "Not found"})
        query = {name: values[0] for name, values in parse_qs(urlsplit(self.path).query).items()}
        if query.get("fields") != "total_items":
            scripted = self._scripted("mailchimp")
            if scripted is not None:
                return scripted
            with state.lock:
                state.data_requests["mailchimp"] += 1
        since = dt.datetime.fromisoformat(query["since_send_time"]) if query.get("since_send_time") else None
        before = dt.datetime.fromisoformat(query["before_send_time"]) if query.get("before_send_time") else None
        found = [r for r in state.mailchimp_key_reports.get(key, state.mailchimp_reports)
                 if (since is None or dt.datetime.fromisoformat(r["send_time"]) >= since)
                 and (before is None or dt.datetime.fromisoformat(r["send_time"]) < before)]
        offset, count = int(query.get("offset") or 0), min(int(query.get("count") or 10), 1000)
        return self._send(200, {"reports": found[offset:offset + count], "total_items": len(found)})


def fake_server_start(platforms: FakePlatforms, *, host: str = "127.0.0.1", port: int = 0) -> ThreadingHTTPServer:
    """Serve ``platforms`` on a thread; ``server.server_address[1]`` is the port. Development and tests only."""
    if not (settings.DEBUG or getattr(settings, "TESTING", False)):
        raise FakeServerRefused("the fake platforms' server runs only with DEBUG on (development) or in tests")
    handler = type("FakeHandler", (Handler,), {"platforms": platforms})
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True, name="fake-platforms").start()
    return server


# --- the demo's accounts --------------------------------------------------------------------------

DEMO_HUBSPOT_TOKEN = "pat-demo-00000000-0000-0000-0000-000000004242"  # noqa: S105 (the fake server's, not a secret)
DEMO_MAILCHIMP_KEY = "demo0000000000000000000000000000-us21"
DEMO_GA4_PROPERTY = "424242"
DEMO_PORTAL = "4242"
# A CRM, analytics and email account that no demo client reads, with records of their own: a client
# added in the demo is connected to them from its Imports page (Connect HubSpot, GA4, Mailchimp) as an
# agency connects a new client's, so its first report has leads, sessions and emails beside the spend
# of its ad accounts (DEMO_SPARE_AD_ACCOUNTS). ``scripts/run`` prints them. Wayne's are shared by no one.
DEMO_NEW_PORTAL = "4343"
DEMO_NEW_HUBSPOT_TOKEN = "pat-demo-00000000-0000-0000-0000-000000004343"  # noqa: S105 (the fake server's)
DEMO_NEW_GA4_PROPERTY = "434343"
DEMO_NEW_MAILCHIMP_KEY = "demo4343434343434343434343434343-us21"


def demo_service_account(directory: Path) -> tuple[dict[str, Any], Any]:
    """The demo's GA4 service account: made once under ``directory`` (the development data folder)."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "fake-ga4-service-account.json"
    if not path.exists():
        account, _public = service_account()
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            json.dump(account, handle)
    account = json.loads(path.read_text())
    key = serialization.load_pem_private_key(account["private_key"].encode(), password=None)
    return account, key.public_key()


def demo_platforms(directory: Path, *, today: dt.date) -> tuple[FakePlatforms, dict[str, Any]]:
    """The demo's fake accounts, records up to ``today`` (13 months and the current one), and the
    credentials that open them (what ``seed_demo_connections`` stores)."""
    account, public = demo_service_account(directory)
    first = dt.datetime.combine((Month.of(today) - 13).first_day, dt.time(0), tzinfo=dt.UTC)
    last = dt.datetime.combine(today, dt.time(0), tzinfo=dt.UTC)
    platforms = FakePlatforms(
        hubspot_tokens={DEMO_HUBSPOT_TOKEN: DEMO_PORTAL},
        hubspot_contacts=make_contacts(1800, first=first, last=last, seed=42),
        mailchimp_keys={DEMO_MAILCHIMP_KEY: "Wayne Outdoor News"},
        mailchimp_reports=make_reports(60, first=first + dt.timedelta(days=3), last=last, seed=43),
        ga4_accounts={account["client_email"]: public}, ga4_properties={DEMO_GA4_PROPERTY},
        ga4_rows=make_ga4_rows(first.date(), (today - first.date()).days, seed=44),
    )
    platforms.hubspot_tokens[DEMO_NEW_HUBSPOT_TOKEN] = DEMO_NEW_PORTAL
    platforms.hubspot_portal_contacts[DEMO_NEW_PORTAL] = make_contacts(900, first=first, last=last, seed=52)
    platforms.ga4_properties.add(DEMO_NEW_GA4_PROPERTY)
    platforms.ga4_property_rows[DEMO_NEW_GA4_PROPERTY] = make_ga4_rows(first.date(), (today - first.date()).days, seed=53)
    platforms.mailchimp_keys[DEMO_NEW_MAILCHIMP_KEY] = "Demo account for a new client"
    platforms.mailchimp_key_reports[DEMO_NEW_MAILCHIMP_KEY] = make_reports(
        40, first=first + dt.timedelta(days=5), last=last, seed=54)
    credentials = {"hubspot": (DEMO_PORTAL, {"access_token": DEMO_HUBSPOT_TOKEN}),
                   "ga4": (DEMO_GA4_PROPERTY, {"service_account": account}),
                   "mailchimp": ("wayne-news", {"api_key": DEMO_MAILCHIMP_KEY})}
    demo_ads(platforms.ads, first_day=first.date(), today=today)
    return platforms, credentials


DEMO_AD_APP = ("demo-agency-app.apps.example", "demo-app-secret-0000")  # the fake's, not a secret
DEMO_DEVELOPER_TOKEN = "demo-developer-token-0000"  # noqa: S105 (the fake server's)
DEMO_AD_ACCOUNTS = {"google_ads": "5550001234", "meta_ads": "424242424", "linkedin_ads": "508424242"}
# Accounts on each ad platform that no demo client holds: a client added in the demo can be connected
# through the consent, as an agency connects a new client, instead of only from the export files. Three,
# in euros, dollars and pesos: a second or third new client finds one too (one was taken by the first),
# and a client in USD or MXN one in its own currency (its amounts then need no conversion).
DEMO_SPARE_CURRENCIES = ("EUR", "USD", "MXN")
DEMO_SPARE_AD_ACCOUNTS = {
    "google_ads": ("5550005678", "5550005679", "5550005680"),
    "meta_ads": ("434343434", "434343435", "434343436"),
    "linkedin_ads": ("508434343", "508434344", "508434345"),
}
DEMO_SPARE_AD_NAME = "Demo account for a new client"


def demo_spare_name(currency: str) -> str:
    return f"{DEMO_SPARE_AD_NAME} ({currency})"


def _spares(platform: str) -> dict[str, dict[str, str]]:
    return {account: {"name": demo_spare_name(currency), "currency": currency}
            for account, currency in zip(DEMO_SPARE_AD_ACCOUNTS[platform], DEMO_SPARE_CURRENCIES, strict=True)}
DEMO_SPARE_CAMPAIGNS = {
    "google_ads": ("Search · Brand", "Search · Services", "Display · Remarketing"),
    "meta_ads": ("Prospecting · Lookalike", "Lead ads · Free consultation"),
    "linkedin_ads": ("Sponsored content · Decision makers",),
}
DEMO_AD_CAMPAIGNS = {  # Wayne Outdoor sells outdoor gear in Spain: its campaigns are named in Spanish
    "google_ads": ("Búsqueda · Marca Wayne", "Búsqueda · Tiendas de campaña", "Shopping · Mochilas",
                   "Performance Max · Calzado"),
    "meta_ads": ("Prospección · Senderismo", "Remarketing · Carrito abandonado", "Leads · Catálogo 2026"),
    "linkedin_ads": ("B2B · Clubes y escuelas de montaña", "B2B · Regalos de empresa"),
}


def demo_ads(ads: fake_ads.AdsFake, *, first_day: dt.date, today: dt.date) -> None:
    """The demo's Google Ads (under the agency's manager account), Meta and LinkedIn accounts, their
    daily delivery since ``first_day``, the agency's app on each, and tokens that survive a restart."""
    ads.apps[DEMO_AD_APP[0]] = DEMO_AD_APP[1]
    ads.redirect_uris.add(redirect_uri())
    ads.developer_tokens.add(DEMO_DEVELOPER_TOKEN)
    manager, google = "5550000001", DEMO_AD_ACCOUNTS["google_ads"]
    ads.google_customers = {manager: {"name": "Demo Agency MCC", "currency": "EUR", "manager": True,
                                      "clients": [google, *DEMO_SPARE_AD_ACCOUNTS["google_ads"]]},
                            google: {"name": "Wayne Outdoor ES", "currency": "EUR"}, **_spares("google_ads")}
    ads.google_accessible = [manager]
    ads.meta_accounts = {DEMO_AD_ACCOUNTS["meta_ads"]: {"name": "Wayne Outdoor", "currency": "EUR"}, **_spares("meta_ads")}
    ads.linkedin_accounts = {DEMO_AD_ACCOUNTS["linkedin_ads"]: {"name": "Wayne Outdoor B2B", "currency": "EUR"},
                             **_spares("linkedin_ads")}
    ads.job_polls = 1  # a report job ready at its second check
    days = (today - first_day).days + 1
    for seed, (platform, titles) in enumerate(DEMO_AD_CAMPAIGNS.items(), start=45):
        ads.rows[(platform, DEMO_AD_ACCOUNTS[platform])] = fake_ads.make_ad_rows(
            campaigns=len(titles), first_day=first_day, days=days, seed=seed, prefix=str(seed), titles=titles)
    for seed, (platform, titles) in enumerate(DEMO_SPARE_CAMPAIGNS.items(), start=55):
        for n, account in enumerate(DEMO_SPARE_AD_ACCOUNTS[platform]):  # each its own delivery and campaign ids
            ads.rows[(platform, account)] = fake_ads.make_ad_rows(
                campaigns=len(titles), first_day=first_day, days=days, seed=seed + 10 * n, prefix=f"{seed}{n or ''}",
                titles=titles)
    lifetime = {"google_ads": 3599, "meta_ads": 5183944, "linkedin_ads": 5184000}
    for platform in fake_ads.ADS:
        ads.fixed_tokens[platform] = f"demo-{platform}-access-0000"
        ads.tokens[ads.fixed_tokens[platform]] = (platform, time.time() + lifetime[platform])
        if platform != "meta_ads":
            ads.fixed_refresh_tokens[platform] = f"demo-{platform}-refresh-0000"
            ads.refresh_tokens[ads.fixed_refresh_tokens[platform]] = platform
