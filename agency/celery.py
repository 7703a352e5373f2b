"""The Celery app: tenant-aware, so a task runs in the schema of the client it was sent for.

tenant-schemas-celery stamps the sender's schema in the ``_schema_name`` header and switches
the worker's connection to it before the task runs. Code in the public schema that queues
work for a client goes through :func:`agency.tasks.enqueue_for_client`, which names the
client explicitly instead of relying on whatever schema the connection happens to be in.
"""

from __future__ import annotations

import os

from celery.schedules import crontab
from tenant_schemas_celery.app import CeleryApp

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "agency.settings")

app = CeleryApp("agency")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    # Close the previous month for every client, early on the 1st (UTC).
    "close-previous-month": {
        "task": "kpis.tasks.dispatch_month_close",
        "schedule": crontab(minute=15, hour=2, day_of_month=1),
    },
    # Fetch every client's scheduled sources (CSV files at a URL) daily, before the refresh below.
    "fetch-scheduled-sources": {
        "task": "clients.tasks.dispatch_scheduled_sources",
        "schedule": crontab(minute=0, hour=1),
    },
    # Connected platforms (clients.connectors): every 10 minutes, queue the connections whose
    # nightly time has come (spread between 01:00 and 05:00 in each client's zone), read from the
    # public due index: only the schemas of clients with something due are opened.
    "connector-syncs": {
        "task": "clients.tasks.dispatch_connection_syncs",
        "schedule": crontab(minute="*/10"),
    },
    # The connections' due index (agency.models.ConnectionDue) rebuilt from the clients' schemas, a
    # safety net for a schema restored behind the code's back; midday UTC, away from the nights.
    "connections-due-rebuild": {
        "task": "clients.tasks.dispatch_connections_due_rebuild",
        "schedule": crontab(minute=40, hour=12),
    },
    # Retry the DNS TXT check of custom domains waiting for verification.
    "check-pending-domains": {
        "task": "agency.tasks.domain_claims_check",
        "schedule": crontab(minute="*/15"),
    },
    # The monthly close: the month that ended enters the close, and goes to review once each
    # client's settling delay has passed (reports.tasks).
    "month-reviews": {
        "task": "reports.tasks.dispatch_month_reviews",
        "schedule": crontab(minute=5),
    },
    # The staff's daily digest of the month's checks left to look at (one email a day at most).
    "checks-digest": {
        "task": "reports.tasks.dispatch_checks_digest",
        "schedule": crontab(minute=0, hour=7),
    },
    # Refresh the current month's snapshot daily.
    "refresh-current-month": {
        "task": "kpis.tasks.dispatch_current_month_refresh",
        "schedule": crontab(minute=30, hour=3),
    },
    # Emails whose send failed are retried by a drain queued for them; this sweep catches any lost.
    "drain-outboxes": {
        "task": "clients.tasks.dispatch_outbox_drain",
        "schedule": crontab(minute=45),
    },
    # The same for the agency's own outbox (staff's account emails and digest, in the public schema).
    "drain-public-outbox": {
        "task": "agency.tasks.public_outbox_drain",
        "schedule": crontab(minute=45),
        "kwargs": {"follow": False},
    },
    # After the close, hourly on the 1st and the 2nd: clients whose close was lost (a killed
    # worker's task that the broker never gave back) are closed again; closed ones are left alone.
    "close-previous-month-missing": {
        "task": "kpis.tasks.dispatch_month_close_missing",
        "schedule": crontab(minute=5, hour="3-23", day_of_month="1-2"),
    },
    # After the daily refresh, hourly: clients whose current month was not computed today (a lost
    # task) are refreshed again.
    "refresh-current-month-missing": {
        "task": "kpis.tasks.dispatch_current_month_refresh_missing",
        "schedule": crontab(minute=50, hour="4-23"),
    },
    # A debounced recompute whose task was lost (kpis.recompute's deadlines) is sent again.
    "recompute-overdue": {"task": "kpis.tasks.recompute_overdue_dispatch", "schedule": 60.0},
    # Recomputes kept in the database while Redis was down (agency.degrade) are queued.
    "drain-recompute-outbox": {"task": "kpis.tasks.recompute_outbox_drain", "schedule": 10.0},
    # Jobs whose worker died are marked failed (clients.jobs), within a minute.
    "fail-stale-jobs": {"task": "clients.tasks.jobs_stale_sweep", "schedule": 15.0},
    # Bulk approvals' months whose task was lost are refused (reports.services_bulk), so the board stops polling.
    "refuse-stale-bulk-approvals": {"task": "reports.tasks.bulk_approval_stale_sweep_task", "schedule": 300.0},
    # Bulk approvals finished 30 days ago are deleted (reports.services_bulk.KEEP_FOR); the approved
    # months stay in each client's report versions.
    "forget-old-bulk-approvals": {"task": "reports.tasks.bulk_approvals_forget_task", "schedule": crontab(minute=20, hour=4)},
}
