"""What the three ad platforms' connectors share: accounts to choose from, and their rows.

Each writes spend rows with the ad delivery (formats.md) in the layout of its platform's own
export (``clients/sources/builtin.py``: ``google_ads``, ``meta_ads``, ``linkedin_ads``), so a
month synced from the API and the same month uploaded as the export get the same row keys
(``SOURCE:DAY:CAMPAIGN``) and figures, and the amounts are converted into the client's currency
through the ECB rates exactly as a file's are. Rows are grouped by day (a day is never split
across batches), and a resumed sync starts again at the day after its last committed batch.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from clients.connectors.base import Connector, Row, Window
from clients.connectors.oauth import OAuthEndpoints, token_request, tokens_apply
from clients.connectors.transport import ConnectorError

if TYPE_CHECKING:
    from clients.connectors.transport import Session


@dataclass(frozen=True)
class AdAccount:
    """One ad account the consent's credentials can read (a manager's clients name their manager)."""

    id: str
    name: str
    currency: str = ""
    manager_id: str = ""  # Google Ads: the manager account to send as login-customer-id
    is_manager: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "currency": self.currency, "manager_id": self.manager_id,
                "is_manager": self.is_manager}


def number_text(value: Any) -> str:
    """A platform's number (int, float or text) as the export writes it: plain, dot decimal."""
    if value in (None, ""):
        return "0"
    text = format(Decimal(str(value)).normalize(), "f")
    return text


def resume_day(window: Window, position: dict[str, Any]) -> dt.date:
    """The first day still to read: the window's, or the day after the last one written."""
    done = position.get("through_day")
    if done:
        return max(window.first_day, dt.date.fromisoformat(done) + dt.timedelta(days=1))
    return window.first_day


def day_row(values: dict[str, str], *, day: dt.date, window: Window) -> Row:
    """A row of ``day``: grouped by it, resumable after it, its progress through the window."""
    total = max(1, window.days())
    return Row(values, position={"through_day": day.isoformat()}, group=day.isoformat(),
               progress=min(1.0, max(0.0, ((day - window.first_day).days + 1) / total)))


def chunks(first: dt.date, last: dt.date, days: int) -> list[tuple[dt.date, dt.date]]:
    """[first, last] cut into spans of at most ``days`` days."""
    spans = []
    start = first
    while start <= last:
        end = min(last, start + dt.timedelta(days=days - 1))
        spans.append((start, end))
        start = end + dt.timedelta(days=1)
    return spans


class AdConnector(Connector):
    """An ad platform: OAuth tokens, an account chosen after consent, 30 days re-read daily."""

    kind = "spend"
    batch_rows = 5000
    exclusive_accounts = True
    endpoints: OAuthEndpoints

    def exchange_code(self, session: Session, *, code: str, redirect_uri: str, verifier: str) -> None:
        """The consent's authorization code into tokens in ``session.credentials`` (ConnectorError if refused)."""
        form = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri}
        if self.endpoints.pkce:
            form["code_verifier"] = verifier
        answer = token_request(session, platform=self.slug, endpoints=self.endpoints, form=form)
        if not tokens_apply(session, answer):
            raise ConnectorError(_("%(platform)s gave no access token.") % {"platform": self.label})

    def accounts(self, session: Session) -> list[AdAccount]:
        """The ad accounts the credentials can read (a manager account lists its clients)."""
        raise NotImplementedError
