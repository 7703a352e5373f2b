"""Reads of the monthly close, in the client's schema (the caller has set it, as views do)."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection
from django.db.models import BooleanField, ExpressionWrapper, OuterRef, Q, Subquery
from django.db.models.fields.json import KeyTransform
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tenants.utils import tenant_context

from agency.models import Client, User
from agency.months import Month
from agency.outbox import attention_shown
from agency.selectors import brand_is_default, console_url
from clients.connectors.health import connections_health
from clients.criteria.selectors import criteria_admin_names, criteria_review_open
from clients.models import Job, OutboxEmail, SyncRun
from clients.outbox import outbox_attention
from clients.words import member_label, names_joined
from kpis.catalogue import kpi
from kpis.checks.selectors import month_checks_ran, month_checks_read
from kpis.checks.tracking import MQL_SKIPPED, NO_MQLS
from kpis.models import Snapshot
from kpis.recompute import recompute_waiting
from kpis.report import FROZEN, default_month, frozen_days, month_with_data
from kpis.scorecard import card_as_shown
from kpis.selectors_report import snapshot_months_list
from kpis.selectors_scorecard import paid_media_days, report_frozen_read, scorecard_load, snapshot_months_with_data
from kpis.visibility import Approval
from reports.diff import days_changes, documents_differ, figures_diff, platform_changes
from reports.models import (
    Acknowledgement,
    CheckNote,
    Commentary,
    MonthReport,
    Question,
    ReportVersion,
    ShareLink,
    approver_shown,
)
from reports.text import light_html, plain

SECTIONS = tuple(Commentary.Section)

# The month checks that say the qualification criteria score none of the leads: only admins change them.
CRITERIA_CHECKS = frozenset({MQL_SKIPPED.key, NO_MQLS.key})


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def report_months_among(*, months: list[dt.date]) -> list[dt.date]:
    """The months of ``months`` (first days) that have a close record (``MonthReport``) in the
    current client's schema. Asked after every snapshot computation (reports.receivers), where
    building the query through the ORM cost a small client's task more than running it
    (0.45 ms of Python against 0.17 ms; docs/performance.md): one plain statement."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT month FROM {MonthReport._meta.db_table} WHERE month = ANY(%s)", [list(months)])
        return [month for (month,) in cursor.fetchall()]  # table name from the model, months as a parameter


def approved_months() -> set[dt.date]:
    """The months with an approved version: those a client user sees."""
    return set(ReportVersion.objects.values_list("month", flat=True).distinct())


def approved_months_among(*, months: list[dt.date]) -> list[dt.date]:
    """The months of ``months`` (first days) with an approved version: an import or a sync that wrote
    rows of them restates figures the client was sent (clients.closed_months: the import's result
    page, ``sync_source``). One query."""
    return sorted(set(ReportVersion.objects.filter(month__in=months).values_list("month", flat=True)))


def months_restated_by_syncs(*, client: Client, connection_id: int) -> list[tuple[dt.date, dt.datetime]]:
    """The approved months that the connection's syncs wrote rows of since each month's latest
    approval (its first, or its last revision approved), and that a revision still waits on: each as
    (first day, when the last of those syncs ended), oldest month first. A connection on the Imports
    page names them (clients.closed_months.months_restated), every sync's and not only the last
    one's, as the close board keeps saying "Revision waiting" for a month whatever was synced since.

    Waiting: the month's figures differ from its approved version (the board's "Revision waiting",
    revision_pending), or their recompute with the sync's rows is still to come (recompute_state not
    "idle": they may change). A sync that re-read a month without changing it is named until that
    recompute, then no more (no revision waits, and approving is refused: the notice would never go).
    One query; more only when a sync restated an approved month. Only the current client's schema is
    read: another client's syncs and months never appear, whatever its connections' ids."""
    versions, runs = ReportVersion._meta.db_table, SyncRun._meta.db_table
    sql = f"""
        WITH approved AS (SELECT month, max(approved_at) AS at FROM {versions} GROUP BY month)
        SELECT approved.month, max(run.finished_at)
          FROM approved JOIN {runs} run
            ON run.connection_id = %s AND run.finished_at > approved.at
           AND to_char(approved.month, 'YYYY-MM') = ANY(run.months)
         GROUP BY approved.month ORDER BY approved.month
    """  # table names from the models, the connection as a parameter
    with connection.cursor() as cursor:
        cursor.execute(sql, [connection_id])
        restated = cursor.fetchall()
    if not restated:
        return []
    months = [month for month, _ended in restated]
    kpis = KeyTransform("kpis", "document")  # what documents_differ compares, not the whole document
    approved = dict(ReportVersion.objects.filter(month__in=months).order_by("month", "-number").distinct("month")
                    .annotate(kpis=kpis).values_list("month", "kpis"))
    computed = dict(Snapshot.objects.filter(month__in=months).annotate(kpis=kpis).values_list("month", "kpis"))
    return [(month, ended) for month, ended in restated
            if documents_differ({"kpis": approved.get(month) or {}}, {"kpis": computed.get(month) or {}})
            or recompute_state(client=client, month=month) != "idle"]


