"""Benchmark: drawing one month's report PDF for the demo data (the target is under 2 s).

    PORTAL_DATA_DIR=$PWD/.local/pbench .venv/bin/python bench/report_pdf.py [--runs 5] [--language en]

Sets up (once, kept between runs) a client ``bench-pdf`` with 14 months of demo data
(``generate_demo_data``, 200 leads a month, seed 5, ending 2026-10) and its snapshots, with every
benchmark band and a USD rate, so the PDF carries what it carries for a real client: the summary
with its charts, the detail groups with their bands, the lifetime value table and all seven
breakdowns. Then draws the PDF of 2026-10 ``--runs`` times with ``kpis.services.report_pdf_build``,
deleting the kept file before each run so every run draws (the download and the monthly email
normally read the kept file). Prints each run, the median, the page count and the load average.
Figures are recorded in docs/performance.md ("The report PDF").
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "agency.settings")
os.environ.setdefault("DEBUG", "true")  # development settings: the embedded PostgreSQL and Redis
SLUG = "bench-pdf"
MONTH = dt.date(2026, 10, 1)


def setup() -> Any:  # the Client, imported after django.setup()
    import django

    django.setup()
    from decimal import Decimal

    from django.core.management import call_command
    from django_tenants.utils import tenant_context

    from agency.models import Client, ExchangeRate
    from agency.services import client_create, public_tenant_ensure
    from kpis.models import Snapshot
    from kpis.selectors import data_months
    from kpis.services import snapshot_compute
    from portfolio.models import Benchmark
    from portfolio.seed import benchmarks_seed

    call_command("migrate_schemas", "--shared", verbosity=0)
    public_tenant_ensure()
    benchmarks_seed(Benchmark)
    ExchangeRate.objects.get_or_create(currency="USD", date=dt.date(2026, 10, 30), defaults={"per_euro": Decimal("1.0870")})
    client = Client.objects.filter(slug=SLUG).first()
    client = client or client_create(slug=SLUG, name="Bench report", timezone="Europe/Madrid")
    with tenant_context(client):
        have = Snapshot.objects.count()
    if have < 14:
        call_command("generate_demo_data", SLUG, months=14, leads_per_month=200, seed=5, end="2026-10")
        with tenant_context(client):
            snapshot_compute(client=client, months=data_months(timezone=client.timezone))
    return client


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--language", default="en")
    args = parser.parse_args()
    client = setup()
    from django.conf import settings

    from kpis.services import report_pdf_build

    kept = Path(settings.MEDIA_ROOT) / client.schema_name / "reports"
    report_pdf_build(client=client, month=MONTH, language=args.language)  # warm: imports, fonts, first queries
    timings = []
    pdf = b""
    for _run in range(max(1, args.runs)):
        shutil.rmtree(kept, ignore_errors=True)  # every run draws; nothing is read from the kept file
        started = time.perf_counter()
        pdf = report_pdf_build(client=client, month=MONTH, language=args.language) or b""
        timings.append(time.perf_counter() - started)
    import pypdfium2

    pages = len(pypdfium2.PdfDocument(pdf))
    load = os.getloadavg()
    print("runs (s):", " ".join(f"{t:.3f}" for t in timings))
    print(f"median {statistics.median(timings):.3f} s, {pages} pages, {len(pdf) / 1024:.0f} KiB")
    print(f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
