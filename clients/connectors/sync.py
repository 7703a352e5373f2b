"""The connector framework: connect, test, sync (in batches, resumable), disconnect.

A sync reads a window of the platform (a 13-month backfill on connect, then daily from the
last sync minus the platform's lookback) page by page and writes its rows in batches. Each
batch is a small file in the layout of the platform's own export, imported through
``clients.sources.source_import`` — the same value tables, currency conversion, campaigns and
all-or-nothing checks as an uploaded export — and, in the same transaction, the connection's
``run`` records how far the sync got. So a sync stopped half-way (a killed worker, a lost
connection, a platform that kept failing) resumes after its last committed batch, writes
nothing twice, and an expired token writes nothing at all. Every write ends in
``data_changed``, so the months touched are recomputed (debounced) like after an upload.
"""

from __future__ import annotations

import csv
import datetime as dt
import logging
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django_tenants.utils import tenant_context

from agency.account_claims import account_claim, account_claimed, account_holder, account_release, account_sharers
from agency.connections_due import connection_due_forget
from agency.models import Client
from agency.months import Month, local_midnight
from clients.connectors import vault
from clients.connectors.base import Connector, Row, Window
from clients.connectors.lock import sync_lock
from clients.connectors.registry import connector_for
from clients.connectors.schedule import connection_due_note, connection_next_run
from clients.connectors.transport import ConnectorError, ReauthNeeded, Session, say
from clients.models import Connection, SyncRun
from clients.signals import connection_health, connection_synced
from clients.sources import SOURCES
from clients.sources.services import source_import
from clients.storage import imports_dir

logger = logging.getLogger(__name__)
BACKFILL_MONTHS = 13
REFRESH_BEFORE = dt.timedelta(minutes=5)


@dataclass
class SyncOutcome:
    """What one sync did (the command prints it; tests read it)."""

    run: SyncRun | None
    rows: int = 0
    rows_by_kind: dict[str, int] = field(default_factory=dict)
    months: set[str] = field(default_factory=set)
    ok: bool = True
    message: str = ""
    skipped: bool = False  # another sync of this connection was under way


# --- credentials ------------------------------------------------------------------------------

def connection_credentials(*, client: Client, connection: Connection) -> vault.Credentials:
    """The connection's credentials, decrypted; SecretsError if they were sealed for another client."""
    return vault.unseal(connection.secrets, owner=client.schema_name)


def _credentials_store(client: Client, connection: Connection, credentials: vault.Credentials) -> None:
    connection.secrets = vault.seal(credentials, owner=client.schema_name)
    connection.token_expires_at = credentials.expires_at
    Connection.objects.filter(pk=connection.pk).update(secrets=connection.secrets,
                                                       token_expires_at=connection.token_expires_at)


def connection_check(
    *, platform: str, account_id: str, credentials: vault.Credentials, options: dict[str, Any] | None = None,
) -> tuple[str, str]:
    """Test credentials against the platform before saving them: (account label, what was found).

    Raises ConnectorError (ReauthNeeded for refused credentials) with the platform's reason.
    """
    connector = connector_for(platform)
    with Session(connector=connector, credentials=credentials, account_id=account_id.strip()) as session:
        return connector.check(session)


class AccountShared(ConnectorError):
    """The account (of a platform whose accounts may feed several clients) already feeds another
    client: said, naming it, before anything is saved; ``connection_connect(shared_ok=True)`` goes on."""

    def __init__(self, reason: str, *, clients: list[Client]) -> None:
        super().__init__(reason)
        self.clients = clients