def month_approved(*, month: dt.date) -> bool:
    """Whether the month has an approved version (before that, nothing of it is the client's)."""
    return ReportVersion.objects.filter(month=month).exists()


def version_get(*, month: dt.date, number: int) -> ReportVersion | None:
    """One approved version of the month, as the client saw it then (the history stays readable)."""
    return ReportVersion.objects.filter(month=month, number=number).first()


def version_latest(*, month: dt.date) -> ReportVersion | None:
    """The month's last approved version: what the client sees now."""
    return ReportVersion.objects.filter(month=month).order_by("-number").first()


def version_preview(
    *, month: dt.date, approver: str = "", reason: str = "", previous: ReportVersion | None = None
) -> ReportVersion | None:
    """The version approving the month now would freeze, kept in memory (never saved): the figures as
    computed now with what an approval freezes beside them, and the commentary as written now. What
    the preview of the month's email is built from (reports.emails.approval_email_preview, and
    revision_email_preview after ``previous``, the version the client sees: then it is the next
    number, with the revision's ``reason``), so staff read the email before anything is sent;
    ``approver`` is who would approve it (the PDF names them). None when the month has no figures yet."""
    snapshot = Snapshot.objects.filter(month=month).first()
    if snapshot is None:
        return None
    document = {**snapshot.document, FROZEN: report_frozen_read(month=month, document=snapshot.document)}
    return ReportVersion(month=month, number=previous.number + 1 if previous else 1, document=document,
                         approved_at=timezone.now(), approved_by_name=approver,
                         reason=(reason or "").strip()[:300] if previous else "",
                         commentary=commentary_texts(month=month))


def email_preview_kind(
    *, month: dt.date, current: dt.date, approved: bool, pending: bool, has_figures: bool, waiting_data: bool
) -> str:
    """Which email approving ``month`` now would send, for staff's preview of it: "approval" (the
    monthly email: a month never approved, ended, with figures and data recorded), "revision" (the
    revision's email: an approved month whose figures changed since), or "" (nothing to approve,
    nothing to preview). One rule for the close page's link and the preview's URLs: the URL refuses
    exactly the months the page shows no link on."""
    if not has_figures or month >= current:
        return ""
    if approved:
        return "revision" if pending else ""
    return "" if waiting_data else "approval"


def email_preview_versions(
    *, client: Client, month: dt.date, approver: str, reason: str = ""
) -> tuple[ReportVersion, ReportVersion | None] | None:
    """What the preview of ``month``'s email is drawn from: the version approving now would freeze
    (version_preview) and the version the client sees now (None before the first approval: the
    monthly email; else the revision's). None when email_preview_kind says there is nothing to preview."""
    versions = versions_of(month=month)
    previous = versions[-1] if versions else None
    snapshot = snapshot_of(month=month)
    report = report_of(month=month)
    current = client_this_month(client=client, at=timezone.now())
    kind = email_preview_kind(
        month=month, current=current, approved=previous is not None,
        pending=bool(previous and snapshot and documents_differ(previous.document, snapshot.document)),
        has_figures=snapshot is not None,
        waiting_data=bool(report) and month < current
        and month_waits_for_data(month=month, state=report.state, approved_before=previous is not None),
    )
    if not kind:
        return None
    version = version_preview(month=month, approver=approver, reason=reason, previous=previous)
    return (version, previous) if version is not None else None


def versions_of(*, month: dt.date) -> list[ReportVersion]:
    return list(ReportVersion.objects.filter(month=month).order_by("number"))


def commentary_current(*, month: dt.date) -> dict[str, Commentary]:
    """The latest saved text of each section (one query)."""
    rows = Commentary.objects.filter(month=month).order_by("section", "-written_at", "-pk").distinct("section")
    return {row.section: row for row in rows}


def commentary_history(*, month: dt.date) -> list[Commentary]:
    return list(Commentary.objects.filter(month=month).order_by("-written_at", "-pk"))


def commentary_texts(*, month: dt.date) -> dict[str, str]:
    current = commentary_current(month=month)
    return {section.value: current[section.value].text if section.value in current else "" for section in SECTIONS}


def commentary_sections(texts: dict[str, str]) -> list[dict[str, Any]]:
    """The sections that have text, with their title, HTML and plain text, in order."""
    return [
        {
            "key": section.value,
            "title": section.label,
            "html": light_html(texts.get(section.value, "")),
            "plain": plain(texts.get(section.value, "")),
        }
        for section in SECTIONS
        if (texts.get(section.value) or "").strip()
    ]


