"""What the pages read of stored snapshots: the scorecard's months, notes, targets and benchmarks, the
report's frozen names, and the commentary draft's inputs.

Reads only: no KPI is computed here (kpis.selectors gathers a snapshot's inputs, kpis.services
stores it). kpis.scorecard, kpis.report and kpis.draft format what these return.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection
from django.db.models import Q, Subquery
from django.utils import timezone as django_timezone

from agency.models import ExchangeRate
from agency.months import Month
from clients.connectors.registry import PLATFORMS
from clients.models import (
    Activity,
    Campaign,
    CriteriaVersion,
    EmailRow,
    Holiday,
    Lead,
    Persona,
    Spend,
    SyncRun,
    TrafficRow,
)
from clients.selectors import revenue_data_exists
from clients.sources.currencies import MAX_AGE as RATE_MAX_AGE
from clients.sources.currencies import RateBook
from kpis.catalogue import target_in_range
from kpis.checks.selectors import tracking_faults
from kpis.datastart import MONTH_ROWS, PRESENCE, sources_present
from kpis.draft import DraftInputs
from kpis.models import Annotation, CheckResult, Snapshot
from kpis.nocontact import contact_times_loaded
from kpis.nodata import document_facts, leads_loaded, source_loaded
from kpis.nospend import document_known, frozen_has_spend, spend_loaded
from kpis.pacing import MonthFigures, quarter_months, working_days_in
from kpis.report import frozen_converted, frozen_days, frozen_names, report_frozen
from kpis.scorecard import Scorecard
from kpis.selectors import rows_fetch
from kpis.selectors_report import report_period
from portfolio.models import Benchmark, Target
from portfolio.selectors import benchmarks_by_kpi

HISTORY_MONTHS = 13  # the summary's charts: the month and the twelve before it


def scorecard_load(*, month: dt.date, compare: str, client: Any, now: dt.datetime | None = None) -> Scorecard:
    """The month's snapshot, the comparison month's, 13 months of history, their annotations and
    the month's targets: three queries whatever the months or members (a fourth, the holidays,
    only while the month is in progress: kpis.selectors_report.report_period)."""
    compare_to = (Month.of(month) - 12).first_day if compare == "year" else (Month.of(month) - 1).first_day
    first = min((Month.of(month) - (HISTORY_MONTHS - 1)).first_day, compare_to)
    rows = {s.month: s for s in Snapshot.objects.filter(month__gte=first, month__lte=month)}
    notes = list(Annotation.objects.filter(month__gte=(Month.of(month) - (HISTORY_MONTHS - 1)).first_day, month__lte=month))
    # The quarter's targets in the same query: the month's, and the others' for the quarter's pace
    # (a stored target outside its KPI's range, from before targets were bounded, is left out).
    quarter_targets: dict[dt.date, dict[str, float]] = {m: {} for m in quarter_months(month)}
    for target_month, key, value in Target.objects.filter(client=client, month__in=list(quarter_targets)).values_list(
        "month", "kpi", "value"
    ):
        if target_in_range(key, value):
            quarter_targets[target_month][key] = value
    targets = quarter_targets[month]
    snapshot = rows.get(month)
    total = snapshot.document["kpis"].get("working_days") if snapshot else None
    return Scorecard(
        month=month,
        compare_to=compare_to,
        snapshot=snapshot,
        history=rows,
        annotations=notes,
        targets=targets,
        period=report_period(month=month, client=client, now=now, working_total=total),
        quarter_targets=quarter_targets,
        # Read only when a month's document froze no answer (kpis.nospend): a client's approved
        # months read nothing of the rows.
        first_spend_read=spend_first_date,
        first_contact_read=contact_first_month,  # kpis.nocontact: read only for a month of uncontacted leads
        first_data_read=data_first_months,  # kpis.datastart: read on a chart's first need
        row_months_read=source_row_months,  # kpis.nodata: read only for a month showing no traffic or email rows
        # kpis.nodata: read only for a month whose customers' revenue shows (a partial figure says so)
        unpriced_read=lambda: customers_unpriced(month=month, timezone=client.timezone),
        nurture_marked_read=nurture_marked,  # kpis.nurture: read only for a month of 0 nurture leads
        # kpis.draft_tracking: read only by "What changed" (a move is not put down to a split a fault distorts)
        faults_read=lambda: tracking_faults(months=(month, compare_to)),
        currency=client.currency,
    )


def _stamp_columns(*, month: dt.date, compare: str, client: Any) -> tuple[list[str], list[Any]]:
    """The stamp's light aggregates as scalar subqueries (and their parameters): the snapshots of
    the months shown, the notes, the month's targets, the benchmark bands and the exchange rates
    that convert the money bands (kpis.scorecard.band_conversion)."""
    compare_to = (Month.of(month) - 12).first_day if compare == "year" else (Month.of(month) - 1).first_day
    first = min((Month.of(month) - (HISTORY_MONTHS - 1)).first_day, compare_to)
    snapshot, note = Snapshot._meta.db_table, Annotation._meta.db_table
    target, benchmark, rate = Target._meta.db_table, Benchmark._meta.db_table, ExchangeRate._meta.db_table
    check = CheckResult._meta.db_table
    # The rates a band is converted with: those of the client's currency and of every money band's,
    # dated within the 7-day rule before the day benchmarks_for_month converts on (a few rows
    # through the (currency, date) index). Any rate loaded or corrected there makes a new stamp.
    day = min(Month.of(month).last_day, django_timezone.localdate())
    columns = [
        f"(SELECT count(*) || ':' || coalesce(max(computed_at)::text, '') FROM {snapshot} WHERE month BETWEEN %s AND %s)",
        f"(SELECT count(*) || ':' || coalesce(max(created_at)::text, '') FROM {note} WHERE month BETWEEN %s AND %s)",
        f"(SELECT count(*) || ':' || coalesce(max(updated_at)::text, '') FROM {target}"
        " WHERE client_id = %s AND month BETWEEN %s AND %s)",
        f"(SELECT count(*) || ':' || coalesce(max(updated_at)::text, '') FROM {benchmark})",
        f"""(SELECT coalesce(string_agg(currency || date::text || '=' || per_euro::text, ',' ORDER BY currency, date), '')
             FROM {rate} WHERE date BETWEEN %s AND %s
             AND (currency = %s OR currency IN (SELECT upper(currency) FROM {benchmark} WHERE unit = %s)))""",
        # The tracking checks "What changed" reads (kpis.draft_tracking): one found or gone is a new stamp.
        f"""(SELECT coalesce(string_agg(key || month::text, ',' ORDER BY month, key), '')
             FROM {check} WHERE month IN (%s, %s) AND key LIKE 'tracking.%%')""",
    ]
    params = [
        first, month,
        (Month.of(month) - (HISTORY_MONTHS - 1)).first_day, month,
        client.pk, quarter_months(month)[0], quarter_months(month)[-1],  # the quarter's: its pace reads them
        day - RATE_MAX_AGE, day, (client.currency or "").upper(), Benchmark.Unit.MONEY,
        compare_to, month,
    ]  # fmt: skip
    return columns, params


def scorecard_stamp(*, month: dt.date, compare: str, client: Any) -> str:
    """What the rendered scorecard depends on, from light aggregates: any change makes a new stamp.

    Snapshots (recomputed), notes, targets, benchmark bands and the rates that convert them, in
    one round trip; the caller adds the language.
    """
    columns, params = _stamp_columns(month=month, compare=compare, client=client)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(columns)}", params)  # table names from the models, values as parameters
        return "|".join(cursor.fetchone())


@dataclass(frozen=True)
class PageRead:
    """What a cached scorecard page reads, in one round trip (scorecard_page_read)."""

    months: list[dt.date]  # every month with a snapshot, newest first
    stamp: str  # scorecard_stamp's, for the month asked
    criteria: bool  # the client has qualification criteria (clients.criteria.selectors.criteria_exist)
    extra: dict[str, Any]  # the caller's own columns, by name


def scorecard_page_read(
    *, month: dt.date, compare: str, client: Any, extra: dict[str, tuple[str, list[Any]]] | None = None
) -> PageRead:
    """Everything a scorecard page served from the cache needs from the database, in one query:
    the months with a snapshot, the stamp of ``month``, whether criteria exist, and the
    ``extra`` scalar SQL expressions (``{name: (sql, params)}``: the monthly close's rule, the
    header's client switcher) so that none of them costs a round trip of its own."""
    columns, params = _stamp_columns(month=month, compare=compare, client=client)
    extra = extra or {}
    head = [
        f"(SELECT coalesce(array_agg(month ORDER BY month DESC), '{{}}') FROM {Snapshot._meta.db_table})",
        f"EXISTS (SELECT 1 FROM {CriteriaVersion._meta.db_table})",
    ]
    for sql, values in extra.values():
        columns.append(sql)
        params.extend(values)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(head + columns)}", params)  # table names from the models, values as parameters
        row = cursor.fetchone()
    stamp_count = len(columns) - len(extra)
    return PageRead(
        months=list(row[0]),
        criteria=bool(row[1]),
        stamp="|".join(row[2 : 2 + stamp_count]),
        extra=dict(zip(extra, row[2 + stamp_count :], strict=True)),
    )


