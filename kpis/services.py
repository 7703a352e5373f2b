"""Writes of KPI snapshots: compute a client's months and upsert them."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django_tenants.utils import tenant_context
from psycopg.types.json import Jsonb

from agency.branding import brand_for
from agency.models import Client
from agency.months import Month
from clients.jobs import job_enqueue
from clients.models import Holiday, Job
from kpis import CODE_VERSION
from kpis.breakdowns_shown import drilldown_tables
from kpis.catalogue import KPI_KEYS, plan_targets, target_in_range
from kpis.catalogue import kpi as kpi_declared
from kpis.checks.services import checks_compute
from kpis.datastart import month_recorded
from kpis.exports import changes_line, report_pdf_path, scorecard_pdf
from kpis.formulas.planning import reverse_funnel, round_up, spread
from kpis.models import Annotation, Snapshot
from kpis.notes import revision_note
from kpis.report import client_today, last_complete_month, report_context
from kpis.scorecard import card_as_shown, lifetime_value_panel, tiles
from kpis.selectors import check_facts, snapshot_inputs, trailing_rates
from kpis.selectors_report import report_summary_keys
from kpis.selectors_scorecard import (
    benchmarks_for_month,
    lead_source_months,
    report_converted,
    report_days,
    report_names,
    report_persona_names,
    scorecard_load,
    scorecard_stamp,
    spend_first_date,
)
from kpis.signals import snapshots_computed
from kpis.snapshot import snapshot_document
from kpis.visibility import Shown, approval_for
from portfolio.models import Target
from portfolio.services import client_month_summary_upsert


def snapshot_compute(*, client: Client, months: list[dt.date]) -> list[Snapshot]:
    """Compute and store the snapshots of ``months`` (first days) for ``client``.

    The period is always given: nothing here reads "now" to decide what to compute. Re-running
    is safe: each month is an upsert on its unique key, so any number of runs, concurrent or
    not, leave one row per month with the values of the data as it is.
    """
    if not months:
        return []
    months = sorted(set(months))
    with tenant_context(client):
        inputs = snapshot_inputs(months=months, timezone=client.timezone)
        computed_at = timezone.now()
        rows = []
        for month in months:
            document = snapshot_document(inputs=inputs, month=month, client=client, computed_at=computed_at)
            rows.append(snapshot_row(month=month, document=document, computed_at=computed_at))
        snapshots = snapshot_upsert(client=client, rows=rows, first_spend=inputs.first_spend,
                                    traffic_months=set(inputs.traffic))  # the months with a traffic row
        # They take the figures just stored and what the inputs counted over the leads: neither is read again.
        kpis = {row.month: row.document["kpis"] for row in rows}
        checks_compute(client=client, months=months, facts=check_facts(inputs, kpis=kpis))
        return snapshots


def snapshot_row(*, month: dt.date, document: dict[str, Any], computed_at: dt.datetime) -> Snapshot:
    kpis = document["kpis"]
    return Snapshot(
        month=month,
        document=document,
        criteria_version=document["criteria_version"],
        computed_at=computed_at,
        code_version=CODE_VERSION,
        **Snapshot.figures_from(kpis, Snapshot.HEADLINE),
    )


FIRST_SPEND_UNREAD = object()  # snapshot_upsert's default: the client's first spend date is read there


def snapshot_upsert(
    *, client: Client, rows: list[Snapshot], first_spend: Any = FIRST_SPEND_UNREAD, traffic_months: set[dt.date] | None = None
) -> list[Snapshot]:
    """INSERT … ON CONFLICT (month) DO UPDATE: one statement, one row per month whatever the races.

    In the same transaction, the headline figures go to the public portfolio summary
    (portfolio.ClientMonthSummary, one row per client and month), so the console's view of
    all clients never disagrees with a client's own snapshots. Runs in the client's schema:
    the public table is reached through the search path. ``first_spend``: the client's first spend
    date (None: no spend row) as the inputs of ``rows`` read it (``snapshot_compute``: with the
    reference tables, no statement of its own); read here when not given.
    """
    with transaction.atomic():
        snapshots = _snapshots_write(rows)
        # Whether each month has spend loaded up to its end, which the portfolio reads (kpis.nospend).
        if first_spend is FIRST_SPEND_UNREAD:
            first_spend = spend_first_date()
        # Whether anything is recorded in each month, judged as the month's page judges it (the close board).
        data_months = {snapshot.month for snapshot in snapshots if month_recorded(snapshot.document)}
        # The first month from which the client had a lead source (kpis.nodata.leads_loaded): two reads,
        # the first entry of an index each; the portfolio's lead figures read "—" before it.
        leads_from = min(lead_source_months(), default=None)
        client_month_summary_upsert(client=client, snapshots=snapshots, first_spend=first_spend, traffic_months=traffic_months,
                                    data_months=data_months, leads_from=leads_from)
        snapshots_computed.send(sender=Snapshot, client=client, months=[snapshot.month for snapshot in snapshots])
    return snapshots


def _headline_from_document(name: str) -> str:
    """The SQL reading a headline column from the row's document as ``Snapshot.figures_from`` does:
    the KPI's value (the digits Python wrote, read by the same correctly rounded conversion), else
    NULL where the column allows it and 0 where it does not."""
    field = Snapshot._meta.get_field(name)
    cast = "numeric::bigint" if field.get_internal_type() == "BigIntegerField" else "float8"
    value = f"(v.document -> 'kpis' ->> '{name}')::{cast}"
    return value if field.null else f"COALESCE({value}, 0)"


def _snapshots_write(rows: list[Snapshot]) -> list[Snapshot]:
    """The upsert itself, one ``VALUES`` row per month with four parameters (month, document,
    computed_at, code version); the criteria version and the headline columns are read from the
    document in SQL, as ``snapshot_row`` read them.

    Not ``bulk_create(update_conflicts=True)``: on PostgreSQL Django sends many rows as one array
    per column (``UNNEST``), and an array of JSON documents is escaped element by element, quote by
    quote, in Python — the largest fixed cost of a small client's snapshot task. Nor a parameter
    per column: 180 of them for 12 months make a statement psycopg does not keep converted, and
    re-parses in Python for every client (docs/performance.md, "Many small clients").
    """
    if not rows:
        return rows
    quote = connection.ops.quote_name
    columns = ["month", "document", "criteria_version", "computed_at", "code_version", *Snapshot.HEADLINE]
    read = ["v.month", "v.document", "(v.document ->> 'criteria_version')::int", "v.computed_at", "v.code_version",
            *map(_headline_from_document, Snapshot.HEADLINE)]  # fmt: skip
    updates = ", ".join(f"{quote(c)} = EXCLUDED.{quote(c)}" for c in columns[1:])
    values = ", ".join(["(%s::date, %s::jsonb, %s::timestamptz, %s)"] * len(rows))
    params = [value for row in rows for value in (row.month, Jsonb(row.document), row.computed_at, row.code_version)]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(Snapshot._meta.db_table)} ({', '.join(map(quote, columns))}) SELECT {', '.join(read)} "
            f"FROM (VALUES {values}) AS v(month, document, computed_at, code_version) "
            f"ON CONFLICT (month) DO UPDATE SET {updates} RETURNING id, month",
            params,
        )  # table and column names from the model, values as parameters
        ids = dict((month, pk) for pk, month in cursor.fetchall())
    for row in rows:
        row.pk = ids[row.month]
        row._state.adding, row._state.db = False, connection.alias
    return rows


def plan_compute(
    *,
    client: Client,
    revenue_goal: float,
    average_deal: float,
    first_month: dt.date,
    last_month: dt.date,
    rates: dict[str, float | None] | None = None,
) -> dict[str, Any]:
    """The reverse-funnel plan of formats.md ``plan_funnel``: totals, rates used, and per month."""
    given = {k: v for k, v in (rates or {}).items() if v is not None}
    with tenant_context(client):
        used = {**trailing_rates(before=first_month, timezone=client.timezone), **given}
        holidays = set(Holiday.objects.values_list("date", flat=True))
    totals = reverse_funnel(revenue_goal=float(revenue_goal), average_deal=float(average_deal), rates=used)
    days = {
        str(month): month.working_days(holidays) for month in Month.range(Month.of(first_month), Month.of(last_month))
    }
    return {
        **{name: round_up(value) for name, value in totals.items()},
        "rates": used,
        "months": spread(totals=totals, working_days=days),
    }


# --- context around the figures: annotations, targets, recompute requests ----------------------


def annotation_create(*, client: Client, month: dt.date, text: str, user: Any = None) -> Any:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": [_("Write what happened that month.")]})
    with tenant_context(client):
        return Annotation.objects.create(
            month=Month.of(month).first_day,
            text=text[:300],
            author=user if getattr(user, "pk", None) else None,
            author_name=getattr(user, "display_name", "") or "",
        )


def _person(user: Any) -> str:
    """Who set a target, as pages name people (agency.models.User.display_name), not the login name."""
    return getattr(user, "display_name", "") if user is not None else ""


def target_set(*, client: Client, month: dt.date, kpi: str, value: float | None, user: Any = None) -> Any:
    """Set (or clear, with ``value`` None) the client's target for a KPI in a month."""
    if kpi not in KPI_KEYS:
        raise ValidationError({"kpi": [_("Choose a KPI of the report.")]})
    month = Month.of(month).first_day
    if value is None:
        Target.objects.filter(client=client, month=month, kpi=kpi).delete()
        return None
    if not target_in_range(kpi, value):
        low, high = kpi_declared(kpi).range
        raise ValidationError({"value": [_("Use a value between %(low)s and %(high)s.") % {"low": low, "high": high}]})
    target, _created = Target.objects.update_or_create(
        client=client, month=month, kpi=kpi, defaults={"value": float(value), "set_by": _person(user)}
    )
    return target