def report_of(*, month: dt.date) -> MonthReport | None:
    return MonthReport.objects.filter(month=month).first()


def snapshot_of(*, month: dt.date) -> Snapshot | None:
    return Snapshot.objects.filter(month=month).first()


def commentary_state(*, texts: dict[str, str], latest: ReportVersion | None, revision_pending: bool) -> str:
    """What staff's view of the commentary is, for its badge: "draft" (never approved), "revision"
    (revised figures wait for approval: this text goes out with them), "edited" (changed since the
    approval: the client still reads the approved text) or "approved" (what the client reads).
    Staff see the current text; a "Draft" badge on an approved month said the wrong thing."""
    if latest is None:
        return "draft"
    if revision_pending:
        return "revision"
    approved = {key: text for key, text in (latest.commentary or {}).items() if text}
    return "approved" if approved == {key: text for key, text in texts.items() if text} else "edited"


def revision_pending(*, month: dt.date) -> bool:
    """An approved month whose figures, as computed now, differ from the version the client sees."""
    version = ReportVersion.objects.filter(month=month).order_by("-number").first()
    snapshot = snapshot_of(month=month)
    return bool(version and snapshot and documents_differ(version.document, snapshot.document))


def recompute_state(*, client: Client, month: dt.date) -> str:
    """"busy": a recompute of ``month`` is queued or running (approving now could freeze figures
    about to change); "unknown": Redis, which holds the debounced requests, cannot be read;
    "idle" otherwise. Asked-for recomputes are Jobs; data changes wait in the debounce's Redis
    sets or, during a Redis outage, in the database outbox (kpis.recompute.recompute_waiting)."""
    label = str(Month.of(month))
    jobs = Job.objects.filter(
        kind="recompute", status__in=[Job.Status.QUEUED, Job.Status.RUNNING], params__months__contains=[label]
    )
    if jobs.exists():
        return "busy"
    waiting, known = recompute_waiting(client=client)
    if label in waiting:
        return "busy"
    return "idle" if known else "unknown"


def recompute_busy(*, client: Client, month: dt.date) -> bool:
    """Not known to be idle: the approval waits (see recompute_state)."""
    return recompute_state(client=client, month=month) != "idle"


def client_this_month(*, client: Client, at: dt.datetime) -> dt.date:
    return Month.of(at, ZoneInfo(client.timezone)).first_day


def month_has_data(*, month: dt.date) -> bool:
    """Whether anything is recorded in ``month`` (its snapshot shows a row dated in it: a session, a
    lead or its step, an email, spend, an ad row, a contract's change; kpis.datastart.MONTH_ROWS). A
    month without is not ready for review and has nothing to approve: a new client's first month
    before its data is imported reads *Waiting for data*, not *In review* (docs/monthly-close.md)."""
    return month in snapshot_months_with_data()


def month_waits_for_data(*, month: dt.date, state: str, approved_before: bool) -> bool:
    """Whether a month of the close is shown as *Waiting for data*: open or in review, never approved,
    and nothing recorded in it. Its state is kept (the close's states keep their meaning): it goes to
    review once its data is in (reports.services.month_review_start)."""
    waiting = state in (MonthReport.State.OPEN, MonthReport.State.IN_REVIEW) and not approved_before
    return waiting and not month_has_data(month=month)


def can_approve(*, user: User) -> bool:
    """Approving is for agency staff, or only admins when the agency says so (REPORT_APPROVERS)."""
    if settings.REPORT_APPROVERS == "admins":
        return user.is_agency_admin
    return user.is_agency


# --- what each viewer sees (registered as kpis.visibility's rule) ------------------------------


def hidden_months() -> set[dt.date]:
    """Months in the close that have no approved version yet: drafts, not for client users."""
    approved = set(ReportVersion.objects.values_list("month", flat=True))
    return set(MonthReport.objects.exclude(month__in=approved).values_list("month", flat=True))


def month_document_for(*, viewer: User, month: dt.date) -> dict[str, Any] | None:
    """The document ``viewer`` sees for ``month``: staff the snapshot as computed now; a client user
    the latest approved version, nothing for a month still in the close, and the snapshot for a
    month the close never held (the month in progress, months from before the close existed)."""
    snapshot = snapshot_of(month=month)
    if viewer.is_agency:
        return snapshot.document if snapshot else None
    version = ReportVersion.objects.filter(month=month).order_by("-number").first()
    if version is not None:
        return version.document
    if MonthReport.objects.filter(month=month).exists():
        return None
    return snapshot.document if snapshot else None


