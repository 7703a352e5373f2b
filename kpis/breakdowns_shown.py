"""A month's breakdowns as tables: their rows sorted on the server, each "—" explained once under the table.

Formatting only: the rows come from a stored snapshot's document (kpis.snapshot.breakdowns).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext, ngettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _

from clients.words import UNKNOWN_MEMBER, member_label, money
from kpis.catalogue import (
    BREAKDOWN_KEYS,
)
from kpis.formatting import figure, fractional_counts_aligned, number_shown
from kpis.nodata import LEAD_FIGURES
from kpis.nodevice import DEVICE_LEAD_FIGURES, device_leads_unknown, leads_left_out
from kpis.nospend import spend_figure_unknown, spend_without_campaign
from kpis.reasons import (
    CANNOT,
    CANNOT_ANY,
    CANNOT_SOME,
    NO_AD_ROWS,
    NO_AD_ROWS_ANY,
    NO_AD_ROWS_SOME,
    NO_CONVERSION_VALUE,
    NO_CONVERSION_VALUE_ANY,
    NO_CONVERSION_VALUE_SOME,
    NO_CONVERSIONS,
    NO_CONVERSIONS_ANY,
    NO_CONVERSIONS_SOME,
    ROW_FIGURE_REASONS,
    ROW_REASONS,
    ROW_REASONS_EVERY_ROW,
    ROW_REASONS_SOME_ROWS,
    ROW_WORDS,
    no_leads_reason,
    no_spend_reason,
    not_loaded_reason,
    row_cell_shown,
    row_words,
    unlinked_reason,
)
from kpis.unmatched import figure_unmatched

if TYPE_CHECKING:
    from kpis.models import Snapshot


def breakdown_cell(key: str, row: dict[str, Any], currency: str, *, dimension: str, staff: bool = False) -> dict[str, str]:
    """A breakdown_rows cell as shown: an unmatched count of CRM leads says so, a cost of a client
    without spend loaded too, else row_cell_shown; a row of ``dimension`` (its reasons say "this channel").
    ``staff``: the reader is agency staff (no_spend_reason)."""
    if key in row.get("no_leads", ()):
        return {"text": "—", "reason": no_leads_reason(staff=staff)}
    if key in row.get("unmatched", ()):
        return {"text": "—", "reason": unlinked_reason()}
    if key in row.get("no_spend", ()):
        return {"text": "—", "reason": no_spend_reason(staff=staff)}
    if key in row.get("no_device", ()):
        return {"text": "—", "reason": no_device_reason(row["leads_without_device"])}
    if key in row.get("no_traffic", ()):
        return {"text": "—", "reason": not_loaded_reason("traffic", staff=staff)}
    if key in row.get("unpriced", ()):
        return {"text": "—", "reason": row_unpriced_reason(dimension)}
    shown = row_cell_shown(key, row, currency, dimension=dimension)
    if key in ROW_REVENUE_FIGURES and row.get(key) is not None and (note := row_partial_note(row, dimension)):
        return {**shown, "note": note}  # on hover; the row says it once under its name
    return shown


# A breakdown row's figures summed from traffic rows, and those over its customers' deal values
# (kpis.nodata: "—" with the reason when the month has no traffic row, or the row's customers no deal value).
ROW_TRAFFIC_FIGURES = frozenset({"sessions", "traffic_to_lead", "bounce_rate", "landing_page_conversion_rate",
                                 "form_submissions"})


ROW_REVENUE_FIGURES = frozenset({"revenue", "roi"})


def partial_text(unpriced: int, customers: int, *, dimension: str = "") -> str:
    """"Partial: 1 of the 3 new customers has no deal value, so this figure counts only the others.": a
    revenue figure counting only the customers with a deal value (kpis.nodata), as a tile says it
    (``dimension``: a breakdown row's of it, whose revenue and ROI both do: "of this channel"); "" when
    every customer has one."""
    unpriced = min(unpriced, customers)
    if not unpriced:
        return ""
    counts = {
        "count": number_shown(unpriced, 0, force_grouping=True),
        "customers": number_shown(customers, 0, force_grouping=True),
    }
    if dimension:
        return ngettext(
            "Partial: %(count)s of the %(customers)s new customers has no deal value, so the revenue and ROI of "
            "%(this)s count only the others.",
            "Partial: %(count)s of the %(customers)s new customers have no deal value, so the revenue and ROI of "
            "%(this)s count only the others.",
            unpriced,
        ) % {**counts, "this": row_words(dimension).this}
    return ngettext(
        "Partial: %(count)s of the %(customers)s new customers has no deal value, so this figure counts only "
        "the others.",
        "Partial: %(count)s of the %(customers)s new customers have no deal value, so this figure counts only "
        "the others.",
        unpriced,
    ) % counts


def row_partial_note(row: dict[str, Any], dimension: str) -> str:
    """A breakdown row (channel, campaign) whose revenue and ROI count only some of its new customers,
    the others without a deal value: the tiles' partial note (``partial_text``), from the count the
    snapshot stores per member (``unpriced_customers``). "" when they count them all, when none has a
    deal value (those figures then read —, ``row_unpriced_reason``), for a dimension without revenue,
    and for a document computed before the count was stored (it cannot tell)."""
    unpriced, customers = row.get("unpriced_customers"), row.get("customers")
    if not unpriced or not customers or row.get("unpriced"):
        return ""
    if all(row.get(key) is None for key in ROW_REVENUE_FIGURES):
        return ""
    return partial_text(int(unpriced), int(customers), dimension=dimension) if int(unpriced) < customers else ""


def no_device_reason(leads: int) -> str:
    """Why a device's new leads and traffic → lead read — when none of the month's new leads records a
    device (kpis.nodevice): their 0 is kpis.md's, not a fact. Said once under the table, so it names no row."""
    return ngettext(
        "This month's only new lead records no device (its source does not send one): new leads and "
        "traffic → lead by device are unknown, not 0.",
        "None of this month's %(leads)s new leads records a device (their source does not send one): new leads "
        "and traffic → lead by device are unknown, not 0.",
        leads,
    ) % {"leads": number_shown(leads, 0, force_grouping=True)}


def left_out_note(snapshot: Snapshot | None, dimension: str) -> str:
    """Under the device or persona table: how many of the month's new leads it leaves out (kpis.md leaves
    out a lead without a device, or matching no persona; kpis.nodevice). "" otherwise, and for a device
    table none of whose leads records a device (each of its "—" then says why)."""
    if dimension not in ("device", "persona"):
        return ""
    found = leads_left_out(snapshot.document if snapshot else None, dimension)
    if not found or (dimension == "device" and found[0] == found[1]):
        return ""
    left_out, leads = found
    counts = {"count": number_shown(left_out, 0, force_grouping=True), "leads": number_shown(leads, 0, force_grouping=True)}
    if dimension == "persona":
        if left_out == leads:
            return ngettext(
                "This month's only new lead matches no persona, so this table has none of this month's new leads.",
                "None of this month's %(leads)s new leads matches a persona, so this table has none of this month's "
                "new leads.",
                leads,
            ) % counts
        return ngettext(
            "%(count)s of this month's %(leads)s new leads matches no persona: it is left out of this table.",
            "%(count)s of this month's %(leads)s new leads match no persona: they are left out of this table.",
            left_out,
        ) % counts
    return ngettext(
        "%(count)s of this month's %(leads)s new leads records no device (its source does not send one): it is "
        "left out of this table's new leads and traffic → lead.",
        "%(count)s of this month's %(leads)s new leads record no device (their source does not send one): they "
        "are left out of this table's new leads and traffic → lead.",
        left_out,
    ) % counts


def campaign_spend_note(snapshot: Snapshot | None, dimension: str, currency: str) -> str:
    """Under the campaign table: the month's marketing spend tied to no campaign, which kpis.md leaves
    out of it, so that its column adds up to less than the month's marketing spend for a reason the
    reader is told (the channel table shows it as "Not attributed"). "" for another table, or none."""
    if dimension != "campaign":
        return ""
    found = spend_without_campaign(snapshot.document if snapshot else None)
    if found is None:
        return ""
    rest, total = found
    return gettext(
        "%(rest)s of this month's %(total)s marketing spend is tied to no campaign (fees, tools, content): it is "
        "in the month's marketing spend, not in this table."
    ) % {"rest": money(rest, currency), "total": money(total, currency)}


UNPRICED = _("The new customers of %(this)s have no deal value: its revenue is unknown, not zero.")


UNPRICED_ANY = _("None of the new customers of %(these)s has a deal value: their revenue is unknown, not zero.")


UNPRICED_SOME = ngettext_lazy(
    "The new customers of %(rows)s have no deal value: its revenue is unknown, not zero.",
    "The new customers of %(rows)s have no deal value: their revenue is unknown, not zero.", "count")


def row_unpriced_reason(dimension: str) -> str:
    """Why a breakdown row's revenue reads — when its customers have no deal value (kpis.nodata); said
    once under a PDF table, so it names no row's count."""
    return UNPRICED % {"this": row_words(dimension).this}


def breakdown_rows(
    snapshot: Snapshot | None, dimension: str, *, sort: str, descending: bool, has_spend: bool = True,
    traffic_loaded: bool = True, leads_loaded: bool = True,
) -> tuple[list[str], list[dict]]:
    """One breakdown of one month's snapshot as table rows, sorted on the server; undefined values last.
    ``has_spend``: the client had spend loaded up to the month's end (kpis.nospend); else its costs
    have no value (sorted last, no bar) and breakdown_cell says why. ``traffic_loaded``: the month has a
    traffic row (kpis.nodata); else the rows' sessions and traffic rates have none either. ``leads_loaded``:
    the client had a lead source up to the month's end (kpis.nodata.leads_loaded); else the rows' lead
    figures (new leads, MQLs, customers, cost per lead, revenue…) have none either."""
    keys = list(BREAKDOWN_KEYS[dimension])
    members = snapshot.document["breakdowns"].get(dimension, {}) if snapshot else {}
    rows = [{"member": member, **{k: figures.get(k) for k in keys}} for member, figures in members.items()]
    # No new lead of the month records a device: each device's 0 new leads is kpis.md's, not a fact
    # (kpis.nodevice). The value stays (the CSV keeps it); breakdown_cell shows "—" and why.
    unrecorded = device_leads_unknown(snapshot.document) if dimension == "device" and snapshot else None
    if unrecorded:
        for row in rows:
            row.update(no_device=DEVICE_LEAD_FIGURES & set(keys), leads_without_device=unrecorded)
    for row, figures in zip(rows, members.values(), strict=True):
        if "unpriced_customers" in figures:  # channel and campaign rows of a document that stores it
            row["unpriced_customers"] = figures["unpriced_customers"]
        # A count of the CRM's leads by campaign in a month whose leads name none: no value (sorted
        # last, no bar), and breakdown_cell says why (kpis.unmatched).
        unmatched = {k for k in keys if figure_unmatched(snapshot.document, k, figures=figures, place=dimension)}
        if unmatched:
            row.update(dict.fromkeys(unmatched), unmatched=unmatched)
        no_leads = set() if leads_loaded else {k for k in keys if k in LEAD_FIGURES}
        if no_leads:
            row.update(dict.fromkeys(no_leads), no_leads=no_leads)
        no_spend = {k for k in keys if spend_figure_unknown(k, has_spend=has_spend) and k not in no_leads}
        if no_spend:
            row.update(dict.fromkeys(no_spend), no_spend=no_spend)
        # No traffic row in the month, or the row's customers without a deal value (kpis.nodata).
        no_traffic = set() if traffic_loaded else {k for k in keys if k in ROW_TRAFFIC_FIGURES}
        priced = not figures.get("customers") or figures.get("revenue") != 0
        unpriced = set() if priced else {k for k in keys if k in ROW_REVENUE_FIGURES}
        if no_traffic or unpriced:
            row.update(dict.fromkeys(no_traffic | unpriced), no_traffic=no_traffic, unpriced=unpriced)
    if sort == "member" or sort not in keys:
        rows.sort(key=lambda r: r["member"], reverse=descending)
    else:
        present = [r for r in rows if r[sort] is not None]
        missing = [r for r in rows if r[sort] is None]  # undefined values last, whatever the direction
        rows = sorted(present, key=lambda r: r[sort], reverse=descending) + missing
    return keys, rows


def _row_forms() -> list[tuple[str, str, Callable[[int], str]]]:
    """Every reason a row's cell may give (row_cell_shown, row_unpriced_reason) for every kind of row, in
    the active language, as (said of the row: "No sessions for this channel.", of every row: "No sessions
    for any channel.", of some rows: ``count`` -> "No sessions for 2 channels."). What is said under a
    table; the row's kind is read from its words, so a table's reasons need nothing else."""
    forms: list[tuple[str, str, Callable[[int], str]]] = []
    for dimension, words in ROW_WORDS.items():
        slots = {"this": words.this, "these": words.these, "any": words.any}

        def some(template: Any, words: Any = words) -> Callable[[int], str]:
            return lambda count: template % {"count": count, "rows": words.counted(count)}

        kinds = [(ROW_REASONS[key], ROW_REASONS_EVERY_ROW[key], ROW_REASONS_SOME_ROWS[key]) for key in ROW_REASONS]
        kinds += [(ROW_FIGURE_REASONS[key], ROW_REASONS_EVERY_ROW[key], ROW_REASONS_SOME_ROWS[key])
                  for key in ROW_FIGURE_REASONS]
        kinds += [(NO_AD_ROWS, NO_AD_ROWS_ANY, NO_AD_ROWS_SOME), (NO_CONVERSIONS, NO_CONVERSIONS_ANY, NO_CONVERSIONS_SOME),
                  (NO_CONVERSION_VALUE, NO_CONVERSION_VALUE_ANY, NO_CONVERSION_VALUE_SOME)]
        forms += [(one % slots, every % slots, some(several)) for one, every, several in kinds]
        forms.append((row_unpriced_reason(dimension), UNPRICED_ANY % slots, some(UNPRICED_SOME)))
    return forms


def _cannot(reason: str) -> tuple[Any, str] | None:
    """A row's "Cannot be worked out for this channel (…)" as (its row's words, the definition); None
    for any other reason."""
    for words in ROW_WORDS.values():
        head, _slot, tail = (CANNOT % {"this": words.this, "definition": "\0"}).partition("\0")
        if reason.startswith(head) and reason.endswith(tail) and len(reason) >= len(head) + len(tail):
            return words, reason[len(head) : len(reason) - len(tail)]
    return None


def _every_row(reason: str, forms: list[tuple[str, str, Callable[[int], str]]]) -> str:
    """A row's reason (row_cell_shown) as said of every row of a table, under it."""
    for one, every, _some in forms:  # a cell may join two ("No sessions … No …")
        reason = reason.replace(one, every)
    if cannot := _cannot(reason):
        return CANNOT_ANY % {"any": cannot[0].any, "definition": cannot[1]}
    return reason


def _some_rows(reason: str, count: int, forms: list[tuple[str, str, Callable[[int], str]]]) -> str:
    """A row's reason (row_cell_shown) as said under a table of ``count`` of its rows, not all."""
    for one, _every, some in forms:
        if one in reason:
            reason = reason.replace(one, some(count))
    if cannot := _cannot(reason):
        return CANNOT_SOME % {"rows": cannot[0].counted(count), "definition": cannot[1]}
    return reason


def _reason_parts(reason: str, texts: list[str]) -> list[str]:
    """A cell's reason as the row reasons it joins ("No sessions for this channel. No new leads for this
    channel."), each counted over the rows on its own; any other reason whole. ``texts``: every row
    reason (ROW_REASONS) of every kind of row, in the active language."""
    if not reason:
        return []
    parts = sorted((text for text in texts if text in reason), key=reason.index)
    rest = reason
    for part in parts:
        rest = rest.replace(part, "")
    return parts if parts and not rest.strip() else [reason]


def dashes_said(rows: Iterable[Iterable[dict[str, Any]]], more_cells: Iterable[dict[str, Any]] = ()) -> list[str]:
    """The reasons of a table's "—" cells as said once each under it (a phone and paper have no hover):
    a row's reason ("No sessions for this channel." on hover) of the rows that have it — "No sessions for
    2 channels.", "No sessions for any channel." when every row of a table of several does; in a table of
    one row, as it stands. ``rows``: each row's cells; ``more_cells`` (a total row): their reasons as they
    stand. "En esta fila" under a table of seven channels said of one row what was true of three; and a
    client does not think in rows: each reason names what its rows are (kpis.reasons.ROW_WORDS)."""
    rows = [list(cells) for cells in rows]
    texts = [text % {"this": words.this} for words in ROW_WORDS.values() for text in ROW_REASONS.values()]
    holding: dict[str, set[int]] = {}
    for index, cells in enumerate(rows):
        for cell in cells:
            for part in _reason_parts(str(cell.get("reason") or ""), texts):
                holding.setdefault(part, set()).add(index)
    forms = _row_forms() if holding and len(rows) > 1 else []
    said = [
        reason if len(rows) < 2 else _every_row(reason, forms) if len(indexes) == len(rows)
        else _some_rows(reason, len(indexes), forms)
        for reason, indexes in holding.items()
    ]
    said += [str(cell["reason"]) for cell in more_cells if cell.get("reason")]
    return list(dict.fromkeys(said))


def blank_columns_dropped(
    columns: list[Any], rows: list[dict[str, Any]], *, dimension: str
) -> tuple[list[Any], list[dict[str, Any]], str]:
    """A drill-down table without its columns that read "—" in every row, and the line that says so.

    A client without the ad platforms' delivery got a campaign table of seven columns of dashes
    (impressions, clicks, CTR, CPC, conversions, cost per conversion, ROAS) on the page and two
    such tables in the PDF. They are left out and named once, with why, under the table; the CSV keeps
    every column (a machine reads it). ``rows`` as breakdown_cell shows them (``cells`` in ``columns``' order),
    rows of ``dimension`` (the line says "for any channel").
    A table of one row keeps its cells: a dash there, its reason under the table, is no column of dashes."""
    if len(rows) < 2:
        return columns, rows, ""
    blank = [i for i in range(len(columns)) if all(row["cells"][i]["text"] == "—" for row in rows)]
    if not blank:
        return columns, rows, ""
    kept = [i for i in range(len(columns)) if i not in blank]
    reasons = dict.fromkeys(str(row["cells"][i]["reason"]) for i in blank for row in rows if row["cells"][i]["reason"])
    forms = _row_forms()
    reasons = {_every_row(reason, forms): None for reason in reasons}  # "No sessions for any channel.", not "this channel"
    names = ", ".join(_label_text(columns[i]) for i in blank)
    note = gettext("Not shown, as there is no value for %(any)s this month: %(columns)s.") % {
        "any": row_words(dimension).any, "columns": names}
    return (
        [columns[i] for i in kept],
        [{**row, "cells": [row["cells"][i] for i in kept]} for row in rows],
        " ".join([note, *reasons]),
    )


def _label_text(column: Any) -> str:
    """A column as the page passes it ((key, label)) or as the PDF does (its label)."""
    return str(column[1] if isinstance(column, tuple) else column)


def reading_order(label: str) -> tuple[bool, str]:
    """A breakdown's member in words as a reader looks it up: alphabetical in the reader's language,
    accents aside ("Búsqueda orgánica" among the b's), "Not attributed" last. Sorted by their codes,
    a Spanish channel list or a campaign list (by id) read in no order a reader could follow."""
    plain = unicodedata.normalize("NFKD", str(label).casefold()).encode("ascii", "ignore").decode()
    return str(label) == str(UNKNOWN_MEMBER), plain


# The drill-downs, in the page's order and words (the page's buttons, the PDF's tables).
DIMENSION_LABELS = {
    "channel": _("Channel"),
    "device": _("Device"),
    "persona": _("Persona"),
    "campaign": _("Campaign"),
    "platform": _("Ad platform"),
    "landing_page": _("Landing page"),
    "social_network": _("Social network"),
    "segment": _("Contract segment"),
}


def drilldown_tables(
    snapshot: Snapshot | None, *, currency: str, names: dict[str, str], has_spend: bool = True,
    persona_names: dict[str, str] | None = None, traffic_loaded: bool = True, leads_loaded: bool = True,
) -> list[dict[str, Any]]:
    """Every drill-down of the month as the page's tables show them before a sort is chosen: members
    in words (``names``: campaign ids to names; ``persona_names``: persona codes to names), values in
    the KPI's format, "—" with its reason. For the PDF, which cannot open them one at a time as the page does."""
    by_dimension = {"campaign": names, "persona": persona_names}
    tables = []
    for dimension, title in DIMENSION_LABELS.items():
        keys, rows = breakdown_rows(
            snapshot, dimension, sort="member", descending=False, has_spend=has_spend, traffic_loaded=traffic_loaded,
            leads_loaded=leads_loaded,
        )
        if dimension == "segment" and not rows:  # no contract known: no table of "Nothing this month."
            continue
        shown = [
            {
                "member": member_label(dimension, r["member"], by_dimension.get(dimension)),
                "cells": [breakdown_cell(k, r, currency, dimension=dimension) for k in keys],
                "note": row_partial_note(r, dimension),
            }
            for r in rows
        ]
        fractional_counts_aligned(keys, rows, shown)
        shown.sort(key=lambda row: reading_order(row["member"]))
        columns, shown, blank_note = blank_columns_dropped([str(figure(k).label) for k in keys], shown, dimension=dimension)
        tables.append({
            "dimension": dimension, "title": title, "columns": columns, "rows": shown, "blank_note": blank_note,
            # the month's leads without a device or persona; the spend tied to no campaign
            "left_out_note": left_out_note(snapshot, dimension) or campaign_spend_note(snapshot, dimension, currency),
        })
    return tables
