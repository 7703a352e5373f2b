"""Reads of one client's data (the current schema)."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.core.cache import cache
from django.db.models import Count, Max, Min, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, NullIf
from django.urls import reverse
from django.utils.translation import gettext as _

from agency.months import Month
from clients.criteria.qualification import judges
from clients.criteria.rules import lead_value, rule_matches
from clients.models import (
    Activity,
    ApiToken,
    Campaign,
    Contract,
    CriteriaVersion,
    EmailRow,
    Holiday,
    Job,
    Lead,
    Persona,
    ScheduledSource,
    Spend,
    TrafficRow,
)
from clients.storage import imports_dir


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

def api_token_hash(secret: str) -> str:
    """The stored form of an API token's secret (only its SHA-256 is kept)."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def api_token_for_secret(*, secret: str) -> ApiToken | None:
    """The live token with this secret, looked up in the current client's schema only.

    A token of client A presented at B's host is therefore unknown (401) at B.
    """
    if not secret:
        return None
    return ApiToken.objects.filter(token_hash=api_token_hash(secret), revoked_at__isnull=True).first()


def api_tokens_list() -> QuerySet[ApiToken]:
    return ApiToken.objects.select_related("created_by")


# --- leads and why they qualified ---------------------------------------------------------------


def leads_search(*, query: str = "", status: str = "") -> QuerySet[Lead]:
    leads = Lead.objects.annotate(
        resolved_channel=Coalesce(NullIf("channel", Value("")), "campaign__channel", Value("direct"))
    ).order_by("-created_at", "id")
    if query:
        leads = leads.filter(Q(id__icontains=query) | Q(email__icontains=query))
    if status == "mql":
        leads = leads.filter(mql_at__isnull=False)
    elif status == "not_mql":
        leads = leads.filter(mql_at__isnull=True)
    return leads


def _leaf_results(rule: dict, lead: Lead, path: str = "fit") -> list[dict[str, Any]]:
    if not rule:
        return []
    for group in ("all", "any"):
        if group in rule:
            return [r for i, member in enumerate(rule[group]) for r in _leaf_results(member, lead, f"{path}.{group}[{i}]")]
    return [{"path": path, "rule": rule, "value": lead_value(lead, rule["field"]), "matched": rule_matches(rule, lead)}]


def lead_qualification_explain(*, lead: Lead, timezone: str) -> dict[str, Any]:
    """Why one lead is (or is not) an MQL, step by step — the same rules the SQL engine applies."""
    zone = ZoneInfo(timezone)
    judge = next(
        (j for j in judges(versions=list(CriteriaVersion.objects.all()), zone=zone) if j.start <= lead.created_at < j.end),
        None,
    )
    if judge is None or judge.version is None:
        return {"version": None}
    criteria = judge.criteria
    fits = rule_matches(criteria.get("fit", {}), lead)
    attribute_points = [
        {
            "rule": {k: v for k, v in entry.items() if k != "points"},
            "points": entry["points"],
            "matched": rule_matches({k: v for k, v in entry.items() if k != "points"}, lead),
        }
        for entry in criteria.get("points", [])
        if "action" not in entry
    ]
    base = sum(p["points"] for p in attribute_points if p["matched"])
    per_action: dict[str, float] = {}
    for entry in criteria.get("points", []):
        if "action" in entry:
            per_action[entry["action"]] = per_action.get(entry["action"], 0) + entry["points"]
    activities = list(lead.activities.order_by("occurred_at", "id"))
    threshold = criteria.get("threshold", 0)

    def score(moment: dt.datetime) -> float:
        return base + sum(per_action.get(a.action, 0) for a in activities if a.occurred_at <= moment)

    timeline, threshold_at = [], None
    if fits and score(lead.created_at) >= threshold:
        threshold_at = lead.created_at
    for activity in activities:
        at = max(activity.occurred_at, lead.created_at)
        running = score(at)
        timeline.append(
            {
                "activity": activity,
                "points": per_action.get(activity.action, 0),
                "score": running,
                "buying_signal": activity.action in criteria.get("sales_ready_actions", []),
            }
        )
        if fits and threshold_at is None and activity.occurred_at > lead.created_at and running >= threshold:
            threshold_at = activity.occurred_at
    signals = [a for a in activities if a.action in criteria.get("sales_ready_actions", [])]
    ready_at = max(lead.created_at, signals[0].occurred_at) if fits and signals else None
    candidates = [t for t in (ready_at, threshold_at) if t is not None]
    mql_at = min(candidates) if candidates else None
    return {
        "version": judge.version,
        "criteria": criteria,
        "fits": fits,
        "fit_rules": _leaf_results(criteria.get("fit", {}), lead),
        "attribute_points": attribute_points,
        "base": base,
        "threshold": threshold,
        "timeline": timeline,
        "score_at_creation": score(lead.created_at),
        "threshold_at": threshold_at,
        "ready_at": ready_at,
        "mql_at": mql_at,
        "fast_tracked": ready_at is not None and (threshold_at is None or ready_at < threshold_at),
    }