def shown_months(*, viewer: User) -> tuple[frozenset[dt.date], dict[dt.date, int], str] | None:
    """For a client user (None for staff): the months hidden from them (in the close, not approved),
    the approved months with their latest version number, and a stamp of both. Two small queries,
    no documents: those are read only for the months a page shows (approved_documents)."""
    if getattr(viewer, "is_agency", False):
        return None  # anyone else (a client user, a share link's anonymous reader) is shown the client's view
    # Every month in the close has its MonthReport row (approving creates it): one query for both.
    latest = ReportVersion.objects.filter(month=OuterRef("month")).order_by("-number").values("number")[:1]
    rows = MonthReport.objects.annotate(latest=Subquery(latest)).values_list("month", "latest")
    return shown_from_rows(list(rows))


def shown_from_rows(rows: list[tuple[dt.date, int | None]]) -> tuple[frozenset[dt.date], dict[dt.date, int], str]:
    """shown_months' answer from the close's (month, latest version number or None) rows."""
    approved = {month: number for month, number in rows if number is not None}
    hidden = frozenset(month for month, number in rows if number is None)
    stamp = ",".join(f"{Month.of(m)}v{n}" for m, n in sorted(approved.items()))
    stamp += "|" + ",".join(str(Month.of(m)) for m in sorted(hidden))
    return hidden, approved, stamp


def close_page_column(*, viewer: User, month: dt.date) -> tuple[str, list[Any]]:
    """One SQL expression (a JSON object) with what the scorecard of ``month`` shows of the close:
    the month's report state, its versions and its commentary (the header at the top, and the
    words of the summary), as stamps; for a client user also every month of the close with its
    latest version (shown_months' rows). A column of the cached page's single read."""
    report, version, commentary = MonthReport._meta.db_table, ReportVersion._meta.db_table, Commentary._meta.db_table
    months = (
        "'[]'::json"
        if getattr(viewer, "is_agency", False)
        else f"""(SELECT coalesce(json_agg(json_build_array(r.month, (SELECT max(v.number) FROM {version} v
                     WHERE v.month = r.month)) ORDER BY r.month), '[]'::json) FROM {report} r)"""
    )
    sql = f"""json_build_object(
        'close', {months},
        'month', (SELECT r.state || ' ' || r.updated_at::text FROM {report} r WHERE r.month = %s),
        'versions', (SELECT count(*) || ':' || coalesce(max(number), 0) FROM {version} WHERE month = %s),
        'commentary', (SELECT count(*) || ':' || coalesce(max(id), 0) FROM {commentary} WHERE month = %s))"""
    return sql, [month, month, month]


def close_page_rows(value: dict[str, Any]) -> list[tuple[dt.date, int | None]]:
    """close_page_column's months of the close, as shown_months' rows."""
    return [(dt.date.fromisoformat(month), number) for month, number in value["close"]]


def card_for(*, client: Client, month: dt.date, viewer: Any, override: dict[dt.date, dict[str, Any]] | None = None) -> Any:
    """The month's scorecard as ``viewer`` sees it (staff: as computed; others: the client's view),
    with ``override`` documents in place (e.g. an older version of the month)."""
    card = scorecard_load(month=month, compare="month", client=client)
    result = shown_months(viewer=viewer)
    hidden: frozenset[dt.date] = frozenset()
    documents: dict[dt.date, dict[str, Any]] = {}
    if result is not None:
        hidden, approved, _stamp = result
        documents = approved_documents([m for m in card.history if m in approved])
    documents.update(override or {})
    if result is None and not override:
        return card
    return card_as_shown(card, hidden=hidden - set(override or {}), documents=documents)


def approved_card(*, client: Client, month: dt.date) -> Any:
    """The month's scorecard as its latest approved version has it, whoever reads it (as the
    monthly email draws it): what the client's home says of the latest report."""
    version = version_latest(month=month)
    return card_for(client=client, month=month, viewer=None, override={month: version.document} if version else None)


def approved_documents(months: list[dt.date]) -> dict[dt.date, dict[str, Any]]:
    """The latest approved document of each of ``months`` (one query)."""
    rows = ReportVersion.objects.filter(month__in=months).order_by("month", "-number").distinct("month")
    return {row.month: row.document for row in rows.only("month", "number", "document")}


def approval_dates(month: dt.date, *, pending: bool = False, staff: bool = False) -> Approval | None:
    """When ``month`` was first approved and by whom and, if revised since, when and by whom its latest
    version was; None when it was never approved. For the PDF's first page (kpis.visibility.Shown, a
    client's; staff's with ``pending``: whether the figures as computed now differ from the approved
    version). Whom in its reader's words (``staff``: reports.models.approver_shown)."""
    versions = list(
        ReportVersion.objects.filter(month=month).order_by("number").only("approved_at", "approved_by_name", "reason")
    )
    if not versions:
        return None
    first, latest = versions[0], versions[-1]
    revised = latest if len(versions) > 1 else None
    return Approval(
        approved_at=first.approved_at,
        approved_by=approver_shown(first.approved_by_name, staff=staff),
        revised_at=revised.approved_at if revised else None,
        revised_by=approver_shown(revised.approved_by_name, staff=staff) if revised else "",
        revised_reason=revised.reason if revised else "",
        pending=pending and revision_pending(month=month),
    )


