"""A connection's health in words, the nightly due list, and the email after two failed days.

States (docs/connectors.md): connected · syncing · failing (the platform's reason) · needs
re-authorisation. A token that expires is warned of 7 days before. When a connection has
failed on two days in a row (the client's days), the client's assigned staff get one email
through the outbox (one per run of failures: a success starts the count again).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection as db
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django_tenants.utils import tenant_context

from agency.account_claims import account_shared_with
from agency.models import Client, User, agency_language
from agency.months import Month
from agency.reasons import Words
from agency.selectors import client_url, staff_for_client
from clients.closed_months import months_restated
from clients.connectors.advice import connected_by_consent, failure_advice, failure_of
from clients.connectors.lock import sync_lock_since
from clients.connectors.registry import PLATFORMS, connector_for
from clients.connectors.schedule import STALE_SYNC, connection_due_at
from clients.connectors.vault import SecretsError, unseal
from clients.models import Connection, SyncRun
from clients.outbox import outbox_email_enqueue

TOKEN_WARNING = dt.timedelta(days=7)


def connections_due(*, now: dt.datetime) -> list[str]:
    """Platforms of the current schema's connections whose nightly run has come (and that can run).

    The same rule as clients.connectors.schedule.connection_due_at, read in the client's schema: a
    queued sync checks it before it runs, so a connection queued twice syncs once.
    """
    return list(Connection.objects.filter(next_run_at__lte=now).exclude(state=Connection.State.REAUTH)
                .filter(Q(state__in=[Connection.State.CONNECTED, Connection.State.FAILING])
                        | Q(state=Connection.State.SYNCING, last_attempt_at__lt=now - STALE_SYNC))
                .order_by("platform").values_list("platform", flat=True))


@dataclass
class Health:
    """What a screen shows of one connection (never its credentials)."""

    connection: Connection
    label: str
    state: str
    state_label: str
    reason: str
    last_success_at: dt.datetime | None
    last_rows: int
    next_run_at: dt.datetime | None
    token_days: int | None
    token_warning: bool
    running: SyncRun | None
    masked: str
    paused: bool = False  # the nightly dispatcher will not run it until someone acts (connects it again)
    running_since: dt.datetime | None = None  # a live sync holds the connection's lock since then
    advice: str = ""  # what to do about the failure, by its kind (clients.connectors.advice)
    said: str = ""  # what the platform said itself, shown apart and untranslated
    # The approved months the connection's syncs restated since their approval (a revision may wait on
    # each), with when the last of those syncs ended ("at"): the Imports page names them with a link to
    # each month's close (connections_context).
    restated: list[dict[str, Any]] = field(default_factory=list)

    @property
    def interrupted(self) -> bool:
        """A sync was left unfinished by a worker that died: the next sync resumes it."""
        return self.running is not None and self.running_since is None

    @property
    def broken(self) -> bool:
        return self.state in {Connection.State.FAILING, Connection.State.REAUTH}


def connection_health(*, connection: Connection, now: dt.datetime | None = None, masked: str = "") -> Health:
    now = now or timezone.now()
    connector = PLATFORMS.get(connection.platform)
    expires = connection.token_expires_at
    days = (expires - now).days if expires else None
    running = connection.runs.filter(finished_at__isnull=True).order_by("-started_at").first()
    # Paused: the dispatcher queues no run until someone connects it again, so no "next run" to show.
    paused = connection_due_at(connection=connection) is None
    advice, said = connection_advice(connection=connection, paused=paused)
    return Health(
        connection=connection, label=connector.label if connector else connection.platform, state=connection.state,
        state_label=str(Connection.State(connection.state).label), reason=connection_reason(connection=connection),
        last_success_at=connection.last_success_at, last_rows=connection.last_rows,
        next_run_at=None if paused else connection.next_run_at,
        token_days=days, token_warning=expires is not None and expires - now <= TOKEN_WARNING, running=running,
        masked=masked, paused=paused, advice=advice, said=said,
        running_since=sync_lock_since(schema=db.schema_name, platform=connection.platform),
    )


def connection_advice(*, connection: Connection, paused: bool, zone_named: bool = False) -> tuple[str, str]:
    """(what to do, what the platform said) about a failing connection, in the active language and time
    zone (named after the next run's time when ``zone_named``, for an email); ("", said) when it is not
    failing or its kind of failure has no advice."""
    kind, said = failure_of(connection.reason_words)
    if connection.state not in {Connection.State.FAILING, Connection.State.REAUTH}:
        return "", said
    connector = PLATFORMS.get(connection.platform)
    return failure_advice(kind=kind, platform=connector.label if connector else connection.platform,
                          account=connection.account_id,
                          account_label=str(connector.account_label) if connector else "",
                          next_run_at=None if paused else connection.next_run_at, paused=paused,
                          consent=connected_by_consent(connector), zone_named=zone_named), said


def connection_reason(*, connection: Connection) -> str:
    """Why the connection fails, in the reader's language (a platform's own words stay as it said them)."""
    return str(Words.from_json(connection.reason_words)) if connection.reason_words else connection.reason


def connections_health(*, now: dt.datetime | None = None) -> list[Health]:
    """Every connection of the current schema, in platform order."""
    return [connection_health(connection=c, now=now) for c in Connection.objects.order_by("platform")]


def connection_failure_notify(*, client: Client, platform: str, now: dt.datetime | None = None) -> int:
    """After two failed days in a row, one email to each assigned staff member; returns how many were queued."""
    now = now or timezone.now()
    zone = ZoneInfo(client.timezone)
    with tenant_context(client):
        connection = Connection.objects.filter(platform=platform).first()
        if (connection is None or connection.failing_since is None or connection.failure_emailed_at is not None
                or connection.state not in {Connection.State.FAILING, Connection.State.REAUTH}):
            return 0
        if now.astimezone(zone).date() - connection.failing_since.astimezone(zone).date() < dt.timedelta(days=1):
            return 0
        Connection.objects.filter(pk=connection.pk).update(failure_emailed_at=now)
    label = connector_for(platform).label
    queued = 0
    for user in staff_for_client(client=client).exclude(email=""):
        queued += _queue_email(client, user, connection, label, now)
    return queued


def connection_token_warn(*, client: Client, platform: str, now: dt.datetime | None = None) -> int:
    """An access token that cannot be refreshed expires within 7 days (LinkedIn's and Meta's 60-day
    tokens): one email to each assigned staff member per expiry date, to connect again in time."""
    now = now or timezone.now()
    with tenant_context(client):
        connection = Connection.objects.filter(platform=platform).first()
        if connection is None or connection.token_expires_at is None or connection.state == Connection.State.REAUTH:
            return 0
        if not now < connection.token_expires_at <= now + TOKEN_WARNING:
            return 0
        try:
            if unseal(connection.secrets, owner=client.schema_name).refresh_token:
                return 0  # refreshed by the syncs themselves
        except SecretsError:
            return 0
    label = connector_for(platform).label
    expires = connection.token_expires_at.astimezone(ZoneInfo(client.timezone))
    queued = 0
    for user in staff_for_client(client=client).exclude(email=""):
        with translation.override(user.language or agency_language()):
            # The day and moment as the pages write them, in the client's zone with the zone named ("CET"):
            # the staff who read it may be elsewhere (as the two-days email's "failed since").
            subject = _("%(platform)s of %(client)s must be connected again by %(date)s") % {
                "platform": label, "client": client.name, "date": date_format(expires, "DATE_FORMAT")}
            body = "\n\n".join([
                _("The %(platform)s access of %(client)s expires on %(when)s; the platform gives no way to renew it "
                  "without a person's consent.") % {"platform": label, "client": client.name,
                                                      "when": date_format(expires, "DATETIME_FORMAT")},
                _("Open the client's Imports page and choose Connect again: the figures already read stay. %(link)s")
                % {"link": client_url(client=client, path="/imports/")},
            ])
        queued += int(outbox_email_enqueue(client=client, kind="connection_token", recipient_id=user.pk, to=user.email,
                                           subject=subject, body=body,
                                           reference=f"token:{platform}:{expires.date().isoformat()}"))
    return queued


def _queue_email(client: Client, user: User, connection: Connection, label: str, now: dt.datetime) -> int:
    """What happened, what to do (clients.connectors.advice, the next run in the client's zone) and what the
    platform said, apart, with a link to where it is mended, in the recipient's language."""
    zone = ZoneInfo(client.timezone)
    paused = connection_due_at(connection=connection) is None
    # Credentials refused: the connect page; anything else: the connection on the Imports page.
    path = (f"/imports/connections/{connection.platform}/connect/" if paused
            else f"/imports/#connection-{connection.platform}")
    with translation.override(user.language or agency_language()), timezone.override(zone):
        values = {"platform": label, "client": client.name}
        subject = _("%(platform)s of %(client)s has not synced for two days") % values
        advice, said = connection_advice(connection=connection, paused=paused, zone_named=True)
        parts = [
            # The client's time with its zone named ("CET"), as the pages write a moment (DATETIME_FORMAT):
            # the staff who read it may be elsewhere.
            _("The %(platform)s connection of %(client)s has failed since %(since)s.") % {
                **values, "since": date_format(connection.failing_since.astimezone(zone), "DATETIME_FORMAT")},
            connection_reason(connection=connection) or _("Reason: %(reason)s") % {"reason": _("unknown")},
        ]
        if advice:
            parts.append(advice)
        parts.append(_("Until it syncs again, this client's figures from %(platform)s stop at its last successful "
                       "sync.") % values)
        parts.append((_("Connect it again: %(link)s") if paused else _("Open the connection: %(link)s"))
                     % {"link": client_url(client=client, path=path)})
        if said:
            parts.append(_("The platform said: “%(said)s”") % {"said": said})
        body = "\n\n".join(parts)
    reference = f"connection:{connection.platform}:{connection.failing_since.isoformat()}"[:100]
    return int(outbox_email_enqueue(client=client, kind="connection_failing", recipient_id=user.pk, to=user.email,
                                    subject=subject, body=body, reference=reference))


def connection_restated(*, client: Client, health: Health) -> None:
    """Fill ``health.restated``: the approved months that the connection's syncs wrote rows of since
    each month's latest approval, while a revision may wait on them, each with when the last of those
    syncs ended. A nightly sync has no result page: the connection on the Imports page says it
    instead, as an import's result page does (its figures are recomputed; a revision waits for
    staff). Every sync counts, not only the last one that wrote rows: the close board keeps saying
    "Revision waiting" for October after a sync of December, so the notice keeps naming October,
    until October's revision is approved (clients.closed_months.months_restated). One query; more
    only when a sync restated an approved month."""
    health.restated = [{"month": month, "slug": str(Month.of(month)), "at": ended}
                       for month, ended in months_restated(client=client, connection_id=health.connection.pk)]


def connections_context(*, client: Client) -> dict[str, Any]:
    """The Imports page's connections: each platform, connected (with its health) or not."""
    healths = {health.connection.platform: health for health in connections_health()}
    for health in healths.values():
        try:
            credentials = unseal(health.connection.secrets, owner=client.schema_name)
            health.masked = credentials.masked()
            if credentials.refresh_token:  # renewed by the syncs themselves: no countdown to show
                health.token_days, health.token_warning = None, False
        except SecretsError:
            health.masked = _("unreadable with the configured keys: connect again")
    shared = account_shared_with(client=client) if healths else {}
    for slug, health in healths.items():
        health.shared_with = ", ".join(shared.get(slug, []))
        connection_restated(client=client, health=health)
    rows = [{"connector": connector, "health": healths.get(slug)} for slug, connector in PLATFORMS.items()]
    return {"connections": rows, "connections_running": any(h.running_since for h in healths.values()),
            "connections_any": bool(healths)}
