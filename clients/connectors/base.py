"""What a platform module declares: a :class:`Connector` (the recipe is in docs/architecture.md).

A connector knows its platform's endpoints, paging and errors, and turns the API's records into
rows of one built-in file source (``source``, a slug of ``clients.sources.SOURCES``) keyed by that
source's targets: the framework (:mod:`clients.connectors.sync`) writes them in the source's
own layout and imports them through the source's mapping, so an API and the platform's export
file go through the same value tables, conversions and checks and give the same figures.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import httpx
from django.utils.functional import Promise

from clients.connectors.vault import Credentials

if TYPE_CHECKING:
    from clients.connectors.transport import Session


@dataclass(frozen=True)
class CredentialField:
    """One field of the connect form (and key of ``--token-file``)."""

    name: str  # access_token, api_key, service_account, or a key of Credentials.extra
    label: Promise | str
    help: Promise | str = ""
    secret: bool = True
    multiline: bool = False  # a JSON key file


@dataclass(frozen=True)
class Window:
    """The span one sync reads: UTC instants, and the same span as the client's local days."""

    start: dt.datetime
    end: dt.datetime
    first_day: dt.date
    last_day: dt.date
    zone: Any

    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1


@dataclass
class Row:
    """One record as the file source's targets (text as the export writes it), and where a
    sync stopped after it could resume (``position``, the connector's own JSON)."""

    values: dict[str, str]
    position: dict[str, Any] = field(default_factory=dict)
    group: str = ""  # rows of one group are written in one batch (summed kinds: one day)
    key: str = ""  # the record's own key (a contact id): read twice in a batch, written once
    progress: float | None = None  # 0..1 of the window, when the connector knows


class Connector:
    """A platform. Subclasses set the class attributes and implement ``check`` and ``rows``."""

    slug: str = ""
    label: str = ""
    source: str = ""  # the built-in file source whose layout and tables the rows follow
    kind: str = ""
    documented_base: str = ""
    account_label: Promise | str = ""  # "Portal ID", "Property ID"
    account_help: Promise | str = ""
    credential_fields: tuple[CredentialField, ...] = ()
    lookback: dt.timedelta = dt.timedelta(days=3)
    batch_rows: int = 5000
    token_lifetime: dt.timedelta | None = None  # tokens of this kind expire (OAuth); None: they don't
    exclusive_accounts: bool = False  # an account feeds one client only (ad accounts: their spend is that client's)

    def account_key(self, account_id: str) -> str:
        """The account id as stored (``act_123`` → ``123``): one account, one spelling."""
        return account_id

    # --- the HTTP side ------------------------------------------------------------------------

    def default_base(self, *, credentials: Credentials, account_id: str) -> str:
        """The documented API host (Mailchimp's depends on the key's data centre)."""
        return self.documented_base

    def authorize(self, session: Session, headers: dict[str, str]) -> None:
        """Put the credentials on a request (a bearer token by default)."""
        headers["Authorization"] = f"Bearer {session.credentials.access_token}"

    def refresh(self, session: Session) -> bool:
        """OAuth's refresh hook: get a new access token into ``session.credentials``; True when it did.

        Called before a sync when the access token expires within a few minutes, and once when a
        request is answered 401. The framework stores the new credentials (encrypted). Platforms
        without refresh tokens return False and a 401 means re-authorisation.
        """
        return False

    def checked(self, credentials: Credentials) -> Credentials:
        """The credentials as stored after ``check`` accepted them (GA4 notes its key was validated)."""
        return credentials

    def needs_reauth(self, status: int, body: dict[str, Any]) -> bool:
        return status == 401

    def error_words(self, body: dict[str, Any]) -> str:
        """The platform's own explanation in an error answer."""
        return str(body.get("message") or body.get("detail") or body.get("error_description") or "")[:300]

    def throttled(self, response: httpx.Response) -> float | None:
        """A rate-limit answer in the platform's own shape (Meta's HTTP 400 with code 17 or 80004):
        the seconds its usage headers ask to wait (0: back off as for a 429), else None."""
        return None

    def pause_after(self, response: httpx.Response) -> float:
        """Seconds to wait after a successful answer whose usage headers say the limit is near."""
        return 0.0

    # --- what a platform does -----------------------------------------------------------------

    def check(self, session: Session) -> tuple[str, str]:
        """Test the credentials: (the account's label, a sentence of what was found)."""
        raise NotImplementedError

    def rows(self, session: Session, window: Window, position: dict[str, Any], options: dict[str, Any]) -> Iterator[Row]:
        """The window's records, from ``position`` on (a resumed sync), in a stable order."""
        raise NotImplementedError

    def window_start(self, *, cursor: dict[str, Any], now: dt.datetime, backfill_start: dt.datetime) -> dt.datetime:
        """Where an incremental sync starts: the last sync's end minus the lookback, never before the backfill."""
        through = cursor.get("through")
        if not through:
            return backfill_start
        return max(backfill_start, dt.datetime.fromisoformat(through) - self.lookback)

    def cursor_after(self, *, cursor: dict[str, Any], window: Window, seen: dict[str, Any]) -> dict[str, Any]:
        """The watermark a finished sync leaves (default: its window's end)."""
        return {**cursor, "through": window.end.isoformat()}
