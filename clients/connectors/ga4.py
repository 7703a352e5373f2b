"""GA4: sessions by day, channel group and device from the Data API, as the ``ga4_traffic`` export maps them.

``POST /v1beta/properties/{property}:runReport`` with the dimensions ``date``,
``sessionDefaultChannelGroup``, ``deviceCategory`` (and ``landingPage`` when the connection
asks for it) and the metrics ``sessions`` and ``engagedSessions``, ordered, paged with
``limit``/``offset``. Auth: a service account's JSON key, exchanged for an access token with a
signed JWT at Google's token endpoint (``PORTAL_OAUTH_URL_GA4`` overrides its host), or an
OAuth access token. GA4 processes data for up to 3 days: each daily sync re-reads 3 days.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import json
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from clients.connectors.base import Connector, CredentialField, Row, Window
from clients.connectors.transport import ConnectorError, ReauthNeeded, oauth_base

if TYPE_CHECKING:
    from clients.connectors.transport import Session
    from clients.connectors.vault import Credentials

SCOPE = "https://www.googleapis.com/auth/analytics.readonly"
GOOGLE_OAUTH = "https://oauth2.googleapis.com"
GRANT_PATH = "/token"
PAGE = 10_000
KEY_CHECKED = "key_checked"  # Credentials.extra: the service account key passed the RSA key check on connect


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def service_account_assertion(
    account: dict[str, Any], *, audience: str, now: float | None = None, validated: bool = False,
) -> str:
    """The signed JWT (RS256) a service account exchanges for an access token (RFC 7523).

    ``validated``: the key already passed OpenSSL's RSA key check when it was connected (and has
    been stored encrypted, so unchanged, since); the check (~90 ms, most of a nightly GA4 sync's own
    CPU time) is then not repeated. A key given by a person is always checked.
    """
    try:
        key = serialization.load_pem_private_key(str(account["private_key"]).encode(), password=None,
                                                 unsafe_skip_rsa_key_validation=validated)
        email = str(account["client_email"])
    except (KeyError, ValueError, TypeError) as error:
        raise ReauthNeeded(str(_("The GA4 service account key is not a valid JSON key file."))) from error
    if not isinstance(key, rsa.RSAPrivateKey):
        raise ReauthNeeded(str(_("The GA4 service account key is not an RSA key.")))
    issued = int(now if now is not None else time.time())
    header = {"alg": "RS256", "typ": "JWT"}
    if account.get("private_key_id"):
        header["kid"] = str(account["private_key_id"])
    claims = {"iss": email, "scope": SCOPE, "aud": audience, "iat": issued, "exp": issued + 3600}
    signing_input = f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(claims).encode())}".encode()
    signature = key.sign(signing_input, padding.PKCS1v15(), hashes.SHA256())
    return f"{signing_input.decode()}.{_b64(signature)}"


class GA4(Connector):
    slug = "ga4"
    label = "GA4"
    source = "ga4_traffic"
    kind = "traffic"
    documented_base = "https://analyticsdata.googleapis.com"
    account_label = _("Property ID")
    account_help = _("Admin › Property settings › Property ID (a number such as 123456789).")
    credential_fields = (
        CredentialField("service_account", _("Service account key (JSON)"),
                        _("Google Cloud › IAM › Service accounts › Keys › Add key › JSON; then add the account's email "
                          "as a Viewer in GA4 Admin › Property access management. Scope analytics.readonly."),
                        multiline=True),
    )
    lookback = dt.timedelta(days=3)

    def error_words(self, body: dict[str, Any]) -> str:
        error = body.get("error")
        if isinstance(error, dict):
            return str(error.get("message") or error.get("status") or "")[:300]
        return str(body.get("error_description") or error or "")[:300]

    def needs_reauth(self, status: int, body: dict[str, Any]) -> bool:
        error = body.get("error")
        status_name = error.get("status") if isinstance(error, dict) else error
        # PERMISSION_DENIED (403) is a working key whose service account was not given the property:
        # not credentials to enter again, but access to grant in GA4 (Failure.PERMISSION's advice).
        return status == 401 or status_name in {"UNAUTHENTICATED", "invalid_grant"}

    def authorize(self, session: Session, headers: dict[str, str]) -> None:
        token = getattr(session, "ga4_token", None)
        if token is None or token[1] <= time.time() + 60:
            self._exchange(session)
            token = session.ga4_token  # type: ignore[attr-defined]
        headers["Authorization"] = f"Bearer {token[0]}"

    def checked(self, credentials: Credentials) -> Credentials:
        # check() signed with the key, so OpenSSL validated it: the nightly syncs need not again.
        if not credentials.service_account:
            return credentials
        return dataclasses.replace(credentials, extra={**credentials.extra, KEY_CHECKED: "yes"})

    def refresh(self, session: Session) -> bool:
        # A service account gets a new access token from its key at any time (authorize does it);
        # nothing to store. (OAuth refresh tokens for GA4 would go here.)
        return False

    def _exchange(self, session: Session) -> None:
        credentials = session.credentials
        if not credentials.service_account:
            if not credentials.access_token:
                raise ReauthNeeded(str(_("The GA4 connection has no service account key or access token.")))
            session.ga4_token = (credentials.access_token, time.time() + 3600)  # type: ignore[attr-defined]
            return
        host = oauth_base(self.slug, GOOGLE_OAUTH)
        assertion = service_account_assertion(credentials.service_account, audience=GOOGLE_OAUTH + GRANT_PATH,
                                              validated=credentials.extra.get(KEY_CHECKED) == "yes")
        answer = session.request("POST", GRANT_PATH, base=host, auth=False, data={
            "grant_type": "urn:ietf:params:oauth:grant-type:jwt-bearer", "assertion": assertion})
        token = answer.get("access_token")
        if not token:
            raise ConnectorError(str(_("Google's token endpoint gave no access token.")))
        session.ga4_token = (token, time.time() + float(answer.get("expires_in") or 3600))  # type: ignore[attr-defined]

    def _report(self, session: Session, body: dict[str, Any]) -> dict[str, Any]:
        return session.request("POST", f"/v1beta/properties/{session.account_id}:runReport", json=body)

    def check(self, session: Session) -> tuple[str, str]:
        if not session.account_id.isdigit():
            raise ConnectorError(str(_("A GA4 property ID is a number (Admin › Property settings).")))
        report = self._report(session, {"dateRanges": [{"startDate": "28daysAgo", "endDate": "yesterday"}],
                                        "metrics": [{"name": "sessions"}]})
        rows = report.get("rows") or []
        sessions = int(rows[0]["metricValues"][0]["value"]) if rows else 0
        label = _("property %(id)s") % {"id": session.account_id}
        return str(label), str(_("connected: %(count)s sessions in the last 28 days, property %(id)s") % {
            "count": number_format(sessions, force_grouping=True), "id": session.account_id})

    def rows(self, session: Session, window: Window, position: dict[str, Any], options: dict[str, Any]) -> Iterator[Row]:
        dimensions = ["date", "sessionDefaultChannelGroup", "deviceCategory"]
        if options.get("landing_page"):
            dimensions.append("landingPage")
        offset = int(position.get("offset") or 0)
        total_days = max(1, window.days())
        while True:
            report = self._report(session, {
                "dateRanges": [{"startDate": window.first_day.isoformat(), "endDate": window.last_day.isoformat()}],
                "dimensions": [{"name": name} for name in dimensions],
                "metrics": [{"name": "sessions"}, {"name": "engagedSessions"}],
                "orderBys": [{"dimension": {"dimensionName": name}} for name in dimensions],
                "limit": PAGE, "offset": offset, "keepEmptyRows": False,
            })
            rows = report.get("rows") or []
            names = [header["name"] for header in report.get("dimensionHeaders") or []] or dimensions
            for row in rows:
                offset += 1
                cells = dict(zip(names, (value.get("value", "") for value in row.get("dimensionValues") or []), strict=False))
                metrics = [value.get("value", "0") for value in row.get("metricValues") or []]
                day = cells.get("date", "")
                values = {"date": day, "channel": cells.get("sessionDefaultChannelGroup", ""),
                          "device": cells.get("deviceCategory", ""), "sessions": metrics[0] if metrics else "0",
                          "_engaged": metrics[1] if len(metrics) > 1 else "0",
                          "landing_page": cells.get("landingPage", "")}
                try:
                    done = (dt.date(int(day[:4]), int(day[4:6]), int(day[6:8])) - window.first_day).days / total_days
                except ValueError:
                    done = None
                yield Row(values, position={"offset": offset}, group=day, progress=done)
            if not rows or offset >= int(report.get("rowCount") or 0):
                return