def targets_from_plan(*, client: Client, plan: dict[str, Any], user: Any = None) -> int:
    """Turn a reverse-funnel plan's monthly counts into targets: one click on the planner page."""
    count = 0
    for month_text, figures in plan["months"].items():
        month = Month.parse(month_text).first_day
        for step, kpi in plan_targets().items():  # the catalogue's Kpi.plan
            if figures.get(step) is not None:
                target_set(client=client, month=month, kpi=kpi, value=figures[step], user=user)
                count += 1
    return count


@dataclass(frozen=True)
class TargetsSaved:
    """What one save of the targets page changed, for its message: targets written (new or of another
    value), removed, and left as they were (the same value: who set them stays)."""

    written: int
    removed: int
    kept: int


def targets_months_set(
    *, client: Client, months: list[dt.date], values: dict[str, float | None], user: Any = None
) -> TargetsSaved:
    """Give each of ``months`` the targets ``values`` (KPI key → target, None: no target): the targets
    page's save, all of it or nothing. A value outside its KPI's range or an unknown KPI refuses the
    whole save (ValidationError by KPI key), so a page never half-applies what a person typed. A target
    already of that value keeps who set it; only the months given are touched."""
    problems = {key: [_("Choose a KPI of the report.")] for key in values if key not in KPI_KEYS}
    for key, value in values.items():
        if key in KPI_KEYS and value is not None and not target_in_range(key, value):
            low, high = kpi_declared(key).range
            problems[key] = [_("Use a value between %(low)s and %(high)s.") % {"low": low, "high": high}]
    if problems:
        raise ValidationError(problems)
    if not months:
        raise ValidationError({"through": [_("Choose a month.")]})
    firsts = sorted({Month.of(m).first_day for m in months})
    person = _person(user)
    with transaction.atomic():
        stored = {
            (t.month, t.kpi): t
            for t in Target.objects.select_for_update().filter(client=client, month__in=firsts, kpi__in=list(values))
        }
        gone = [t.pk for (month, key), t in stored.items() if values[key] is None]
        changed = [
            Target(client=client, month=month, kpi=key, value=float(value), set_by=person)
            for month in firsts
            for key, value in values.items()
            if value is not None and (stored.get((month, key)) is None or stored[(month, key)].value != float(value))
        ]
        if gone:
            Target.objects.filter(client=client, pk__in=gone).delete()
        Target.objects.bulk_create(
            changed, update_conflicts=True, unique_fields=["client", "month", "kpi"],
            update_fields=["value", "set_by", "updated_at"],
        )
    kept = sum(1 for month in firsts for key, value in values.items() if value is not None) - len(changed)
    return TargetsSaved(written=len(changed), removed=len(gone), kept=kept)


