"""Writes of the monthly close: review, commentary, approval, revisions, share links, questions.

Every function names its client and runs in that client's schema; the public mirror of a
month's state (portfolio.ClientMonthClose, read by the console) is written in the same
transaction as the change it mirrors.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from celery import Task
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import InterfaceError, OperationalError, transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tenants.utils import tenant_context

from agency.degrade import REDIS_ERRORS, redis_failed
from agency.models import Client, User
from agency.months import Month
from agency.selectors import clients_for_user, clients_ready
from agency.tasks import enqueue_for_client
from clients.outbox import outbox_drain_schedule
from kpis.checks.selectors import month_checks_read
from kpis.checks.services import checks_mirror
from kpis.models import CheckResult, Snapshot
from kpis.report import FROZEN
from kpis.selectors_scorecard import report_frozen_read
from portfolio.models import ClientMonthClose
from reports.diff import documents_differ
from reports.emails import answer_emails, approval_emails, question_emails, revision_emails
from reports.models import (
    APPROVED_BY_COMMAND,
    Acknowledgement,
    CheckNote,
    Commentary,
    MonthReport,
    Question,
    ReportVersion,
    ShareLink,
)
from reports.selectors import (
    EMAILS_STUCK_AFTER,
    can_approve,
    client_this_month,
    commentary_state,
    commentary_texts,
    month_has_data,
    recompute_state,
    report_months_among,
    report_recipients,
    token_hash,
)
from reports.text import MAX_LENGTH

State = MonthReport.State
Emails = ReportVersion.Emails
logger = logging.getLogger(__name__)


def _name(user: Any) -> str:
    """The person as the close names them (agency.models.User.display_name): never a bare login name
    when they have a name or an email."""
    return getattr(user, "display_name", "") or ""


def month_close_mirror(*, client: Client, month: dt.date) -> None:
    """Copy the month's state to the console's public row (call inside the change's transaction)."""
    report = MonthReport.objects.filter(month=month).first()
    version = ReportVersion.objects.filter(month=month).order_by("-number").first()
    snapshot = Snapshot.objects.filter(month=month).only("computed_at", "document").first()
    pending = bool(version and snapshot and documents_differ(version.document, snapshot.document))
    texts = commentary_texts(month=month)
    written = any(text.strip() for text in texts.values()) or bool(version and any((version.commentary or {}).values()))
    ClientMonthClose.objects.update_or_create(
        client=client,
        month=month,
        defaults={
            "state": report.state if report else State.OPEN,
            "in_review_since": report.in_review_since if report else None,
            "approved_at": report.approved_at if report else None,
            "revision_pending": pending,
            "open_questions": Question.objects.filter(month=month, answered_at__isnull=True).count(),
            "commentary_state": commentary_state(texts=texts, latest=version, revision_pending=pending) if written else "none",
            "figures_at": snapshot.computed_at if snapshot else None,
            "emails_failed": _emails_failed(month=month),
        },
    )


def _emails_failed(*, month: dt.date) -> bool:
    """The month's latest version owing an email has it failed (what approval_emails_state says as
    "failed", but for a pending email whose task was lost: that one needs the clock, the month's page's)."""
    latest = (
        ReportVersion.objects.filter(month=month, emails__in=[Emails.PENDING, Emails.FAILED])
        .order_by("-number").values_list("emails", flat=True).first()
    )
    return latest == Emails.FAILED


def month_close_emails_mirror(*, client: Client, month: dt.date) -> None:
    """Copy whether the month's approval email failed to the console's public row (the close board's
    "Approved, but not emailed"): inside the change's transaction, in the client's schema. One UPDATE
    (its change time set: the board's cached table is stamped by it)."""
    ClientMonthClose.objects.filter(client=client, month=month).update(
        emails_failed=_emails_failed(month=month), updated_at=timezone.now()
    )


# --- open → in review --------------------------------------------------------------------------


def month_open(*, client: Client, month: dt.date) -> MonthReport:
    """The month enters the close (state open): from now on client users see it only once approved."""
    with tenant_context(client), transaction.atomic():
        report, created = MonthReport.objects.get_or_create(month=month)
        if created:
            month_close_mirror(client=client, month=month)
        return report


def month_review_start(*, client: Client, month: dt.date, at: dt.datetime) -> MonthReport:
    """Open → in review (a month already further along stays as it is). A month with nothing recorded
    in it (a new client before its first import) stays open, shown as *Waiting for data*: it is not
    ready for review. It goes to review once its data is in (months_recomputed, or beat's next run)."""
    with tenant_context(client), transaction.atomic():
        MonthReport.objects.get_or_create(month=month)
        report = MonthReport.objects.select_for_update().get(month=month)
        if report.state == State.OPEN and month_has_data(month=month):
            report.state, report.in_review_since = State.IN_REVIEW, at
            report.save(update_fields=["state", "in_review_since", "updated_at"])
            month_close_mirror(client=client, month=month)
        return report


def month_reviews_start(*, client: Client, at: dt.datetime) -> dt.date | None:
    """What beat does for one client at instant ``at``: the month that ended in the client's zone
    enters the close at once and goes to review once ``review_delay_days`` have passed since it
    ended (platforms restate their last days). Returns the month moved to review, if any."""
    this_month = client_this_month(client=client, at=at)
    ended = (Month.of(this_month) - 1).first_day
    month_open(client=client, month=ended)
    if _review_due(client=client, month=ended, at=at):
        report = month_review_start(client=client, month=ended, at=at)
        return ended if report.state != State.OPEN else None
    return None


def _review_due(*, client: Client, month: dt.date, at: dt.datetime) -> bool:
    """Whether the client's settling days after ``month`` ended have passed at ``at`` (its zone)."""
    local_day = at.astimezone(ZoneInfo(client.timezone)).date()
    return local_day >= (Month.of(month) + 1).first_day + dt.timedelta(days=client.review_delay_days)


def month_reviews_catch_up(*, clients, at: dt.datetime) -> int:
    """Beat's hourly step, at once, for those of ``clients`` whose month that ended (UTC) is not in
    the close yet: the close board opened before beat's next run (a new agency, a new client, the
    first hour of a month) lists their months to review instead of a column of "Not in the close",
    as a client's Monthly reports page already does for its own client. Returns how many it moved;
    once beat has run it costs one query."""
    ended = (Month.of(at.date()) - 1).first_day
    missing = clients.filter(pk__in=clients_ready().values("pk")).exclude(
        pk__in=ClientMonthClose.objects.filter(month=ended).values("client_id")
    )
    started = 0
    for client in missing:
        month_reviews_start(client=client, at=at)
        started += 1
    return started


# --- commentary --------------------------------------------------------------------------------


def commentary_save(*, client: Client, month: dt.date, section: str, text: str, user: User) -> Commentary | None:
    """Keep a new text of one section (every save is kept, with who and when); None if unchanged."""
    if not user.is_agency:
        raise ValidationError(_("Only agency staff write the commentary."))
    if section not in Commentary.Section.values:
        raise ValidationError({"section": [_("Choose a section of the commentary.")]})
    text = (text or "").replace("\r\n", "\n").strip()
    if len(text) > MAX_LENGTH:
        raise ValidationError({"text": [_("At most %(count)s characters.") % {"count": MAX_LENGTH}]})
    with tenant_context(client), transaction.atomic():
        if commentary_texts(month=month).get(section, "") == text:
            return None
        MonthReport.objects.get_or_create(month=month)
        saved = Commentary.objects.create(
            month=month, section=section, text=text, author=user.pk, author_name=_name(user), written_at=timezone.now()
        )
        month_close_mirror(client=client, month=month)  # the close board shows the commentary's state
        return saved


# --- approval ----------------------------------------------------------------------------------


class ApprovalRefused(ValidationError):
    """The month cannot be approved now; the message says why, in the user's language."""


COMMAND_LINE = APPROVED_BY_COMMAND  # who approved, when it was the operator's command (no user)


def month_approve(
    *,
    client: Client,
    month: dt.date,
    user: User | None,
    reason: str = "",
    notify: bool = True,
    checks_reason: str = "",
    figures_at: dt.datetime | None = None,
    emails_later: bool = False,
) -> ReportVersion:
    """Freeze the month's figures as the version the client sees, and queue its emails, in one transaction.

    The first approval sends the report (with the PDF) to the client's users; approving changed
    figures of an approved month makes a revision (a reason is required), and tells the client
    only when ``notify``. The month's row is locked: of two approvals at once, the second finds
    the figures already approved and is refused. A killed process leaves either the version
    and its queued emails, or nothing. ``user`` None is the operator's ``close_month --approve``.
    A month with a high-severity check left unresolved (kpis.checks) is approved only with
    ``checks_reason``, one line kept on the version and shown in the month's history.
    ``figures_at``: the computation of the figures the approver saw (the close board's
    confirmation); figures computed since then are refused, checked under the lock.
    ``emails_later`` (the month's page, reports.services.month_approve_now): the email the approval owes
    is not built here (its PDF is most of an approval's time) but recorded as owed on the version
    (``emails`` pending), in the same transaction; approval_emails_build builds and queues it. An
    approval is then never "approved and no email owed": either the version with its email owed, or nothing.
    """
    if user is not None and not can_approve(user=user):
        raise ApprovalRefused(_("You may not approve reports: the agency lets only its admins approve."))
    if month >= Month.of(timezone.now(), ZoneInfo(client.timezone)).first_day:
        # A part of a month sent as the month's report: the page offers no Approve then; a form left open does.
        raise ApprovalRefused(_("This month is still running: it can be approved once it has ended."))
    reason = (reason or "").strip()
    checks_reason = " ".join((checks_reason or "").split())
    with tenant_context(client):
        recompute = recompute_state(client=client, month=month)
        if recompute == "unknown":
            raise ApprovalRefused(_(
                "Whether this month's figures are being recomputed cannot be checked just now (the task queue is "
                "unreachable). Nothing was approved: try again in a few minutes."))
        if recompute == "busy":
            raise ApprovalRefused(_("The figures of this month are being recomputed. Approve once the recompute has finished."))
        with transaction.atomic():
            MonthReport.objects.get_or_create(month=month)
            report = MonthReport.objects.select_for_update().get(month=month)
            # Lock the snapshot too: an upsert of it (a recompute) waits for this approval, and
            # this approval never reads a half-written one (the upsert is one statement).
            snapshot = Snapshot.objects.select_for_update().filter(month=month).first()
            if snapshot is None:
                raise ApprovalRefused(_("This month has no figures yet."))
            if figures_at is not None and snapshot.computed_at != figures_at:
                raise ApprovalRefused(_("The figures changed after you looked at them: open the month and check them first."))
            previous = ReportVersion.objects.filter(month=month).order_by("-number").first()
            if previous is None and not month_has_data(month=month):
                # Figures of nothing (a new client before its first import) would go out as a report of zeros.
                raise ApprovalRefused(_(
                    "Nothing is recorded in this month yet (no lead, session, spend, email or contract change): "
                    "there is nothing to approve. Import or connect its data; the month goes to review once its "
                    "figures are computed."))
            texts = commentary_texts(month=month)
            unresolved = list(
                CheckResult.objects.filter(month=month, resolved_at__isnull=True).values_list("key", "subject", "severity")
            )
            if any(severity == "high" for _key, _subject, severity in unresolved) and not checks_reason:
                raise ApprovalRefused(
                    _("A check of high severity is unresolved: resolve it, or say in one line why the month goes out anyway.")
                )
            if previous is not None:
                if not documents_differ(previous.document, snapshot.document):
                    raise ApprovalRefused(_("These figures are already approved."))
                if not reason:
                    raise ApprovalRefused(_("Say why the figures were revised (e.g. late Google Ads spend)."))
            now = timezone.now()
            owed = previous is None or notify
            later = emails_later and owed and bool(report_recipients(client=client))
            version = ReportVersion.objects.create(
                month=month,
                number=previous.number + 1 if previous else 1,
                # The figures and what the report draws from rows (the days, the names): the client's
                # page, PDF and email read all of it from here until the next approval.
                document={**snapshot.document, FROZEN: report_frozen_read(month=month, document=snapshot.document)},
                approved_at=now,
                approved_by=user.pk if user else None,
                approved_by_name=_name(user) if user else COMMAND_LINE,
                reason=reason[:300],
                commentary=texts,
                checks_reason=checks_reason[:200] if unresolved else "",
                checks_open=[f"{key}:{subject}" if subject else key for key, subject, _severity in unresolved],
                emails=Emails.PENDING if later else Emails.NONE,
                emails_at=now if later else None,
            )
            report.state = State.REVISED if previous else State.APPROVED
            report.approved_at, report.approved_by_name = now, version.approved_by_name
            report.restated_by = ""
            report.save(update_fields=["state", "approved_at", "approved_by_name", "restated_by", "updated_at"])
            if later:
                pass  # built by approval_emails_build (month_approve_now sends its task)
            elif previous is None:
                approval_emails(client=client, version=version)
            elif notify:
                revision_emails(client=client, version=version, previous=previous)
            month_close_mirror(client=client, month=month)
            transaction.on_commit(lambda: outbox_drain_schedule(client=client))
    return version


def month_approve_now(
    *, client: Client, month: dt.date, user: User, task: Task, reason: str = "", notify: bool = True,
    checks_reason: str = "",
) -> ReportVersion:
    """The month page's Approve, answered in a fraction of a second: the approval as month_approve
    (the figures frozen, the state, the mirror; refused as it refuses), with the email it owes left
    owed on the version, then ``task`` (reports.tasks.approval_emails_task, passed in: the task module
    imports this one) builds the PDF and the email in the background; the page polls until they are
    queued (approval_emails_state). With the queue unreachable, they are built here, in the request,
    as before."""
    version = month_approve(
        client=client, month=month, user=user, reason=reason, notify=notify, checks_reason=checks_reason,
        emails_later=True,
    )
    if version.emails == Emails.PENDING:
        approval_emails_dispatch(client=client, version=version, task=task)
    return version


def approval_emails_dispatch(*, client: Client, version: ReportVersion, task: Task) -> None:
    """Send ``task`` to build the email ``version`` owes; the queue unreachable, build it now."""
    try:
        enqueue_for_client(task, client=client, month=str(Month.of(version.month)), number=version.number)
    except REDIS_ERRORS as error:
        redis_failed(error, what="approval email queue")
        approval_emails_build(client=client, month=version.month, number=version.number)


def approval_emails_build(*, client: Client, month: dt.date, number: int) -> int | None:
    """Build and queue the email approval ``number`` of ``month`` owes (``emails`` pending): the
    monthly report to every reader with its PDF (version 1), or the revision's news with the revised
    PDF, in one transaction with the version marked queued — every reader's email or none, and once:
    a second run (a task delivered again, "Try again" meanwhile) finds nothing owed and returns None.
    A failure is kept on the version (``emails`` failed, and why) for the month's page, which says
    that nobody was emailed and offers to try again; a lost database connection is raised instead,
    for the task to retry. Returns how many emails were queued."""
    with tenant_context(client):
        try:
            with transaction.atomic():
                version = ReportVersion.objects.select_for_update().filter(
                    month=month, number=number, emails=Emails.PENDING
                ).first()
                if version is None:
                    return None
                if number == 1:
                    queued = approval_emails(client=client, version=version)
                else:
                    previous = ReportVersion.objects.get(month=month, number=number - 1)
                    queued = revision_emails(client=client, version=version, previous=previous)
                version.emails, version.emails_error, version.emails_at = Emails.QUEUED, "", timezone.now()
                version.save(update_fields=["emails", "emails_error", "emails_at"])
                month_close_emails_mirror(client=client, month=month)  # a failure tried again and sent
                transaction.on_commit(lambda: outbox_drain_schedule(client=client))
                return queued
        except (OperationalError, InterfaceError):
            raise  # the database went away: the task tries again (kpis.tasks.CLIENT_TASK)
        except Exception as error:  # any failure is the page's to say, not a log line's alone
            logger.exception("the email of %s's approval %s of %s could not be prepared", client.slug, number, month)
            with transaction.atomic():
                ReportVersion.objects.filter(month=month, number=number, emails=Emails.PENDING).update(
                    emails=Emails.FAILED, emails_error=(str(error) or type(error).__name__)[:300], emails_at=timezone.now()
                )
                month_close_emails_mirror(client=client, month=month)  # the board marks it too
            return 0


def approval_emails_retry(*, client: Client, month: dt.date, user: User, task: Task) -> bool:
    """Staff's "Try again" on the month's page: the email an approval owes that failed, or that is
    still "being prepared" EMAILS_STUCK_AFTER after its approval (its task lost), is owed again and
    its task sent. False when no email of the month waits so (queued meanwhile, or never owed)."""
    if not user.is_agency:
        raise ValidationError(_("Only agency staff send the report."))
    now = timezone.now()
    with tenant_context(client), transaction.atomic():
        version = (
            ReportVersion.objects.select_for_update()
            .filter(month=month)
            .filter(Q(emails=Emails.FAILED) | Q(emails=Emails.PENDING, emails_at__lt=now - EMAILS_STUCK_AFTER))
            .order_by("-number")
            .first()
        )
        if version is None:
            return False
        version.emails, version.emails_error, version.emails_at = Emails.PENDING, "", now
        version.save(update_fields=["emails", "emails_error", "emails_at"])
        month_close_emails_mirror(client=client, month=month)
    approval_emails_dispatch(client=client, version=version, task=task)
    return True


def report_send_to_new_recipients(*, client: Client, month: dt.date) -> int:
    """Email the month's latest approved version to the client's users who never had it (invited
    after the approval): the same email and PDF as the approval's, at most once each. Returns how
    many were queued (0 when the month is not approved)."""
    with tenant_context(client):
        version = ReportVersion.objects.filter(month=month).order_by("-number").first()
        if version is None:
            return 0
        with transaction.atomic():
            queued = approval_emails(client=client, version=version)
            transaction.on_commit(lambda: outbox_drain_schedule(client=client))
    return queued


# --- the month's checks ---------------------------------------------------------------------------


def _check_note(*, note: str, user: User) -> str:
    """The note resolving a check, on one line; refused (ValidationError) when empty or too long."""
    if not user.is_agency:
        raise ValidationError(_("Only agency staff resolve checks."))
    note = " ".join((note or "").split())
    if not note:
        raise ValidationError({"note": [_("Say in a few words what you found.")]})
    if len(note) > 300:
        raise ValidationError({"note": [_("At most %(count)s characters.") % {"count": 300}]})
    return note


def check_resolve(*, client: Client, month: dt.date, check_id: int, note: str, user: User) -> CheckNote:
    """Staff resolve one of the month's checks with a note: the check stops counting as open (the
    console's counts follow in the same transaction) and the note joins the month's history."""
    note = _check_note(note=note, user=user)
    with tenant_context(client), transaction.atomic():
        row = CheckResult.objects.select_for_update().filter(pk=check_id, month=month).first()
        if row is None:
            raise ValidationError(_("This check is no longer raised: the figures were recomputed."))
        shown = {item["id"]: item["sentence"] for item in month_checks_read(month=month, currency=client.currency)}
        now = timezone.now()
        row.resolved_at, row.resolved_by_name, row.resolution_note = now, _name(user), note
        row.save(update_fields=["resolved_at", "resolved_by_name", "resolution_note"])
        checks_mirror(client=client, months=[month])
        return CheckNote.objects.create(
            month=month,
            key=row.key,
            subject=row.subject,
            sentence=shown.get(row.pk, row.key),
            note=note,
            author=user.pk,
            author_name=_name(user),
            written_at=now,
        )


def checks_resolve_together(*, items: list[tuple[Client, int]], month: dt.date, note: str, user: User) -> list[CheckNote]:
    """Resolve the same check of several clients' ``month`` with one note (the close board's "Resolve
    a check for several clients": one platform outage flags "source_gap" for 8 clients). Each as
    check_resolve resolves it on its client's page — the check stops counting, the console's counts
    follow, the note joins that month's history under the user's name — and all in one transaction:
    one that cannot be resolved (its check no longer raised, the figures recomputed meanwhile; a client
    the user may not open) resolves none, and the error names its client. ``items``: (client, check id)."""
    note = _check_note(note=note, user=user)
    if not items:
        raise ValidationError(_("Tick at least one client."))
    allowed = set(clients_for_user(user=user).values_list("pk", flat=True))
    notes = []
    with transaction.atomic():
        for client, check_id in items:
            try:
                if client.pk not in allowed:
                    raise ValidationError(_("You may not open this client."))
                notes.append(check_resolve(client=client, month=month, check_id=check_id, note=note, user=user))
            except ValidationError as error:
                raise ValidationError(_("%(client)s: %(why)s Nothing was resolved.") % {
                    "client": client.name, "why": " ".join(str(message) for message in error.messages)}) from error
    return notes


# --- restatements: late data moved an approved month ---------------------------------------------


KIND_WORDS = {"leads": gettext_lazy("leads"), "traffic": gettext_lazy("traffic"), "email": gettext_lazy("email results"),
              "spend": gettext_lazy("spend")}


def restatement_note(*, client: Client, platform_label: str, kind: str, months: set[str], synced_on: dt.date) -> list[str]:
    """A connector's sync wrote rows of approved months: note on each what restated it, for the
    revision's reason ("HubSpot corrected leads of October 2026, sync of Nov 3, 2026": the month and the
    day as every page names them, not "2026-10" and "2026-11-03", since the reason reaches the client).
    The revision itself waits for staff as any late data does (the client keeps the approved figures until then).
    Returns the months noted."""
    firsts = sorted(Month.parse(month).first_day for month in months)
    noted = []
    language = getattr(client, "language", "") or settings.LANGUAGE_CODE
    with tenant_context(client), translation.override(language):
        approved = set(ReportVersion.objects.filter(month__in=firsts).values_list("month", flat=True))
        for month in firsts:
            if month not in approved:
                continue
            words = str(KIND_WORDS.get(kind, kind))
            text = _("%(platform)s corrected %(what)s of %(month)s, sync of %(day)s") % {
                "platform": platform_label, "what": words, "month": date_format(month, "YEAR_MONTH_FORMAT"),
                "day": date_format(synced_on, "DATE_FORMAT")}
            with transaction.atomic():
                report, _created = MonthReport.objects.select_for_update().get_or_create(month=month)
                parts = [part for part in report.restated_by.split("; ") if part]
                if text not in parts:
                    parts = [part for part in parts if not part.startswith(text.split(",")[0])] + [text]
                    report.restated_by = "; ".join(parts)[-300:]
                    report.save(update_fields=["restated_by", "updated_at"])
            noted.append(str(Month.of(month)))
    return noted


def months_recomputed(*, client: Client, months: list[dt.date]) -> None:
    """After snapshots were stored (kpis.signals.snapshots_computed, same transaction): the mirror
    of each month in the close notes when its figures were computed and, for an approved month,
    whether they now differ from the approved version."""
    now = timezone.now()
    with tenant_context(client):
        for month in report_months_among(months=months):
            month_close_mirror(client=client, month=month)
            # A month that waited for its data (open past its settling days, nothing recorded) goes to
            # review as soon as its data is in, not at beat's next hourly run.
            report = MonthReport.objects.filter(month=month).only("state").first()
            if report is not None and report.state == State.OPEN and _review_due(client=client, month=month, at=now):
                month_review_start(client=client, month=month, at=now)


@dataclass(frozen=True)
class BulkOutcome:
    client: Client
    month: dt.date
    approved: bool
    message: str


def months_approve(*, items: list[tuple[Client, dt.date, dt.datetime | None]], user: User) -> list[BulkOutcome]:
    """Approve several months at once (the close board), each through month_approve exactly as a
    single approval, each in its own transaction: one refused (its figures changed after the
    confirmation listed them, someone approved it meanwhile, a recompute is running) is said and
    does not stop the others. A revision is never approved this way (it needs its reason). Called
    month by month by the board's background approval (reports.services_bulk)."""
    outcomes = []
    for client, month, figures_at in items:
        try:
            with tenant_context(client):
                if ReportVersion.objects.filter(month=month).exists():
                    raise ApprovalRefused(
                        _("This month was already approved: a revision is approved on its own page, with its reason.")
                    )
            month_approve(client=client, month=month, user=user, figures_at=figures_at)
        except ValidationError as error:
            outcomes.append(BulkOutcome(client, month, False, " ".join(str(m) for m in error.messages)))
        else:
            outcomes.append(BulkOutcome(client, month, True, ""))
    return outcomes


# --- share links -------------------------------------------------------------------------------


def share_link_create(
    *, client: Client, month: dt.date, user: User, days: int | None = None, label: str = ""
) -> tuple[ShareLink, str]:
    """A read-only link to one approved month; returns the row and the token (shown once, only its hash is kept)."""
    if not user.is_agency:
        raise ValidationError(_("Only agency staff share reports."))
    days = settings.REPORT_SHARE_DAYS if days is None else days
    if not 1 <= days <= 365:
        raise ValidationError({"days": [_("Between 1 and 365 days.")]})
    with tenant_context(client):
        if not ReportVersion.objects.filter(month=month).exists():
            raise ValidationError(_("Only an approved month can be shared."))
        token, now = secrets.token_urlsafe(32), timezone.now()
        link = ShareLink.objects.create(
            month=month,
            token_hash=token_hash(token),
            label=(label or "").strip()[:100],
            created_by_name=_name(user),
            created_at=now,
            expires_at=now + dt.timedelta(days=days),
        )
    return link, token


def share_link_revoke(*, client: Client, link_id: int, user: User) -> bool:
    if not user.is_agency:
        raise ValidationError(_("Only agency staff share reports."))
    with tenant_context(client):
        return bool(ShareLink.objects.filter(pk=link_id, revoked_at__isnull=True).update(revoked_at=timezone.now()))


def share_link_use(*, client: Client, token: str, month: dt.date) -> ShareLink | None:
    """The live link for ``token`` and ``month`` (counting this use), or None: unknown, revoked,
    expired, or for another month all look the same to the caller (404)."""
    now = timezone.now()
    with tenant_context(client):
        link = ShareLink.objects.filter(
            token_hash=token_hash(token), month=month, revoked_at__isnull=True, expires_at__gt=now
        ).first()
        if link is None or not ReportVersion.objects.filter(month=month).exists():
            return None
        ShareLink.objects.filter(pk=link.pk).update(last_used_at=now, uses=F("uses") + 1)
        return link


# --- the client's acknowledgement and questions ---------------------------------------------------


def _client_side(*, user: User, month: dt.date) -> None:
    if user.is_agency:
        raise ValidationError(_("This is for the client's users."))
    if not ReportVersion.objects.filter(month=month).exists():
        raise ValidationError(_("This month's report has not been approved yet."))


def month_acknowledge(*, client: Client, month: dt.date, user: User) -> Acknowledgement:
    with tenant_context(client):
        _client_side(user=user, month=month)
        ack, _created = Acknowledgement.objects.get_or_create(month=month, user_id=user.pk, defaults={"read_at": timezone.now()})
        return ack


def question_ask(*, client: Client, month: dt.date, user: User, text: str) -> Question:
    """A client user's question on an approved month; the client's staff are told by email."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": [_("Write your question.")]})
    if len(text) > 2000:
        raise ValidationError({"text": [_("At most %(count)s characters.") % {"count": 2000}]})
    with tenant_context(client), transaction.atomic():
        _client_side(user=user, month=month)
        question = Question.objects.create(
            month=month, asked_by=user.pk, asked_by_name=_name(user), text=text, asked_at=timezone.now()
        )
        question_emails(client=client, question=question)
        month_close_mirror(client=client, month=month)
        transaction.on_commit(lambda: outbox_drain_schedule(client=client))
    return question


def question_answer(*, client: Client, question_id: int, user: User, text: str) -> Question:
    """Staff answer on the page; the client user who asked is told by email."""
    if not user.is_agency:
        raise ValidationError(_("Only agency staff answer questions."))
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": [_("Write the answer.")]})
    with tenant_context(client), transaction.atomic():
        question = Question.objects.select_for_update().filter(pk=question_id).first()
        if question is None:
            raise ValidationError(_("No such question."))
        question.answer, question.answered_by_name, question.answered_at = text[:4000], _name(user), timezone.now()
        question.save(update_fields=["answer", "answered_by_name", "answered_at"])
        answer_emails(client=client, question=question)
        month_close_mirror(client=client, month=question.month)
        transaction.on_commit(lambda: outbox_drain_schedule(client=client))
    return question