def connection_connect(
    *, client: Client, platform: str, account_id: str, credentials: vault.Credentials,
    options: dict[str, Any] | None = None, user: Any = None, check: bool = True, shared_ok: bool = False,
) -> tuple[Connection, str]:
    """Store (or replace) the client's connection to ``platform`` after testing its credentials.

    Returns the connection and the test's sentence ("12,408 contacts, portal 4242"). Replacing
    the credentials of an existing connection keeps its cursor (no second backfill). An ad account
    another client holds is refused; any other account another client reads raises AccountShared
    (its leads would count for both) unless ``shared_ok``: allowed, but never silently.
    """
    connector = connector_for(platform)
    account_id = connector.account_key(account_id.strip())
    if connector.exclusive_accounts:
        holder = account_holder(platform=platform, account_id=account_id, besides=client)
        if holder is not None:
            raise _account_taken(connector, holder)
    else:
        sharers = account_sharers(platform=platform, account_id=account_id, besides=client)
        # Said once: reconnecting the account this client already reads (shared knowingly) says nothing.
        if sharers and not shared_ok and not account_claimed(client=client, platform=platform, account_id=account_id):
            raise _account_shared(connector, account_id, sharers)
    label, summary = ("", "")
    if check:
        label, summary = connection_check(platform=platform, account_id=account_id, credentials=credentials,
                                          options=options)
        credentials = connector.checked(credentials)
    with tenant_context(client):
        connection = Connection.objects.filter(platform=platform).first() or Connection(platform=platform)
        if connection.pk and connection.account_id != account_id:
            connection.cursor, connection.run, connection.backfilled_at = {}, {}, None
        connection.account_id = account_id
        connection.account_label = label or connection.account_label
        connection.options = dict(options or {})
        connection.secrets = vault.seal(credentials, owner=client.schema_name)
        connection.token_expires_at = credentials.expires_at
        connection.state, connection.reason, connection.reason_words = Connection.State.CONNECTED, "", {}
        connection.failing_since = connection.failure_emailed_at = None
        connection.next_run_at = connection_next_run(client=client, platform=platform, after=timezone.now())
        if user is not None and getattr(user, "pk", None):
            connection.connected_by = user
        with transaction.atomic():
            connection.save()
            connection_due_note(client=client, connection=connection)
            # Claimed with the row: of two clients connecting one account at once, the second is refused here.
            if not account_claim(client=client, platform=platform, account_id=account_id,
                                 exclusive=connector.exclusive_accounts):
                raise _account_taken(connector, account_holder(platform=platform, account_id=account_id,
                                                               besides=client))
    logger.info("connected %s of %s (account %s)", connector.slug, client.slug, account_id)
    _health(client, connector, connection)
    return connection, summary


def _account_taken(connector: Connector, holder: Client | None) -> ConnectorError:
    """Another client holds the account (agency.account_claims: one query, no other schema opened),
    named so that staff know where to disconnect it."""
    if holder is None:
        return ConnectorError(_("This %(platform)s account is already connected to another client: one account "
                                "feeds one client.") % {"platform": connector.label})
    return ConnectorError(_("This %(platform)s account is already connected to another client, %(client)s: one "
                            "account feeds one client (its spend would count twice). Disconnect it there first if it "
                            "is now this client's.") % {"platform": connector.label, "client": holder.name})


def _account_shared(connector: Connector, account_id: str, sharers: list[Client]) -> AccountShared:
    """Another client reads the account already: what connecting it here too would mean, and how to go on."""
    names = get_text_list([sharer.name for sharer in sharers], _("and"))
    return AccountShared(
        _("This %(platform)s account (%(account)s) is already connected to %(clients)s. Connected here too, "
          "everything it brings (leads, traffic or email results) counts for each client it is connected to: in "
          "each one's report, and more than once in the agency's portfolio. If that is meant — one account shared "
          "by two brands, say — tick “Connect it to this client too” and enter the credentials again (they are "
          "never shown back).")
        % {"platform": connector.label, "account": account_id, "clients": names}, clients=sharers)


def connection_disconnect(*, client: Client, platform: str) -> bool:
    """Forget the connection and its credentials (rows already imported stay). False if none."""
    connector = connector_for(platform)
    with tenant_context(client), transaction.atomic():
        deleted, _detail = Connection.objects.filter(platform=platform).delete()
        connection_due_forget(client=client, platform=platform)
        account_release(client=client, platform=platform)
    if deleted:
        connection_health.send(sender=Client, client=client, platform=platform, label=connector.label, state="",
                               reason="", reason_words={}, last_success_at=None, failing_since=None, token_expires_at=None,
                               at=timezone.now())
    return bool(deleted)


def secrets_reencrypt(*, client: Client) -> int:
    """Encrypt every connection's credentials of ``client`` again with the first key (rotation)."""
    count = 0
    with tenant_context(client):
        for connection in Connection.objects.exclude(secrets=""):
            Connection.objects.filter(pk=connection.pk).update(secrets=vault.rotate(connection.secrets))
            count += 1
    return count


