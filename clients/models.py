"""One client's data, in that client's own schema.

Rows keep the ids they arrive with (the CSV ``id`` column, the CRM's lead id) as primary
keys: imports and the API upsert on them, and references between files use them.
Missing optional text is stored as ``""`` (never NULL) so that unique keys and rules treat
"not given" one way. Constraints that the data formats promise are enforced by the database.
References to users (public schema) carry no database constraint: a foreign key from every
client schema into ``agency_user`` would make deleting a user, or flushing the public tables,
reach into every client's schema.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from agency.models import OutboxEmailFields
from clients import vocab

MONEY = {"max_digits": 16, "decimal_places": 2}
# The external ids are varchar keys, for which Django also creates a ``varchar_pattern_ops``
# ("_like") index, useful only to ``__startswith`` / ``LIKE 'x%'`` filters. Migration 0008 drops
# those of the imported tables (leads, activities, spend: ``id`` and their foreign keys; email rows'
# campaign): no query filters them by a prefix, and every import paid for maintaining them (two of
# the leads table's five indexes). A later AlterField of one of these columns may create it again.
EXT_ID = {"primary_key": True, "max_length": 100}


class Holiday(models.Model):
    date = models.DateField(unique=True)

    class Meta:
        ordering = ["date"]


class Campaign(models.Model):
    id = models.CharField(**EXT_ID)
    name = models.CharField(max_length=200)
    channel = models.CharField(max_length=20, choices=vocab.CHANNEL_CHOICES)
    direction = models.CharField(max_length=10, choices=vocab.DIRECTION_CHOICES, default="inbound")
    nurture = models.BooleanField(default=False)
    social_network = models.CharField(max_length=50, blank=True, default="")
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class Spend(models.Model):
    id = models.CharField(**EXT_ID)
    date = models.DateField(db_index=True)
    category = models.CharField(max_length=10, choices=vocab.SPEND_CATEGORY_CHOICES)
    # In the client's currency; converted amounts are kept unrounded (rounding is for display).
    amount = models.DecimalField(max_digits=24, decimal_places=8)
    campaign = models.ForeignKey(Campaign, null=True, blank=True, on_delete=models.PROTECT)
    note = models.TextField(blank=True, default="")
    # Where a source's amount was in another currency (sources.md "Currencies"): the amount as
    # given, its currency, the rate used (client currency units per 1 original unit) and the
    # date of the reference rate it came from. Empty/NULL: the amount was in the client's currency.
    original_amount = models.DecimalField(max_digits=24, decimal_places=8, null=True, blank=True)
    currency = models.CharField(max_length=3, blank=True, default="")
    exchange_rate = models.DecimalField(max_digits=24, decimal_places=12, null=True, blank=True)
    rate_date = models.DateField(null=True, blank=True)
    # An ad platform's delivery (formats.md): empty/NULL where the row is not an ad platform's or
    # its file lacks the column; the paid-media KPIs over a column no row gives are null, not 0.
    platform = models.CharField(max_length=20, blank=True, default="", choices=vocab.AD_PLATFORM_CHOICES)
    impressions = models.PositiveBigIntegerField(null=True, blank=True)
    clicks = models.PositiveBigIntegerField(null=True, blank=True)
    conversions = models.DecimalField(max_digits=20, decimal_places=6, null=True, blank=True)  # platforms split credit
    conversion_value = models.DecimalField(max_digits=24, decimal_places=8, null=True, blank=True)  # converted like amount

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="spend_amount_non_negative"),
            models.CheckConstraint(condition=Q(conversions__gte=0) | Q(conversions__isnull=True), name="spend_conversions_nn"),
            models.CheckConstraint(
                condition=Q(conversion_value__gte=0) | Q(conversion_value__isnull=True), name="spend_conversion_value_nn"
            ),
        ]


class Persona(models.Model):
    code = models.CharField(primary_key=True, max_length=50)
    name = models.CharField(max_length=200)
    match = models.JSONField(default=dict, blank=True)
    priority = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["priority", "code"]

    def __str__(self) -> str:
        return self.name


class Lead(models.Model):
    id = models.CharField(**EXT_ID)
    created_at = models.DateTimeField(db_index=True)
    email = models.CharField(max_length=254, blank=True, default="")
    channel = models.CharField(max_length=20, blank=True, default="", choices=vocab.CHANNEL_CHOICES)
    campaign = models.ForeignKey(Campaign, null=True, blank=True, on_delete=models.PROTECT)
    device = models.CharField(max_length=10, blank=True, default="", choices=vocab.DEVICE_CHOICES)
    landing_page = models.CharField(max_length=500, blank=True, default="")
    # The persona code given on import; ``persona`` is the resolved one (kpis.md "Persona").
    persona_given = models.CharField(max_length=50, blank=True, default="")
    origin = models.CharField(max_length=10, choices=vocab.ORIGIN_CHOICES, default="marketing")
    company_revenue = models.DecimalField(max_digits=20, decimal_places=2, null=True, blank=True)
    employees = models.BigIntegerField(null=True, blank=True)
    vertical = models.CharField(max_length=100, blank=True, default="")
    age = models.IntegerField(null=True, blank=True)
    gender = models.CharField(max_length=50, blank=True, default="")
    income = models.DecimalField(max_digits=20, decimal_places=2, null=True, blank=True)
    interests = ArrayField(models.CharField(max_length=100), default=list, blank=True)
    challenge = models.CharField(max_length=200, blank=True, default="")
    first_contacted_at = models.DateTimeField(null=True, blank=True)
    sql_at = models.DateTimeField(null=True, blank=True)
    sal_at = models.DateTimeField(null=True, blank=True)
    opportunity_at = models.DateTimeField(null=True, blank=True)
    customer_at = models.DateTimeField(null=True, blank=True)
    lost_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    deal_value = models.DecimalField(**MONEY, null=True, blank=True)
    # Set by the qualification engine (clients.criteria.qualification), never imported. Not indexed: the
    # snapshots read leads in one pass, and re-judging a million leads should not rewrite indexes.
    mql_at = models.DateTimeField(null=True, blank=True)
    sales_ready_at = models.DateTimeField(null=True, blank=True)
    persona = models.CharField(max_length=50, blank=True, default="")
    criteria_version = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(company_revenue__gte=0) | Q(company_revenue__isnull=True), name="lead_revenue_nn"
            ),
            models.CheckConstraint(condition=Q(employees__gte=0) | Q(employees__isnull=True), name="lead_employees_nn"),
            models.CheckConstraint(condition=Q(age__gte=0) | Q(age__isnull=True), name="lead_age_nn"),
            models.CheckConstraint(condition=Q(income__gte=0) | Q(income__isnull=True), name="lead_income_nn"),
            models.CheckConstraint(condition=Q(deal_value__gte=0) | Q(deal_value__isnull=True), name="lead_deal_nn"),
            models.CheckConstraint(
                condition=Q(customer_at__isnull=True) | Q(lost_at__isnull=True), name="lead_not_won_and_lost"
            ),
            models.CheckConstraint(
                condition=Q(deal_value__isnull=True) | Q(customer_at__isnull=False), name="lead_deal_needs_customer"
            ),
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": F("created_at")}),
                    name=f"lead_{field}_after_created",
                )
                for field in vocab.LEAD_LIFECYCLE_FIELDS
            ],
        ]

    def __str__(self) -> str:
        return self.id


class Activity(models.Model):
    id = models.CharField(**EXT_ID)
    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="activities")
    occurred_at = models.DateTimeField()
    action = models.CharField(max_length=30, choices=vocab.ACTION_CHOICES)
    detail = models.TextField(blank=True, default="")

    class Meta:
        indexes = [models.Index(fields=["lead", "occurred_at"], name="activity_lead_time")]


COUNT = {"default": 0}


class TrafficRow(models.Model):
    date = models.DateField()
    channel = models.CharField(max_length=20, choices=vocab.CHANNEL_CHOICES)
    # "" when the file did not give the device (formats.md: traffic's device is optional).
    device = models.CharField(max_length=10, choices=vocab.DEVICE_CHOICES, blank=True, default="")
    landing_page = models.CharField(max_length=500, blank=True, default="")
    social_network = models.CharField(max_length=50, blank=True, default="")
    sessions = models.PositiveBigIntegerField()
    bounced_sessions = models.PositiveBigIntegerField(null=True, blank=True)  # NULL: not given (bounce_rate skips the row)
    pageviews = models.PositiveBigIntegerField(**COUNT)
    form_submissions = models.PositiveBigIntegerField(**COUNT)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["date", "channel", "device", "landing_page", "social_network"], name="traffic_key"
            ),
            models.CheckConstraint(condition=Q(bounced_sessions__lte=F("sessions")), name="traffic_bounces_le_sessions"),
        ]


class EmailRow(models.Model):
    date = models.DateField()
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT)
    sent = models.PositiveBigIntegerField()
    # NULL: not given (an export without the column): the email rates are then worked out over the rows
    # that give their counts, and are null when none does (docs/kpis.md), never 0 % from a stored 0.
    delivered = models.PositiveBigIntegerField(null=True, blank=True)
    unique_opens = models.PositiveBigIntegerField(null=True, blank=True)
    unique_clicks = models.PositiveBigIntegerField(null=True, blank=True)
    unsubscribes = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["date", "campaign"], name="email_key"),
            models.CheckConstraint(condition=Q(delivered__lte=F("sent")), name="email_delivered_le_sent"),
            models.CheckConstraint(condition=Q(unique_clicks__lte=F("delivered")), name="email_clicks_le_delivered"),
        ]


class Contract(models.Model):
    id = models.CharField(**EXT_ID)
    account = models.CharField(max_length=100, db_index=True)
    kind = models.CharField(max_length=10, choices=vocab.CONTRACT_KIND_CHOICES)
    start_date = models.DateField()
    segment = models.CharField(max_length=100, blank=True, default="")
    term_months = models.PositiveIntegerField(null=True, blank=True)
    monthly_fee = models.DecimalField(**MONEY, null=True, blank=True)
    project_fee = models.DecimalField(**MONEY, null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    cancelled_on = models.DateField(null=True, blank=True)
    renewal_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="renewals")

    class Meta:
        ordering = ["start_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="retainer") | Q(term_months__gte=1, monthly_fee__isnull=False),
                name="contract_retainer_terms",
            ),
            models.CheckConstraint(
                condition=~Q(kind="project") | Q(project_fee__isnull=False, end_date__isnull=False),
                name="contract_project_terms",
            ),
            models.CheckConstraint(
                condition=Q(cancelled_on__isnull=True) | Q(cancelled_on__gte=F("start_date")),
                name="contract_cancel_after_start",
            ),
            models.CheckConstraint(
                condition=Q(monthly_fee__gte=0) | Q(monthly_fee__isnull=True), name="contract_monthly_fee_nn"
            ),
            models.CheckConstraint(
                condition=Q(project_fee__gte=0) | Q(project_fee__isnull=True), name="contract_project_fee_nn"
            ),
        ]


class CriteriaVersion(models.Model):
    """A version of the MQL qualification criteria (formats.md "criteria"), kept forever."""

    version = models.PositiveIntegerField(unique=True)
    effective_from = models.DateField()
    criteria = models.JSONField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    author_name = models.CharField(max_length=150, blank=True, default="")
    change_note = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class SavedVia(models.TextChoices):
        """How a version came in: a version without a person says so in words, never a bare "—"."""

        EDITOR = "editor", _("saved in the editor")
        COPY = "copy", _("copied from another client's set-up")
        COMMAND = "command", _("set up on the command line: nobody signed in")
        DEMO = "demo", _("set up with the demo data")

    saved_via = models.CharField(max_length=10, choices=SavedVia.choices, blank=True, default="")

    class Meta:
        ordering = ["-version"]

    @property
    def author_shown(self) -> str:
        """Who saved it, or why no person is named (the versions table and a version's page)."""
        if self.author_name:
            return self.author_name
        if self.saved_via:
            return str(self.get_saved_via_display())
        return str(_("not recorded: saved outside the editor"))


class Job(models.Model):
    """A piece of background work for this client, with progress the pages can poll."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    kind = models.CharField(max_length=40)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    params = models.JSONField(default=dict, blank=True)
    progress = models.PositiveBigIntegerField(default=0)
    total = models.PositiveBigIntegerField(default=0)
    result = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Touched every few seconds by the worker running the job (clients.jobs): a job
    # "running" whose heartbeat stopped belongs to a worker that died, and is marked failed.
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]


class ApiToken(models.Model):
    """A client's API token for web forms and CRMs: shown once, stored as a SHA-256 hash."""

    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12, db_index=True)
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]


