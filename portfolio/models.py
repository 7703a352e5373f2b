"""Public-schema models of the KPI engine: benchmark bands, targets and the portfolio summary."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from agency.months import Month
from agency.reasons import Words
from kpis.catalogue import Unit, headline_kpis


class HeadlineFigures(models.Model):
    """The headline KPIs as typed columns, for sorting and filtering: shared by the public
    portfolio summary and by a client's snapshots (kpis.models.Snapshot), which it mirrors.
    Declared here, in the lower app, so that kpis imports portfolio and never the reverse."""

    sessions = models.BigIntegerField(default=0)
    new_leads = models.BigIntegerField(default=0)
    mqls = models.BigIntegerField(default=0)
    sqls = models.BigIntegerField(default=0)
    customers = models.BigIntegerField(default=0)
    marketing_spend = models.FloatField(default=0)
    revenue = models.FloatField(default=0)
    cpl = models.FloatField(null=True, blank=True)
    cac = models.FloatField(null=True, blank=True)
    romi = models.FloatField(null=True, blank=True)
    gross_mrr_churn_rate = models.FloatField(null=True, blank=True)
    contract_ltv = models.FloatField(null=True, blank=True)

    # The catalogue's headline KPIs; a test checks that each has its column above and no other does.
    HEADLINE = tuple(k.key for k in headline_kpis())

    class Meta:
        abstract = True

    @classmethod
    def figures_from(cls, kpis: Mapping[str, Any], names: Iterable[str]) -> dict[str, Any]:
        """The columns ``names`` from a snapshot document's KPIs. An undefined KPI stays NULL where the
        column allows it; counts and sums, which are never undefined in a document, fall back to 0."""
        return {
            name: kpis.get(name) if kpis.get(name) is not None else (None if cls._meta.get_field(name).null else 0)
            for name in names
        }


class Benchmark(models.Model):
    """A published reference band for one KPI (kpis.md "Benchmarks"), shown beside that KPI.

    Agency-wide and edited by agency admins. ``kpi`` is a benchmarkable KPI of the catalogue
    (kpis.catalogue); ``unit`` is always that KPI's unit, in the catalogue's vocabulary, and
    ``low``/``high`` are in it (fractions for rates, hours, or money in ``currency``). A one-sided
    band leaves the other end empty.
    """

    Unit = Unit  # the catalogue's unit vocabulary

    kpi = models.CharField(_("KPI"), max_length=60, db_index=True)
    label = models.CharField(_("label"), max_length=200, help_text=_("What the band describes, e.g. an industry."))
    industry = models.CharField(
        _("industry"),
        max_length=60,
        blank=True,
        default="",
        help_text=_("Shown only to clients of this industry; empty: to all."),
    )
    platform = models.CharField(
        _("ad platform"),
        max_length=20,
        blank=True,
        default="",
        help_text=_("A paid-media band of one ad platform (google_ads, meta_ads, linkedin_ads…): shown on that "
                    "platform's card of the report; empty: beside the client's figure."),
    )
    low = models.FloatField(_("low"), null=True, blank=True)
    high = models.FloatField(_("high"), null=True, blank=True)
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices)
    currency = models.CharField(_("currency"), max_length=3, blank=True, default="")
    source_name = models.CharField(_("source"), max_length=300)
    source_url = models.URLField(_("source address"), blank=True, default="")
    citation = models.TextField(_("citation"), blank=True, default="")
    position = models.PositiveIntegerField(_("order"), default=0)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["kpi", "position", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(low__isnull=False) | Q(high__isnull=False), name="benchmark_has_a_bound"),
            models.CheckConstraint(
                condition=Q(low__isnull=True) | Q(high__isnull=True) | Q(low__lte=F("high")), name="benchmark_low_le_high"
            ),
            models.CheckConstraint(condition=~Q(unit="money") | ~Q(currency=""), name="benchmark_money_has_currency"),
        ]

    def __str__(self) -> str:
        return f"{self.kpi}: {self.label}"


class ClientMonthSummary(HeadlineFigures):
    """One client's headline KPIs for one month, copied from its snapshot in the same transaction.

    The snapshot itself lives in the client's schema; this row lets the console list and sort
    hundreds of clients with one query. It is written only by ``kpis.services.snapshot_upsert``.
    """

    client = models.ForeignKey("agency.Client", on_delete=models.CASCADE, related_name="month_summaries")
    month = models.DateField(help_text="first day of the month")
    computed_at = models.DateTimeField()
    criteria_version = models.PositiveIntegerField(null=True, blank=True)
    mrr = models.FloatField(default=0)
    # Whether the client has a spend row dated up to the month's end (kpis.nospend): without one its
    # costs are unknown, not 0, and the portfolio shows them as — with the reason. Null: not read yet.
    has_spend = models.BooleanField(null=True, blank=True)
    # Whether the month has a traffic row (kpis.nodata): without one its sessions are unknown, not 0,
    # and the portfolio shows them as — with the reason. Null: not known (read as loaded).
    has_traffic = models.BooleanField(null=True, blank=True)
    # Whether the client had a lead source up to the month's end (kpis.nodata.leads_loaded: a lead created
    # by then, or a CRM's completed sync covering it): without one its lead figures (new leads, CPL,
    # ROMI…) are unknown, not 0, and the portfolio shows them as — with the reason. Null: not known (a
    # row written before the column, read as loaded until its client's snapshots are computed again).
    has_leads = models.BooleanField(null=True, blank=True)
    # Whether anything is recorded in the month (kpis.datastart.MONTH_ROWS: a session, a lead or its
    # step, an email, spend, an ad row, a contract's change), the judgement of the month's own page
    # (reports.selectors.month_has_data), for the close board's "Waiting for data". Null: a row written
    # before the column whose client schema could not be read (the board then judges from the
    # figures above, which carry no email or contract counts).
    has_data = models.BooleanField(null=True, blank=True)

    FIGURES = (*HeadlineFigures.HEADLINE, "mrr")

    class Meta:
        ordering = ["client_id", "-month"]
        constraints = [models.UniqueConstraint(fields=["client", "month"], name="summary_client_month")]
        indexes = [models.Index(fields=["month", "client"], name="summary_month_client")]

    def __str__(self) -> str:
        return f"{self.client_id} {Month.of(self.month)}"


class Target(models.Model):
    """A client's target for one KPI in one month, set by agency staff.

    Kept in the public schema beside the summaries so that the portfolio can show every client's
    status against its targets in the same query; every read and write names its client.
    """

    client = models.ForeignKey("agency.Client", on_delete=models.CASCADE, related_name="targets")
    month = models.DateField(help_text="first day of the month")
    kpi = models.CharField(max_length=60)
    value = models.FloatField()
    set_by = models.CharField(max_length=150, blank=True, default="")  # the person's name (User.display_name)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["client_id", "month", "kpi"]
        constraints = [models.UniqueConstraint(fields=["client", "month", "kpi"], name="target_client_month_kpi")]

    def __str__(self) -> str:
        return f"{self.client_id} {Month.of(self.month)} {self.kpi}"


class ClientMonthClose(models.Model):
    """Where one client's month stands in the monthly close, mirrored from the client's schema.

    The close itself (reports.MonthReport, versions, questions) lives in the client's schema;
    this row lets the console list the months waiting for review and the open questions of
    every client with one query, without reading any client's tables. Written only by
    ``reports.services`` in the same transaction as the change it mirrors.
    """

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        IN_REVIEW = "in_review", _("In review")
        APPROVED = "approved", _("Approved")
        REVISED = "revised", _("Revised")

    client = models.ForeignKey("agency.Client", on_delete=models.CASCADE, related_name="month_closes")
    month = models.DateField(help_text="first day of the month")
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    in_review_since = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    revision_pending = models.BooleanField(default=False)
    open_questions = models.PositiveIntegerField(default=0)
    # For the close board (reports.board): the commentary's state as staff see it ("none" when
    # nothing is written yet, else reports.selectors.commentary_state's words) and when the
    # month's figures were last computed (they are recomputed only when its data changes: the
    # data's freshness, and the stamp a bulk approval checks so that it never approves figures
    # that changed after the confirmation was shown).
    commentary_state = models.CharField(max_length=10, default="none")
    figures_at = models.DateTimeField(null=True, blank=True)
    # The month's approval owes an email that could not be prepared (reports.ReportVersion.emails
    # "failed" on the latest version owing one: the month's page's "Approved, but not emailed"): the
    # board marks it and links to the month, where staff try again.
    emails_failed = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["client_id", "-month"]
        constraints = [models.UniqueConstraint(fields=["client", "month"], name="month_close_client_month")]
        indexes = [models.Index(fields=["month", "client"], name="month_close_month_client")]

    def __str__(self) -> str:
        return f"{self.client_id} {Month.of(self.month)} {self.state}"


class ClientMonthChecks(models.Model):
    """How many checks one client's month raised (kpis.checks), mirrored from the client's schema.

    Written with each snapshot's checks and when staff resolve one, in the same transaction, so the
    portfolio's counts and "clean months" filter (and the console's close board) read one table for
    every client. ``open``: not resolved; ``open_high``: of those, how many are of high severity.
    """

    client = models.ForeignKey("agency.Client", on_delete=models.CASCADE, related_name="month_checks")
    month = models.DateField(help_text="first day of the month")
    total = models.PositiveIntegerField(default=0)
    high = models.PositiveIntegerField(default=0)
    open = models.PositiveIntegerField(default=0)
    open_high = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["client", "month"], name="month_checks_client_month")]
        indexes = [models.Index(fields=["month", "open"], name="month_checks_month_open")]

    def __str__(self) -> str:
        return f"{self.client_id} {Month.of(self.month)} {self.open}/{self.total}"


class SourceFailure(models.Model):
    """A client's scheduled source whose last run failed, for the portfolio (one query for all clients).

    Written and removed by ``portfolio.services.source_failure_note`` after each run (kpis listens to
    ``clients.signals.scheduled_source_result``); the run history itself lives in the client's schema.
    """

    client = models.ForeignKey("agency.Client", on_delete=models.CASCADE, related_name="source_failures")
    source_id = models.PositiveIntegerField()
    source_name = models.CharField(max_length=100)
    failed_at = models.DateTimeField()
    message = models.TextField(blank=True, default="")  # in the worker's language: shown only without words
    words = models.JSONField(default=dict, blank=True)  # the run's reason (agency.reasons.Words, its kind, "said")

    class Meta:
        ordering = ["client_id", "source_name"]
        constraints = [models.UniqueConstraint(fields=["client", "source_id"], name="source_failure_client_source")]

    def __str__(self) -> str:
        return f"{self.client_id} {self.source_name}"


class ConnectionHealth(models.Model):
    """Each client's platform connection as its last sync left it, for the portfolio (one query for all
    clients). Written by ``portfolio.services.connection_health_note`` (kpis listens to
    ``clients.signals.connection_health``); the connection itself and its credentials stay in the
    client's schema."""

    client = models.ForeignKey("agency.Client", on_delete=models.CASCADE, related_name="connection_health")
    platform = models.CharField(max_length=30)
    label = models.CharField(max_length=60)
    state = models.CharField(max_length=10)
    reason = models.TextField(blank=True, default="")
    reason_words = models.JSONField(default=dict, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    failing_since = models.DateTimeField(null=True, blank=True)
    token_expires_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["client_id", "platform"]
        constraints = [models.UniqueConstraint(fields=["client", "platform"], name="connection_health_client_platform")]

    def __str__(self) -> str:
        return f"{self.client_id} {self.platform} {self.state}"

    @property
    def reason_shown(self) -> str:
        """The reason in the reader's language (the sync wrote it as message and values)."""
        if not self.reason_words:
            return self.reason
        return str(Words.from_json(self.reason_words))


class BulkApproval(models.Model):
    """One approval of several clean months from the close board (reports.services.bulk_approval_start),
    run in the background by one task per client (reports.tasks.bulk_approve_task). Public: its months
    are of many clients, and the board reads its progress in one query. Kept, so the result is still
    readable after a reload (the board's ``?bulk=`` link), until reports.services_bulk.KEEP_FOR after
    its last month was decided (then deleted by beat). All or nothing: ``dispatched_at`` is set once
    every client's task was sent, and no task approves a month before it; ``failure`` ("queue-unreachable":
    the queue failed part-way; "dispatch-lost": the confirmation's request stopped before it was done)
    marks it abandoned instead, and then nothing is approved. Either is set, never both."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    language = models.CharField(max_length=10, help_text="the approver's, for the refusals' words")
    draft_empty = models.BooleanField(default=False, help_text="write the draft into commentary nobody wrote first")
    created_at = models.DateTimeField()
    failure = models.CharField(max_length=40, blank=True)
    dispatched_at = models.DateTimeField(null=True, help_text="every client's task sent: the tasks may approve")

    def __str__(self) -> str:
        return f"bulk approval {self.pk}"


class BulkApprovalItem(models.Model):
    """One month of a bulk approval: queued, then approved or refused (with why), exactly once."""

    class State(models.TextChoices):
        QUEUED = "queued"
        APPROVED = "approved"
        REFUSED = "refused"

    bulk = models.ForeignKey(BulkApproval, on_delete=models.CASCADE, related_name="items")
    client = models.ForeignKey("agency.Client", on_delete=models.CASCADE, related_name="+")
    month = models.DateField(help_text="first day of the month")
    figures_at = models.DateTimeField(null=True, help_text="the computation the confirmation showed")
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    message = models.CharField(max_length=500, blank=True)
    emailed = models.BooleanField(default=False, help_text="approved with someone at the client to email")
    done_at = models.DateTimeField(null=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["bulk", "client", "month"], name="bulk_item_once")]

    def __str__(self) -> str:
        return f"{self.bulk_id} {self.client_id} {Month.of(self.month)} {self.state}"
