"""Months without traffic or email rows, and customers without a deal value: when those figures of a
snapshot are not facts.

**Traffic and email results.** kpis.md sums a month's traffic rows into sessions and its email rows
into emails sent; over no rows the sum is 0, and a client whose agency loaded no traffic file (no GA4
export, no connection) for October reads "Sessions 0, no change" — which a client takes as "nobody
visited the website", when nobody knows. What "not loaded" means, where the spec is silent: the
source has **no row dated in the month at all**. A month with rows whose sessions add up to 0 keeps its
real 0 (the rows say nobody came); a month with none reads "—" with the reason. Unlike spend (whose
absence in a month is a fact: nothing was spent, kpis.nospend), traffic and email results are
measured every day, so a month without a single row is a month not loaded. A document whose presence
figures are above 0 (sessions; emails sent or delivered) has rows: nothing is read for it. Otherwise
an approved version's frozen answer (kpis.report.FROZEN's ``sources_loaded``), else the months with
rows of each source, read once on need (kpis.selectors_scorecard.source_row_months).

**Revenue without deal values.** A month with new customers but no marketing revenue (their deal
values were not in the CRM export) has, by kpis.md, ROMI −100 % and ROI −100 % — "marketing lost
everything" — when the revenue is simply unknown. The month's verdict already refuses to judge it
(kpis.report.month_verdict, through ``revenue_unpriced``); the revenue figures read "—" with the
reason too: revenue itself when no customer of the month has a deal value (it is then exactly 0),
marketing revenue, ROI, ROMI and the revenue uplift when no marketing revenue is recorded.

**Leads without a lead source.** A client whose leads come from nowhere — no CRM connected and no
leads file ever imported (a client connected through its ad platforms alone) — has, by kpis.md,
new leads 0, MQLs 0, customers 0, revenue 0 and ROMI −100 % every month: "New leads 0, no change" to a
client, as if nobody came, when nobody knows. Its lead figures (LEAD_FIGURES: the funnel's, what
divides by or counts its leads, customers or their revenue) read "—" with the reason instead. What
"has a lead source" means for month m, where the spec is silent, as for spend (kpis.nospend) and not
as for traffic: leads may have quiet months, so the source is judged **up to the month's end**, not
in the month — a lead created on or before m's last instant (imported, sent through the API or synced),
or a CRM connection (a connector of kind ``leads``: HubSpot) whose first completed sync read a window
starting on or before m's last day. A client with a lead source but no lead in a month keeps its real 0.
The document's own figures answer first (any lead count or database size above 0: no query), then an
approved version's frozen answer (``sources_loaded["leads"]``), then ``row_months["leads"]``: the
month of the first lead and of the first day a CRM sync covered, read once on need.

The stored document keeps kpis.md's values; every screen reads them through here (Scorecard.shown and
kpi_known, the portfolio's cells). Pure.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from kpis.catalogue import KPIS, kpis_in
from kpis.datastart import PRESENCE as DATA_PRESENCE

SOURCE_FIGURES: dict[str, frozenset[str]] = {
    "traffic": frozenset(k.key for k in kpis_in("traffic")),
    "email": frozenset(k.key for k in kpis_in("email")),
}
# A figure of the document above 0 shows a row of the source in the month (no query needed).
PRESENT: dict[str, tuple[str, ...]] = {"traffic": ("sessions",), "email": ("emails_sent", "emails_delivered")}



def _lead_figures() -> frozenset[str]:
    """The figures built on the client's leads: the funnel's (but working days, the calendar's), the
    revenue of its customers and the paid leads (month inputs counted from leads), and every figure whose
    formula reads one of them, however far (cost per lead, ROMI, CAC payback, traffic → lead rate…)."""
    keys = {k.key for k in kpis_in("funnel")} - {"working_days"} | {"revenue", "marketing_revenue", "paid_leads"}
    grown = True
    while grown:
        grown = False
        for declared in KPIS:
            if declared.key in keys or declared.formula is None:
                continue
            if keys & {*declared.formula.args, *(name for _arg, name in declared.formula.kwargs)}:
                keys.add(declared.key)
                grown = True
    return frozenset(keys)


LEAD_FIGURES = _lead_figures()
# A figure of the document above 0 shows a lead up to the month's end (the database size counts every
# lead created up to then): kpis.datastart's test of a month with leads.
LEADS_PRESENT = DATA_PRESENCE["leads"]

# Unknown when the month has new customers and no marketing revenue (the verdict's condition).
MARKETING_REVENUE_FIGURES = frozenset({
    "marketing_revenue", "roi", "romi", "revenue_uplift", "revenue_uplift_annualized", "revenue_uplift_rate",
})  # fmt: skip
# Unknown when the month has new customers and revenue exactly 0 (no deal value on any of them).
REVENUE_FIGURES = frozenset({"revenue"})


def figure_source(key: str) -> str | None:
    """The source (traffic, email) whose rows ``key`` is summed from; None for any other figure."""
    return next((source for source, keys in SOURCE_FIGURES.items() if key in keys), None)


def rows_shown(document: dict[str, Any] | None, source: str) -> bool:
    """The document's own figures show a row of ``source`` in its month (sessions above 0, …)."""
    kpis = (document or {}).get("kpis") or {}
    return any(isinstance(kpis.get(k), int | float) and kpis[k] > 0 for k in PRESENT[source])


def frozen_sources_loaded(document: dict[str, Any] | None) -> dict[str, bool] | None:
    """Which sources had rows in the month when the document was approved (kpis.report.FROZEN); None
    when it froze no answer."""
    frozen = (document or {}).get("report")
    found = frozen.get("sources_loaded") if isinstance(frozen, dict) else None
    return {source: bool(loaded) for source, loaded in found.items()} if isinstance(found, dict) else None


def source_loaded(
    source: str, document: dict[str, Any] | None, *, month: dt.date,
    row_months: dict[str, set[dt.date]] | Callable[[], dict[str, set[dt.date]] | None] | None,
) -> bool:
    """Whether ``source`` has a row dated in ``month``: from the document's figures, else its frozen
    answer, else ``row_months`` (each source's months with rows; a callable is called only then; None:
    not read, every month has rows)."""
    if rows_shown(document, source):
        return True
    frozen = frozen_sources_loaded(document)
    if frozen is not None and source in frozen:
        return frozen[source]
    months = row_months() if callable(row_months) else row_months
    return months is None or month in months.get(source, ())


def leads_loaded(
    document: dict[str, Any] | None, *, month: dt.date,
    row_months: dict[str, set[dt.date]] | Callable[[], dict[str, set[dt.date]] | None] | None,
) -> bool:
    """Whether the client had a lead source up to ``month``'s end (module docstring): from the
    document's lead figures, else its frozen answer, else ``row_months["leads"]`` (the months from which
    a source existed: any of them on or before ``month`` suffices; a callable is called only then; None,
    or no "leads" key: not read, taken as loaded)."""
    kpis = (document or {}).get("kpis") or {}
    if any(isinstance(kpis.get(k), int | float) and kpis[k] > 0 for k in LEADS_PRESENT):
        return True
    frozen = frozen_sources_loaded(document)
    if frozen is not None and "leads" in frozen:
        return frozen["leads"]
    months = row_months() if callable(row_months) else row_months
    if months is None or "leads" not in months:
        return True
    return any(m <= month for m in months["leads"])


def lead_figure_unknown(
    key: str, document: dict[str, Any] | None, *, month: dt.date,
    row_months: dict[str, set[dt.date]] | Callable[[], dict[str, set[dt.date]] | None] | None,
) -> bool:
    """``key`` is built on leads and the client had no lead source up to the month's end: "—", not 0."""
    return key in LEAD_FIGURES and document is not None and not leads_loaded(document, month=month, row_months=row_months)


# Figures over the traffic rows' landing page: unknown in a month whose traffic names none.
LANDING_FIGURES = frozenset({"active_landing_pages", "landing_page_conversion_rate"})


def landing_pages_unnamed(document: dict[str, Any] | None) -> bool:
    """The month has traffic but none of its rows names a landing page (a GA4 channel report, a
    file without the column): "0 active landing pages" would be no fact. Every session lands on a
    page, so sessions without any landing page say the column is missing, not that no page was active."""
    kpis = (document or {}).get("kpis") or {}
    pages = ((document or {}).get("breakdowns") or {}).get("landing_page")
    return bool(kpis.get("sessions")) and not pages  # the breakdown has a member per landing page named


# Figures over something some clients never send, judged from the month up to its end (as speed to
# lead is, kpis.nocontact): the leads' sales-accepted and unsubscribe dates (HubSpot's contacts export
# has no such column: sources.md maps none) and the leads' activities (the buying signals of sales-ready
# leads; a client fed by a contacts export has none). sources.md: a column a KPI needs and the file lacks makes
# the KPI unknown, never 0. Per kind: the figure that counts it in a month, the figures unknown without
# it, and the key of ``row_months`` (the months showing it) and of the frozen answer.
SINCE: dict[str, tuple[str, frozenset[str]]] = {
    "sal_dates": ("sals", frozenset({"sals", "sal_rate"})),
    "activities": ("sales_ready_leads", frozenset({"sales_ready_leads"})),
    # The leads' unsubscribe date (a contacts export without it: every opt-out rate 0 %).
    "unsubscribes": ("opt_out_rate", frozenset({"opt_out_rate"})),
}
SAL_FIGURES = SINCE["sal_dates"][1]


def never_sent(
    kind: str, document: dict[str, Any] | None, *, month: dt.date,
    row_months: dict[str, set[dt.date]] | Callable[[], dict[str, set[dt.date]] | None] | None,
) -> bool:
    """The month counts none of ``kind`` (SINCE) and none was sent up to its end: its figures are
    unknown, not 0. ``row_months[kind]``: the months showing one (a first month suffices)."""
    count, _figures = SINCE[kind]
    kpis = (document or {}).get("kpis") or {}
    if document is None or kpis.get(count) is None or kpis.get(count):
        return False  # one counted, or undefined for its own reason (an opt-out rate over an empty database)
    frozen = frozen_sources_loaded(document)
    if frozen is not None and kind in frozen:
        return not frozen[kind]
    months = row_months() if callable(row_months) else row_months
    return months is not None and not any(m <= month for m in months.get(kind, ()))


def never_sent_kind(key: str) -> str | None:
    """The SINCE kind whose absence makes ``key`` unknown; None for any other figure."""
    return next((kind for kind, (_count, figures) in SINCE.items() if key in figures), None)


def revenue_unpriced(document: dict[str, Any] | None) -> bool:
    """New customers in the month but no marketing revenue: their deal values are missing, not worth
    nothing (kpis.md would read ROMI −100 %). The month's verdict and the revenue figures judge by it."""
    kpis = (document or {}).get("kpis") or {}
    return bool(kpis.get("customers")) and not kpis.get("marketing_revenue")


def revenue_figure_unknown(key: str, document: dict[str, Any] | None) -> bool:
    """``key`` is a revenue figure the month's missing deal values make unknown (module docstring)."""
    if key in MARKETING_REVENUE_FIGURES:
        return revenue_unpriced(document)
    if key in REVENUE_FIGURES:
        kpis = (document or {}).get("kpis") or {}
        return bool(kpis.get("customers")) and kpis.get("revenue") == 0
    return False


def document_facts(
    document: dict[str, Any], *, month: dt.date,
    row_months: dict[str, set[dt.date]] | Callable[[], dict[str, set[dt.date]] | None] | None,
) -> dict[str, Any]:
    """``document`` as a sentence reads it: the figures of a source without rows in the month, the
    revenue figures its missing deal values make unknown and, without a lead source, the lead figures
    (the month's and its breakdown members') are None (undefined), so that no "What changed" or draft
    line says "sessions −100.0 %", "ROMI fell from 120 % to −100 %" or "no new leads". A copy when
    anything changes; the stored document keeps kpis.md's values."""
    kpis = document.get("kpis") or {}
    if LEAD_FIGURES & kpis.keys() and not leads_loaded(document, month=month, row_months=row_months):
        breakdowns = {
            dimension: {
                member: {key: (None if key in LEAD_FIGURES else value) for key, value in figures.items()}
                for member, figures in members.items()
            }
            for dimension, members in (document.get("breakdowns") or {}).items()
        }
        document = {**document, "breakdowns": breakdowns,
                    "kpis": {key: (None if key in LEAD_FIGURES else value) for key, value in kpis.items()}}
        kpis = document["kpis"]
    unknown = {key for key in kpis if revenue_figure_unknown(key, document)}
    for kind, (_count, figures) in SINCE.items():
        if figures & kpis.keys() and never_sent(kind, document, month=month, row_months=row_months):
            unknown |= figures & kpis.keys()
    for source, keys in SOURCE_FIGURES.items():
        if any(key in kpis for key in keys) and not source_loaded(source, document, month=month, row_months=row_months):
            unknown |= keys & kpis.keys()
    if not unknown:
        return document
    return {**document, "kpis": {key: (None if key in unknown else value) for key, value in kpis.items()}}


def summary_revenue_unknown(key: str, *, customers: Any, revenue: Any) -> bool:
    """``key`` of a portfolio row (kpis.portfolio: the public summary has customers and revenue, not
    marketing revenue) is a revenue figure that missing deal values make unknown: the month has new
    customers and revenue exactly 0 (no deal value on any of them; then marketing revenue is 0 too)."""
    if key not in MARKETING_REVENUE_FIGURES | REVENUE_FIGURES:
        return False
    return bool(customers) and revenue == 0
