"""Reads of one client's data (the current schema)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from django.core.cache import cache
from django.db.models import Max, Min, QuerySet

from clients.models import Activity, ApiToken, Campaign, Contract, EmailRow, Job, Lead, Persona, Spend, TrafficRow


def data_summary() -> list[dict[str, Any]]:
    """Row counts and date ranges per data kind, for the home page's data panel."""
    kinds = [
        ("campaigns", Campaign.objects, None),
        ("spend", Spend.objects, "date"),
        ("leads", Lead.objects, "created_at"),
        ("activities", Activity.objects, "occurred_at"),
        ("traffic", TrafficRow.objects, "date"),
        ("email", EmailRow.objects, "date"),
        ("contracts", Contract.objects, "start_date"),
        ("personas", Persona.objects, None),
    ]
    summary = []
    for kind, manager, date_field in kinds:
        if date_field:
            row = manager.aggregate(first=Min(date_field), last=Max(date_field))
            count = manager.count()
        else:
            row, count = {"first": None, "last": None}, manager.count()
        summary.append({"kind": kind, "count": count, "first": row["first"], "last": row["last"]})
    return summary


# --- imports --------------------------------------------------------------------------------

def import_pending_path(*, client: Any, token: str) -> Path | None:
    """The uploaded, not yet confirmed file named by ``token`` in this client's folder, if any."""
    from clients.services import imports_dir

    if not re.fullmatch(r"[0-9a-f]{32}", token or ""):
        return None
    path = imports_dir(client=client) / f"pending-{token}.csv"
    return path if path.is_file() else None


def import_jobs_recent(*, limit: int = 20) -> QuerySet[Job]:
    return Job.objects.filter(kind="import").select_related("created_by")[:limit]


def job_progress_key(*, job_id: int) -> str:
    # The cache's key function adds the schema, so the same id at another client is another key.
    return f"job-progress:{job_id}"


def job_progress(*, job: Job) -> tuple[int, int]:
    """(rows processed, total) of a job: live from the cache while it runs (its transaction is open)."""
    if job.status == Job.Status.RUNNING:
        return int(cache.get(job_progress_key(job_id=job.id)) or job.progress), job.total
    return job.progress, job.total


# --- API tokens -----------------------------------------------------------------------------

def api_token_for_secret(*, secret: str) -> ApiToken | None:
    """The live token with this secret, looked up in the current client's schema only.

    A token of client A presented at B's host is therefore unknown (401) at B.
    """
    from clients.services import api_token_hash

    if not secret:
        return None
    return ApiToken.objects.filter(token_hash=api_token_hash(secret), revoked_at__isnull=True).first()


def api_tokens_list() -> QuerySet[ApiToken]:
    return ApiToken.objects.select_related("created_by")
