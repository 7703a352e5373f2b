"""Tracking health: is what the data measures still being measured? Ads that spend without
clicks or conversions, leads that arrive without a source, campaigns named two ways, a site
that gets visits but no more leads."""

from __future__ import annotations

import unicodedata

from django.utils.translation import gettext_lazy as _

from kpis.checks.base import Check, CheckData, Family, Finding, Severity, finding, register

SILENT_DAYS = 3  # days in a row with spend and no clicks (or no conversions)
UNATTRIBUTED_SHARE = 0.2  # leads with neither channel nor campaign
UNATTRIBUTED_MIN = 10  # leads in the month before the share means anything
SESSIONS_MIN = 100  # sessions in a month with no lead at all
SKIPPED_MIN = 3  # SQLs + customers in a month with new leads and no MQL before the gap means anything
NO_MQLS_MIN = 20  # new leads in a month with no MQL at all before it says something about the criteria
CRITERIA = "/criteria/new/"  # the qualification criteria editor (clients.urls "criteria_edit")


def _silent_runs(days: dict, index: int, month_first) -> list[list]:
    """Runs of consecutive days of the month with spend > 0 and the measure at 0 (given, not missing)."""
    runs: list[list] = []
    for day in sorted(d for d in days if d >= month_first):
        spend, value = days[day][0], days[day][index]
        if spend and spend > 0 and value is not None and value == 0:
            if runs and (day - runs[-1][-1]).days == 1:
                runs[-1].append(day)
            else:
                runs.append([day])
    return runs


def spend_without_results(data: CheckData) -> list[Finding]:
    """Per campaign: SILENT_DAYS days in a row of the month with spend but no clicks (or no
    conversions), on a campaign that had clicks (conversions) before those days (this month or
    the one before). Skipped when the data has no delivery columns."""
    if data.delivery is None:
        return []
    found = []
    for campaign, days in sorted(data.delivery.items()):
        for index, measure in ((1, "clicks"), (2, "conversions")):
            runs = [
                run
                for run in _silent_runs(days, index, data.month.first_day)
                if len(run) >= SILENT_DAYS and any((values[index] or 0) > 0 for day, values in days.items() if day < run[0])
            ]
            if runs:
                run = max(runs, key=len)
                found.append(
                    finding(
                        SPEND_WITHOUT_RESULTS,
                        {"campaign": campaign, "measure": measure, "first": run[0], "last": run[-1], "count": len(run)},
                        subject=f"{campaign}:{measure}",
                        link=f"/scorecard/breakdowns/campaign/?month={data.month}",
                    )
                )
                break  # no clicks implies no conversions: one finding per campaign
    return found


def leads_unattributed(data: CheckData) -> list[Finding]:
    new = data.kpis.get("new_leads") or 0
    if new < UNATTRIBUTED_MIN or not data.unattributed_leads:
        return []
    share = data.unattributed_leads / new
    if share <= UNATTRIBUTED_SHARE:
        return []
    return [
        finding(
            LEADS_UNATTRIBUTED,
            {"count": data.unattributed_leads, "leads": new, "share": share},
            link=f"/scorecard/breakdowns/channel/?month={data.month}",
        )
    ]