def commentary_for(*, viewer: User, month: dt.date) -> dict[str, str]:
    """Staff see the draft; a client user the commentary of the approved version (none before)."""
    if viewer.is_agency:
        return commentary_texts(month=month)
    version = ReportVersion.objects.filter(month=month).order_by("-number").first()
    return dict(version.commentary) if version else {}


@dataclass
class Revision:
    number: int
    approved_at: dt.datetime
    reason: str
    lines: list[dict[str, Any]] = field(default_factory=list)


def revisions(*, versions: list[ReportVersion], currency: str) -> list[Revision]:
    """Each version after the first, with what it changed against the one before."""
    return [
        Revision(
            number=after.number,
            approved_at=after.approved_at,
            reason=after.reason,
            lines=figures_diff(before.document, after.document, currency=currency),
        )
        for before, after in pairwise(versions)
    ]


def restatements_shown(restated_by: str, *, changes: list[dict[str, Any]], document: dict[str, Any]) -> str:
    """What restated the month, without the ad platforms whose syncs re-read it and changed nothing
    (every daily sync re-reads 28–30 days: only a platform whose figures moved restated it)."""
    still = {change["label"] for change in changes}
    quiet = {member_label("platform", member) for member in document.get("breakdowns", {}).get("platform", {})} - still
    parts = [part for part in restated_by.split("; ") if part and not any(part.startswith(label + " ") for label in quiet)]
    return "; ".join(parts)


def _recipients() -> Any:
    return User.objects.filter(role=User.Role.CLIENT, is_active=True, monthly_email=True).exclude(email="")


def report_recipients(*, client: Client) -> list[User]:
    """The client's users the approved report is emailed to: active, with an address, the monthly email on."""
    return list(_recipients().filter(memberships__client=client))


def report_recipients_by_client(*, clients: list[Client]) -> dict[int, list[str]]:
    """The addresses each client's approved report goes to (as report_recipients), for several
    clients in one query: the board's confirmation says whom each month is emailed to."""
    found: dict[int, list[str]] = {client.pk: [] for client in clients}
    for client_id, email in (
        _recipients().filter(memberships__client__in=clients).values_list("memberships__client_id", "email").order_by("email")
    ):
        found[client_id].append(email)
    return found


def recipients_without_report(*, client: Client, month: dt.date) -> list[User]:
    """The report's recipients who have not had ``month``'s approved report (invited, or who turned
    the monthly email back on, after the approval): the close page offers to send it to them."""
    had = set(OutboxEmail.objects.filter(kind="report_approved", month=month).values_list("recipient_id", flat=True))
    return [user for user in report_recipients(client=client) if user.pk not in had]


# An email still "being prepared" this long after its approval (or its last try) has no task coming:
# its worker was lost and its retries spent. The month's page then offers to try again, as for a failure.
EMAILS_STUCK_AFTER = dt.timedelta(minutes=15)


def approval_emails_state(*, month: dt.date, now: dt.datetime, stuck_after: dt.timedelta) -> dict[str, Any] | None:
    """The email an approval of ``month`` owes and has not queued yet, for the month's page: None when
    none waits; else ``state`` "pending" (its task is building it: the page polls), or "failed" (with
    ``error``; also an email still pending ``stuck_after`` after its approval or last try, its task
    lost), which the page says with "Try again". ``revision``: the email is a revision's news."""
    version = (
        ReportVersion.objects.filter(month=month, emails__in=[ReportVersion.Emails.PENDING, ReportVersion.Emails.FAILED])
        .order_by("-number")
        .only("number", "emails", "emails_error", "emails_at", "approved_at")
        .first()
    )
    if version is None:
        return None
    since = version.emails_at or version.approved_at
    stuck = version.emails == ReportVersion.Emails.PENDING and since < now - stuck_after
    return {
        "state": "failed" if stuck or version.emails == ReportVersion.Emails.FAILED else "pending",
        "stuck": stuck,
        "error": version.emails_error,
        "revision": version.number > 1,
        "number": version.number,
    }