# --- when ---------------------------------------------------------------------------------------

def backfill_start(*, client: Client, now: dt.datetime) -> dt.datetime:
    """The first instant of a backfill: 13 full months before the current one, in the client's zone."""
    zone = ZoneInfo(client.timezone)
    month = Month.of(now, zone) - BACKFILL_MONTHS
    return month.bounds(zone)[0]


def _window(zone: ZoneInfo, start: dt.datetime, end: dt.datetime) -> Window:
    return Window(start=start, end=end, first_day=start.astimezone(zone).date(),
                  last_day=(end - dt.timedelta(microseconds=1)).astimezone(zone).date(), zone=zone)


def window_for_days(*, client: Client, first_day: dt.date, last_day: dt.date) -> Window:
    zone = ZoneInfo(client.timezone)
    return _window(zone, local_midnight(first_day, zone), local_midnight(last_day + dt.timedelta(days=1), zone))


# --- the sync -----------------------------------------------------------------------------------

def connection_sync(
    *, client: Client, platform: str, trigger: str = SyncRun.Trigger.DAILY, first_day: dt.date | None = None,
    last_day: dt.date | None = None, now: dt.datetime | None = None, progress: Callable[[float], None] | None = None,
) -> SyncOutcome:
    """Sync one connection: resume an unfinished sync, or read a new window, and write it in batches.

    Without days, the window is the backfill (never synced) or the last sync's end minus the
    platform's lookback, up to ``now``. A sync already running for this connection (another
    live worker: clients.connectors.lock) makes this one return ``skipped``.
    """
    connector = connector_for(platform)
    now = now or timezone.now()
    with sync_lock(schema=client.schema_name, platform=platform) as held:
        if not held:
            return SyncOutcome(run=None, ok=False, skipped=True, message=_("a sync of this connection is under way"))
        return _sync(client, connector, trigger=trigger, first_day=first_day, last_day=last_day, now=now,
                     progress=progress)


