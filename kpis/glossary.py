"""Every figure of the report in words, for the people who read it: the glossary in docs/.

The definitions live in the catalogue (``kpis.catalogue``), translated as the pages show them; this
writes them out as a Markdown page per language (``docs/kpi-glossary.md``, ``docs/kpi-glossary.es.md``)
so that the project's docs say what each figure means without the contract beside them. The
command ``kpi_glossary`` writes the files; a test fails when they no longer match the catalogue.
"""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _

from kpis.catalogue import GROUPS, Better, kpis_in

LANGUAGES = {"en": "docs/kpi-glossary.md", "es": "docs/kpi-glossary.es.md"}


def _cell(text: object) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def glossary_markdown(*, language: str) -> str:
    """The glossary in ``language``: each group's figures with what they measure, their unit, which
    way is good news and why a figure can read "—" instead of a value."""
    with translation.override(language):
        better = {Better.UP: _("a rise"), Better.DOWN: _("a fall"), Better.NEUTRAL: _("neither")}
        lines = [
            f"# {_('What each figure of the report means')}",
            "",
            _("Generated from the portal's catalogue of figures (the command kpi_glossary): the same words as "
              "the report's pages, PDF and email. When a month's figure reads “—” instead of a value, the "
              "report says why beside it: one of the reasons in the last column, or data not loaded for the "
              "month."),
            "",
            _("Data not loaded makes a figure unknown, never 0: a month without any traffic or email row "
              "(its traffic or email figures), a client without any spend loaded up to the month (its costs), "
              "a CRM that sends no first-contact time (speed to lead) or no date of a step (its count and "
              "rates), and new customers without a deal value (revenue, ROI and ROMI; partly known revenue "
              "is shown and said to be partial)."),
        ]
        for group in GROUPS:
            lines += ["", f"## {group.title}", "",
                      f"| {_('Figure')} | {_('What it measures')} | {_('Unit')} | {_('Good news is')} | "
                      f"{_('Why it can read “—”')} |",
                      "|---|---|---|---|---|"]
            for figure in kpis_in(group.key):
                reasons = " ".join(_cell(reason) for reason in figure.null_reasons) or _("only when its data is not loaded")
                lines.append(
                    f"| {_cell(figure.label)} (`{figure.key}`) | {_cell(figure.definition)} | {_cell(figure.unit.label)} | "
                    f"{better[figure.better]} | {reasons} |"
                )
        return "\n".join(lines) + "\n"
