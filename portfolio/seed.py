"""The benchmark figures the product ships with (kpis.md, "Benchmarks").

Used by the data migration that seeds them and by ``benchmarks_seed`` to restore them.  Each
names its publisher as kpis.md does (HubSpot's cost-per-lead research, the B2B practice
literature, FranConnect's lead response report); the citation says what the figure is. Agency
admins can edit any of them (and add the publisher they trust) at the console.
"""

from __future__ import annotations

SPEC_SOURCE = "Agency portal KPI catalogue (kpis.md, “Benchmarks”): published industry figures"  # before #12
# The published source of each figure, as kpis.md names it: a client sees who said so, never an
# internal document.
HUBSPOT = "HubSpot, research on cost per lead by industry (US dollars)"
PRACTICE = "B2B marketing practice literature (widely quoted; no single study)"
FRANCONNECT = "FranConnect, lead response report"

BENCHMARKS: list[dict] = [
    {
        "kpi": "cpl",
        "label": "Media and publishing",
        "low": 11.0,
        "high": 25.0,
        "unit": "money",
        "currency": "USD",
        "industry": "media",
        "source_name": HUBSPOT,
        "citation": "Cost per lead by industry: media and publishing about $11–25.",
        "position": 10,
    },
    {
        "kpi": "cpl",
        "label": "Financial services",
        "low": 51.0,
        "high": 100.0,
        "unit": "money",
        "currency": "USD",
        "industry": "financial_services",
        "source_name": HUBSPOT,
        "citation": "Cost per lead by industry: financial services about $51–100.",
        "position": 20,
    },
    {
        "kpi": "lead_to_customer_rate",
        "label": "Typical",
        "low": 0.02,
        "high": 0.05,
        "unit": "rate",
        "currency": "",
        "source_name": PRACTICE,
        "citation": "Lead-to-customer conversion is typically 2–5%.",
        "position": 10,
    },
    {
        "kpi": "marketing_sourced_customer_share",
        "label": "Companies with field sales",
        "low": 0.20,
        "high": 0.40,
        "unit": "rate",
        "currency": "",
        "source_name": PRACTICE,
        "citation": "Marketing-sourced share of new customers: 20–40% for companies with field sales.",
        "position": 10,
    },
    {
        "kpi": "marketing_sourced_customer_share",
        "label": "Companies with inside sales",
        "low": 0.40,
        "high": 0.80,
        "unit": "rate",
        "currency": "",
        "source_name": PRACTICE,
        "citation": "Marketing-sourced share of new customers: 40–80% for companies with inside sales.",
        "position": 20,
    },
    {
        "kpi": "contacted_within_4h_share",
        "label": "Won deals: most first contacted within 4 hours",
        "low": 0.5,
        "high": None,
        "unit": "rate",
        "currency": "",
        "source_name": FRANCONNECT,
        "citation": "Most won deals were first contacted within 4 hours of the lead arriving (“most”: more than half).",
        "position": 10,
    },
]


def benchmarks_seed(benchmark_model: type) -> int:
    """Create the shipped benchmarks that are missing (matched on kpi + label); returns how many.
    Only the fields the (possibly historical, in a migration) model has are set."""
    fields = {f.name for f in benchmark_model._meta.get_fields()}
    created = 0
    for figures in BENCHMARKS:
        _obj, was_created = benchmark_model.objects.get_or_create(
            kpi=figures["kpi"],
            label=figures["label"],
            defaults={k: v for k, v in figures.items() if k not in {"kpi", "label"} and k in fields},
        )
        created += was_created
    return created


def benchmarks_cite_publishers(benchmark_model: type) -> int:
    """Shipped bands that still cite the spec (an internal document) now name their publisher and,
    where the figure is by industry, the industry; bands the agency edited are left alone."""
    changed = 0
    for figures in BENCHMARKS:
        changed += benchmark_model.objects.filter(kpi=figures["kpi"], label=figures["label"], source_name=SPEC_SOURCE).update(
            source_name=figures["source_name"], industry=figures.get("industry", "")
        )
    return changed


def benchmarks_shipped_industries(benchmark_model: type) -> int:
    """Shipped bands of one industry that have none (seeded before the column existed, they were
    shown to every client: an industrial client saw "Media and publishing") get it; returns how many."""
    changed = 0
    for figures in BENCHMARKS:
        if figures.get("industry"):
            changed += benchmark_model.objects.filter(kpi=figures["kpi"], label=figures["label"], industry="").update(
                industry=figures["industry"]
            )
    return changed