def _sync(
    client: Client, connector: Connector, *, trigger: str, first_day: dt.date | None, last_day: dt.date | None,
    now: dt.datetime, progress: Callable[[float], None] | None,
) -> SyncOutcome:
    zone = ZoneInfo(client.timezone)
    with tenant_context(client):
        connection = Connection.objects.filter(platform=connector.slug).first()
        if connection is None:
            raise ValueError(f"{client.slug} has no {connector.slug} connection")
        explicit = first_day is not None or last_day is not None
        resumed = bool(connection.run) and not explicit
        if resumed:
            run_state = dict(connection.run)
            window = _window(zone, dt.datetime.fromisoformat(run_state["start"]), dt.datetime.fromisoformat(run_state["end"]))
            run = SyncRun.objects.filter(pk=run_state.get("run_id")).first()
        else:
            if connection.run.get("run_id"):
                # An interrupted sync replaced by an explicit window: it ends here (its batches stay).
                SyncRun.objects.filter(pk=connection.run["run_id"], finished_at__isnull=True).update(
                    finished_at=now, ok=False, message=_("replaced by a sync of chosen days"))
            if explicit:
                start_day = first_day or backfill_start(client=client, now=now).astimezone(zone).date()
                window = window_for_days(client=client, first_day=start_day, last_day=last_day or now.astimezone(zone).date())
            else:
                start = connector.window_start(cursor=connection.cursor, now=now,
                                               backfill_start=backfill_start(client=client, now=now))
                window = _window(zone, start, now)
                if not connection.cursor:
                    trigger = SyncRun.Trigger.BACKFILL if trigger == SyncRun.Trigger.DAILY else trigger
            run = None
            run_state = {"start": window.start.isoformat(), "end": window.end.isoformat(), "position": {},
                         "trigger": trigger, "explicit": explicit}
        if run is None:
            run = SyncRun.objects.create(connection=connection, trigger=run_state.get("trigger", trigger),
                                         window_from=window.first_day, window_to=window.last_day, started_at=now)
            run_state["run_id"] = run.pk
        connection.run = run_state
        connection.state, connection.last_attempt_at = Connection.State.SYNCING, now
        with transaction.atomic():
            connection.save(update_fields=["run", "state", "last_attempt_at"])
            connection_due_note(client=client, connection=connection)  # lost unless it ends within STALE_SYNC
        try:
            credentials = connection_credentials(client=client, connection=connection)
        except vault.SecretsError as error:
            credentials = None
            unreadable = error
    outcome = SyncOutcome(run=run)
    if credentials is None:
        return _failed(client, connector, connection, run, outcome,
                       ReauthNeeded(say(gettext_noop("The stored credentials cannot be used (%(why)s): connect again."),
                                        why=str(unreadable))), now=now)
    session = Session(connector=connector, credentials=credentials, account_id=connection.account_id)

    def store(new: vault.Credentials) -> None:
        with tenant_context(client):
            _credentials_store(client, connection, new)

    session.on_refresh = store
    try:
        if credentials.expires_at and credentials.expires_at - REFRESH_BEFORE <= timezone.now():
            if not connector.refresh(session):
                raise ReauthNeeded(say(gettext_noop("The %(platform)s access token expired on %(date)s."),
                                       platform=connector.label, date=credentials.expires_at.date().isoformat()))
            session.refreshed()
        writer = _BatchWriter(client=client, connector=connector, connection=connection, run=run,
                              run_state=run_state, outcome=outcome, session=session)
        for row in connector.rows(session, window, dict(run_state.get("position") or {}), dict(connection.options)):
            if progress is not None and row.progress is not None and writer.pending == 0:
                progress(row.progress)
            writer.add(row)
        writer.flush(final=True)
    except ConnectorError as error:
        return _failed(client, connector, connection, run, outcome, error, now=now)
    finally:
        session.close()
    with tenant_context(client):
        finished = timezone.now()
        with transaction.atomic():
            connection.refresh_from_db()
            if not run_state.get("explicit"):
                connection.cursor = connector.cursor_after(cursor=connection.cursor, window=window, seen={})
            connection.run = {}
            connection.state, connection.reason, connection.reason_words = Connection.State.CONNECTED, "", {}
            connection.last_success_at = finished
            connection.last_rows = run.rows
            connection.rows_total += outcome.rows
            connection.failing_since = connection.failure_emailed_at = None
            if run.trigger == SyncRun.Trigger.BACKFILL:
                connection.backfilled_at = finished
            connection.next_run_at = connection_next_run(client=client, platform=connector.slug, after=finished)
            connection.save()
            connection_due_note(client=client, connection=connection)
            run.finished_at, run.ok, run.progress = finished, True, 1.0
            run.message = _("%(rows)s rows written") % {"rows": run.rows}
            run.save(update_fields=["finished_at", "ok", "progress", "message"])
    if progress is not None:
        progress(1.0)
    outcome.months = set(run.months)
    _health(client, connector, connection)
    if outcome.rows and outcome.months:
        connection_synced.send(sender=Client, client=client, platform=connector.slug, label=connector.label,
                               kind=SOURCES[connector.source].kind, months=set(outcome.months),
                               synced_on=now.astimezone(zone).date())
    logger.info("synced %s of %s: %s rows, months %s", connector.slug, client.slug, outcome.rows,
                ",".join(sorted(outcome.months)))
    return outcome


def _failed(
    client: Client, connector: Connector, connection: Connection, run: SyncRun, outcome: SyncOutcome,
    error: ConnectorError, *, now: dt.datetime,
) -> SyncOutcome:
    reason = error.reason
    with tenant_context(client), transaction.atomic():
        connection.refresh_from_db()
        connection.state = Connection.State.REAUTH if isinstance(error, ReauthNeeded) else Connection.State.FAILING
        connection.reason = reason
        connection.reason_words = error.to_json()
        connection.failing_since = connection.failing_since or now
        if isinstance(error, ReauthNeeded):
            connection.run = {}  # the credentials must change first; the next sync starts afresh
        connection.next_run_at = connection_next_run(client=client, platform=connector.slug,
                                                     after=max(now, timezone.now()))
        connection.save()
        connection_due_note(client=client, connection=connection)
        run.finished_at, run.ok, run.message = timezone.now(), False, reason
        run.save(update_fields=["finished_at", "ok", "message"])
    logger.warning("sync of %s for %s failed: %s", connector.slug, client.slug, reason)
    outcome.ok, outcome.months = False, set(run.months)
    outcome.message = f"{reason} ({error.said})" if error.said else reason  # the commands print it
    _health(client, connector, connection)
    return outcome