def paid_media_days(*, month: dt.date) -> list[tuple[dt.date, float, float | None]]:
    """The month's ad rows (spend rows with a platform) by day: (day, ad spend, clicks or None when
    no row of the day gives them), for the report's daily chart. One aggregate query."""
    rows = rows_fetch(
        """
        SELECT date, sum(amount), sum(clicks) FROM clients_spend
        WHERE date >= %s AND date < %s AND platform <> '' GROUP BY 1 ORDER BY 1
        """,
        [Month.of(month).first_day, (Month.of(month) + 1).first_day],
    )
    return [(day, float(amount), None if clicks is None else float(clicks)) for day, amount, clicks in rows]


def paid_media_currencies(*, month: dt.date) -> dict[str, list[tuple[str, float, float]]]:
    """The month's ad rows whose amounts were converted (a platform's account in another currency
    than the client's, docs/sources.md "Currencies"), by platform: [(currency, amount as the
    platform gave it, amount converted)], so that the report says so beside its figures. One query."""
    rows = rows_fetch(
        """
        SELECT platform, currency, sum(original_amount), sum(amount) FROM clients_spend
        WHERE date >= %s AND date < %s AND platform <> '' AND currency <> '' AND original_amount IS NOT NULL
        GROUP BY 1, 2 ORDER BY 1, 2
        """,
        [Month.of(month).first_day, (Month.of(month) + 1).first_day],
    )
    found: dict[str, list[tuple[str, float, float]]] = {}
    for platform, currency, original, converted in rows:
        found.setdefault(platform, []).append((currency, float(original), float(converted)))
    return found


