"""The commentary draft's sentences: one declaration per kind of sentence, and nothing else.

Like ``kpis.catalogue`` for KPIs, this is the one place a sentence of the draft is written: its
key, the section it belongs to and its text with named slots (``%(kpi)s``). ``kpis.draft_writer`` fills
the slots with words and figures (for ``kpis.draft``, ``kpis.draft_drivers`` and the report's
``kpis.report_drivers``) and never writes prose of its own; Spanish (and any further
language) is the translation of these texts in ``locale/<lang>/LC_MESSAGES/django.po``. A test
renders every sentence in Spanish and fails on English left in it.

Slots: ``kpi``/``kpi_lower`` a KPI's label, ``member`` a breakdown member in words, ``month`` and
``compare`` months in words, ``first``/``second`` a clause (a ``_clause`` text filled in turn, its
figures links too); every other slot is a figure (a link to it in the draft).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

SUMMARY, WINS, CONCERNS, NEXT_STEPS = "summary", "wins", "concerns", "next_steps"
CHANGED = "changed"  # the report's "What changed" block and its pacing bar


@dataclass(frozen=True)
class Sentence:
    key: str
    section: str
    text: Promise


# One table: a sentence's section, then its key and its text. A key is declared once in the whole table.
_DECLARED: dict[str, dict[str, Promise]] = {
    # --- the month in a paragraph: its funnel, then its headline KPI against the month and the year before
    SUMMARY: {
        "first_month": _(
            "%(month)s is the first month with figures: %(new_leads)s new leads, %(mqls)s MQLs and "
            "%(spend)s of marketing spend. There is no earlier month to compare with yet, so this "
            "report describes the month rather than a trend."),
        "month_funnel": _(
            "%(month)s brought %(mqls)s MQLs from %(new_leads)s new leads, with %(spend)s of marketing spend "
            "(%(cpl)s a lead)."),
        "month_funnel_no_spend": _(
            "%(month)s brought %(mqls)s MQLs from %(new_leads)s new leads; no marketing spend is recorded for the month."),
        "first_month_no_spend": _(
            "%(month)s is the first month with figures: %(new_leads)s new leads and %(mqls)s MQLs. No spend "
            "is recorded up to this month, so its costs are unknown. There is no earlier month to compare "
            "with yet, so this report describes the month rather than a trend."),
        "month_funnel_no_leads_no_spend": _(
            "%(month)s brought no new leads; no spend is recorded up to this month."),
        "month_funnel_no_leads": _(
            "%(month)s brought no new leads, with %(spend)s of marketing spend."),
        # No lead source up to the month's end (kpis.nodata.leads_loaded): its leads are unknown, not none.
        "month_funnel_leads_unknown": _(
            "%(month)s: %(spend)s of marketing spend, but no leads are recorded up to this month, so its leads "
            "and what they cost are unknown."),
        "month_funnel_leads_unknown_no_spend": _(
            "%(month)s: no leads and no spend are recorded up to this month, so its leads and costs are unknown."),
        "first_month_leads_unknown": _(
            "%(month)s is the first month with figures: %(spend)s of marketing spend. No leads are recorded up to "
            "this month, so its leads are unknown. There is no earlier month to compare with yet, so this report "
            "describes the month rather than a trend."),
        "first_month_leads_unknown_no_spend": _(
            "%(month)s is the first month with figures. No leads and no spend are recorded up to this month, so its "
            "leads and costs are unknown. There is no earlier month to compare with yet, so this report describes "
            "the month rather than a trend."),
        "headline_up": _("Against %(compare)s, %(kpi_lower)s rose %(change)s (%(before)s → %(after)s)."),
        "headline_down": _("Against %(compare)s, %(kpi_lower)s fell %(change)s (%(before)s → %(after)s)."),
        "headline_flat": _("Against %(compare)s, %(kpi_lower)s held steady at %(after)s."),
        # A move under FLAT (kpis.draft) that its tile still shows, in colour: "held steady" beside a
        # tile reading -1.6 % read as a contradiction; the tile's change is given instead.
        "headline_little_change": _("Against %(compare)s, little change in %(kpi_lower)s: %(after)s (%(change)s)."),
        "year_up": _("Against %(compare)s, a year earlier: %(kpi_lower)s up %(change)s (%(before)s then)."),
        "year_down": _("Against %(compare)s, a year earlier: %(kpi_lower)s down %(change)s (%(before)s then)."),
        # A count under 20 before moved by a number, not a percentage (kpis.formatting.small_base): "rose by 3".
        "headline_up_count": _("Against %(compare)s, %(kpi_lower)s rose by %(change)s (%(before)s → %(after)s)."),
        "headline_down_count": _("Against %(compare)s, %(kpi_lower)s fell by %(change)s (%(before)s → %(after)s)."),
        "year_up_count": _("Against %(compare)s, a year earlier: %(kpi_lower)s up by %(change)s (%(before)s then)."),
        "year_down_count": _("Against %(compare)s, a year earlier: %(kpi_lower)s down by %(change)s (%(before)s then)."),
        # Both headline KPIs against the same month a year before: one sentence naming the month once,
        # its two parts the clauses below (kpis.draft_writer.clause), each a KPI's change as the lines above say it.
        "year_both": _("Against %(compare)s, a year earlier: %(first)s, %(second)s."),
        "year_up_clause": _("%(kpi_lower)s up %(change)s (%(before)s then)"),
        "year_down_clause": _("%(kpi_lower)s down %(change)s (%(before)s then)"),
        "year_up_clause_count": _("%(kpi_lower)s up by %(change)s (%(before)s then)"),
        "year_down_clause_count": _("%(kpi_lower)s down by %(change)s (%(before)s then)"),
    },
    # --- a KPI's move and what drove it; targets met and a quarter on track
    WINS: {
        "kpi_up": _("%(kpi)s rose %(change)s against %(compare)s, from %(before)s to %(after)s."),
        "kpi_down": _("%(kpi)s fell %(change)s against %(compare)s, from %(before)s to %(after)s."),
        "kpi_up_count": _("%(kpi)s rose by %(change)s against %(compare)s, from %(before)s to %(after)s."),
        "kpi_down_count": _("%(kpi)s fell by %(change)s against %(compare)s, from %(before)s to %(after)s."),
        "driver_rate": _(
            "Most of the change came from %(member)s: its %(kpi_lower)s went from %(member_before)s to %(member_after)s."),
        "driver_mix": _(
            "Most of the change came from the mix: %(member)s brought %(share_after)s of the %(unit)s, "
            "against %(share_before)s."),
        # A share of nothing in words, either month: "brought 0 % of the customers" read as a figure to check.
        # The member's share moved because the others' count did (Acme's November: customers 10 → 6, Paid
        # search 2 → 3, the rest 8 → 3): the counts, not "Paid search brought 50.0 %", as if customers moved to it.
        "driver_mix_rest": _(
            "Most of the change came from the %(unit)s outside %(member)s: %(rest_before)s → %(rest_after)s "
            "(%(total_before)s → %(total_after)s in all), while %(member)s had %(count_before)s → %(count_after)s."),
        "driver_mix_none_after": _(
            "Most of the change came from the mix: %(member)s brought none of the %(unit)s, against %(share_before)s."),
        "driver_mix_none_before": _(
            "Most of the change came from the mix: %(member)s brought %(share_after)s of the %(unit)s, "
            "against none before."),
        "driver_volume": _(
            "%(member)s did most of it: its %(kpi_lower)s went from %(count_before)s to %(count_after)s."),
        # The member moved under half of the whole: the largest part, not "most of it".
        "driver_volume_largest": _(
            "%(member)s did the largest part of it: its %(kpi_lower)s went from %(count_before)s to %(count_after)s."),
        # The member moved more than the whole (the others the other way): not "most of it".
        "driver_volume_over": _(
            "%(member)s made all of it and more: its %(kpi_lower)s went from %(count_before)s to %(count_after)s, "
            "while the rest went from %(rest_before)s to %(rest_after)s."),
        "driver_conversion": _(
            "%(member)s did most of it: %(rate_after)s of its %(unit)s converted, against %(rate_before)s before."),
        "driver_conversion_over": _(
            "%(member)s made all of it and more: %(rate_after)s of its %(unit)s converted, against %(rate_before)s "
            "before, its %(kpi_lower)s going from %(count_before)s to %(count_after)s."),
        "driver_conversion_largest": _(
            "%(member)s did the largest part of it: %(rate_after)s of its %(unit)s converted, against "
            "%(rate_before)s before."),
        "driver_results": _(
            "The %(unit)s did most of it: %(volume_before)s → %(volume_after)s, while the spend went from "
            "%(spend_before)s to %(spend_after)s."),
        "driver_budget": _(
            "The spend did most of it: %(spend_before)s → %(spend_after)s, while the %(unit)s went from "
            "%(volume_before)s to %(volume_after)s."),
        "driver_budget_flat": _(
            "The spend did most of it: %(spend_before)s → %(spend_after)s, while the %(unit)s held at %(volume_after)s."),
        # CAC's spend is marketing and sales spend, not the month's marketing spend the summary names.
        "driver_results_sales": _(
            "The %(unit)s did most of it: %(volume_before)s → %(volume_after)s, while the marketing and sales spend "
            "went from %(spend_before)s to %(spend_after)s."),
        "driver_budget_sales": _(
            "The marketing and sales spend did most of it: %(spend_before)s → %(spend_after)s, while the %(unit)s "
            "went from %(volume_before)s to %(volume_after)s."),
        "driver_budget_flat_sales": _(
            "The marketing and sales spend did most of it: %(spend_before)s → %(spend_after)s, while the %(unit)s "
            "held at %(volume_after)s."),
        # A move in a month whose tracking broke (or against one that did, kpis.draft_tracking): not
        # explained by a split the fault distorts, but by the fault, said once, and what it affects.
        "tracking_leads_unattributed": _(
            "%(count)s of the %(leads)s new leads of %(month)s arrived without a source tag, so the split by "
            "channel and campaign is not reliable for that month."),
        "tracking_sessions_without_leads": _(
            "The site recorded no new lead in %(month)s although it had visits, most likely a fault in its forms, "
            "so the new leads and what they cost are not reliable for that month."),
        "tracking_no_mqls": _(
            "The qualification criteria scored none of the new leads of %(month)s, so the MQLs and what they cost "
            "are not reliable for that month."),
        "tracking_campaign_name_twins": _(
            "Some campaigns of %(month)s are named two ways, which splits their figures, so the split by campaign "
            "is not reliable for that month."),
        "tracking_spend_without_results": _(
            "A campaign spent in %(month)s on days with no clicks or conversions recorded, so the split of the "
            "platforms' conversions by campaign, platform and channel is not reliable for that month."),
        # A count's move the working days explain at least a third of: one sentence, the move and its
        # calendar (``move_calendar``), so the working days take no place of the section's three.
        "move_calendar": _("%(move)s: %(calendar)s."),
        "kpi_up_clause": _("%(kpi)s rose %(change)s against %(compare)s, from %(before)s to %(after)s"),
        "kpi_down_clause": _("%(kpi)s fell %(change)s against %(compare)s, from %(before)s to %(after)s"),
        "kpi_up_clause_count": _("%(kpi)s rose by %(change)s against %(compare)s, from %(before)s to %(after)s"),
        "kpi_down_clause_count": _("%(kpi)s fell by %(change)s against %(compare)s, from %(before)s to %(after)s"),
        "calendar_against_clause": _(
            "%(month)s had %(days_after)s working days against %(days_before)s, which held %(kpi_lower)s back by "
            "%(calendar)s"),
        "calendar_clause": _(
            "%(month)s had %(days_after)s working days against %(days_before)s, which accounts for "
            "%(calendar)s of the change in %(kpi_lower)s"),
        "target_met": _("Target met for %(kpi_lower)s: %(after)s against %(target)s."),
        "quarter_on_track": _(
            "The quarter is on track for %(kpi_lower)s: %(actual)s of %(target)s so far, %(projected)s at this pace."),
        "quarter_met": _("The quarter's target for %(kpi_lower)s is already reached: %(actual)s of %(target)s."),
        "no_wins": _("No figure improved notably against %(compare)s."),
    },
    # --- targets missed, a quarter behind, spend off its budget
    CONCERNS: {
        "target_missed": _("Target missed for %(kpi_lower)s: %(after)s against %(target)s."),
        "quarter_behind": _(
            "The quarter is behind on %(kpi_lower)s by %(gap)s: %(actual)s of %(target)s so far, "
            "%(projected)s at this pace."),
        "quarter_missed": _("The quarter ended short of its %(kpi_lower)s target: %(actual)s of %(target)s."),
        "spend_over": _(
            "The quarter's marketing spend is running ahead of its budget: %(actual)s so far, %(projected)s at this pace "
            "against %(target)s."),
        "spend_under": _(
            "The quarter's marketing spend is running behind its budget: %(actual)s so far, %(projected)s at this pace "
            "against %(target)s."),
        "no_concerns": _("Nothing moved the wrong way against %(compare)s."),
    },
    # --- what to do about it
    NEXT_STEPS: {
        "no_trend_yet": _(
            "Set targets for %(next)s so that the next report can say whether the month is on track "
            "(the planner derives them from a revenue goal)."),
        "step_review_member": _(
            "Review %(member)s: its %(kpi_lower)s went from %(member_before)s to %(member_after)s."),
        "step_shift_budget": _(
            "Consider moving budget towards %(member)s, whose %(kpi_lower)s came down to %(member_after)s."),
        "step_review_volume": _(
            "Look into %(member)s: its %(kpi_lower)s went from %(count_before)s to %(count_after)s."),
        "step_review_conversion": _(
            "Review what %(member)s brings to the site and where it lands: %(rate_after)s of its %(unit)s converted, "
            "against %(rate_before)s before."),
        # Fewer of a member's leads qualifying is the leads' quality (targeting, the offer), not its
        # landing pages: the step above fits a conversion of sessions only.
        "step_review_lead_quality": _(
            "Review the quality of what %(member)s brings: %(rate_after)s of its %(unit)s converted, "
            "against %(rate_before)s before."),
        "step_catch_up": _(
            "To reach the quarter's %(kpi_lower)s target, plan for %(needed)s a working day over the "
            "%(left)s working days left."),
        "step_watch": _(
            "Watch %(kpi_lower)s next month: it moved the wrong way (%(after)s) without one channel or campaign to blame."),
        # A move a tracking fault leaves unexplained (kpis.draft_tracking): not "without one channel to
        # blame", which the broken split cannot say either.
        "step_watch_tracking": _(
            "Watch %(kpi_lower)s next month, once the tracking is fixed: it moved the wrong way (%(after)s)."),
        "step_watch_tracking_before": _(
            "Watch %(kpi_lower)s next month: it moved the wrong way (%(after)s) against %(compare)s, whose tracking "
            "broke."),
        # A concern the mix explains: "without one channel to blame" read as contradicting the mix line
        # that names the channel whose share moved. Said when that line did not make the cut, so the step
        # says the split itself ("through the split of the new leads" referred to nothing above it); a
        # share of nothing in words, as the mix line says it.
        "step_watch_mix": _(
            "Watch %(kpi_lower)s next month: it moved the wrong way (%(after)s) through a change in the split of "
            "the %(unit)s, %(member)s having %(share_after)s of the total (%(share_before)s before), not because "
            "one channel or campaign got worse."),
        "step_watch_mix_none_after": _(
            "Watch %(kpi_lower)s next month: it moved the wrong way (%(after)s) through a change in the split of "
            "the %(unit)s, %(member)s having none of them (%(share_before)s before), not because one channel or "
            "campaign got worse."),
        "step_watch_mix_none_before": _(
            "Watch %(kpi_lower)s next month: it moved the wrong way (%(after)s) through a change in the split of "
            "the %(unit)s, %(member)s having %(share_after)s of the total (none before), not because one channel "
            "or campaign got worse."),
        # The steps above when what drove the move, just above them, gave the figures already (the mix's:
        # the split said just above).
        "step_review_member_short": _("Review %(member)s and its %(kpi_lower)s."),
        "step_shift_budget_short": _("Consider moving budget towards %(member)s."),
        "step_review_volume_short": _("Look into %(member)s and its %(kpi_lower)s."),
        "step_review_conversion_short": _("Review what %(member)s brings to the site and where it lands."),
        "step_review_lead_quality_short": _("Review the quality of what %(member)s brings."),
        "step_watch_mix_short": _(
            "Watch %(kpi_lower)s next month: the shift in the mix above moved it the wrong way, not one channel or "
            "campaign getting worse."),
        "step_keep": _("Keep the current plan and budget: nothing calls for a change."),
        # Concerns kept (a check's, a target missed) without a step of their own: the next step is them.
        "step_concerns_first": _("Start with the concerns above before changing the plan or the budget."),
    },
    # --- the report's "What changed" block (a line per driver, the KPI's change first, signed), then the
    # pacing bar of the month in progress (and of its quarter)
    CHANGED: {
        "changed_rate": _(
            "%(kpi)s %(change)s against %(compare)s: mostly %(member)s, %(member_before)s → %(member_after)s."),
        # "The mix" is an analyst's word: say it as a change in how the month's volume was split.
        "changed_mix": _(
            "%(kpi)s %(change)s against %(compare)s: mostly a change in the split of the %(unit)s, %(member)s "
            "having %(share_after)s of the total (%(share_before)s before)."),
        "changed_mix_none_after": _(
            "%(kpi)s %(change)s against %(compare)s: mostly a change in the split of the %(unit)s, %(member)s "
            "having none of them (%(share_before)s before)."),
        "changed_mix_none_before": _(
            "%(kpi)s %(change)s against %(compare)s: mostly a change in the split of the %(unit)s, %(member)s "
            "having %(share_after)s of the total (none before)."),
        # The mix named a member whose share moved while its own count held or went the other way (Paid
        # search 3 → 3 customers, 30 % → 50 % of them): the others moved, so the line says them.
        "changed_mix_rest": _(
            "%(kpi)s %(change)s against %(compare)s: mostly the %(unit)s outside %(member)s, %(rest_before)s → "
            "%(rest_after)s (%(total_before)s → %(total_after)s in all), while %(member)s had %(count_before)s → "
            "%(count_after)s."),
        "changed_volume": _(
            "%(kpi)s %(change)s against %(compare)s: mostly %(member)s, %(count_before)s → %(count_after)s."),
        "changed_volume_largest": _(
            "%(kpi)s %(change)s against %(compare)s: the largest part from %(member)s, %(count_before)s → "
            "%(count_after)s."),
        "changed_volume_over": _(
            "%(kpi)s %(change)s against %(compare)s: all of it and more from %(member)s, %(count_before)s → "
            "%(count_after)s (the rest %(rest_before)s → %(rest_after)s)."),
        "changed_conversion": _(
            "%(kpi)s %(change)s against %(compare)s: mostly %(member)s, converting %(rate_after)s of its %(unit)s "
            "(%(rate_before)s before)."),
        "changed_conversion_over": _(
            "%(kpi)s %(change)s against %(compare)s: all of it and more from %(member)s, converting %(rate_after)s of "
            "its %(unit)s (%(rate_before)s before), %(count_before)s → %(count_after)s."),
        "changed_conversion_largest": _(
            "%(kpi)s %(change)s against %(compare)s: the largest part from %(member)s, converting %(rate_after)s of "
            "its %(unit)s (%(rate_before)s before)."),
        "changed_results": _(
            "%(kpi)s %(change)s against %(compare)s: mostly the volume of %(unit)s, %(volume_before)s → %(volume_after)s."),
        "changed_budget": _(
            "%(kpi)s %(change)s against %(compare)s: mostly the spend, %(spend_before)s → %(spend_after)s."),
        "changed_budget_sales": _(
            "%(kpi)s %(change)s against %(compare)s: mostly the marketing and sales spend, %(spend_before)s → "
            "%(spend_after)s."),
        "changed_plain": _("%(kpi)s %(change)s against %(compare)s."),
        "pace_on_track": _("%(kpi)s: %(actual)s of %(target)s, on track (%(projected)s at this pace)."),
        "pace_met": _("%(kpi)s: %(actual)s of %(target)s, target reached."),
        "pace_behind": _(
            "%(kpi)s: %(actual)s of %(target)s, behind by %(gap)s at this pace; needs %(needed)s a working day."),
        "pace_missed": _("%(kpi)s: %(actual)s of %(target)s, target missed."),
        "pace_over": _("%(kpi)s: %(actual)s of %(target)s, ahead of budget (%(projected)s at this pace)."),
        "pace_under": _("%(kpi)s: %(actual)s of %(target)s, behind budget (%(projected)s at this pace)."),
    },
}

SENTENCES: dict[str, Sentence] = {
    key: Sentence(key, section, text) for section, texts in _DECLARED.items() for key, text in texts.items()
}
if len(SENTENCES) != sum(map(len, _DECLARED.values())):  # a key under two sections would shadow one of them
    raise ImproperlyConfigured("kpis.sentences: a sentence key is declared under two sections")

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

# A channel as a sentence names it ("mostly Paid search"): English keeps the label's capital, while
# Spanish running text writes a channel as the common noun it is, with its article ("sobre todo la
# búsqueda de pago", "Revisar las redes sociales de pago", "vino del correo electrónico": kpis.draft_writer.line
# contracts "de el"; the tables and headings keep "Búsqueda de pago"). Campaign, persona and platform
# names are names: as written.
IN_TEXT = "channel, inside a sentence"
CHANNELS_IN_TEXT: dict[str, Promise] = {
    "organic_search": pgettext_lazy(IN_TEXT, "Organic search"),
    "paid_search": pgettext_lazy(IN_TEXT, "Paid search"),
    "organic_social": pgettext_lazy(IN_TEXT, "Organic social"),
    "paid_social": pgettext_lazy(IN_TEXT, "Paid social"),
    "email": pgettext_lazy(IN_TEXT, "Email"),
    "referral": pgettext_lazy(IN_TEXT, "Referral"),
    "direct": pgettext_lazy(IN_TEXT, "Direct"),
    "display": pgettext_lazy(IN_TEXT, "Display"),
    "events": pgettext_lazy(IN_TEXT, "Events"),
    "offline": pgettext_lazy(IN_TEXT, "Offline"),
    "other": pgettext_lazy(IN_TEXT, "Other"),
}
# A member a breakdown could not attribute ("Not attributed" in its table), as a sentence says it.
UNATTRIBUTED_IN_TEXT: dict[str, Promise] = {
    "campaign": _("what came from no campaign"),
    "persona": _("what matched no buyer persona"),
}


def sentence(key: str) -> Sentence:
    """The declaration of ``key``; KeyError for a sentence that is not declared."""
    return SENTENCES[key]
