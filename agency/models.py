"""The public schema: the agency's client registry, its hosts, its users and who may see whom.

Everything here lives in the ``public`` schema and is shared by every host. Client data
(leads, spend, snapshots, ...) lives in each client's own schema (apps ``clients``, ``kpis``).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.cache import cache
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_tenants.models import DomainMixin, TenantMixin
from django_tenants.utils import get_public_schema_name, schema_context

from agency.validators import single_line


def client_logo_path(instance: Client, filename: str) -> str:
    """``MEDIA_ROOT/<schema>/brand/``: a client's files never share a folder with another's."""
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "img"
    return f"{instance.schema_name}/brand/logo.{suffix}"


class Client(TenantMixin):
    """One agency client: a tenant with its own PostgreSQL schema."""

    slug = models.SlugField(_("slug"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200, validators=[single_line])
    timezone = models.CharField(_("time zone"), max_length=64, default="UTC")
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    gross_margin = models.DecimalField(
        _("gross margin"),
        max_digits=5,
        decimal_places=4,
        default=Decimal("0.7"),
        validators=[MinValueValidator(0), MaxValueValidator(1)],
    )
    horizon_months = models.PositiveIntegerField(_("LTV horizon (months)"), default=60, validators=[MinValueValidator(1)])
    # Ad platforms restate their last days for a while: a closed month waits this many days
    # before it goes to review (reports.services.month_reviews_start).
    review_delay_days = models.PositiveSmallIntegerField(
        _("days before a closed month goes to review"), default=3, validators=[MaxValueValidator(28)]
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)  # cached pages that show a client's settings key on it
    # False until the schema's migrations have run: schedulers skip clients not ready.
    is_ready = models.BooleanField(default=False)
    # For benchmark bands of the client's own industry (portfolio.Benchmark.industry); blank: none.
    industry = models.CharField(_("industry"), max_length=60, blank=True, default="")
    # The executive summary's KPIs (6–8 keys of kpis.catalogue, in order); empty = the defaults.
    headline_kpis = models.JSONField(_("summary KPIs"), default=list, blank=True)
    # White label: the client's own logo and accent colour over the agency's (agency.branding).
    brand_accent = models.CharField(
        _("accent colour"), max_length=7, blank=True, default="", validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$")]
    )
    brand_logo = models.ImageField(_("logo"), upload_to=client_logo_path, blank=True, default="")
    # The language of the client's emails, PDF and invitations, and of its users' pages until they
    # choose one; empty: the agency's default language (AgencyBrand.default_language).
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, blank=True, default="")

    auto_create_schema = True
    auto_drop_schema = True

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(gross_margin__gte=0, gross_margin__lte=1),
                name="client_gross_margin_fraction",
            ),
            models.CheckConstraint(condition=models.Q(horizon_months__gte=1), name="client_horizon_positive"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_public(self) -> bool:
        return self.schema_name == settings.PUBLIC_SCHEMA_NAME

    @property
    def report_language(self) -> str:
        """The language the client is written to in: its own, else the agency's default."""
        return self.language or agency_language()


def agency_language() -> str:
    """The agency's default language (the Brand page), which a client without its own is written in."""
    brand = AgencyBrand.current()
    return (brand.default_language if brand else "") or settings.LANGUAGE_CODE.split("-")[0]


class Domain(DomainMixin):
    """A host name that routes to a client (``acme.<base host>`` or a custom domain)."""

    class Meta:
        ordering = ["domain"]


class User(AbstractUser):
    """A person who logs in: agency admin, agency staff, or a client's user."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("Agency admin")
        STAFF = "staff", _("Agency staff")
        CLIENT = "client", _("Client user")

    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.CLIENT)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, blank=True, default="")
    monthly_email = models.BooleanField(_("monthly scorecard email"), default=True)
    # "Sign out everywhere" adds one: every session on every host carries a hash of it (below),
    # so each one stops authenticating at its next request, whichever host it belongs to.
    session_generation = models.PositiveIntegerField(default=0, editable=False)

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        """Django's session hash (of the password), plus the generation once it has been raised.

        At generation 0 the hash is Django's own, so sessions made before this field existed
        stay valid; a password change or a sign-out everywhere ends every session of the user.
        """
        if not self.session_generation:
            return super()._get_session_auth_hash(secret=secret)
        from django.utils.crypto import salted_hmac

        return salted_hmac(
            "agency.User.get_session_auth_hash",
            f"{self.password}:{self.session_generation}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

    @property
    def display_name(self) -> str:
        """How pages, PDFs and emails name the person (who approved, wrote, asked, answered): the full
        name, else the email address, else the login name (at most 150 characters: the names stored)."""
        return (self.get_full_name() or self.email or self.get_username())[:150]

    @property
    def is_agency_admin(self) -> bool:
        return self.role == self.Role.ADMIN or self.is_superuser

    @property
    def is_agency(self) -> bool:
        return self.is_agency_admin or self.role == self.Role.STAFF


class Membership(models.Model):
    """Gives a staff member or a client user access to one client."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="memberships")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "client"], name="membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.client}"