def campaign_names() -> dict[str, str]:
    """The current client's campaigns by id: a breakdown names them as the client does (one query)."""
    return dict(Campaign.objects.values_list("id", "name"))


def persona_names() -> dict[str, str]:
    """The current client's personas by code: a breakdown names them ("Finance lead", not "cfo"; one query)."""
    return dict(Persona.objects.values_list("code", "name"))


def report_frozen_read(*, month: dt.date, document: dict[str, Any]) -> dict[str, Any]:
    """What an approval freezes beside the month's figures (kpis.report.FROZEN): its ad rows by day
    and the ad amounts converted from a platform's own currency, the names of the campaigns and
    personas its breakdowns hold, whether the client has revenue data and whether it has a spend row
    dated up to the month's end (kpis.nospend), a first-contact time (kpis.nocontact) and traffic and
    email rows in the month (kpis.nodata) and whether a campaign is marked nurture (kpis.nurture), as
    the rows say now. Ten queries at most."""
    members = set(document.get("breakdowns", {}).get("campaign", {}))
    names = dict(Campaign.objects.filter(id__in=members).values_list("id", "name")) if members else {}
    codes = set(document.get("breakdowns", {}).get("persona", {}))
    personas = dict(Persona.objects.filter(code__in=codes).values_list("code", "name")) if codes else {}
    has_spend = Spend.objects.filter(date__lt=(Month.of(month) + 1).first_day).exists()
    has_contact_times = contact_times_loaded(month=month, first_contact=contact_first_month())
    return report_frozen(
        days=paid_media_days(month=month), converted=paid_media_currencies(month=month), names=names,
        has_revenue=revenue_data_exists(), has_spend=has_spend,
        has_contact_times=has_contact_times, personas=personas, sources_loaded=sources_loaded_in(month),
        unpriced_customers=customers_unpriced(month=month, timezone=getattr(connection.tenant, "timezone", "UTC")),
        nurture_marked=nurture_marked(),
    )