def criteria_periods(versions: list[Any]) -> list[dict[str, Any]]:
    """When each criteria version is in force, as qualification applies them (clients.criteria.qualification
    .judges): ordered by effective date then version, each runs until the next one starts; the
    first also covers everything before it. ``cut_short``: its range ends at a version saved
    *before* it with a later date, so it does not run open-ended as its author may expect;
    ``never``: a later save on the same date replaced it entirely. Newest version first."""
    import datetime as dt

    ordered = sorted(versions, key=lambda v: (v.effective_from, v.version))
    rows = []
    for index, version in enumerate(ordered):
        following = ordered[index + 1] if index + 1 < len(ordered) else None
        until = following.effective_from - dt.timedelta(days=1) if following else None
        rows.append(
            {
                "version": version,
                "since": None if index == 0 else version.effective_from,
                "until": until,
                "never": following is not None and following.effective_from <= version.effective_from and index > 0,
                "cut_short": following is not None and following.version < version.version,
                "cut_by": following if following is not None and following.version < version.version else None,
            }
        )
    return sorted(rows, key=lambda row: -row["version"].version)


# --- set-up checklist (home page) and the no-criteria warning (scorecard) -------------------

def criteria_exist() -> bool:
    """Whether the client has any qualification criteria (without them no lead is an MQL)."""
    return CriteriaVersion.objects.exists()


def setup_steps() -> list[dict[str, Any]]:
    """The steps a new client goes through before its scorecard means something, each done or not."""
    has_campaigns = Campaign.objects.exists() or ScheduledSource.objects.exists()
    return [
        {"key": "campaigns", "done": has_campaigns, "url": reverse("imports"), "admin_only": False,
         "label": _("Campaigns, or a source that creates them"),
         "help": _("Import campaigns first (spend, leads and email refer to them), "
                   "or an ad platform's export, which creates them.")},
        {"key": "criteria", "done": criteria_exist(), "url": reverse("criteria_edit"), "admin_only": True,
         "label": _("Qualification criteria"),
         "help": _("Until they exist, no lead is an MQL and every MQL figure reads zero.")},
        {"key": "personas", "done": Persona.objects.exists(), "url": reverse("persona_add"), "admin_only": False,
         "label": _("Buyer personas"), "help": _("Leads are broken down by persona.")},
        {"key": "holidays", "done": Holiday.objects.exists(), "url": reverse("holidays"), "admin_only": False,
         "label": _("Holidays"),
         "help": _("Non-working days, for leads per working day.")},
        {"key": "contracts", "done": Contract.objects.exists(), "url": reverse("contract_add"), "admin_only": False,
         "label": _("Contracts"), "help": _("Retainers and projects, for MRR, churn and lifetime value.")},
    ]


def spend_conversions(*, month: dt.date) -> list[dict[str, Any]]:
    """Converted spend of a month, grouped by original currency and reference rate (one query).

    Each row: currency, rate (client currency units per unit), rate_date, days, original and
    converted totals. Spend in the client's own currency has no currency stored and is left out.
    """
    end = (Month.of(month) + 1).first_day
    return list(
        Spend.objects.filter(date__gte=month, date__lt=end, exchange_rate__isnull=False).exclude(currency="")
        .values("currency", "exchange_rate", "rate_date")
        .annotate(days=Count("date", distinct=True), original=Sum("original_amount"), converted=Sum("amount"))
        .order_by("currency", "rate_date")
    )


def revenue_data_exists() -> bool:
    """Whether the client ever had revenue imported: a contract, or a lead with a deal value. A
    HubSpot contacts export carries none; until then ROMI (−100 %) and revenue (0) say nothing, so
    a default executive summary leaves them out (kpis.report.summary_keys). Run in the client's schema."""
    return Contract.objects.exists() or Lead.objects.filter(deal_value__isnull=False).exclude(deal_value=0).exists()


def first_lead_month(*, timezone: str) -> dt.date | None:
    """The first day of the month (client's zone) of the client's earliest lead; None without leads.
    A first criteria version takes effect from there, so past months are not left at 0 MQLs."""
    first = Lead.objects.aggregate(first=Min("created_at"))["first"]
    return Month.of(first, ZoneInfo(timezone)).first_day if first else None