def _expiry_to_warn(client: Client, connection: Connection) -> dt.datetime | None:
    """The token's expiry when a person must act before it (no refresh token renews it), else None."""
    try:
        if vault.unseal(connection.secrets, owner=client.schema_name).refresh_token:
            return None
    except vault.SecretsError:
        pass
    return connection.token_expires_at


def _health(client: Client, connector: Connector, connection: Connection) -> None:
    connection_health.send(sender=Client, client=client, platform=connector.slug, label=connector.label,
                           state=connection.state, reason=connection.reason, reason_words=connection.reason_words,
                           last_success_at=connection.last_success_at,
                           failing_since=connection.failing_since, token_expires_at=_expiry_to_warn(client, connection),
                           at=timezone.now())


class _BatchWriter:
    """Rows into batches: each a file in the export's layout, imported with the run's position."""

    def __init__(self, *, client: Client, connector: Connector, connection: Connection, run: SyncRun,
                 run_state: dict[str, Any], outcome: SyncOutcome, session: Session) -> None:
        self.client, self.connector, self.connection, self.run = client, connector, connection, run
        self.run_state, self.outcome, self.session = run_state, outcome, session
        source = SOURCES[connector.source]
        self.source = source
        self.batch_rows = settings.PORTAL_CONNECTOR_BATCH_ROWS or connector.batch_rows
        self.columns: list[tuple[str, str]] = []  # (target, header)
        headers: set[str] = set()
        for column in source.columns:
            header = column.en[0]
            if header in headers:
                continue
            headers.add(header)
            self.columns.append((column.target, header))
        self.directory = imports_dir(client=client)
        self.buffer: dict[Any, Row] = {}
        self.last: Row | None = None

    @property
    def pending(self) -> int:
        return len(self.buffer)

    def add(self, row: Row) -> None:
        if (self.pending >= self.batch_rows and self.last is not None
                and row.group != self.last.group):
            self.flush()
        # A record read twice in one batch (HubSpot's search restarting at a modification time, a
        # contact changed while paging) is written once, as last read; other rows are summed.
        key = row.key if row.key else len(self.buffer)
        self.buffer.pop(key, None)
        self.buffer[key] = row
        self.last = row

    def flush(self, *, final: bool = False) -> None:
        if not self.buffer:
            return
        with tempfile.NamedTemporaryFile("w", newline="", encoding="utf-8", suffix=".csv",
                                         prefix=f"sync-{self.connector.slug}-", dir=self.directory,
                                         delete=False) as handle:
            writer = csv.writer(handle)
            # A header naming the amounts' currency ("Amount spent ({currency})", Meta's) names the batch's.
            currency = next(iter(self.buffer.values())).values.get("currency") or self.client.currency
            writer.writerow([header.replace("{currency}", currency) for _target, header in self.columns])
            for row in self.buffer.values():
                writer.writerow([row.values.get(target, "") for target, _header in self.columns])
        path = Path(handle.name)
        try:
            self._write(path)
        finally:
            path.unlink(missing_ok=True)
        self.buffer = {}

    def _write(self, path: Path) -> None:
        last = self.last
        assert last is not None
        with transaction.atomic():
            imported = source_import(client=self.client, path=path, source=self.connector.source, plain_numbers=True)
            if not imported.ok:
                first = imported.errors[0]
                raise ConnectorError(_("%(platform)s sent a record the portal refused (%(column)s “%(value)s”: "
                                       "%(reason)s); nothing of that batch was written") % {
                    "platform": self.connector.label, "column": first.column, "value": str(first.value)[:80],
                    "reason": first.reason})
            result = imported.result
            months = set(result.months) if result else set()
            self.run_state["position"] = last.position
            with tenant_context(self.client):
                Connection.objects.filter(pk=self.connection.pk).update(run=self.run_state)
                self.run.rows += self.pending
                self.run.batches += 1
                self.run.months = sorted(set(self.run.months) | months)
                if last.progress is not None:
                    self.run.progress = last.progress
                self.run.save(update_fields=["rows", "batches", "months", "progress"])
        kind = self.source.kind
        self.outcome.rows += self.pending
        self.outcome.rows_by_kind[kind] = self.outcome.rows_by_kind.get(kind, 0) + self.pending
        self.outcome.months |= months