def nurture_marked() -> bool:
    """Whether any of the client's campaigns is marked nurture (kpis.nurture: else its nurture leads of 0
    say so); one query."""
    return Campaign.objects.filter(nurture=True).exists()


# The connectors that bring leads (a CRM: HubSpot): a completed sync of one is a lead source for the
# months its window covers, leads or not (kpis.nodata.leads_loaded).
CRM_PLATFORMS = tuple(slug for slug, connector in PLATFORMS.items() if connector.kind == "leads")


def lead_source_months() -> set[dt.date]:
    """The month of the client's first lead (in its time zone) and the month of the first day a CRM
    sync read (a completed one): a lead source exists from the earlier of them (kpis.nodata.leads_loaded).
    Two reads, each the first entry of an index or a few rows."""
    zone = ZoneInfo(getattr(connection.tenant, "timezone", "UTC") or "UTC")
    months = set()
    first_lead = Lead.objects.order_by("created_at").values_list("created_at", flat=True).first()
    if first_lead is not None:
        months.add(Month.of(first_lead, zone).first_day)
    first_synced = (
        SyncRun.objects.filter(ok=True, connection__platform__in=CRM_PLATFORMS)
        .order_by("window_from").values_list("window_from", flat=True).first()
    )
    if first_synced is not None:
        months.add(Month.of(first_synced).first_day)
    return months


def lead_source_by(month: dt.date) -> bool:
    """Whether the client had a lead source up to ``month``'s end: a lead created before it, or a CRM's
    completed sync whose window starts on or before its last day (kpis.nodata.leads_loaded). Two EXISTS."""
    _start, end = Month.of(month).bounds(ZoneInfo(getattr(connection.tenant, "timezone", "UTC") or "UTC"))
    return Lead.objects.filter(created_at__lt=end).exists() or SyncRun.objects.filter(
        ok=True, connection__platform__in=CRM_PLATFORMS, window_from__lte=Month.of(month).last_day
    ).exists()


def source_row_months() -> dict[str, set[dt.date]]:
    """The months with a traffic row and with an email row, those whose snapshot counts a SAL or an
    opt-out, the first activity's and the months from which a lead source exists (kpis.nodata): seven
    reads, made only for a month whose figures show none of a source's rows."""
    return {
        "leads": lead_source_months(),
        "traffic": set(TrafficRow.objects.dates("date", "month")),
        "email": set(EmailRow.objects.dates("date", "month")),
        "sal_dates": set(Snapshot.objects.filter(document__kpis__sals__gt=0).values_list("month", flat=True)),
        "unsubscribes": set(Snapshot.objects.filter(document__kpis__opt_out_rate__gt=0).values_list("month", flat=True)),
        "activities": {Month.of(first.date()).first_day for first in Activity.objects.order_by("occurred_at")
                       .values_list("occurred_at", flat=True)[:1]},  # the first activity's month suffices
    }


def customers_unpriced(*, month: dt.date, timezone: str) -> int:
    """How many of ``month``'s new customers have no deal value (kpis.nodata: a revenue figure then
    counts only the others): one count, read only for a month with customers whose revenue shows."""
    start, end = Month.of(month).bounds(ZoneInfo(timezone))
    return Lead.objects.filter(customer_at__gte=start, customer_at__lt=end, deal_value__isnull=True).count()


def sources_loaded_in(month: dt.date) -> dict[str, bool]:
    """Whether the traffic and the email results have a row dated in ``month``, whether the CRM had
    sent a sales-accepted or unsubscribe date and any activity up to its end, and whether the client had
    a lead source by then (kpis.nodata): what an approval freezes. Seven EXISTS."""
    first, after = Month.of(month).first_day, (Month.of(month) + 1).first_day
    return {
        "leads": lead_source_by(month),
        "traffic": TrafficRow.objects.filter(date__gte=first, date__lt=after).exists(),
        "email": EmailRow.objects.filter(date__gte=first, date__lt=after).exists(),
        # Whether the CRM had sent a sales-accepted date up to the month's end (a month counting a SAL).
        "sal_dates": Snapshot.objects.filter(month__lte=month, document__kpis__sals__gt=0).exists(),
        "unsubscribes": Snapshot.objects.filter(month__lte=month, document__kpis__opt_out_rate__gt=0).exists(),
        # Whether any activity occurred up to its end (by UTC: only a client's very first activity in the
        # month's last hours could be judged a month late).
        "activities": Activity.objects.filter(occurred_at__lt=dt.datetime.combine(after, dt.time(), dt.UTC)).exists(),
    }