class DomainClaim(models.Model):
    """A custom domain a client asked for, live only once its DNS TXT record proves ownership.

    The routing table (:class:`Domain`) holds only verified hosts: a claim becomes one or two
    ``Domain`` rows (the name and its ``www.`` pair) when the TXT record
    ``_portal-verification.<domain>`` holds ``portal-verification=<token>``.
    """

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="domain_claims")
    # Not unique: another client's pending claim squats nothing; the first one verified wins.
    domain = models.CharField(_("domain"), max_length=253, db_index=True)
    token = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True, default="")

    class Meta:
        ordering = ["domain"]
        constraints = [models.UniqueConstraint(fields=["client", "domain"], name="domainclaim_unique_per_client")]

    def __str__(self) -> str:
        return self.domain

    @property
    def txt_name(self) -> str:
        return f"_portal-verification.{self.domain}"

    @property
    def txt_value(self) -> str:
        return f"portal-verification={self.token}"


class ExchangeRate(models.Model):
    """A reference rate, agency-wide: units of ``currency`` per 1 euro on ``date`` (ECB).

    Loaded from the European Central Bank's ``eurofxref-hist.csv`` (``import_rates``); a
    source's amounts in another currency than the client's are converted through the euro
    (clients.sources.currencies).
    """

    currency = models.CharField(max_length=3)
    date = models.DateField()
    per_euro = models.DecimalField(max_digits=20, decimal_places=8)

    class Meta:
        ordering = ["currency", "date"]
        constraints = [
            models.UniqueConstraint(fields=["currency", "date"], name="exchange_rate_key"),
            models.CheckConstraint(condition=models.Q(per_euro__gt=0), name="exchange_rate_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.currency} {self.per_euro}"


class RecomputeOutbox(models.Model):
    """A recompute that could not be queued (Redis down), kept until the beat's drain queues it.

    Written in the same request as the change it follows, after that change committed; the
    drain (``kpis.tasks.recompute_outbox_drain``) deletes a row only in the transaction that
    queued its recompute, so a change is never left without its recompute.
    """

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="+")
    months = models.JSONField(default=list)  # "YYYY-MM"
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]


class OutboxEmailFields(models.Model):
    """One email to one person, written before it is sent: the columns and states of every outbox
    (agency.outbox): a client's (``clients.OutboxEmail``, in its schema) and the agency's own
    (:class:`PublicOutboxEmail`, in the public schema).

    It moves pending → sending → sent; a failed attempt goes to failed with the error, and is
    tried again at ``next_attempt_at`` (none left: given up). A row still in sending when its
    lease has run out (``claimed_at`` + ``agency.outbox.SENDING_LEASE``: its worker died mid-send)
    becomes uncertain: the mail server may or may not have taken it, so it is not sent again
    until agency staff say so. The unique key of each concrete table makes queueing safe to
    repeat: one row per kind, recipient, month and reference (what the email is about beyond
    the month, e.g. an approval's id; empty for the monthly scorecard).
    """

    class State(models.TextChoices):
        PENDING = "pending"
        SENDING = "sending"
        SENT = "sent"
        FAILED = "failed"
        UNCERTAIN = "uncertain"

    kind = models.CharField(max_length=40)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    to = models.EmailField(blank=True, default="")
    month = models.DateField(null=True, blank=True, help_text="first day of the month the email is about")
    reference = models.CharField(max_length=100, blank=True, default="")
    payload = models.JSONField(default=dict, blank=True, help_text="subject, body, html, headers")
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True, default="")
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True, help_text="when a worker last claimed it to send it")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.kind} → {self.to} ({self.state})"


class PublicOutboxEmail(OutboxEmailFields):
    """The agency's own outbox, in the public schema: emails that concern no client — an agency
    person's account and password links, the staff's daily digest of checks."""

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "recipient", "month", "reference"], name="public_outbox_email_once", nulls_distinct=False
            )
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"], name="public_outbox_email_due", condition=models.Q(next_attempt_at__isnull=False)
            )
        ]