def checks_open_across(*, clients: list[Client], month: dt.date) -> list[dict[str, Any]]:
    """The open checks of ``month`` for each of ``clients``, grouped by check (its key), most clients
    first: what "Resolve a check for several clients" offers. Each group: ``key``, ``rule`` (what the
    check looks at), ``family_label``, ``severity_label`` and ``items`` — each client's finding (its
    ``id`` in that client's schema, the ``sentence`` as its page says it). Opens each client's schema
    (one query each): the caller passes only clients whose console counts show a check open."""
    groups: dict[str, dict[str, Any]] = {}
    for client in clients:
        with tenant_context(client):
            found = month_checks_read(month=month, currency=client.currency)
        for check in found:
            if check["resolved_at"] is not None:
                continue
            group = groups.setdefault(check["key"], {
                "key": check["key"], "rule": check["rule"], "family_label": check["family_label"],
                "severity_label": check["severity_label"], "items": [],
            })
            group["items"].append({"client": client, "id": check["id"], "sentence": check["sentence"],
                                   "severity": check["severity"], "subject": check["subject"]})
    for group in groups.values():
        group["clients"] = len({item["client"].pk for item in group["items"]})
    return sorted(groups.values(), key=lambda group: (-group["clients"], group["key"]))


def _spaced(text: str) -> str:
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def commentary_stale_figures(
    *, client: Client, month: dt.date, before: dict[str, Any], after: dict[str, Any]
) -> list[dict[str, Any]]:
    """The figures a revision changes that the commentary still quotes as they were approved.

    The commentary goes out with the revision as it is: a summary drafted from the figures
    ("€48,867.87 of marketing spend (€287.46 a lead)") would stand beside the revised table
    (€49,507.87, €291.22) and contradict it. Each changed figure is looked for as the client reads
    it (the client's language, as the draft and the email write it), not inside a longer number."""
    texts = _spaced("\n".join(commentary_texts(month=month).values()))
    if not texts.strip():
        return []
    with translation.override(client.report_language):
        lines = figures_diff(before, after, currency=client.currency)
    quoted = [
        line for line in lines
        if line["before"] != "—" and re.search(rf"(?<![\d.,]){re.escape(_spaced(line['before']))}(?![\d])", texts)
    ]
    # The figures as the commentary quotes them (the client's language), each named in the
    # reader's: a Spanish page read "Marketing spend €48,867.87 (ahora €49,507.87)" for an English client.
    return [{**line, "label": str(kpi(line["key"]).label)} for line in quoted]


