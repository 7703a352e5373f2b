"""Every figure of the report in words, for the people who read it: the glossary page and docs/.

The definitions live in the catalogue (``kpis.catalogue``), translated as the pages show them. The
client's portal shows them on one page (*What each figure means*, linked from the report); the
command ``kpi_glossary`` writes them as Markdown (``docs/kpi-glossary.md``, ``docs/kpi-glossary.es.md``)
so that the project's docs say what each figure means without the contract beside them, and a test
fails when the files no longer match the catalogue.
"""

from __future__ import annotations

from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from kpis.catalogue import GROUPS, Better, kpis_in
from kpis.nodata import LANDING_FIGURES
from kpis.reasons import landing_unnamed_reason

LANGUAGES = {"en": "docs/kpi-glossary.md", "es": "docs/kpi-glossary.es.md"}


def glossary_groups() -> list[dict[str, Any]]:
    """Each group's figures in the active language: label, key, definition, unit, which way is good
    news and why the figure can read "—" (the catalogue's reasons, and a landing page figure's when the
    traffic data names no page, as the report says it beside the figure; empty: only data not loaded)."""
    better = {Better.UP: _("a rise"), Better.DOWN: _("a fall"), Better.NEUTRAL: _("neither")}
    return [
        {"title": str(group.title), "note": str(group.note), "figures": [
            {"key": figure.key, "label": str(figure.label), "definition": str(figure.definition),
             "unit": str(figure.unit.label), "better": better[figure.better],
             "reasons": [str(reason) for reason in figure.null_reasons]
             + ([landing_unnamed_reason()] if figure.key in LANDING_FIGURES else [])}
            for figure in kpis_in(group.key)
        ]}
        for group in GROUPS
    ]


def _cell(text: object) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def glossary_markdown(*, language: str) -> str:
    """The glossary in ``language`` as a Markdown page (docs/)."""
    with translation.override(language):
        lines = [
            f"# {_('What each figure of the report means')}",
            "",
            _("Generated from the portal's catalogue of figures (the command kpi_glossary): the same words as "
              "the report's pages, PDF and email. When a month's figure reads “—” instead of a value, the "
              "report says why beside it: one of the reasons in the last column, or data not loaded for the "
              "month."),
            "",
            not_loaded_sentence(staff=True),  # docs/ are the agency's: its words, with what to do
        ]
        for group in glossary_groups():
            lines += ["", f"## {group['title']}", "",
                      f"| {_('Figure')} | {_('What it measures')} | {_('Unit')} | {_('Good news is')} | "
                      f"{_('Why it can read “—”')} |",
                      "|---|---|---|---|---|"]
            for figure in group["figures"]:
                reasons = " ".join(map(_cell, figure["reasons"])) or only_when_sentence(staff=True)
                lines.append(f"| {_cell(figure['label'])} (`{figure['key']}`) | {_cell(figure['definition'])} | "
                             f"{_cell(figure['unit'])} | {figure['better']} | {reasons} |")
            if group["note"]:
                lines += ["", group["note"]]
        return "\n".join(lines) + "\n"


def not_loaded_sentence(*, staff: bool) -> str:
    """Which missing data makes a figure read "—" (kpis.nodata, its lead source too; kpis.nospend, kpis.nocontact), in the active
    language and its reader's words: staff read it "not loaded" and where it is imported; a client, whose
    report it is and who imports nothing, reads it "not recorded" (as its reasons beside the figures say)."""
    if staff:
        return _("Data not loaded makes a figure unknown, never 0: a month without any traffic or email data "
                 "(its traffic or email figures), no spend recorded up to the month (its costs), "
                 "no lead recorded up to the month — no CRM connected, no leads file imported — (every figure "
                 "built on leads: the funnel, its rates and costs, revenue and ROMI), "
                 "a CRM that sends no first-contact time (speed to lead) or no date of a step (its count and "
                 "rates), and new customers without a deal value (revenue, ROI and ROMI; partly known revenue "
                 "is shown and said to be partial).") + " " + _(
            "Import what is missing, or connect its platform, on the Imports page.")
    return _("A figure is unknown, never 0, when its data is not recorded: a month without any traffic or email "
             "data (its traffic or email figures), no spend recorded up to the month (its costs), no lead "
             "recorded up to the month — no CRM connected, no leads file imported — (every figure built on "
             "leads: the funnel, its rates and costs, revenue and ROMI), a CRM that "
             "sends no first-contact time (speed to lead) or no date of a step (its count and rates), and new "
             "customers without a deal value (revenue, ROI and ROMI; partly known revenue is shown and said to "
             "be partial).")


def only_when_sentence(*, staff: bool) -> str:
    """The glossary's "why it can read —" of a figure the catalogue gives no reason of its own, in its reader's
    words (not_loaded_sentence)."""
    return _("only when its data is not loaded") if staff else _("only when its data is not recorded")
