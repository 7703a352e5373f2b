"""Mailchimp: campaign reports from the Marketing API, as the ``mailchimp`` export maps them.

``GET /3.0/reports`` with ``since_send_time``/``before_send_time``, paged with ``count``/``offset``.
Auth: an API key (HTTP basic, any user name), whose ``-usN`` suffix names the data centre host
(``https://usN.api.mailchimp.com``), or an OAuth access token. Reports change for a while after
a send (late opens and clicks): each daily sync re-reads the campaigns sent in the last 30 days.
"""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from clients.connectors.base import Connector, CredentialField, Row, Window
from clients.connectors.hubspot import local_text, parse_time
from clients.connectors.transport import ConnectorError
from clients.connectors.vault import Credentials

if TYPE_CHECKING:
    from clients.connectors.transport import Session

PAGE = 1000


def data_centre(api_key: str) -> str:
    """``us21`` from ``0123…abcd-us21``; ConnectorError when the key has no suffix."""
    _key, _dash, centre = (api_key or "").strip().rpartition("-")
    if not _dash or not centre.isalnum() or not _key:
        raise ConnectorError(str(_("A Mailchimp API key ends in its data centre (for example “-us21”).")))
    return centre


class Mailchimp(Connector):
    slug = "mailchimp"
    label = "Mailchimp"
    source = "mailchimp"
    kind = "email"
    account_label = _("Account name or ID")
    account_help = _("Any name you use for the account; the key decides which account is read.")
    credential_fields = (
        CredentialField("api_key", _("API key"),
                        _("Profile › Extras › API keys › Create A Key (it ends in your data centre, e.g. -us21).")),
    )
    lookback = dt.timedelta(days=30)

    def default_base(self, *, credentials: Credentials, account_id: str) -> str:
        if credentials.api_key:
            return f"https://{data_centre(credentials.api_key)}.api.mailchimp.com"
        return "https://login.mailchimp.com"

    def authorize(self, session: Session, headers: dict[str, str]) -> None:
        credentials = session.credentials
        if credentials.api_key:
            basic = base64.b64encode(f"portal:{credentials.api_key}".encode()).decode()
            headers["Authorization"] = f"Basic {basic}"
        else:
            headers["Authorization"] = f"Bearer {credentials.access_token}"

    def error_words(self, body: dict[str, Any]) -> str:
        return str(body.get("detail") or body.get("title") or "")[:300]

    def check(self, session: Session) -> tuple[str, str]:
        root = session.request("GET", "/3.0/")
        name = str(root.get("account_name") or session.account_id)
        reports = session.request("GET", "/3.0/reports", params={"count": 1, "fields": "total_items"})
        total = int(reports.get("total_items") or 0)
        return name, str(_("connected: %(count)s campaign reports, account %(name)s") % {
            "count": number_format(total, force_grouping=True), "name": name})

    def rows(self, session: Session, window: Window, position: dict[str, Any], options: dict[str, Any]) -> Iterator[Row]:
        offset = int(position.get("offset") or 0)
        span = max(1.0, window.end.timestamp() - window.start.timestamp())
        while True:
            page = session.request("GET", "/3.0/reports", params={
                "since_send_time": window.start.isoformat(), "before_send_time": window.end.isoformat(),
                "count": PAGE, "offset": offset})
            reports = page.get("reports") or []
            for report in reports:
                offset += 1
                sent_at = parse_time(report.get("send_time"))
                bounces = report.get("bounces") or {}
                sent = int(report.get("emails_sent") or 0)
                bounced = sum(int(bounces.get(name) or 0) for name in ("hard_bounces", "soft_bounces", "syntax_errors"))
                clicks = report.get("clicks") or {}
                values = {
                    "date": local_text(sent_at, window.zone),
                    "campaign_name": str(report.get("campaign_title") or report.get("subject_line") or report.get("id")),
                    "sent": str(sent), "delivered": str(max(0, sent - bounced)),
                    "unique_opens": str((report.get("opens") or {}).get("unique_opens") or 0),
                    "unique_clicks": str(clicks.get("unique_subscriber_clicks") or clicks.get("unique_clicks") or 0),
                    "unsubscribes": str(report.get("unsubscribed") or 0),
                }
                done = (sent_at.timestamp() - window.start.timestamp()) / span if sent_at else None
                group = sent_at.astimezone(window.zone).date().isoformat() if sent_at else ""
                yield Row(values, position={"offset": offset}, group=group,
                          progress=min(1.0, max(0.0, done)) if done is not None else None)
            if not reports or offset >= int(page.get("total_items") or 0):
                return