def month_close_page(*, client: Client, month: dt.date, viewer: User) -> dict[str, Any]:
    """Everything the month's close page shows to ``viewer``."""
    report = report_of(month=month)
    versions = versions_of(month=month)
    snapshot = snapshot_of(month=month)
    staff = viewer.is_agency
    pending = bool(staff and versions and snapshot and documents_differ(versions[-1].document, snapshot.document))
    # A month not in the close says what it is (in progress, before the client's first report), not
    # "Open" beside an Approve: the month in progress is approved once it has ended.
    current = Month.of(timezone.now(), ZoneInfo(client.timezone)).first_day
    outside = None if report else month_outside_close(month, current=current, first=min(reports_months(), default=None))
    state = report.state if report else MonthReport.State.OPEN
    context: dict[str, Any] = {
        "report": report,
        "state": state,
        # Nothing recorded in the month (a new client before its first import): not ready for review,
        # nothing to approve; the page says so instead of "In review" beside an Approve.
        "waiting_data": bool(report) and month < current
        and month_waits_for_data(month=month, state=state, approved_before=bool(versions)),
        "outside_close": outside,
        "in_progress": month >= current,
        "versions": versions,
        "revisions": revisions(versions=versions, currency=client.currency),
        "snapshot": snapshot,
        "revision_pending": pending,
        "restated_by": "",
        "pending_diff": figures_diff(versions[-1].document, snapshot.document, currency=client.currency) if pending else [],
        "platform_changes": [],
        "day_changes": None,
        "questions": list(Question.objects.filter(month=month)),
        "read_at": None,
    }
    if pending:
        context["stale_commentary"] = commentary_stale_figures(
            client=client, month=month, before=versions[-1].document, after=snapshot.document
        )
        # Boxes a draft filled and nobody edited: the revision's form offers to write them again
        # from the revised figures as it approves (ticked), so they never go out quoting the old ones.
        context["stale_redraft"] = bool(context["stale_commentary"]) and any(
            row.drafted and row.text.strip() for row in commentary_current(month=month).values()
        )
        changes = platform_changes(versions[-1].document, snapshot.document, currency=client.currency, month=month)
        context["platform_changes"] = changes
        context["restated_by"] = restatements_shown(report.restated_by if report else "", changes=changes,
                                                    document=snapshot.document)
        # The daily ad charts the client sees are the approved days: what the rows say now, beside them.
        frozen = frozen_days(versions[-1].document)
        if frozen is not None:
            context["day_changes"] = days_changes(frozen, paid_media_days(month=month), currency=client.currency)
    if staff:
        recipients = report_recipients(client=client)
        # "Preview the email": of the monthly email or of the revision's, by the rule its URL keeps.
        context["email_preview"] = email_preview_kind(
            month=month, current=current, approved=bool(versions), pending=pending,
            has_figures=snapshot is not None, waiting_data=context["waiting_data"],
        )
        context.update(
            texts=commentary_texts(month=month),
            history=commentary_history(month=month)[:50],
            links=list(ShareLink.objects.filter(month=month)),
            busy=(recompute := recompute_state(client=client, month=month)) != "idle",
            busy_unknown=recompute == "unknown",
            may_approve=can_approve(user=viewer),
            # Nobody to email: approving still publishes the month in the portal, and the page says so.
            recipients=len(recipients),
            # Approve says whom it emails (a confirmation that does not say what will happen costs a
            # look at the client's users for each of 50 clients).
            recipient_emails=", ".join(sorted(user.email for user in recipients)[:10]) + (" …" if len(recipients) > 10 else ""),
            # The email an approval owes, while its task builds it (or after it failed): the page says
            # "Sending…" or the failure; its readers are not "Not emailed yet" in the meantime.
            sending=(sending := approval_emails_state(month=month, now=timezone.now(), stuck_after=EMAILS_STUCK_AFTER)),
            unsent=recipients_without_report(client=client, month=month) if versions and not sending else [],
            # The console's invitation form brings staff back to this month once sent (agency.views.console).
            client_users_url=console_url(path=f"/clients/{client.slug}/?back=/reports/{Month.of(month)}/#client-users"),
            # The same check at several clients (one outage): resolved together from the console.
            checks_together_url=console_url(path=f"/board/checks/?month={Month.of(month)}"),
            acknowledgements=list(Acknowledgement.objects.filter(month=month)),
            now=timezone.now(),
            emails=emails_needing_attention(month=month),
            brand_default=brand_is_default(),
            brand_url=console_url(path="/brand/"),
            connections=connections_health(),
        )
        checks = month_checks_read(month=month, currency=client.currency)
        context.update(
            checks=checks,
            checks_ran=bool(checks) or month_checks_ran(client=client, month=month),
            checks_open=[c for c in checks if c["resolved_at"] is None],
            checks_open_high=sum(1 for c in checks if c["resolved_at"] is None and c["severity"] == "high"),
            check_notes=list(CheckNote.objects.filter(month=month)),
        )
        if any(c["key"] in CRITERIA_CHECKS and c["resolved_at"] is None for c in checks):
            # Only admins change the criteria: staff read whom to ask, and ask in one click (or see it asked).
            context.update(criteria_checks=CRITERIA_CHECKS, criteria_review=criteria_review_open(),
                           criteria_admins=names_joined(criteria_admin_names()))
    else:
        ack = Acknowledgement.objects.filter(month=month, user_id=viewer.pk).first()
        context["read_at"] = ack.read_at if ack else None
    shown = commentary_for(viewer=viewer, month=month)
    context["sections"] = commentary_sections(shown)
    if staff:
        context["commentary_empty"] = not any(text.strip() for text in context["texts"].values())
        context["commentary_state"] = commentary_state(
            texts=shown, latest=versions[-1] if versions else None, revision_pending=pending
        )
    return context


def email_kind_label(kind: str) -> str:
    """The outbox's kinds of email (reports.emails, and the monthly scorecard before the close) in words."""
    labels = {
        "report_approved": _("The approved report"),
        "report_revised": _("Revised figures"),
        "report_question": _("A client's question"),
        "report_answer": _("The answer to a question"),
        "monthly_scorecard": _("The monthly report"),
        "criteria_review": _("A request to review the criteria"),
    }
    return str(labels.get(kind, kind))


def emails_needing_attention(*, month: dt.date) -> list[dict[str, Any]]:
    """The month's outbox rows staff should see (clients.outbox.outbox_attention), in words:
    "retrying" (a next attempt is set), "given up", or "uncertain" (the worker died mid-send: the
    mail server may have it; staff check, then may send again)."""
    page = str(Month.of(month))
    return attention_shown(
        outbox_attention(month=month),
        kind_label=email_kind_label,
        resend_url=lambda pk: reverse("report_email_resend", args=[page, pk]),
    )