class SavedMapping(models.Model):
    """How to read one layout of file that no built-in source knows (a CRM report, a spreadsheet).

    ``spec`` is the data the shared mapping engine takes (the canonical kind, each canonical
    column's file column or fixed value, value tables, date format, decimal separator); built-in
    sources are declared the same way. ``header_signature`` (see
    :func:`clients.mappings.saved.header_signature`) lets a later file with the same header be
    recognized by this mapping.
    """

    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind of data"), max_length=20)
    header = models.JSONField(default=list, blank=True)
    header_signature = models.CharField(max_length=64, db_index=True)
    spec = models.JSONField(default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ScheduledSource(models.Model):
    """A CSV at a URL that Celery beat fetches daily and imports through the upload path."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    url = models.URLField(_("address"), max_length=2000)
    # How the file is read: a canonical kind, or a saved mapping, or (both empty) detected from its header.
    kind = models.CharField(_("kind of data"), max_length=20, blank=True, default="")
    mapping = models.ForeignKey(SavedMapping, null=True, blank=True, on_delete=models.PROTECT, related_name="schedules")
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_run_at = models.DateTimeField(null=True, blank=True)
    last_ok = models.BooleanField(null=True, blank=True)
    last_message = models.TextField(blank=True, default="")
    # The last failure as message and values (translated where read), its kind and what the address said.
    last_words = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SourceRun(models.Model):
    """One fetch-and-import of a scheduled source: what came in, what went wrong, how long it took."""

    source = models.ForeignKey(ScheduledSource, on_delete=models.CASCADE, related_name="runs")
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    duration = models.FloatField(default=0, help_text="seconds")
    ok = models.BooleanField(default=False)
    rows = models.PositiveBigIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    size = models.PositiveBigIntegerField(default=0)
    message = models.TextField(blank=True, default="")
    words = models.JSONField(default=dict, blank=True)  # the message as message and values, translated where read
    job = models.ForeignKey(Job, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-started_at", "-id"]


class CriteriaReviewRequest(models.Model):
    """Agency staff asking the agency's admins to review the qualification criteria (only admins change
    them): from the month check "the criteria score none of these leads" or the criteria page. Shown on
    the criteria page and the check until an admin saves a new version, which answers it; each admin is
    emailed once per request (clients.criteria.services.criteria_review_ask)."""

    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    asked_by_name = models.CharField(max_length=150, blank=True, default="")  # User.display_name
    asked_at = models.DateTimeField(auto_now_add=True)
    # The month whose check ("no MQL among the new leads") it came from; None: asked from the criteria page.
    month = models.DateField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_version = models.PositiveIntegerField(null=True, blank=True)  # the criteria version that answered it

    class Meta:
        ordering = ["-asked_at"]

    def __str__(self) -> str:
        return f"{self.asked_by_name} {self.asked_at:%Y-%m-%d}"


class OutboxEmail(OutboxEmailFields):
    """A client's outbox (``clients.outbox``), in its schema: its columns and states are every
    outbox's (agency.models.OutboxEmailFields)."""

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "recipient", "month", "reference"], name="outbox_email_once", nulls_distinct=False
            )
        ]
        indexes = [models.Index(fields=["next_attempt_at"], name="outbox_email_due", condition=Q(next_attempt_at__isnull=False))]