def recompute_request(*, client: Client, months: list[dt.date], user: Any = None) -> Any:
    """Queue a recompute of ``months`` as a Job the page can follow."""
    from kpis.tasks import snapshot_recompute_job  # a Celery late lookup: kpis.tasks imports this module

    with tenant_context(client):
        job = Job.objects.create(
            kind="recompute",
            params={"months": [str(Month.of(m)) for m in months]},
            total=len(months),
            created_by=user if getattr(user, "pk", None) else None,
        )
    transaction.on_commit(lambda: job_enqueue(task=snapshot_recompute_job, client=client, job=job))
    return job


# What the PDF holds, beyond the figures: bump when its sections change so kept files are redrawn.
# 2: the breakdowns, converted benchmark bands; 3: the commentary by section; 4: paid media; 5: what changed, pacing
# 7: a "—" names the cause true for the month; an empty paid-media section in the client's words
# 8: CRM leads that name no campaign are not matched to the ad platforms (no 0 claimed)
# 9: the breakdowns and the summary charts read unmatched CRM leads as — too (kpis.unmatched)
# 10: a client without spend loaded reads its costs as — with the reason, not 0 € (kpis.nospend)
# 11: speed to lead without first-contact times reads — (kpis.nocontact); a change from 0 in words;
# paid media with spend but no delivery says what is loaded and what is missing
# 12: the details tables' change heading over its column; open benchmark bands in words
# 13: the lifetime value table in parts of six columns
# 14: the summary says what each figure means in plain words; 15: "What changed" without "the mix"
# 16: a details group runs on over the page instead of leaving half of one empty; 17: a history note shared by the
# summary's charts said once under it; 18: the same small count both months reads "no change"
# 19: social networks by their brand names ("LinkedIn", not "linkedin")
# 20: a chart leaves out the months before its source's first rows; a breakdown row's "—" names the figure and why
# 21: a month reads "marzo de 2026" in Spanish; paid media's empty line said once; the details say what
# each figure means in plain words
# 22: ARPA, CLTV and LTV : CAC defined in words
# 23: the charts' labels sized to fit (no overlap), Spanish months in lower case ("dic"), leads by channel say "leads"
#     the target line, note markers and pace named in a legend, the notes listed; charts at the text margin
# 24: the month's verdict over the summary, the channel chart named for its leads, no Target column without a target
# 27: a note on a value (partial revenue, nurture leads no campaign is marked for, above 100 %) under its change;
#     the month the changes are against, under the summary and the details' heading; a funnel step above 100 %
#     says why; "What changed" gives a small count's change as a number; breakdowns in the words' order
# 28: a client's month the close never held says "Not reviewed by your agency" under "Computed"
# 29: a breakdown table without the columns that read "—" in every row, named once with why under it
# 30: the same for the paid media section's top campaigns table
# 31: a breakdown row whose revenue counts only some of its customers says so under its table
# 32: the device table's new leads and traffic → lead left out with why when no lead records a device,
#     and how many of the month's new leads it leaves out when only some do; the persona table too (no persona)
# 33: a month of spend but no new customer says its verdict in those words (no revenue counted yet);
#     platform conversions with the same decimals down a table's column ("272" beside "50");
#     no contract value panel nor contract segment breakdown for a client with no contract;
#     the note of columns no row has speaks of every row ("No sessions in any row."), not "this row"
# 34: an approved month's first page says when it was approved (and revised) after "Computed"
# 35: the line under a table explaining its dashes says how many rows each reason is about ("No sessions in
#     2 rows."), "any row" of all of them, never "this row" of several
# 36: growth needed per working day shows no change ("+4.8 pp"), but the two months' working days
# 37: Spanish: a persona is a "perfil de comprador" (the breakdown's title and column said "Buyer persona")
# 38: a platform whose amounts came in another currency says so under the Paid media table; each
#     platform's CRM line without its name before it (the sentence names it)
# 39: the client's sentence for a missing first-contact time, not how to import it
# 40: the client's sentence beside nurture leads of 0 (no campaign marked), not the campaigns file's column
# 41: an ad figure's "—" says the ad platforms do not report it, not "the ad platforms' files"
# 42: costs without any spend: "No spend is recorded up to this month", not "…loaded for this client"
# 43: Paid media of spend as totals says "recorded … as a total only", not "loaded … delivery"
# 44: sales-ready leads without activities: "No buying signals … are recorded", not "No activities have been loaded"
# 45: a campaign without ad platform data says "No ad platform data for this campaign", not "rows"
# 46: a breakdown's notes (its dashes' reasons, the rows it leaves out) kept on the page of its last row;
#     an empty breakdown in one line ("Landing page: Nothing this month."), not a heading over it
# 47: the summary's changes coloured as good or bad news and its targets as met or missed (the page's, the email's)
# 48: the empty breakdowns said once, in one line under the heading ("Nothing this month: Landing page, Social network.")
# 49: a details group's title is its table's first row, repeated over its column headings where it runs on over a page
# 50: the breakdowns', paid media's and lifetime value's column headings in bold as the details'; the lifetime
#     value table's "All contracts" in bold over a line, a total
# 51: a table broken over a page keeps two rows on each side of the break (a part's headings and one row at a foot)
# 52: a change without a number ("nothing to compare", across 0) says why: under the summary's grid, in the details' cell
#     and the summary's charts a little lower (0.32 of their width, not 0.36) so that what is said under them stays on page 1
# 53: a short last page avoided: a small breakdown in parts kept whole, the report drawn again with its tables'
#     rows a little tighter when that saves a last page of a few lines (Wayne's February: one table's second half)
# 54: the details tables' change right-aligned beside its value in the summary's colours, the words said of a
#     figure (why no change, why no value, a note on it, its pace) in a Note column of their own at the right
# 55: the contract segment breakdown folded into the lifetime value table (it repeated its figures); that
#     table's columns the same for every segment and all contracts said once under it
# 56: an approved month's first page says by whom it was approved (and revised); staff's PDF of the figures as
#     computed now says the approval too, and that its figures changed since when a revision is pending
# 57: a details row's note the same as the row above's reads "Same as above."
# 58: a chart's history note is a sentence ("Data from March 2026: 2 months so far.")
# 59: paid media definitions and the traffic reasons say what a figure means, not "rows" ("Spend on the ad platforms")
# 60: a ROAS without ad spend (conversion value credited after a campaign stopped) says "No ad platform spend"
# 61: leads per working day of the month in progress shows its pace, as the counts do
# 62: a ROAS over part of the ad spend says over which spend, under its change in the details
# 63: a reason under "nothing to compare" said once a details table, at its first row
# 64: "What changed" and the commentary's draft: "all of it and more from …" (a channel that moved more than the whole)
# 65: "the largest part from …" of a channel with under half of a count's change (What changed, the draft)
# 66: the same words ("all of it and more", "the largest part") of a channel named for its conversion
# 67: a client reads its missing traffic "recorded" ("No traffic data is recorded…", the funnel's "no traffic data
#     recorded"), staff "loaded"
# 68: a breakdown row's ROAS with a conversion value but no ad spend says "No ad platform spend in this row."
# 69: a section's heading and the lines under it go over with what they head ("Breakdowns" and "Nothing this
#     month: …" ended a page, the first table on the next; the lifetime value table's heading alike)
# 70: a chart's axis writes whole thousands without ".0" ("5k €" beside "10k €", not "5,0k €")
# 71: a table row's name and its first column heading in the table's 8 pt, on the figures' baseline (7.5 pt sat higher)
# 72: a paragraph never breaks inside a figure ("41 658,22 €", "100 %": the no-break spaces kept)
# 73: paid media: the CRM's leads naming no campaign said once under the platforms' table, naming them all
#     (Wayne's three platforms each had the same two lines but the name)
# 74: "Funnel" a section's space under "What changed"; the top campaigns' notes as the table's last rows (spaced, kept
#     with its last row)
# 75: a client reads its missing email results and a compared month's spend "recorded", staff "loaded"
# 76: a revised month's first page quotes the revision's reason as the agency's note
# 77: money at its currency's minor unit; CAC payback at a 0 % margin says why; the match rate over which
#     conversions; a revenue uplift without marketing revenue explained; "What changed" names the others' counts
# 78: a page that opens on a later part of a section or table names it first: "Paid media (continued)" over the
#     daily charts, the notes or the top campaigns, "Campaign (continued)" over a breakdown's second part or the rows
#     a part runs on with, "Contract lifetime value, explained (continued)" alike
# 79: a negative amount on a chart's axis is "-€500k", not "€-500k"; a month approved by close_month is
#     "by your agency" in the client's; a breakdown's reasons name the row as what it is, never "this row"
# 80: the campaign table says the month's marketing spend tied to no campaign (its column adds up to less)
# 81: a details group that runs on over a page opens the next on "Leads (continued)", as sections and tables do
# 82: "Contract lifetime value, explained" says how it differs from CLTV, under its heading, 2 mm above the table
# 83: a client without any lead source (no CRM, no leads file) reads its lead figures, funnel steps, verdict,
#     channel chart and breakdown lead columns as "—" with "No leads are recorded up to this month…", not 0
# 84: no two ticks of a chart's axis read alike (a series that barely moves read "-100 %, -100 %")
# 85: "What changed" names no member of a split a tracking check distorts (the move said plainly)
# 86: a date written one way per language ("Approved on Dec 7, 2026", "Aprobado el 7 dic 2026")
PDF_LAYOUT = "86"