def home_report(*, staff: bool, client: Client | None = None) -> dict[str, Any]:
    """What the client's home says about its monthly reports: the latest approved month (the one a
    client user reads), and for staff the newest month waiting for the agency (open or in review;
    a revision to approve is said on the month's page and the close board). ``client``: whose
    recompute to ask about — a month with nothing recorded *yet* whose figures are being computed
    from data just imported is ``computing``, not waiting for data (the walk's staff member read
    "nothing recorded in November" for the half minute after importing 840 leads of it)."""
    latest = ReportVersion.objects.order_by("-month", "-number").values("month", "approved_at", "number").first()
    if latest and latest["number"] > 1:  # a revision: "approved on" its first day, "revised on" its own
        latest["first_approved_at"] = (
            ReportVersion.objects.filter(month=latest["month"], number=1).values_list("approved_at", flat=True).first()
        )
    waiting = None
    if staff:
        waiting = (
            MonthReport.objects.filter(state__in=[MonthReport.State.OPEN, MonthReport.State.IN_REVIEW])
            .order_by("-month")
            .first()
        )
    # A month with nothing recorded is not waiting for the agency but for its data (as the board and
    # the month's page say): "in review" of an empty month sent staff to review nothing.
    no_data = waiting is not None and month_waits_for_data(
        month=waiting.month,
        state=waiting.state,
        approved_before=ReportVersion.objects.filter(month=waiting.month).exists(),
    )
    computing = bool(no_data and client is not None and recompute_busy(client=client, month=waiting.month))
    return {"latest": latest, "waiting": waiting, "waiting_no_data": no_data, "computing": computing}


def month_has_snapshot(*, month: dt.date) -> bool:
    return Snapshot.objects.filter(month=month).exists()


def home_unreviewed_month(*, client: Client) -> dt.date | None:
    """For a client user's home while no month is approved: the month their report opens on (as
    /scorecard/ picks it, kpis.report.default_month and month_with_data) among the months they may
    read, those with a snapshot outside the close, as computed and not reviewed by the agency. The
    same months the report offers them (kpis.visibility), no more: a month in the close is theirs only
    once approved. None when they may read none."""
    hidden, _approved, _stamp = shown_months(viewer=None)
    months = [month for month in snapshot_months_list() if month not in hidden]
    month = default_month(months, client)
    if month is None:
        return None
    return month_with_data(month, months, with_data=snapshot_months_with_data(), approved=frozenset())[0]


def reports_months() -> list[dt.date]:
    """The months in the client's close (a month report each)."""
    return list(MonthReport.objects.values_list("month", flat=True))


def months_of_close() -> list[MonthReport]:
    return list(MonthReport.objects.order_by("-month"))


# A month "has activity" when one of these is above zero: a month with none is figures of nothing (or
# only the contracts' MRR, which runs on by itself) that nobody closes.
ACTIVITY = ("sessions", "new_leads", "marketing_spend", "customers", "revenue")


def month_outside_close(month: dt.date, *, current: dt.date, first: dt.date | None) -> tuple[str, str]:
    """What a month that is not in the close is, and what its Approved column says instead of "Not
    approved yet" (which would suggest an approval pending): in progress, not started, before the
    client's first report (its data came in before the close began), or out of the close otherwise."""
    if month == current:
        return _("Month in progress"), _("Enters the close when it ends")
    if month > current:
        return _("Month not started"), _("Nothing to approve")
    if first is None or month < first:
        return _("Before this client's first report"), _("No approval pending")
    return _("Not in the close"), _("No approval pending")


def months_listed(*, current: dt.date) -> dict[str, Any]:
    """Staff's Monthly reports: the months that matter, newest first, and the others folded.

    ``rows``: every month in the close, and every month with activity (leads, traffic, spend, emails,
    customers or revenue) that never entered it (its data came before the close existed, e.g. a new
    client's import of past months), so that any such month is one click away. ``quiet``: the months
    computed without any activity and not in the close (a contract's history, or zeros around the
    data: recomputing every month of a new client leaves three years of them), listed behind one
    line, still one click away. ``current`` (the first day of the client's month in progress) is
    labelled as such, and the months before the client's first report as such (month_outside_close).
    """
    reports = {report.month: report for report in months_of_close()}
    activity = Q(document__kpis__emails_sent__gt=0)
    for name in ACTIVITY:
        activity |= Q(**{f"{name}__gt": 0})
    computed = dict(Snapshot.objects.annotate(active=ExpressionWrapper(activity, output_field=BooleanField()))
                    .values_list("month", "active"))
    rows, quiet = [], []
    first = min(reports, default=None)
    with_data = snapshot_months_with_data()
    for month in sorted(set(reports) | set(computed), reverse=True):
        report = reports.get(month)
        if report is None:
            label, note = month_outside_close(month, current=current, first=first)
        elif report.state in (MonthReport.State.OPEN, MonthReport.State.IN_REVIEW) and report.approved_at is None \
                and month not in with_data:
            label, note = _("Waiting for data"), _("Nothing recorded in this month yet")
        else:
            label, note = report.get_state_display(), ""
        row = {"month": month, "state": report.state if report else "", "state_label": label,
               "approved_at": report.approved_at if report else None, "approval_note": note}
        (rows if report is not None or computed.get(month) else quiet).append(row)
    return {"rows": rows, "quiet": quiet}