def spend_first_date() -> dt.date | None:
    """The date of the client's first spend row (None: it has none): one query, the first entry of an
    index. A month before it has no spend loaded (kpis.nospend)."""
    return Spend.objects.order_by("date").values_list("date", flat=True).first()


def data_first_months() -> dict[str, dt.date | None]:
    """Each source's first month with rows (kpis.datastart; None: no month has any), read from the
    stored snapshots' presence figures: one query over a row per month, not a scan of the rows."""
    keys = sorted({key for keys in PRESENCE.values() for key in keys})
    first: dict[str, dt.date | None] = dict.fromkeys(PRESENCE)
    for month, *values in Snapshot.objects.order_by("month").values_list(
        "month", *(f"document__kpis__{key}" for key in keys)
    ):
        for source in sources_present({"kpis": dict(zip(keys, values, strict=True))}):
            if first[source] is None:
                first[source] = month
        if all(first.values()):
            break
    return first


def snapshot_months_with_data() -> set[dt.date]:
    """The months whose snapshot shows a row dated in them (kpis.datastart.MONTH_ROWS): one query."""
    has_row = Q()
    for key in MONTH_ROWS:
        has_row |= Q(**{f"document__kpis__{key}__gt": 0})
    return set(Snapshot.objects.filter(has_row).values_list("month", flat=True))


def contact_first_month() -> dt.date | None:
    """The first month whose new leads include one with a first-contact time (None: no month has one;
    kpis.nocontact): read from the stored snapshots (their uncontacted_share below 1), a few rows,
    not a scan of the leads. Read only for a month whose new leads all lack one."""
    return (
        Snapshot.objects.filter(document__kpis__new_leads__gt=0, document__kpis__uncontacted_share__lt=1)
        .order_by("month")
        .values_list("month", flat=True)
        .first()
    )


def month_traffic_loaded(*, snapshot: Snapshot, month: dt.date) -> bool:
    """Whether the month has a traffic row (kpis.nodata): from its figures or frozen answer (no query),
    else one EXISTS."""

    def row_months() -> dict[str, set[dt.date]]:
        first, after = Month.of(month).first_day, (Month.of(month) + 1).first_day
        return {"traffic": {month} if TrafficRow.objects.filter(date__gte=first, date__lt=after).exists() else set()}

    return source_loaded("traffic", snapshot.document, month=month, row_months=row_months)


def month_leads_loaded(*, snapshot: Snapshot, month: dt.date) -> bool:
    """Whether the client had a lead source up to the month's end (kpis.nodata.leads_loaded): from its
    figures or frozen answer (no query), else two EXISTS."""
    return leads_loaded(snapshot.document, month=month, row_months=lambda: {"leads": {month} if lead_source_by(month) else set()})


def month_has_spend(*, snapshot: Snapshot | None, month: dt.date) -> bool:
    """Whether the month's costs are facts (kpis.nospend): as its approved document froze it (no
    query), else whether a spend row is dated up to the month's end (one EXISTS)."""
    frozen = frozen_has_spend(snapshot.document if snapshot else None)
    if frozen is not None:
        return frozen
    return Spend.objects.filter(date__lt=(Month.of(month) + 1).first_day).exists()


def report_days(*, snapshot: Snapshot | None, month: dt.date) -> list[tuple[dt.date, float, float | None]]:
    """The month's ad rows by day as the viewer's document has them: frozen in an approved version
    (no query), else read from the rows (staff, a month the close never held)."""
    frozen = frozen_days(snapshot.document if snapshot else None)
    return frozen if frozen is not None else paid_media_days(month=month)


def report_converted(*, snapshot: Snapshot | None, month: dt.date) -> dict[str, list[tuple[str, float, float]]]:
    """The month's converted ad amounts by platform as the viewer's document has them: frozen in an
    approved version (no query), else read from the rows."""
    frozen = frozen_converted(snapshot.document if snapshot else None)
    return frozen if frozen is not None else paid_media_currencies(month=month)


def report_names(*, snapshot: Snapshot | None) -> dict[str, str]:
    """The campaigns' names as the viewer's document has them: frozen at approval, else read."""
    frozen = frozen_names(snapshot.document if snapshot else None)
    return frozen if frozen is not None else campaign_names()


