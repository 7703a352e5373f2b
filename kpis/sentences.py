"""The commentary draft's sentences: one declaration per kind of sentence, and nothing else.

Like ``kpis.catalogue`` for KPIs, this is the one place a sentence of the draft is written: its
key, the section it belongs to and its text with named slots (``%(kpi)s``). ``kpis.draft`` fills
the slots with words and figures and never writes prose of its own; Spanish (and any further
language) is the translation of these texts in ``locale/<lang>/LC_MESSAGES/django.po``. A test
renders every sentence in Spanish and fails on English left in it.

Slots: ``kpi``/``kpi_lower`` a KPI's label, ``member`` a breakdown member in words, ``month`` and
``compare`` months in words; every other slot is a figure (a link to it in the draft).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

SUMMARY, WINS, CONCERNS, NEXT_STEPS = "summary", "wins", "concerns", "next_steps"


@dataclass(frozen=True)
class Sentence:
    key: str
    section: str
    text: Promise


_SENTENCES = (
    # --- summary -----------------------------------------------------------------------------
    Sentence("first_month", SUMMARY, _(
        "%(month)s is the first month with figures: %(new_leads)s new leads, %(mqls)s MQLs and "
        "%(spend)s of marketing spend. There is no earlier month to compare with yet, so this "
        "report describes the month rather than a trend.")),
    Sentence("month_funnel", SUMMARY, _(
        "%(month)s brought %(mqls)s MQLs from %(new_leads)s new leads, with %(spend)s of marketing spend "
        "(%(cpl)s a lead).")),
    Sentence("month_funnel_no_leads", SUMMARY, _(
        "%(month)s brought no new leads, with %(spend)s of marketing spend.")),
    Sentence("headline_up", SUMMARY, _("Against %(compare)s, %(kpi_lower)s rose %(change)s (%(before)s → %(after)s).")),
    Sentence("headline_down", SUMMARY, _("Against %(compare)s, %(kpi_lower)s fell %(change)s (%(before)s → %(after)s).")),
    Sentence("headline_flat", SUMMARY, _("Against %(compare)s, %(kpi_lower)s held steady at %(after)s.")),
    Sentence("year_up", SUMMARY, _("Against %(compare)s a year earlier: %(kpi_lower)s up %(change)s (%(before)s then).")),
    Sentence("year_down", SUMMARY, _("Against %(compare)s a year earlier: %(kpi_lower)s down %(change)s (%(before)s then).")),
    Sentence("no_trend_yet", NEXT_STEPS, _(
        "Set targets for %(next)s so that the next report can say whether the month is on track "
        "(the planner derives them from a revenue goal).")),
    # --- wins and concerns: a KPI's move and what drove it -------------------------------------
    Sentence("kpi_up", WINS, _("%(kpi)s rose %(change)s against %(compare)s, from %(before)s to %(after)s.")),
    Sentence("kpi_down", WINS, _("%(kpi)s fell %(change)s against %(compare)s, from %(before)s to %(after)s.")),
    Sentence("driver_rate", WINS, _(
        "Most of the change came from %(member)s: its %(kpi_lower)s went from %(member_before)s to %(member_after)s.")),
    Sentence("driver_mix", WINS, _(
        "Most of the change came from the mix: %(member)s brought %(share_after)s of the %(unit)s, "
        "against %(share_before)s.")),
    Sentence("driver_volume", WINS, _(
        "%(member)s did most of it: its %(kpi_lower)s went from %(count_before)s to %(count_after)s.")),
    Sentence("driver_conversion", WINS, _(
        "%(member)s did most of it: %(rate_before)s of its %(unit)s converted, against %(rate_after)s now.")),
    Sentence("driver_results", WINS, _(
        "The %(unit)s did most of it: %(volume_before)s → %(volume_after)s, while the spend went from "
        "%(spend_before)s to %(spend_after)s.")),
    Sentence("driver_budget", WINS, _(
        "The spend did most of it: %(spend_before)s → %(spend_after)s, while the %(unit)s went from "
        "%(volume_before)s to %(volume_after)s.")),
    Sentence("driver_calendar_against", WINS, _(
        "%(month)s had %(days_after)s working days against %(days_before)s, which held it back by %(calendar)s.")),
    Sentence("driver_calendar", WINS, _(
        "%(month)s had %(days_after)s working days against %(days_before)s, which accounts for "
        "%(calendar)s of the change.")),
    Sentence("target_met", WINS, _("Target met for %(kpi_lower)s: %(after)s against %(target)s.")),
    Sentence("target_missed", CONCERNS, _("Target missed for %(kpi_lower)s: %(after)s against %(target)s.")),
    Sentence("quarter_on_track", WINS, _(
        "The quarter is on track for %(kpi_lower)s: %(actual)s of %(target)s so far, %(projected)s at this pace.")),
    Sentence("quarter_met", WINS, _("The quarter's target for %(kpi_lower)s is already reached: %(actual)s of %(target)s.")),
    Sentence("quarter_behind", CONCERNS, _(
        "The quarter is behind on %(kpi_lower)s by %(gap)s: %(actual)s of %(target)s so far, "
        "%(projected)s at this pace.")),
    Sentence("quarter_missed", CONCERNS, _("The quarter ended short of its %(kpi_lower)s target: %(actual)s of %(target)s.")),
    Sentence("spend_over", CONCERNS, _(
        "The quarter's marketing spend is running ahead of its budget: %(actual)s so far, %(projected)s at this pace "
        "against %(target)s.")),
    Sentence("spend_under", CONCERNS, _(
        "The quarter's marketing spend is running behind its budget: %(actual)s so far, %(projected)s at this pace "
        "against %(target)s.")),
    Sentence("no_wins", WINS, _("No figure improved notably against %(compare)s.")),
    Sentence("no_concerns", CONCERNS, _("Nothing moved the wrong way against %(compare)s.")),
    # --- next steps --------------------------------------------------------------------------
    Sentence("step_review_member", NEXT_STEPS, _(
        "Review %(member)s: its %(kpi_lower)s went from %(member_before)s to %(member_after)s.")),
    Sentence("step_shift_budget", NEXT_STEPS, _(
        "Consider moving budget towards %(member)s, whose %(kpi_lower)s came down to %(member_after)s.")),
    Sentence("step_review_volume", NEXT_STEPS, _(
        "Look into %(member)s: its %(kpi_lower)s went from %(count_before)s to %(count_after)s.")),
    Sentence("step_review_conversion", NEXT_STEPS, _(
        "Review what %(member)s brings to the site and where it lands: %(rate_after)s of its %(unit)s converted, "
        "against %(rate_before)s before.")),
    Sentence("step_catch_up", NEXT_STEPS, _(
        "To reach the quarter's %(kpi_lower)s target, plan for %(needed)s a working day over the "
        "%(left)s working days left.")),
    Sentence("step_watch", NEXT_STEPS, _(
        "Watch %(kpi_lower)s next month: it moved the wrong way (%(after)s) without one channel or campaign to blame.")),
    Sentence("step_keep", NEXT_STEPS, _("Keep the current plan and budget: nothing calls for a change.")),
)

# The report's "What changed" block: one line per driver, the KPI's change first (signed).
CHANGED = "changed"
_SENTENCES += (
    Sentence("changed_rate", CHANGED, _(
        "%(kpi)s %(change)s against %(compare)s: mostly %(member)s, %(member_before)s → %(member_after)s.")),
    Sentence("changed_mix", CHANGED, _(
        "%(kpi)s %(change)s against %(compare)s: mostly the mix, %(member)s at %(share_after)s of the %(unit)s "
        "(%(share_before)s before).")),
    Sentence("changed_volume", CHANGED, _(
        "%(kpi)s %(change)s against %(compare)s: mostly %(member)s, %(count_before)s → %(count_after)s.")),
    Sentence("changed_conversion", CHANGED, _(
        "%(kpi)s %(change)s against %(compare)s: mostly %(member)s, converting %(rate_after)s of its %(unit)s "
        "(%(rate_before)s before).")),
    Sentence("changed_results", CHANGED, _(
        "%(kpi)s %(change)s against %(compare)s: mostly the volume of %(unit)s, %(volume_before)s → %(volume_after)s.")),
    Sentence("changed_budget", CHANGED, _(
        "%(kpi)s %(change)s against %(compare)s: mostly the spend, %(spend_before)s → %(spend_after)s.")),
    Sentence("changed_plain", CHANGED, _("%(kpi)s %(change)s against %(compare)s.")),
    # The pacing bar of the month in progress (and of its quarter).
    Sentence("pace_on_track", CHANGED, _("%(kpi)s: %(actual)s of %(target)s, on track (%(projected)s at this pace).")),
    Sentence("pace_met", CHANGED, _("%(kpi)s: %(actual)s of %(target)s, target reached.")),
    Sentence("pace_behind", CHANGED, _(
        "%(kpi)s: %(actual)s of %(target)s, behind by %(gap)s at this pace; needs %(needed)s a working day.")),
    Sentence("pace_missed", CHANGED, _("%(kpi)s: %(actual)s of %(target)s, target missed.")),
    Sentence("pace_over", CHANGED, _("%(kpi)s: %(actual)s of %(target)s, ahead of budget (%(projected)s at this pace).")),
    Sentence("pace_under", CHANGED, _("%(kpi)s: %(actual)s of %(target)s, behind budget (%(projected)s at this pace).")),
)

SENTENCES: dict[str, Sentence] = {s.key: s for s in _SENTENCES}

# What a ratio's members share (the "mix"), and what a count's members convert from, in words.
UNITS: dict[str, Promise] = {
    "new_leads": _("new leads"),
    "mqls": _("MQLs"),
    "customers": _("customers"),
    "sessions": _("sessions"),
    "ad_spend": _("ad spend"),
    "platform_conversions": _("platform conversions"),
}
REST_LABEL = _("what the breakdown leaves out")


def sentence(key: str) -> Sentence:
    """The declaration of ``key``; KeyError for a sentence that is not declared."""
    return SENTENCES[key]
