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
import queue
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar

from django.db import connections
from django.utils.translation import gettext as _

from clients.connectors.base import Connector, Row, Window
from clients.connectors.oauth import OAuthEndpoints, session_app, token_request, tokens_apply
from clients.connectors.transport import ConnectorError

if TYPE_CHECKING:
    from clients.connectors.transport import Session
    from clients.connectors.vault import Credentials

T = TypeVar("T")


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
    # Most of a platform's figures are whole counts: already as the export writes them.
    if type(value) is int:
        return str(value)
    if type(value) is str and value.isascii() and (value[0] != "0" or value == "0" or value[:2] == "0."):
        whole, dot, fraction = value.partition(".")
        if whole.isdigit() and (not dot or fraction.isdigit()):  # "1234", "12.50": its trailing zeros dropped
            return f"{whole}.{fraction}".rstrip("0").rstrip(".") if dot else value
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


def prefetched(session: Session, spans: list[tuple[dt.date, dt.date]],
               fetch: Callable[[dt.date, dt.date], T]) -> Iterator[tuple[tuple[dt.date, dt.date], T]]:
    """Each span with ``fetch``'s answer for it, the next span requested while this one is written.

    A backfill reads a quarter at a time; the platform's answer (and Meta's report job) for the
    next quarter is awaited in one helper thread while the import writes the current one, so the
    platform's time and the database's overlap. The thread only talks HTTP: a token refreshed
    there is handed to the session's ``on_refresh`` here, in the sync's own thread (its database
    connection, its transaction). Spans stay in order, so a resumed sync is as before; a sync that
    stops early abandons the one request in flight.
    """
    if len(spans) < 2:
        for span in spans:
            yield span, fetch(*span)
        return
    session_app(session, session.connector.slug)  # read here, in the sync's thread (and its transaction)
    store = session.on_refresh
    refreshed: queue.SimpleQueue[Credentials] = queue.SimpleQueue()
    session.on_refresh = refreshed.put

    def hand_on() -> None:
        while not refreshed.empty():
            credentials = refreshed.get()
            if store is not None:
                store(credentials)

    def read(first: dt.date, last: dt.date) -> T:
        try:
            return fetch(first, last)
        finally:
            connections.close_all()  # this thread's own, should anything have opened one

    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"prefetch-{session.connector.slug}")
    future = pool.submit(read, *spans[0])
    try:
        for index, span in enumerate(spans):
            try:
                answer = future.result()
            finally:
                hand_on()
            if index + 1 < len(spans):
                future = pool.submit(read, *spans[index + 1])
            yield span, answer
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
        if future.done():  # else the abandoned request may still refresh: into the queue, not the store
            hand_on()
            session.on_refresh = store


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
