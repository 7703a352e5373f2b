"""What the drivers of change and the commentary draft cost for one client-month (floor: 200 ms).

    .venv/bin/python bench/drivers_draft.py [--campaigns 300] [--runs 30]

A large client's documents, made up but shaped like the snapshot's (kpis/snapshot.py): 12
channels, ``--campaigns`` campaigns, 12 personas, 6 platforms with paid-media figures, for the
month, the month before and the same month a year before; every KPI of ``kpis.explain.SHAPES``
split by every breakdown (exact fractions), then the whole draft (drivers, targets, the quarter's
pace, sentences with their figures) in English and in Spanish, and the report's "What changed".
The documents are what ``kpis.selectors_scorecard.draft_inputs`` reads in five queries; this measures the
Python side, which is what grows with the breakdowns. Prints the machine's load, the median CPU
time (``time.process_time``: what the web worker spends, steadier on a shared machine) and the
median and slowest wall time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "agency.settings")
os.environ.setdefault("PORTAL_TESTING", "true")
os.environ.setdefault("DEBUG", "true")  # development settings: the embedded PostgreSQL and Redis

FLOOR_MS = 200


def documents(campaigns: int, seed: int = 7) -> dict[dt.date, dict]:
    rnd = random.Random(seed)
    channels = ["organic_search", "paid_search", "organic_social", "paid_social", "email", "referral", "direct",
                "display", "affiliate", "video", "events", "unattributed"]  # fmt: skip
    docs = {}
    for month, scale in ((dt.date(2025, 10, 1), 0.8), (dt.date(2026, 9, 1), 1.0), (dt.date(2026, 10, 1), 1.1)):
        def member(spend_scale: float = 1.0, scale: float = scale) -> dict:
            sessions = rnd.randint(0, 4000)
            leads = rnd.randint(0, 120)
            spend = round(rnd.uniform(0, 9000) * spend_scale * scale, 2)
            return {"sessions": sessions, "new_leads": leads, "mqls": rnd.randint(0, leads), "customers": rnd.randint(0, 4),
                    "marketing_spend": spend, "cpl": spend / leads if leads else None,
                    "ad_spend": spend, "conversion_value": round(spend * rnd.uniform(0.5, 5), 2),
                    "platform_conversions": rnd.randint(0, 90)}  # fmt: skip
        breakdowns = {
            "channel": {c: member() for c in channels},
            "campaign": {f"c{i}": member(0.1) for i in range(campaigns)},
            "persona": {
                f"p{i}": {k: v for k, v in member().items() if k in ("new_leads", "mqls", "customers")} for i in range(12)
            },
            "platform": {p: member() for p in ("google_ads", "meta", "linkedin", "tiktok", "microsoft", "x")},
        }
        channel = breakdowns["channel"].values()
        kpis = {k: sum(m[k] for m in channel) for k in ("sessions", "new_leads", "mqls", "customers", "marketing_spend")}
        platform = breakdowns["platform"].values()
        kpis.update({k: sum(m[k] for m in platform) for k in ("ad_spend", "conversion_value", "platform_conversions")})
        kpis.update(working_days=22, sales_spend=5000.0, sqls=40)
        kpis["cpl"] = kpis["marketing_spend"] / kpis["new_leads"]
        kpis["cost_per_mql"] = kpis["marketing_spend"] / kpis["mqls"]
        kpis["cac"] = (kpis["marketing_spend"] + 5000) / kpis["customers"]
        docs[month] = {"kpis": kpis, "breakdowns": breakdowns}
    return docs


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--campaigns", type=int, default=300)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    import django

    django.setup()
    from django.utils import translation

    from kpis.draft import DraftInputs, month_draft
    from kpis.pacing import MonthFigures

    docs = documents(args.campaigns)
    october = dt.date(2026, 10, 1)
    quarter = [
        MonthFigures(october, 22, 22, docs[october]["kpis"], {"mqls": 600, "new_leads": 1200, "marketing_spend": 90000}),
        MonthFigures(dt.date(2026, 11, 1), 21, 0, None, {"mqls": 600, "new_leads": 1200, "marketing_spend": 90000}),
        MonthFigures(dt.date(2026, 12, 1), 20, 0, None, {"mqls": 600, "new_leads": 1200, "marketing_spend": 90000}),
    ]
    inputs = DraftInputs(month=october, documents=docs, targets={"mqls": 600, "cpl": 80.0}, quarter=quarter, currency="EUR")
    timings: dict[str, list[tuple[float, float]]] = {"en": [], "es": []}
    for _ in range(args.runs):
        for language in timings:
            started, cpu = time.perf_counter(), time.process_time()
            with translation.override(language):
                draft = month_draft(inputs)
            timings[language].append(((time.perf_counter() - started) * 1000, (time.process_time() - cpu) * 1000))
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    for language, runs in timings.items():
        wall, cpu = [w for w, _c in runs], [c for _w, c in runs]
        print(f"draft ({language}), {args.campaigns} campaigns: CPU median {statistics.median(cpu):.1f} ms, "
              f"wall median {statistics.median(wall):.1f} ms, slowest {max(wall):.1f} ms (floor {FLOOR_MS} ms); "
              f"{len(draft.lines())} sentences")  # fmt: skip


if __name__ == "__main__":
    main()
