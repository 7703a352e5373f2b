"""Reads for the commentary draft on the close page: the draft of a month, in the client's language.

The sentences are kpis.draft's (written from the figures, kpis.explain's drivers and kpis.pacing);
this adds what the close knows: which sections a person wrote (a draft never replaces them), the
concerns of the month's checks, and the language the client reads.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import translation

from agency.models import Client
from agency.months import Month
from kpis.checks.base import Family
from kpis.checks.selectors import month_checks_read, tracking_faults
from kpis.draft import Draft, month_draft
from kpis.draft_tracking import Fault
from kpis.draft_writer import Figure, Line, report_href
from kpis.selectors_scorecard import draft_inputs
from reports.models import Commentary
from reports.selectors import commentary_current


def draft_language(client: Client) -> str:
    """The language the client is written to (its own, else the agency's default): the one its
    email and PDF are in. The page's language was used when the client had none of its own, so a
    Spanish-speaking account manager's draft went into an English client's email under English
    headings."""
    return client.report_language


def draft_concerns(*, client: Client, month: dt.date) -> list[Line]:
    """The month's checks (kpis.checks, stored with the snapshot) as concerns, first among the
    draft's: each check's own sentence in the active language, its figures as the sentence's
    sources (on hover), linked to where the check points (else the month's report).

    An unresolved check always; a resolved one too unless it is an anomaly. Resolving a data
    check (days of traffic missing, leads without UTM tags, customers without revenue) says staff
    looked, not that the data came: the month's figures still lack it (a re-import makes the
    check go, not resolves it). Dropped from the draft, it left the client's report with four
    days of sessions missing and nothing said — and resolving the checks, which makes a month
    clean, was what took the words out. An anomaly resolved was explained (the figure is right)."""
    concerns = []
    checks = month_checks_read(month=month, currency=client.currency)
    for found in sorted(checks, key=lambda c: c["resolved_at"] is not None):  # the unresolved first
        if found["resolved_at"] and found["family"] == Family.ANOMALY:
            continue  # staff explained the move: the figure is right, not a concern for the client's words
        link = found["link"] or report_href(month)
        # The check's sentence already gives its figures in words; what the reader hovers is the
        # rule that found it (the check's stored figures are its own keys and raw values: a
        # "score: -6.7; seasonal: False" is no help to anyone reading the draft).
        rule = Figure(shown="", value=None, why=f"{found['family_label']}: {found['rule']}", href=link, derived=True)
        concerns.append(Line.of_text(f"check_{found['key']}", found["sentence"], [rule], href=link))
    return concerns


def draft_faults(*, month: dt.date) -> list[Fault]:
    """The tracking checks stored for ``month`` and the month before (kpis.checks.selectors.tracking_faults)."""
    return tracking_faults(months=(month, (Month.of(month) - 1).first_day))


def month_draft_for(*, client: Client, month: dt.date, language: str | None = None) -> Draft:
    """The draft of ``month`` from its figures, in ``language`` (default: the client's)."""
    with translation.override(language or draft_language(client)):
        return month_draft(draft_inputs(month=month, client=client), concerns=draft_concerns(client=client, month=month),
                           faults=draft_faults(month=month))


def sections_written_by_people(*, month: dt.date) -> set[str]:
    """Sections whose current text a person wrote (not empty, not a draft): a draft leaves them alone."""
    return {key for key, row in commentary_current(month=month).items() if row.text.strip() and not row.drafted}


def draft_panel(*, client: Client, month: dt.date) -> dict[str, Any]:
    """The close page's "Draft from the figures" panel: the draft's sentences (numbers linked,
    sources on hover) by section, and which sections a press of the button would fill."""
    draft = month_draft_for(client=client, month=month)
    kept = sections_written_by_people(month=month)
    with translation.override(draft_language(client)):
        sections = [
            {"key": c.value, "title": str(c.label), "lines": draft.sections.get(c.value, []), "kept": c.value in kept}
            for c in Commentary.Section
        ]
    return {"sections": sections, "first_month": draft.first_month, "language": draft_language(client)}