def name_key(name: str) -> str:
    """A campaign name without case, accents or spacing: "Marca  España" and "marca espana" meet."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(char for char in text if not unicodedata.combining(char))
    return "".join(text.casefold().split())


def campaign_name_twins(data: CheckData) -> list[Finding]:
    groups: dict[str, list[str]] = {}
    for name in data.campaign_names:
        groups.setdefault(name_key(name), []).append(name)
    return [
        finding(
            CAMPAIGN_TWINS, {"names": sorted(set(names))}, subject=key, link=f"/scorecard/breakdowns/campaign/?month={data.month}"
        )
        for key, names in sorted(groups.items())
        if len(set(names)) > 1
    ]


def sessions_without_leads(data: CheckData) -> list[Finding]:
    sessions, new = data.kpis.get("sessions") or 0, data.kpis.get("new_leads") or 0
    if sessions < SESSIONS_MIN or new:
        return []
    earlier = [(data.history.get(m) or {}).get("new_leads") or 0 for m in data.before(3)]
    if not any(earlier):
        return []
    return [finding(SESSIONS_NO_LEADS, {"sessions": sessions, "before": max(earlier)}, link=f"/scorecard/?month={data.month}")]


def mql_stage_skipped(data: CheckData) -> list[Finding]:
    """The month has new leads and leads reaching a later stage (SQLs + customers, at least
    SKIPPED_MIN) but not one MQL: the qualification criteria (which alone set mql_at) score none
    of the client's leads, so the MQL counts, the cost per MQL and every MQL rate are wrong. One
    month's figures suffice: no lead scan (a month whose SQLs all came from earlier months' MQLs
    would need SKIPPED_MIN of them and not one new MQL, which a working criteria set rarely shows)."""
    kpis = data.kpis
    new, mqls = kpis.get("new_leads") or 0, kpis.get("mqls")
    sqls, customers = kpis.get("sqls") or 0, kpis.get("customers") or 0
    if not new or mqls is None or mqls > 0 or sqls + customers < SKIPPED_MIN:
        return []
    return [finding(MQL_SKIPPED, {"sqls": sqls, "customers": customers, "leads": new}, link=CRITERIA)]


def leads_without_mqls(data: CheckData) -> list[Finding]:
    """Many new leads and not one MQL, without the later stages that make it ``mql_stage_skipped``:
    most often a client without qualification criteria yet (then every MQL figure reads 0 and the
    report would show it as a result), or criteria that score none of its leads."""
    kpis = data.kpis
    new, mqls = kpis.get("new_leads") or 0, kpis.get("mqls")
    sqls, customers = kpis.get("sqls") or 0, kpis.get("customers") or 0
    if new < NO_MQLS_MIN or mqls is None or mqls > 0 or sqls + customers >= SKIPPED_MIN:
        return []
    return [finding(NO_MQLS, {"leads": new}, link=CRITERIA)]


SPEND_WITHOUT_RESULTS = register(
    Check(
        key="tracking.spend_without_results",
        family=Family.TRACKING,
        severity=Severity.HIGH,
        sentence=_(
            "%(campaign)s spent on %(count)s days in a row (%(first)s to %(last)s) with no %(measure)s, after having them."
        ),
        rule=_("A campaign with ad spend and zero clicks (or zero conversions) on 3 days in a row, when it had them before."),
        evaluate=spend_without_results,
    )
)
LEADS_UNATTRIBUTED = register(
    Check(
        key="tracking.leads_unattributed",
        family=Family.TRACKING,
        severity=Severity.MEDIUM,
        sentence=_("%(count)s of %(leads)s new leads (%(share)s) arrived with neither channel nor campaign: check the UTM tags."),
        rule=_("More than 20 % of the month's new leads (at least 10 of them) have neither a channel nor a campaign."),
        evaluate=leads_unattributed,
    )
)
CAMPAIGN_TWINS = register(
    Check(
        key="tracking.campaign_name_twins",
        family=Family.TRACKING,
        severity=Severity.LOW,
        sentence=_("The campaigns %(names)s differ only by case, spaces or accents: their figures are split."),
        rule=_("Two or more campaigns of the month whose names are equal once case, spaces and accents are ignored."),
        evaluate=campaign_name_twins,
    )
)
SESSIONS_NO_LEADS = register(
    Check(
        key="tracking.sessions_without_leads",
        family=Family.TRACKING,
        severity=Severity.HIGH,
        sentence=_(
            "%(sessions)s sessions and not one new lead, when the months before had up to %(before)s: are the forms working?"
        ),
        rule=_("At least 100 sessions and no new lead in the month, when one of the three months before had leads."),
        evaluate=sessions_without_leads,
    )
)
MQL_SKIPPED = register(
    Check(
        key="tracking.mql_stage_skipped",
        family=Family.TRACKING,
        severity=Severity.HIGH,
        sentence=_(
            "This month has SQLs (%(sqls)s) and customers (%(customers)s) but not one MQL: "
            "the qualification criteria score none of these leads."
        ),
        rule=_(
            "New leads in the month, no MQL, and at least 3 SQLs and customers together: the qualification criteria "
            "qualify none of the leads, so MQLs, cost per MQL and the MQL rates are wrong."
        ),
        evaluate=mql_stage_skipped,
    )
)
NO_MQLS = register(
    Check(
        key="tracking.no_mqls",
        family=Family.TRACKING,
        severity=Severity.HIGH,
        sentence=_(
            "Not one of the month's %(leads)s new leads is an MQL: does this client have qualification criteria "
            "(an agency admin sets them), and do they score these leads?"
        ),
        rule=_(
            "At least 20 new leads in the month and no MQL (without the 3 SQLs and customers that make it a skipped "
            "stage): the criteria are missing or qualify none of the leads, and every MQL figure reads 0."
        ),
        evaluate=leads_without_mqls,
    )
)
