"""Same figures before and after: dump, or compare, the 12 documents and the checks' findings of some
of bench/many_clients.py's clients, key by key.

    PORTAL_DATA_DIR=$PWD/.local/bench .venv/bin/python bench/snapshot_dump.py --out before.json [--clients 3]
    PORTAL_DATA_DIR=$PWD/.local/bench .venv/bin/python bench/snapshot_dump.py --out after.json --compare before.json

Computes the clients' 12 months with ``kpis.services.snapshot_compute`` (as a worker does), then
writes every stored document (without its ``computed_at``) and every stored finding (key,
subject, family, severity, figures, link) to ``--out``. With ``--compare``, prints every path
whose value differs from the other file's (floats compared exactly) and exits 1 if any does.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.many_clients import MONTHS, setup_django

FINDINGS = "mcx-findings"


def findings_client():
    """A clone of bench/many_clients.py's template whose data is bent so that the checks find
    something (made once, kept): days of traffic missing, email stopped, a month of many leads
    without channel or campaign, spend bursts, ad rows with delivery columns, a campaign named
    two ways. Not one of the bench's clients (its slug does not start with ``mc-0``)."""
    from django.conf import settings
    from django.db import transaction
    from django_tenants.clone import CloneSchema

    from agency.models import Client, Domain
    from bench.many_clients import TEMPLATE, TZ

    client = Client.objects.filter(slug=FINDINGS).first()
    if client is not None:
        return client
    template = Client.objects.get(slug=TEMPLATE)
    schema = FINDINGS.replace("-", "_")
    with transaction.atomic():
        CloneSchema().clone_schema(template.schema_name, schema, "DATA")
        client = Client(schema_name=schema, slug=FINDINGS, name="Findings", timezone=TZ, currency="EUR", is_ready=True)
        client.auto_create_schema = False
        client.save()
        Domain.objects.create(domain=f"{FINDINGS}.{settings.PORTAL_BASE_HOST}", tenant=client, is_primary=True)
        _bend(client)
    return client


def _bend(client) -> None:
    from django.db import connection
    from django_tenants.utils import tenant_context

    with tenant_context(client), connection.cursor() as cursor:
        cursor.execute("DELETE FROM clients_trafficrow WHERE date BETWEEN '2025-05-10' AND '2025-05-14'")
        cursor.execute("DELETE FROM clients_trafficrow WHERE date >= '2025-11-20'")
        cursor.execute("DELETE FROM clients_emailrow WHERE date >= '2025-09-01'")
        cursor.execute("UPDATE clients_lead SET campaign_id = NULL, channel = '' WHERE created_at >= '2025-07-01' "
                       "AND created_at < '2025-08-01' AND id LIKE '%%1'")
        cursor.execute("UPDATE clients_spend SET amount = amount * 9 WHERE date BETWEEN '2025-10-01' AND '2025-10-31'")
        cursor.execute("UPDATE clients_lead SET created_at = created_at - interval '20 days' "
                       "WHERE created_at >= '2025-04-01' AND created_at < '2025-04-20'")
        cursor.execute("INSERT INTO clients_campaign (id, name, channel, direction, nurture, social_network) "
                       "VALUES ('ads2', 'ADS', 'paid_search', 'inbound', false, '')")
        cursor.execute("UPDATE clients_spend SET platform = 'google_ads', clicks = CASE WHEN date > '2025-08-10' "
                       "AND date < '2025-08-20' THEN 0 ELSE 12 END, conversions = 1, impressions = 500 "
                       "WHERE campaign_id = 'ads'")
        cursor.execute("UPDATE clients_spend SET campaign_id = 'ads2' WHERE campaign_id = 'li' AND date >= '2025-06-01'")
        cursor.execute("UPDATE clients_lead SET campaign_id = 'ads2' WHERE campaign_id = 'li' AND created_at >= '2025-06-01'")
        cursor.execute("UPDATE clients_lead SET deal_value = NULL WHERE customer_at >= '2025-03-01'")


def dump(count: int) -> dict[str, Any]:
    from django.db import connection
    from django_tenants.utils import tenant_context

    from agency.models import Client
    from kpis.models import CheckResult, Snapshot
    from kpis.services import snapshot_compute

    found: dict[str, Any] = {}
    for client in [*Client.objects.filter(slug__startswith="mc-0").order_by("slug")[:count], findings_client()]:
        connection.set_schema_to_public()
        snapshot_compute(client=client, months=MONTHS)
        with tenant_context(client):
            documents = {
                str(s.month): {k: v for k, v in s.document.items() if k != "computed_at"}
                | {"columns": {f: getattr(s, f) for f in ("criteria_version", *Snapshot.HEADLINE)}}
                for s in Snapshot.objects.filter(month__in=MONTHS)
            }
            checks = {
                f"{r.month}|{r.key}|{r.subject}": {
                    "family": r.family, "severity": r.severity, "figures": r.figures, "link": r.link,
                    "resolved_at": str(r.resolved_at),
                }
                for r in CheckResult.objects.filter(month__in=MONTHS)
            }  # fmt: skip
        from portfolio.models import ClientMonthChecks, ClientMonthSummary

        summary = {
            str(row["month"]): {k: v for k, v in row.items() if k not in ("id", "computed_at")}
            for row in ClientMonthSummary.objects.filter(client=client, month__in=MONTHS).values()
        }
        counts = {
            str(row["month"]): {k: v for k, v in row.items() if k not in ("id", "updated_at")}
            for row in ClientMonthChecks.objects.filter(client=client, month__in=MONTHS).values()
        }
        found[client.slug] = {"documents": documents, "checks": checks, "summary": summary, "check_counts": counts}
    return found


def differences(a: Any, b: Any, path: str = "") -> list[str]:
    if isinstance(a, dict) and isinstance(b, dict):
        out = [f"{path}/{k}: only in before" for k in a.keys() - b.keys()]
        out += [f"{path}/{k}: only in after" for k in b.keys() - a.keys()]
        for k in a.keys() & b.keys():
            out += differences(a[k], b[k], f"{path}/{k}")
        return out
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [d for i, (x, y) in enumerate(zip(a, b, strict=True)) for d in differences(x, y, f"{path}[{i}]")]
    if type(a) is not type(b) or a != b:
        return [f"{path}: {a!r} != {b!r}"]
    return []


def leaves(value: Any) -> int:
    if isinstance(value, dict):
        return sum(leaves(v) for v in value.values())
    if isinstance(value, list):
        return sum(leaves(v) for v in value)
    return 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=3)
    parser.add_argument("--out", required=True)
    parser.add_argument("--compare")
    args = parser.parse_args()
    setup_django()
    found = json.loads(json.dumps(dump(args.clients), default=str))
    Path(args.out).write_text(json.dumps(found, indent=1, sort_keys=True))
    print(json.dumps({c: {"documents": len(v["documents"]), "findings": len(v["checks"])} for c, v in found.items()}))
    if args.compare:
        before = json.loads(Path(args.compare).read_text())
        found_differences = differences(before, found)
        for line in found_differences[:50]:
            print(line)
        print(json.dumps({"values_compared": leaves(before), "differences": len(found_differences)}))
        sys.exit(1 if found_differences else 0)


if __name__ == "__main__":
    main()
