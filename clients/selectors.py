"""Reads of one client's data (the current schema)."""

from __future__ import annotations

from typing import Any

from django.db.models import Max, Min

from clients.models import Activity, Campaign, Contract, EmailRow, Lead, Persona, Spend, TrafficRow


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
