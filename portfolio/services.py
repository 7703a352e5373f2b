"""Writes of the public KPI data: benchmark edits and the portfolio summary rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from agency.models import Client, User
from agency.months import Month
from agency.upsert import rows_upsert
from kpis.catalogue import is_kpi, kpi
from portfolio.models import Benchmark, ClientMonthChecks, ClientMonthSummary, ConnectionHealth, SourceFailure

BENCHMARK_FIELDS = (
    "kpi", "label", "platform", "low", "high", "unit", "currency", "source_name", "source_url", "citation", "position",
)


def _benchmark_errors(values: dict[str, Any]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not is_kpi(values.get("kpi")):
        errors["kpi"] = [_("Choose a KPI of the catalogue.")]
    elif not kpi(values["kpi"]).benchmarkable:
        errors["kpi"] = [_("This KPI is a total that depends on the client's size: a published band cannot be compared to it.")]
    elif values.get("unit") != kpi(values["kpi"]).unit:
        errors["unit"] = [_("A band is in its KPI's unit: %(unit)s.") % {"unit": kpi(values["kpi"]).unit.label}]
    low, high = values.get("low"), values.get("high")
    if low is None and high is None:
        errors["low"] = [_("Give at least one end of the band.")]
    elif low is not None and high is not None and low > high:
        errors["high"] = [_("The high end cannot be below the low end.")]
    if values.get("unit") == Benchmark.Unit.MONEY and not values.get("currency"):
        errors["currency"] = [_("Say which currency a money band is in.")]
    if not (values.get("source_name") or "").strip():
        errors["source_name"] = [_("Name the source of the figure.")]
    return errors


def benchmark_save(*, benchmark: Benchmark | None, values: dict[str, Any], user: User) -> Benchmark:
    """Create or change a benchmark band; only agency admins edit the agency's reference data."""
    if not user.is_agency_admin:
        raise ValidationError(_("Only agency admins edit benchmarks."))
    values = {key: values.get(key) for key in BENCHMARK_FIELDS if key in values}
    for text in ("currency", "source_url", "citation", "platform"):
        if values.get(text) is None and text in values:
            values[text] = ""
    if values.get("currency"):
        values["currency"] = values["currency"].upper()
    if "kpi" in values and "unit" not in values and is_kpi(values["kpi"]):
        values["unit"] = kpi(values["kpi"]).unit  # the catalogue's unit of the KPI
    errors = _benchmark_errors({**({} if benchmark is None else {f: getattr(benchmark, f) for f in BENCHMARK_FIELDS}), **values})
    if errors:
        raise ValidationError(errors)
    benchmark = benchmark or Benchmark()
    for key, value in values.items():
        setattr(benchmark, key, value)
    benchmark.updated_by = user
    benchmark.save()
    return benchmark


def benchmark_delete(*, benchmark: Benchmark, user: User) -> None:
    if not user.is_agency_admin:
        raise ValidationError(_("Only agency admins edit benchmarks."))
    benchmark.delete()