def report_persona_names(*, snapshot: Snapshot | None) -> dict[str, str]:
    """The personas' names as the viewer's document has them: frozen at approval (a persona renamed
    since does not rename what the client approved), else read (staff; versions from before)."""
    frozen = frozen_names(snapshot.document if snapshot else None, "persona_names")
    return frozen if frozen is not None else persona_names()


def benchmark_rates(*, bands: dict[str, list[Benchmark]], currency: str, day: dt.date) -> dict[str, tuple[Decimal, dt.date]]:
    """The agency's reference rates (units per 1 EUR) on or before ``day`` within the 7-day rule,
    for the client's currency and those of the money bands in another: what converts a band
    (kpis.scorecard.band_conversion). A currency without such a rate is left out. One query per
    currency, only when some band needs converting."""
    others = {
        (b.currency or "").upper()
        for group in bands.values()
        for b in group
        if b.unit == Benchmark.Unit.MONEY and b.currency and b.currency.upper() != currency.upper()
    }
    if not others:
        return {}
    book = RateBook()
    rates = {}
    for code in sorted(others | {currency.upper()}):
        if code == "EUR":
            continue
        found = book.per_euro(code, day)
        if found is not None:
            rates[code] = found
    return rates


def benchmarks_for_month(*, currency: str, month: dt.date) -> dict[str, Any]:
    """The keyword arguments ``kpis.scorecard.tiles`` needs for benchmarks: every band, and the rates
    of the month's last day (or of today while the month runs: a later rate does not exist yet)."""
    bands = benchmarks_by_kpi()
    day = min(Month.of(month).last_day, django_timezone.localdate())
    return {"benchmarks": bands, "rates": benchmark_rates(bands=bands, currency=currency, day=day)}


# --- the commentary draft's reads (kpis.draft writes it; reports' close page shows it) ----------


def draft_inputs(*, month: dt.date, client: Any) -> DraftInputs:
    """What the draft of ``month`` reads, in five queries whatever the breakdowns: the snapshots of
    the month, the month before, the same month a year before and the quarter's months so far; the
    quarter's targets; its holidays (working days of months not computed yet); the campaigns' and
    personas' names. The quarter is paced as at the month's end."""
    previous, last_year = (Month.of(month) - 1).first_day, (Month.of(month) - 12).first_day
    quarter = quarter_months(month)
    wanted = {month, previous, last_year, *(m for m in quarter if m <= month)}
    # The client's first spend date rides on the snapshots' query: a month without spend loaded up to
    # its end has no costs to write about (kpis.nospend: its spend figures read as None).
    read = Snapshot.objects.filter(month__in=wanted).annotate(
        first_spend=Subquery(Spend.objects.order_by("date").values("date")[:1])
    )
    rows_read: list[dict[str, set[dt.date]]] = []

    def row_months() -> dict[str, set[dt.date]]:  # kpis.nodata: read only for a month showing no traffic or email rows
        if not rows_read:
            rows_read.append(source_row_months())
        return rows_read[0]

    documents = {
        s.month: document_facts(
            document_known(s.document, has_spend=spend_loaded(month=s.month, first_spend=s.first_spend)),
            month=s.month, row_months=row_months,
        )
        for s in read
    }
    targets: dict[dt.date, dict[str, float]] = {m: {} for m in quarter}
    for target_month, key, value in Target.objects.filter(client=client, month__in=quarter).values_list("month", "kpi", "value"):
        if target_in_range(key, value):
            targets[target_month][key] = value
    holidays = frozenset(
        Holiday.objects.filter(date__gte=quarter[0], date__lte=Month.of(quarter[-1]).last_day).values_list("date", flat=True)
    )
    months = []
    for m in quarter:
        total = working_days_in(m, holidays)
        document = documents.get(m) if m <= month else None
        months.append(
            MonthFigures(
                month=m,
                working_total=total,
                working_elapsed=total if m <= month else 0,
                figures=document["kpis"] if document else None,
                targets=targets[m],
            )
        )
    names = {"campaign": campaign_names(), "persona": persona_names()}
    return DraftInputs(
        month=month, documents=documents, targets=targets[month], quarter=months, currency=client.currency, names=names
    )
