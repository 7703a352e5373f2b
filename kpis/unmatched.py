"""CRM leads that name no campaign: which figures of a snapshot document are then not facts.

A CRM may record where each lead came from (a channel) but not which ad campaign brought it
(HubSpot through its API: its Original Traffic Source, no campaign; docs/connectors.md). In a month
where none of the new leads names a campaign, every figure that counts the CRM's leads *by campaign*
is 0 by construction — paid leads, the paid lead match rate, a platform's or a campaign's leads,
MQLs, customers, revenue and what is divided by them — and a 0 there would read as "the ads brought
no lead", which nobody knows. The snapshot keeps the spec's value (kpis.md: a count, so 0); every
screen and sentence reads it through here and shows "—" with the reason instead
(kpis.reasons.unlinked_reason), so they all say the same. Read from the document alone, so an
approved version says what it said when it was approved. Pure: documents in, answers out.
"""

from __future__ import annotations

from typing import Any

# Per place in the document ("kpis": the month's figures; else a breakdown), the figures counted from
# the CRM leads' campaign, each with the count it rests on: the figure is unmatched when that count is
# 0 (a platform's MQLs of 3 in such a month are older leads that did name a campaign: a fact, kept).
LINKED: dict[str, dict[str, str]] = {
    "kpis": {"paid_leads": "paid_leads", "paid_lead_match_rate": "paid_leads"},
    "platform": {"paid_leads": "paid_leads", "cpl": "paid_leads", "mqls": "mqls", "paid_lead_match_rate": "paid_leads"},
    "campaign": {
        "new_leads": "new_leads", "cpl": "new_leads", "mqls": "mqls", "customers": "customers",
        "revenue": "revenue", "roi": "revenue",
    },
}  # fmt: skip
# Counts of leads (what a drivers sentence splits by member): no campaign or platform member may
# carry them in a month whose leads name no campaign.
LEAD_COUNTS = frozenset({"new_leads", "mqls", "customers", "paid_leads"})


def crm_leads_unlinked(document: dict[str, Any] | None) -> int | None:
    """The month's new leads when none of them names a campaign while the month has ad platform rows,
    else None (no lead, some linked, or no ad to match them to: its 0 paid leads is then a fact).

    Read from the document: its new leads, its platform breakdown and the leads of its campaigns.
    """
    if not document or not (document.get("breakdowns") or {}).get("platform"):
        return None
    new_leads = (document.get("kpis") or {}).get("new_leads") or 0
    campaigns = (document.get("breakdowns") or {}).get("campaign") or {}
    linked = sum((figures.get("new_leads") or 0) for figures in campaigns.values())
    return int(new_leads) if new_leads and not linked else None


def figure_unmatched(
    document: dict[str, Any] | None, key: str, *, figures: dict[str, Any] | None = None, place: str = "kpis"
) -> bool:
    """Whether ``key`` of ``figures`` (a breakdown member's, or the month's when ``place`` is "kpis")
    is a count of CRM leads by campaign that this month cannot have: "—" with the reason, not its value."""
    basis = LINKED.get(place, {}).get(key)
    if basis is None or not crm_leads_unlinked(document):
        return False
    figures = (document or {}).get("kpis", {}) if figures is None else figures
    return not figures.get(basis)


def kpi_matched(document: dict[str, Any] | None, key: str) -> Any:
    """The month's ``key`` as the screens read it: None when unmatched (kpis.md's 0 is not a fact then)."""
    if not document:
        return None
    return None if figure_unmatched(document, key) else (document.get("kpis") or {}).get(key)


def leads_by_campaign_unknown(*documents: dict[str, Any] | None) -> bool:
    """Any of the months' leads name no campaign: their campaign and platform lead counts cannot be
    compared (a drivers sentence "Search's new leads fell from 12 to 0" would be false)."""
    return any(crm_leads_unlinked(document) for document in documents)


def unmatched_figures(document: dict[str, Any] | None) -> dict[str, Any] | None:
    """Where the month's unmatched figures are, for a machine export that keeps kpis.md's values:
    ``{"kpis": [keys], "platform": {member: [keys]}, "campaign": {member: [keys]}}``; None when none is."""
    if document is None or not crm_leads_unlinked(document):
        return None
    found: dict[str, Any] = {"kpis": [key for key in LINKED["kpis"] if figure_unmatched(document, key)]}
    for place in ("platform", "campaign"):
        members = (document.get("breakdowns") or {}).get(place) or {}
        found[place] = {
            member: keys
            for member, figures in members.items()
            if (keys := [key for key in LINKED[place] if figure_unmatched(document, key, figures=figures, place=place)])
        }
    return found