def client_month_summary_upsert(
    *, client: Client, snapshots: Iterable[Any], first_spend: dt.date | bool | None = True,
    traffic_months: set[dt.date] | None = None, data_months: set[dt.date] | None = None,
    leads_from: dt.date | bool | None = True,
) -> None:
    """Copy the headline figures of ``snapshots`` to the public summary (one row per client and month).

    ``first_spend``: the date of the client's first spend row (None: it has none; True: not read). Every
    month of the client then says whether it had spend loaded up to its end (``has_spend``), in one
    UPDATE: a spend file backdated to January changes February's answer too, not only January's figures.

    Called by ``kpis.services.snapshot_upsert`` inside its transaction, so the summary never
    disagrees with the snapshot it mirrors. ``INSERT … ON CONFLICT (client, month) DO UPDATE``.

    ``traffic_months``: the months of ``snapshots`` with a traffic row (kpis.nodata), as the inputs
    read them; a month whose sessions are above 0 has one anyway; None: not known (``has_traffic``
    null, read as loaded).

    ``data_months``: the months of ``snapshots`` with anything recorded in them (kpis.datastart.
    MONTH_ROWS, which the month's page reads too): ``has_data``, the close board's "Waiting for data";
    None: not known (null).

    ``leads_from``: the first month from which the client had a lead source (kpis.nodata.leads_loaded:
    its first lead's month, or the first month a CRM's completed sync covered; None: it has none; True:
    not read). Every month of the client then says whether it had one up to its end (``has_leads``), in
    the same UPDATE as ``has_spend``: a leads file backdated to January changes March's answer too.
    """
    rows = [
        {
            "client": client.pk,
            "month": snapshot.month,
            "computed_at": snapshot.computed_at,
            "criteria_version": snapshot.criteria_version,
            **ClientMonthSummary.figures_from(snapshot.document["kpis"], ClientMonthSummary.FIGURES),
            "has_traffic": _has_traffic(snapshot, traffic_months),
            "has_data": None if data_months is None else snapshot.month in data_months,
        }
        for snapshot in snapshots
    ]
    rows_upsert(
        model=ClientMonthSummary,
        rows=rows,
        unique=("client", "month"),
        update=("computed_at", "criteria_version", *ClientMonthSummary.FIGURES, "has_traffic", "has_data"),
    )
    # A plain statement: the ORM's UPDATE cost a small client's task 0.6 ms of Python, this 0.15
    # (docs/performance.md, "fourth session"). No first spend (no lead source): every month false.
    sets, values = [], []
    month = connection.ops.quote_name(ClientMonthSummary._meta.get_field("month").column)
    for flag, since in (("has_spend", first_spend), ("has_leads", leads_from)):
        if since is True:
            continue
        column = connection.ops.quote_name(ClientMonthSummary._meta.get_field(flag).column)
        sets.append(f"{column} = COALESCE({month} >= %s, false)")
        values.append(None if since is None else Month.of(since).first_day)
    if not sets:
        return
    table = connection.ops.quote_name(ClientMonthSummary._meta.db_table)
    client_id = connection.ops.quote_name(ClientMonthSummary._meta.get_field("client").column)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {', '.join(sets)} WHERE {client_id} = %s", [*values, client.pk]
        )  # table and column names from the model, values as parameters


def _has_traffic(snapshot: Any, traffic_months: set[dt.date] | None) -> bool | None:
    """Whether the snapshot's month has a traffic row: its sessions say so, else ``traffic_months``."""
    if (snapshot.document["kpis"].get("sessions") or 0) > 0:
        return True
    return None if traffic_months is None else snapshot.month in traffic_months


def source_failure_note(*, client: Client, source_id: int, source_name: str, ok: bool, message: str, at: Any,
                        words: dict | None = None) -> None:
    """Note (or clear, when ``ok``) a client's failing scheduled source, for the portfolio (``words``: its
    reason with its kind and what the address said, so the portfolio says it in the reader's language)."""
    if ok:
        SourceFailure.objects.filter(client=client, source_id=source_id).delete()
    else:
        SourceFailure.objects.update_or_create(
            client=client, source_id=source_id,
            defaults={"source_name": source_name, "failed_at": at, "message": message, "words": words or {}},
        )


CHECK_COUNTS = ("total", "high", "open", "open_high")


def client_month_checks_upsert(*, client: Client, counts: dict[Any, dict[str, int]]) -> None:
    """The console's counts of a client's months' checks (kpis.checks), one row per client and month:
    ``counts[month] = {"total", "high", "open", "open_high"}``. One statement whatever the months."""
    now = timezone.now()  # updated_at (auto_now: the ORM would set it on each row)
    rows_upsert(
        model=ClientMonthChecks,
        rows=[
            {"client": client.pk, "month": month, **{key: figures[key] for key in CHECK_COUNTS}, "updated_at": now}
            for month, figures in counts.items()
        ],
        unique=("client", "month"),
        update=(*CHECK_COUNTS, "updated_at"),
    )


def connection_health_note(
    *, client: Client, platform: str, label: str, state: str, reason: str, last_success_at: Any, failing_since: Any,
    token_expires_at: Any, at: Any, reason_words: dict | None = None,
) -> None:
    """Mirror a client's connection health for the portfolio; ``state`` empty: it was disconnected."""
    if not state:
        ConnectionHealth.objects.filter(client=client, platform=platform).delete()
        return
    row = ConnectionHealth(client=client, platform=platform, label=label, state=state, reason=reason[:2000],
                           reason_words=reason_words or {}, last_success_at=last_success_at,
                           failing_since=failing_since, token_expires_at=token_expires_at, updated_at=at)
    # One upsert statement (every sync of every client ends here).
    ConnectionHealth.objects.bulk_create([row], update_conflicts=True, unique_fields=["client", "platform"],
                                         update_fields=["label", "state", "reason", "reason_words", "last_success_at",
                                                        "failing_since", "token_expires_at", "updated_at"])