class Connection(models.Model):
    """A client's account on one platform whose API the portal syncs (clients.connectors).

    ``secrets`` holds the credentials encrypted (clients.connectors.vault), never in clear.
    ``cursor`` is the platform's watermark between syncs (HubSpot: the last modification time
    read); ``run`` is the sync under way: its window and how far its committed batches got, so
    a sync stopped half-way resumes after the last batch it wrote (saved in that batch's
    transaction). ``failing_since`` is the first failure of the current run of failures.
    """

    class State(models.TextChoices):
        CONNECTED = "connected", _("connected")
        SYNCING = "syncing", _("syncing")
        FAILING = "failing", _("failing")
        REAUTH = "reauth", _("needs re-authorisation")

    platform = models.CharField(max_length=30, unique=True)
    account_id = models.CharField(max_length=200)
    account_label = models.CharField(max_length=300, blank=True, default="")
    secrets = models.TextField(blank=True, default="")
    state = models.CharField(max_length=10, choices=State.choices, default=State.CONNECTED)
    reason = models.TextField(blank=True, default="")
    reason_words = models.JSONField(default=dict, blank=True, help_text="the reason as message and values, translated when shown")
    options = models.JSONField(default=dict, blank=True, help_text="the platform's settings (GA4: landing pages)")
    cursor = models.JSONField(default=dict, blank=True)
    run = models.JSONField(default=dict, blank=True)
    token_expires_at = models.DateTimeField(null=True, blank=True)
    connected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    connected_at = models.DateTimeField(auto_now_add=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_rows = models.PositiveBigIntegerField(default=0)
    rows_total = models.PositiveBigIntegerField(default=0)
    next_run_at = models.DateTimeField(null=True, blank=True)
    failing_since = models.DateTimeField(null=True, blank=True)
    failure_emailed_at = models.DateTimeField(null=True, blank=True)
    backfilled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["platform"]

    def __str__(self) -> str:
        return f"{self.platform} {self.account_id}"


class SyncRun(models.Model):
    """One sync of a connection: its window, what it wrote, how it ended (the health history)."""

    class Trigger(models.TextChoices):
        BACKFILL = "backfill", _("backfill")
        DAILY = "daily", _("daily")
        MANUAL = "manual", _("sync now")
        COMMAND = "command", _("command line")

    connection = models.ForeignKey(Connection, on_delete=models.CASCADE, related_name="runs")
    trigger = models.CharField(max_length=10, choices=Trigger.choices)
    window_from = models.DateField()
    window_to = models.DateField()
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    ok = models.BooleanField(null=True, blank=True)
    rows = models.PositiveBigIntegerField(default=0)
    batches = models.PositiveIntegerField(default=0)
    months = ArrayField(models.CharField(max_length=7), default=list, blank=True)
    message = models.TextField(blank=True, default="")
    progress = models.FloatField(default=0, help_text="0..1 of the window done")

    class Meta:
        ordering = ["-started_at", "-id"]