class AgencyBrand(models.Model):
    """The agency's white label: its name, logo and colours on the console, the client pages,
    the PDF and the emails (one row; agency admins edit it). Emails go out under ``sender_name``."""

    name = models.CharField(_("agency name"), max_length=120, default="Marketing portal", validators=[single_line])
    sender_name = models.CharField(_("email sender name"), max_length=120, blank=True, default="", validators=[single_line])
    accent = models.CharField(
        _("accent colour"), max_length=7, default="#1f5fbf", validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$")]
    )
    bar_colour = models.CharField(
        _("top bar colour"), max_length=7, default="#14213d", validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$")]
    )
    logo = models.ImageField(_("logo"), upload_to="public/brand/", blank=True, default="")
    # The agency's defaults: they prefill the add-client form (issue #23), and a client without a
    # language of its own is written to in default_language.
    default_timezone = models.CharField(_("default time zone"), max_length=64, default="UTC")
    default_currency = models.CharField(_("default currency"), max_length=3, default="USD")
    default_language = models.CharField(_("default language"), max_length=8, choices=settings.LANGUAGES, default="en")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        cache.delete(self.BRAND_CACHE_KEY)

    # One key for every host, not one per schema (agency.cache_keys): a save shows at once everywhere.
    BRAND_CACHE_KEY = "shared:agency:brand"

    @classmethod
    def current(cls) -> AgencyBrand | None:
        """The brand row, from the cache (every page shows it); saving it clears the cache. The key
        is the public schema's whatever host asks (a ``shared:`` key), so a save shows at once on
        every client's host; the row is read in the public schema only when the cache misses."""
        found = cache.get(cls.BRAND_CACHE_KEY)
        if found is None:
            with schema_context(get_public_schema_name()):
                found = cls.objects.order_by("pk").first() or False
            cache.set(cls.BRAND_CACHE_KEY, found, 3600)
        return found or None


class PlatformApp(models.Model):
    """The agency's OAuth app on one ad platform, saved from the admin screen (clients.connectors.apps).

    ``secrets`` holds the client id, client secret and (Google Ads) developer token and manager
    id, encrypted with ``PORTAL_SECRETS_KEY`` as a connection's credentials are; the environment's
    ``PORTAL_OAUTH_CLIENT_ID_<PLATFORM>`` wins over a saved app.
    """

    platform = models.CharField(max_length=30, unique=True)
    secrets = models.TextField()
    updated_at = models.DateTimeField(auto_now=True)
    updated_by_name = models.CharField(max_length=150, blank=True, default="")

    def __str__(self) -> str:
        return self.platform


class ConnectionDue(models.Model):
    """When a client's connection to a platform is next due: the nightly dispatcher's index.

    The connection itself lives in the client's schema (``clients.models.Connection``); this row
    in the public schema says when it next wants a sync — its nightly slot in the client's zone,
    or, while a sync runs or waits in the queue, the moment it counts as lost and is retried —
    so that ``clients.tasks.dispatch_connection_syncs`` finds what is due with one query and opens
    no schema that has nothing due. ``due_at`` is empty while nothing can run (the connection
    needs re-authorisation). Written by ``clients.connectors.schedule`` in the same transaction
    as the connection's own row; rebuilt from the schemas daily, as a safety net (docs/connectors.md).
    """

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="connections_due")
    platform = models.CharField(max_length=30)
    due_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["client", "platform"], name="connection_due_client_platform")]
        indexes = [models.Index(fields=["due_at"], name="connection_due_at", condition=models.Q(due_at__isnull=False))]

    def __str__(self) -> str:
        return f"{self.client_id} {self.platform} {self.due_at}"


class AccountClaim(models.Model):
    """Which client a platform account feeds: one client only for the ad platforms (``exclusive``);
    for the others, every client it feeds (connecting it again is said, naming them).

    An ad account's spend is one client's: a second client connecting it would count it twice in
    the agency's portfolio. The connection lives in the client's schema; this row in the public
    schema lets a new connection be checked with one query, without opening any other client's
    schema, and its unique key keeps the rule even when two clients connect the same account at
    once. Written by ``clients.connectors.sync`` in the same transaction as the connection's row;
    rebuilt from the schemas with the due index (docs/connectors.md).
    """

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="account_claims")
    platform = models.CharField(max_length=30)
    account_id = models.CharField(max_length=200)
    # False: a platform whose accounts several clients may read (a CRM portal, an analytics property);
    # its claim only lets a new connection say which other client reads the account already.
    exclusive = models.BooleanField(default=True, db_default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["platform", "account_id"], condition=models.Q(exclusive=True),
                                    name="account_claim_one_client"),
            models.UniqueConstraint(fields=["client", "platform"], name="account_claim_client_platform"),
        ]

    def __str__(self) -> str:
        return f"{self.platform} {self.account_id} → {self.client_id}"