def report_pdf_build(
    *,
    client: Client,
    month: dt.date,
    language: str,
    now: dt.datetime | None = None,
    shown: Shown | None = None,
    commentary: str = "",
) -> bytes | None:
    """The month's report PDF in ``language`` (kept as a file: ``report_pdf_file``); None without a snapshot."""
    path = report_pdf_file(client=client, month=month, language=language, now=now, shown=shown, commentary=commentary)
    return path.read_bytes() if path else None


def report_pdf_file(
    *,
    client: Client,
    month: dt.date,
    language: str,
    now: dt.datetime | None = None,
    shown: Shown | None = None,
    commentary: str = "",
) -> Path | None:
    """The month's report PDF in ``language``, kept under ``MEDIA_ROOT/<schema>/reports/`` per
    snapshot state (snapshot, notes, targets, benchmarks, brand, code version): a second request,
    or the monthly email after the Celery task prepared it, reads the file instead of drawing
    again. None when the month has no snapshot. Runs in the client's schema. ``shown``: the months
    as a viewer may see them (kpis.visibility: a client user, the approved versions), and
    ``commentary`` the month's words for the top; both are part of the file's key."""
    with tenant_context(client), translation.override(language):
        brand = brand_for(client)
        stamp = scorecard_stamp(month=month, compare="month", client=client)
        today = client_today(client, now) if month >= last_complete_month(client, now) else ""
        said = hashlib.sha256(commentary.encode()).hexdigest()[:16]
        # The rates that convert money bands are in the key: a rate loaded later redraws the PDF.
        bench = benchmarks_for_month(currency=client.currency, month=month)
        key = (
            f"{CODE_VERSION}|{PDF_LAYOUT}|{language}|{stamp}|{today}|{sorted(brand.items())}|{client.currency}|{client.name}"
            f"|{sorted(bench['rates'].items())}"
        )
        # An approved month's approval, also over staff's figures as computed now (shown None): when, by
        # whom, and whether the figures changed since. Part of the key: an approval redraws staff's file.
        approval = approval_for(month) if shown is None else (
            shown.approvals(month) if shown.approvals and month in shown.approved else None)
        key += f"|{shown.stamp if shown else ''}|{said}|{approval}"
        path = report_pdf_path(client=client, month=month, stamp=key)
        if path.exists():
            return path
        card = scorecard_load(month=month, compare="month", client=client, now=now)
        if shown is not None:
            card = card_as_shown(card, hidden=shown.hidden, documents=shown.documents(list(card.history)))
        if card.snapshot is None:
            return None
        # What the approved version froze (the days, the names) for a client's view; the rows for staff.
        names = report_names(snapshot=card.snapshot)
        keys = report_summary_keys(client=client, document=card.snapshot.document)
        report = report_context(card, client=client, accent=brand["accent"], keys=keys,
                                days=report_days(snapshot=card.snapshot, month=month), names=names, bench=bench,
                                converted=report_converted(snapshot=card.snapshot, month=month))
        if commentary:
            report["commentary"] = commentary
        computed = str(_("Computed %(when)s") % {
            "when": date_format(timezone.localtime(card.snapshot.computed_at), "DATETIME_FORMAT")})
        if approval:
            # The approved report says when and by whom the agency approved it (and revised it), beside when it
            # was computed, as the month's page does; staff's, of the figures as computed now, says so when
            # they changed since: it is not the approved report then.
            day = date_format(timezone.localtime(approval.approved_at), "DATE_FORMAT")
            computed += " · " + str(_("Approved on %(when)s by %(who)s") % {"when": day, "who": approval.approved_by})
            if approval.revised_at is not None:
                day = date_format(timezone.localtime(approval.revised_at), "DATE_FORMAT")
                computed += " · " + str(_("Revised on %(when)s by %(who)s") % {"when": day, "who": approval.revised_by})
                if approval.revised_reason:  # the client's PDF: the agency's note in a sentence of its language
                    computed += " · " + revision_note(approval.revised_reason)
            if approval.pending:
                computed += " · " + str(_("The figures changed after this approval and are not approved yet."))
        if shown is not None and month not in shown.hidden and month not in shown.approved:
            # A client's month the close never held: as the page's header says, not an approved report.
            computed += " · " + str(_("Not reviewed by your agency: these figures are computed from your data as it "
                                      "stands, not a report your agency approved."))
        groups = tiles(card, currency=client.currency, industry=client.industry, **bench)
        pdf = scorecard_pdf(
            client_name=client.name,
            month_label=card.period.label,
            computed=computed,
            groups=groups,
            changes_against=changes_line(groups, compare_to=card.compare_to),
            report=report,
            ltv=lifetime_value_panel(card, currency=client.currency),
            brand=brand,
            drilldowns=drilldown_tables(
                card.snapshot, currency=client.currency, names=names, has_spend=card.has_spend(),
                persona_names=report_persona_names(snapshot=card.snapshot),
                traffic_loaded=not card.not_fact(card.month, "sessions"),  # kpis.nodata
                leads_loaded=not card.not_fact(card.month, "new_leads"),
            ),
        )
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".part")
        partial.write_bytes(pdf)
        partial.replace(path)  # atomic: a reader never sees half a file
        return path
