"""Settings for the agency portal, read from the environment.

``DEBUG`` is false unless set: ``scripts/run`` sets it (development) and ``scripts/test`` too
(with ``PORTAL_TESTING``); then, without ``DATABASE_URL`` / ``REDIS_URL``, the embedded
PostgreSQL and Redis of :mod:`agency.embedded` are started. Anywhere else a forgotten variable
stops start-up with one sentence instead of starting servers behind production's back.
Production sets ``SECRET_KEY``, ``DATABASE_URL``, ``REDIS_URL`` and
``PORTAL_BASE_HOST``; with those the settings pass ``manage.py check --deploy``; without a URL
start-up stops with one sentence saying which to set.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from agency.startup import StartupError

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DEBUG", False)
TESTING = env_bool("PORTAL_TESTING", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise StartupError("SECRET_KEY must be set when DEBUG is false.")
    # Development: a random key made once per install, kept in the git-ignored .local (agency.secret).
    from agency.secret import development_secret_key

    SECRET_KEY = development_secret_key(BASE_DIR / ".local" / "secret_key")

# The agency console lives on the base host; each client at <slug>.<base host>.
PORTAL_BASE_HOST = os.environ.get("PORTAL_BASE_HOST", "localhost")
PORTAL_SCHEME = os.environ.get("PORTAL_SCHEME", "http" if DEBUG else "https")
PORTAL_PORT = os.environ.get("PORTAL_PORT", "8000" if DEBUG else "")
# The Domain table is the allow-list of hosts: the tenant middleware (first in MIDDLEWARE)
# answers 404 to any host that is not the console's or a client's, before any view runs, so
# white-label domains work without redeploying. ALLOWED_HOSTS can still be narrowed.
ALLOWED_HOSTS = [h for h in os.environ.get("PORTAL_ALLOWED_HOSTS", "*").split(",") if h]

SHARED_APPS = [
    "django_tenants",
    "agency",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "django_htmx",
    "template_partials.apps.SimpleAppConfig",
    "portfolio",
]
TENANT_APPS = [
    "django.contrib.contenttypes",
    "clients",
    "kpis",
    "reports",
]
INSTALLED_APPS = SHARED_APPS + [app for app in TENANT_APPS if app not in SHARED_APPS]

TENANT_MODEL = "agency.Client"
TENANT_DOMAIN_MODEL = "agency.Domain"
PUBLIC_SCHEMA_NAME = "public"
ROOT_URLCONF = "agency.urls_tenant"
PUBLIC_SCHEMA_URLCONF = "agency.urls_public"
SHOW_PUBLIC_IF_NO_TENANT_FOUND = False
AUTH_USER_MODEL = "agency.User"

MIDDLEWARE = [
    "agency.middleware.PortalTenantMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "agency.csp.ContentSecurityPolicyMiddleware",
    "agency.ratelimit.RateLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "agency.middleware.PortalCommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "agency.middleware.SessionHostMiddleware",
    "agency.middleware.UnstorableInputMiddleware",
    "agency.middleware.UserLanguageMiddleware",
    "agency.middleware.HostMembershipMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": False,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "agency.context_processors.portal",
            ],
            # django-template-partials wraps the tenant-aware loaders by hand (stack notes).
            "loaders": [
                (
                    "template_partials.loader.Loader",
                    [
                        (
                            "django.template.loaders.cached.Loader",
                            [
                                "django_tenants.template.loaders.filesystem.Loader",
                                "django.template.loaders.filesystem.Loader",
                                "django.template.loaders.app_directories.Loader",
                            ],
                        )
                    ],
                )
            ],
            "builtins": ["template_partials.templatetags.partials"],
        },
    }
]

# A client's own templates (white label) override the shared ones: templates/tenants/<schema>/.
MULTITENANT_TEMPLATE_DIRS = [str(BASE_DIR / "templates" / "tenants" / "%s")]

WSGI_APPLICATION = "agency.wsgi.application"

# --- Database and broker -------------------------------------------------------------------
# The embedded PostgreSQL and Redis (agency.embedded) are for development and tests only. In
# production a missing URL stops start-up with one sentence; no server is started behind its back.
_missing = [name for name in ("DATABASE_URL", "REDIS_URL") if not os.environ.get(name)]
if _missing and not (DEBUG or TESTING):
    raise StartupError(
        f"DEBUG is false, so set {' and '.join(_missing)}: "
        "the embedded PostgreSQL and Redis run only in development and tests."
    )
EMBEDDED_DATABASE = not os.environ.get("DATABASE_URL")
if EMBEDDED_DATABASE:
    from agency.embedded import postgres_url

    _database_url = postgres_url()
else:
    _database_url = os.environ["DATABASE_URL"]
# Connections: a bounded pool per process (psycopg's, through Django 5.2's "pool" option) of at
# most PORTAL_DB_POOL_MAX connections, shared by the process's threads: a request holds one
# while it runs and gives it back, and a request finding none free waits up to
# PORTAL_DB_POOL_TIMEOUT seconds. A threaded server under load therefore never opens more
# (CONN_MAX_AGE kept one per thread: "too many clients" and a 500 on every page; issue #24).
# The pool is session-level (each request has the connection to itself), so django-tenants'
# search_path, set at the first query after each checkout, is never shared; never put a
# transaction-pooling PgBouncer in front (docs/security.md). PORTAL_DB_POOL_MAX=0: no pool, one
# connection per thread kept CONN_MAX_AGE seconds (the behaviour before). Tests keep Django's
# default of one connection per request.
PORTAL_DB_POOL_MAX = 0 if TESTING else int(os.environ.get("PORTAL_DB_POOL_MAX", "10"))
DATABASES = {
    "default": dj_database_url.parse(
        _database_url,
        conn_max_age=0 if TESTING or PORTAL_DB_POOL_MAX else int(os.environ.get("CONN_MAX_AGE", "60")),
        # With the pool: every checkout is checked, so a connection a PostgreSQL restart cut is replaced.
        conn_health_checks=True,
    )
}
if PORTAL_DB_POOL_MAX:
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": int(os.environ.get("PORTAL_DB_POOL_MIN", "1")),
        "max_size": PORTAL_DB_POOL_MAX,
        "timeout": float(os.environ.get("PORTAL_DB_POOL_TIMEOUT", "20")),
        "max_idle": 300,
    }
DATABASES["default"]["ENGINE"] = "agency.db_backend.tenants"  # django_tenants.postgresql_backend, fewer SETs
# django-tenants' backend subclasses this one: opening a connection waits up to
# PORTAL_DB_CONNECT_WAIT seconds for a PostgreSQL that is restarting (agency.db_backend).
ORIGINAL_BACKEND = "agency.db_backend"
PORTAL_DB_CONNECT_WAIT = float(os.environ.get("PORTAL_DB_CONNECT_WAIT", "5"))
DATABASES["default"].setdefault("TEST", {})["NAME"] = os.environ.get("PORTAL_TEST_DATABASE", "test_portal")
DATABASE_ROUTERS = ["django_tenants.routers.TenantSyncRouter"]
TENANT_LIMIT_SET_CALLS = True  # set search_path once per tenant switch, not before every query
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

if os.environ.get("REDIS_URL"):
    REDIS_URL = os.environ["REDIS_URL"]
else:
    from agency.embedded import redis_url

    REDIS_URL = redis_url()
# Django's cache client speaks unix:// where Celery's broker speaks redis+socket://.
_CACHE_URL = REDIS_URL.replace("redis+socket://", "unix://")

_CACHE = {
    "LOCATION": _CACHE_URL,
    # Every key carries the current schema: a key set for client A is not read under B.
    "KEY_FUNCTION": "agency.cache_keys.make_key",
    "REVERSE_KEY_FUNCTION": "agency.cache_keys.reverse_key",
    "KEY_PREFIX": os.environ.get("PORTAL_CACHE_PREFIX", "portal"),
    # A hung Redis costs a request at most this long (then the cache is skipped: agency.degrade).
    "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
}
CACHES = {
    # Redis down = every read a miss, every write dropped (logged); pages render from the database.
    # Code that must know Redis failed (the recompute debounce, rate limits) uses
    # agency.redis_client, which raises, and falls back itself.
    "default": {**_CACHE, "BACKEND": "agency.degrade.FailSoftRedisCache"},
}
# Sessions live in the database only: a Redis outage signs nobody out, and a sign-out during
# one cannot be undone by a stale cached copy coming back with Redis (cached_db could).
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# --- Accepted dates -------------------------------------------------------------------------
# Every date and timestamp the portal accepts (imports, API, forms, query parameters, commands)
# lies in this range (agency.dates); outside it month arithmetic would overflow.
import datetime as _dt  # noqa: E402

PORTAL_DATE_MIN = _dt.date.fromisoformat(os.environ.get("PORTAL_DATE_MIN", "2000-01-01"))
PORTAL_DATE_MAX = _dt.date.fromisoformat(os.environ.get("PORTAL_DATE_MAX", "2100-12-31"))
if not (_dt.date(1900, 1, 1) <= PORTAL_DATE_MIN < PORTAL_DATE_MAX <= _dt.date(9000, 12, 31)):
    raise RuntimeError("PORTAL_DATE_MIN must come before PORTAL_DATE_MAX, both between 1900 and 9000")

# Uploaded images (a white-label logo): PNG, JPEG or WebP up to this size (agency.uploads).
PORTAL_IMAGE_MAX_BYTES = int(os.environ.get("PORTAL_IMAGE_MAX_BYTES", str(2 * 1024 * 1024)))

# --- Qualification ----------------------------------------------------------------------------
# A client with this many leads or more is judged in slices on parallel connections
# (clients.criteria.qualification.leads_judge); one slice per worker thread.
QUALIFICATION_WORKERS = int(os.environ.get("QUALIFICATION_WORKERS", str(min(os.cpu_count() or 1, 4))))
QUALIFICATION_PARALLEL_FROM = int(os.environ.get("QUALIFICATION_PARALLEL_FROM", "100000"))

# --- Celery --------------------------------------------------------------------------------
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A task taken by a worker that dies is handed to another worker after this many seconds (Redis
# has no per-connection acknowledgement); it must exceed the longest task, or a slow task would be
# run twice at once (harmless, snapshots are upserts, but wasted work).
# Workers look for such tasks every 10 s (kombu's default throttle would make it every 100 s).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", str(3600))),
    "unacked_restore_interval": 10,
    "unacked_restore_throttle": 1,
}
CELERY_TASK_TENANT_CACHE_SECONDS = 60
# The debounce of recomputes after a change (kpis.recompute): changes within it share one run.
PORTAL_RECOMPUTE_DEBOUNCE_SECONDS = int(os.environ.get("PORTAL_RECOMPUTE_DEBOUNCE_SECONDS", "30"))
# Publishing gives up quickly when Redis is down (the caller falls back to the database outbox)
# instead of holding a web request for Celery's default retries.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None  # workers wait for Redis to come back, however long
CELERY_TIMEZONE = "UTC"
CELERY_TASK_ALWAYS_EAGER = False
CELERY_BEAT_SCHEDULE_FILENAME = str(BASE_DIR / ".local" / "celerybeat-schedule")

# --- Scheduled sources (clients.sources.fetching) -----------------------------------------------------
# Fetching a source's URL refuses private, loopback and link-local addresses unless this is true
# (a development machine serving its own test files; tests turn it on for their local server).
PORTAL_SOURCES_ALLOW_PRIVATE = env_bool("PORTAL_SOURCES_ALLOW_PRIVATE", False)
PORTAL_SOURCES_MAX_BYTES = int(os.environ.get("PORTAL_SOURCES_MAX_BYTES", str(50_000_000)))
PORTAL_SOURCES_TIMEOUT = float(os.environ.get("PORTAL_SOURCES_TIMEOUT", "60"))

# --- Connectors (clients.connectors; docs/connectors.md) -------------------------------------
# Keys that encrypt the connections' credentials at rest (Fernet keys, comma-separated: the first
# encrypts, every one decrypts, so a key can be rotated). Required when DEBUG is false; in
# development a key is made once in .local/secrets_key (as the secret key is).
PORTAL_SECRETS_KEYS = [key.strip() for key in os.environ.get("PORTAL_SECRETS_KEY", "").split(",") if key.strip()]
if not PORTAL_SECRETS_KEYS:
    if not DEBUG:
        raise StartupError("PORTAL_SECRETS_KEY must be set when DEBUG is false (docs/connectors.md).")
    from agency.secret import development_fernet_key

    PORTAL_SECRETS_KEYS = [development_fernet_key(BASE_DIR / ".local" / "secrets_key")]
# PORTAL_CONNECTOR_URL_<PLATFORM> / PORTAL_OAUTH_URL_<PLATFORM>: the platform's API (and OAuth) scheme,
# host and port, for tests and proxies. Environment only: no screen can set them.
PORTAL_CONNECTOR_URLS = {
    name[len("PORTAL_CONNECTOR_URL_"):].lower(): value.rstrip("/")
    for name, value in os.environ.items() if name.startswith("PORTAL_CONNECTOR_URL_") and value
}
PORTAL_OAUTH_URLS = {
    name[len("PORTAL_OAUTH_URL_"):].lower(): value.rstrip("/")
    for name, value in os.environ.items() if name.startswith("PORTAL_OAUTH_URL_") and value
}
# The agency's OAuth apps: PORTAL_OAUTH_CLIENT_ID_<PLATFORM> and PORTAL_OAUTH_CLIENT_SECRET_<PLATFORM>
# (a connector refreshes its clients' access tokens with them).
PORTAL_OAUTH_APPS = {
    name[len("PORTAL_OAUTH_CLIENT_ID_"):].lower(): (
        value, os.environ.get("PORTAL_OAUTH_CLIENT_SECRET_" + name[len("PORTAL_OAUTH_CLIENT_ID_"):], ""))
    for name, value in os.environ.items() if name.startswith("PORTAL_OAUTH_CLIENT_ID_") and value
}
# Google Ads: the agency's developer token (every request) and, optionally, its manager account's id
# (login-customer-id) when the clients' accounts are read through it. An admin screen can set them too.
PORTAL_GOOGLE_ADS_DEVELOPER_TOKEN = os.environ.get("PORTAL_GOOGLE_ADS_DEVELOPER_TOKEN", "")
PORTAL_GOOGLE_ADS_LOGIN_CUSTOMER_ID = os.environ.get("PORTAL_GOOGLE_ADS_LOGIN_CUSTOMER_ID", "")
# Meta's asynchronous report jobs: seconds before the second check (checked at once, then after
# 1, 2, 4 … s, at most 30 s apart), and the longest a job may take.
PORTAL_CONNECTOR_JOB_POLL = float(os.environ.get("PORTAL_CONNECTOR_JOB_POLL", "1"))
PORTAL_CONNECTOR_JOB_TIMEOUT = float(os.environ.get("PORTAL_CONNECTOR_JOB_TIMEOUT", "900"))
# Syncs of one platform running at once across the whole agency (a Redis semaphore).
PORTAL_CONNECTOR_CONCURRENCY = int(os.environ.get("PORTAL_CONNECTOR_CONCURRENCY", "4"))
# A sync that finds its platform's slots all taken waits this long for one to be given back, then
# its task comes back 1 to 5 seconds later (clients.connectors.caps.cap_wait).
PORTAL_CONNECTOR_CAP_WAIT = float(os.environ.get("PORTAL_CONNECTOR_CAP_WAIT", "5"))
# Rows a sync writes per batch (0: each connector's own, 5,000); smaller batches commit progress more often.
PORTAL_CONNECTOR_BATCH_ROWS = int(os.environ.get("PORTAL_CONNECTOR_BATCH_ROWS", "0"))
# A sync's lock on its connection (clients.connectors.lock): renewed every third of this while the
# sync runs, so a killed worker's lock lapses within it and the next sync resumes.
PORTAL_CONNECTOR_LOCK_SECONDS = int(os.environ.get("PORTAL_CONNECTOR_LOCK_SECONDS", "30"))
PORTAL_CONNECTOR_TIMEOUT = float(os.environ.get("PORTAL_CONNECTOR_TIMEOUT", "60"))
# Attempts of one request that the platform answers 429 or 5xx, and the longest wait between two.
PORTAL_CONNECTOR_RETRIES = int(os.environ.get("PORTAL_CONNECTOR_RETRIES", "6"))
PORTAL_CONNECTOR_MAX_WAIT = float(os.environ.get("PORTAL_CONNECTOR_MAX_WAIT", "120"))
PORTAL_CONNECTOR_BACKOFF = float(os.environ.get("PORTAL_CONNECTOR_BACKOFF", "1"))  # seconds before the first retry

# --- Auth ----------------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # The username or the email address, in any case (client users sign in with their email).
    "agency.backends.EmailOrUsernameBackend",
    # Named by the sessions made before (and by the hand-off's sign-in): they stay valid.
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only; never in production
AXES_FAILURE_LIMIT = int(os.environ.get("PORTAL_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Every name of an account (its username or email, any case) counts against the one account.
AXES_USERNAME_CALLABLE = "agency.selectors.sign_in_name"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# Rate limits (agency.ratelimit), per one-minute window; 429 with Retry-After beyond them.
# The test suite signs in hundreds of times a minute from one address: its tests of the limits
# set them low themselves.
_UNLIMITED_IN_TESTS = "1000000" if TESTING else None
PORTAL_API_RATE_PER_MINUTE = int(os.environ.get("PORTAL_API_RATE_PER_MINUTE", _UNLIMITED_IN_TESTS or "600"))
PORTAL_LOGIN_RATE_PER_ACCOUNT = int(os.environ.get("PORTAL_LOGIN_RATE_PER_ACCOUNT", _UNLIMITED_IN_TESTS or "10"))
PORTAL_LOGIN_RATE_PER_ADDRESS = int(os.environ.get("PORTAL_LOGIN_RATE_PER_ADDRESS", _UNLIMITED_IN_TESTS or "30"))
# Unknown API tokens per address and client per minute (guessing), password resets asked per
# address per minute and per email address per hour.
PORTAL_API_BAD_TOKENS_PER_MINUTE = int(os.environ.get("PORTAL_API_BAD_TOKENS_PER_MINUTE", _UNLIMITED_IN_TESTS or "20"))
PORTAL_PASSWORD_RESET_RATE_PER_ADDRESS = int(os.environ.get("PORTAL_PASSWORD_RESET_RATE_PER_ADDRESS", _UNLIMITED_IN_TESTS or "5"))
PORTAL_PASSWORD_RESET_RATE_PER_EMAIL = int(os.environ.get("PORTAL_PASSWORD_RESET_RATE_PER_EMAIL", _UNLIMITED_IN_TESTS or "3"))
# Uploads (imports, logos): larger files are refused with a form error, not a 413 page.
PORTAL_UPLOAD_MAX_BYTES = int(os.environ.get("PORTAL_UPLOAD_MAX_MB", "25")) * 1024 * 1024
# Several files at once on the Imports screen (a new client's exports): how many, and how much in all.
PORTAL_UPLOAD_MAX_FILES = int(os.environ.get("PORTAL_UPLOAD_MAX_FILES", "12"))
PORTAL_UPLOAD_MAX_TOTAL_BYTES = int(os.environ.get("PORTAL_UPLOAD_MAX_TOTAL_MB", "100")) * 1024 * 1024
AXES_VERBOSE = False

# Each host keeps its own session cookie; staff move between clients through a signed,
# single-use hand-off link (agency.views.auth). A deployment may still share the cookie
# across subdomains by setting PORTAL_SESSION_COOKIE_DOMAIN.
SESSION_COOKIE_DOMAIN = os.environ.get("PORTAL_SESSION_COOKIE_DOMAIN") or None
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# --- Internationalisation ------------------------------------------------------------------
LANGUAGE_CODE = "en"
# Spanish (Mexico) is Spanish's words with Mexico's numbers (1,234.56, not 1\xa0234,56): gettext
# falls back from es_MX to the es catalogue, the formats come from agency/formats/es_MX.
LANGUAGES = [("en", _("English")), ("es", _("Spanish")), ("es-mx", _("Spanish (Mexico)"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "UTC"  # at a client's host the client's zone is active (agency.middleware.UserLanguageMiddleware)
USE_TZ = True
FORMAT_MODULE_PATH = ["agency.formats"]  # a date and time names its zone

# --- Static files --------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
WHITENOISE_USE_FINDERS = DEBUG or TESTING  # serve from the app folders without collectstatic
MEDIA_ROOT = Path(os.environ.get("PORTAL_MEDIA_ROOT", BASE_DIR / ".local" / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- Email ---------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "agency.mail.EmailBackend",
)
# Django's SMTP backend, named as such, is the portal's: the same, but a line dropped after the
# message was sent is "uncertain", never retried by itself (agency.mail).
if EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend":
    EMAIL_BACKEND = "agency.mail.EmailBackend"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# Each SMTP step gives up after this many seconds: a send never outlasts the outbox's ten-minute
# lease (agency.outbox.SENDING_LEASE), after which a row still "sending" is called uncertain.
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "60"))


def default_from_email(base_host: str) -> str:
    """The portal's sender address when ``DEFAULT_FROM_EMAIL`` is not set (the name shown beside it is
    the agency's, from its brand: agency.emails.brand_sender). At a real domain, ``portal@`` it; on a
    development machine (``localhost``, ``*.localhost``: the demo's emails read "from
    portal@localhost") the demo agency's own domain, ``agency.example`` (its staff are
    sam@agency.example), a reserved domain no mail server delivers to (RFC 2606)."""
    host = base_host.strip().lower().rstrip(".")
    if "." not in host or host.endswith(".localhost"):
        host = "agency.example"
    return f"portal@{host}"


DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL") or default_from_email(PORTAL_BASE_HOST)

# --- Security (production) -----------------------------------------------------------------
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    CSRF_TRUSTED_ORIGINS = [f"https://{PORTAL_BASE_HOST}", f"https://*.{PORTAL_BASE_HOST}"]
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # httpx logs every request's whole URL at INFO, and some platforms' documented calls carry
    # secrets in the query string (Meta's token exchange: the app secret and the user's token), so
    # the HTTP client's own request log stays off; the connectors log what they did in words.
    "loggers": {
        "pgserver": {"level": "WARNING"}, "axes": {"level": "WARNING"},
        "httpx": {"level": "WARNING"}, "httpcore": {"level": "WARNING"},
    },
}

# --- The monthly close (reports) -------------------------------------------------------------
# Who may approve a month's report: "staff" (any agency staff member assigned to the client, and
# admins) or "admins" (agency admins only). The agency has no settings table: it is set here.
REPORT_APPROVERS = os.environ.get("PORTAL_REPORT_APPROVERS", "staff").strip().lower()
if REPORT_APPROVERS not in {"staff", "admins"}:
    raise ImproperlyConfigured("PORTAL_REPORT_APPROVERS must be 'staff' or 'admins'.")
# How long a share link of an approved month works, unless its creator chooses otherwise.
REPORT_SHARE_DAYS = int(os.environ.get("PORTAL_REPORT_SHARE_DAYS", "30"))
