"""The draft's sentence machinery: a ``Figure`` (a number and where it came from), a ``Line`` (a
declared sentence with its slots filled, as text and as HTML), ``line``/``clause`` that fill them,
and the ``Writer`` that makes one client-month's figures.

Split from ``kpis.draft`` so that what a sentence is can be read apart from what the draft says:
``kpis.draft_drivers`` writes what drove a change with these, ``kpis.draft`` assembles the month's
draft, ``kpis.report_drivers`` the report's "What changed". Pure: no database.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from agency.months import Month
from clients.words import member_label
from kpis.catalogue import Unit, is_kpi, kpi
from kpis.drivers import REST
from kpis.formatting import change as tile_change
from kpis.formatting import format_value, number_shown, small_base
from kpis.sentences import CHANNELS_IN_TEXT, REST_LABEL, UNATTRIBUTED_IN_TEXT, sentence

# The sentences that state a KPI's change between two months (and their "_count" forms).
CHANGE_SENTENCES = ("kpi_up", "kpi_down", "headline_up", "headline_down", "year_up", "year_down")


@dataclass(frozen=True)
class Figure:
    """A number in a sentence: shown as the page shows it, with where it comes from.

    ``kpi``/``month``/``dimension``/``member`` name a figure of a snapshot (its value is that
    figure, exactly); a ``derived`` number (a change, a share, a part) says what it was worked
    out from in ``why``."""

    shown: str
    value: float | None
    why: str
    href: str = ""
    kpi: str = ""
    month: dt.date | None = None
    dimension: str = ""
    member: str = ""
    derived: bool = False


@dataclass
class Line:
    """One sentence of the draft: its declared key, its slots, and the text and HTML they make.

    The checks (issue "Checks before a client sees a month") hand their concerns in as Lines
    made with ``Line.of_text`` (a sentence already written, and its figures)."""

    key: str
    slots: dict[str, str | Figure | Line]
    text: str = ""
    html: str = ""

    @property
    def figures(self) -> list[Figure]:
        """Its figures, a clause's in it (``clause``) included, in the order the slots come."""
        found: list[Figure] = []
        for value in self.slots.values():
            if isinstance(value, Figure):
                found.append(value)
            elif isinstance(value, Line):
                found.extend(value.figures)
        return found

    @property
    def why(self) -> str:
        return "; ".join(figure.why for figure in self.figures)

    @property
    def change(self) -> tuple[str, dt.date] | None:
        """(KPI, month compared with) when the sentence states a KPI's change ("MQLs rose 5.2 %
        against September 2026", "Against September 2026, MQLs fell…", a year's): what tells the
        concise draft that two sentences say the same figure (``kpis.draft_concise.concise_summary``)."""
        before = self.slots.get("before")
        if self.key.startswith(CHANGE_SENTENCES) and isinstance(before, Figure) and before.kpi and not before.dimension:
            return before.kpi, before.month  # type: ignore[return-value]
        return None

    @property
    def changes(self) -> list[tuple[str, dt.date]]:
        """Every KPI change the sentence states: its own (``change``) and its clauses' ("Against
        November 2025, a year earlier: MQLs up…, cost per lead up…" states two)."""
        own = [self.change] if self.change else []
        return own + [c for value in self.slots.values() if isinstance(value, Line) for c in value.changes]

    @classmethod
    def of_text(cls, key: str, text: str, figures: list[Figure], *, href: str = "") -> Line:
        """A sentence written elsewhere (a check's), with the figures it came from: shown as is,
        each figure's shown text in it linked; with ``href``, a link to where it points after it."""
        line = cls(key=key, slots={f"f{i}": figure for i, figure in enumerate(figures)})
        line.text = text
        body = html.escape(text)
        for figure in figures:
            if figure.shown and len(figure.shown) > 1:
                body = body.replace(html.escape(figure.shown), _figure_html(figure), 1)
        if href:
            body += f' <a class="figure" href="{html.escape(href, quote=True)}" title="{html.escape(line.why, quote=True)}">↗</a>'
        line.html = body
        return line



_SLOT = re.compile(r"%\((\w+)\)s")


def _figure_html(figure: Figure) -> str:
    shown = html.escape(figure.shown)
    title = html.escape(figure.why, quote=True)
    if figure.href:
        return f'<a class="figure" href="{html.escape(figure.href, quote=True)}" title="{title}">{shown}</a>'
    return f'<span class="figure" title="{title}">{shown}</span>'


def line(key: str, **slots: str | Figure | Line) -> Line:
    """The declared sentence ``key`` with its slots filled: plain text, and HTML whose figures are
    links with their source on hover (words escaped, never markup); a ``Line`` slot (a ``clause``)
    goes in as its text and HTML."""
    made = clause(key, **slots)
    text, body = made.text, made.html
    if text[:1].islower() and body[:1] == text[:1]:  # "octubre de 2026 trajo…": a sentence starts with a capital
        made.text, made.html = text[0].upper() + text[1:], body[0].upper() + body[1:]
    return made


def clause(key: str, **slots: str | Figure | Line) -> Line:
    """The declared text ``key`` filled as ``line`` fills it, but a part of a sentence: as it starts
    ("cost per lead up 25.8 %…"), no capital."""
    template = str(sentence(key).text)
    text_parts, html_parts, last = [], [], 0
    for match in _SLOT.finditer(template):
        literal = template[last : match.start()]
        value = slots[match.group(1)]
        if isinstance(value, Figure):
            shown, shown_html = value.shown, _figure_html(value)
        elif isinstance(value, Line):
            shown, shown_html = value.text, value.html
        else:
            literal, shown = _contracted(literal, str(value))
            shown_html = html.escape(shown)
        text_parts += [literal, shown]
        html_parts += [html.escape(literal), shown_html]
        last = match.end()
    text_parts.append(template[last:])
    html_parts.append(html.escape(template[last:]))
    used = {name: slots[name] for name in _SLOT.findall(template)}  # the sentence's sources: what it shows
    return Line(key=key, slots=used, text="".join(text_parts), html="".join(html_parts))


_BEFORE_EL = re.compile(r"(^|\s)(de|a) $")


def _contracted(literal: str, words: str) -> tuple[str, str]:
    """Spanish contracts "de el" and "a el" ("vino del correo electrónico"): a channel inside a
    sentence carries its article there (kpis.sentences.CHANNELS_IN_TEXT), and the sentence's "de"
    is in the text before it. Any other pair, and any other language, as they are."""
    if words.startswith("el ") and (match := _BEFORE_EL.search(literal)):
        return literal[: match.start(2)] + match.group(2) + "l ", words[3:]
    return literal, words


def lower_first(label: str) -> str:
    """A label inside a sentence: "Cost per lead" → "cost per lead", "MQLs" stays."""
    if len(label) > 1 and label[1].isupper():
        return label
    return label[:1].lower() + label[1:]


def month_words(month: dt.date) -> str:
    return date_format(month, "YEAR_MONTH_FORMAT")


def report_href(month: dt.date, key: str = "") -> str:
    """The month's report, at a KPI's tile when ``key`` is given."""
    return f"/scorecard/?month={Month.of(month)}" + (f"#kpi-{key}" if key else "")


def breakdown_href(dimension: str, month: dt.date) -> str:
    return f"/scorecard/breakdowns/{dimension}/?month={Month.of(month)}"


class Writer:
    """Makes the figures of one client-month's draft: values shown the page's way, links, sources."""

    def __init__(
        self, *, month: dt.date, documents: dict[dt.date, dict[str, Any]], currency: str, names: dict[str, dict[str, str]]
    ):
        self.month, self.documents, self.currency, self.names = month, documents, currency, names

    def _show(self, key: str, value: float | Fraction | None) -> str:
        if is_kpi(key):
            return format_value(key, None if value is None else float(value), self.currency)
        return number_shown(float(value or 0), 2, force_grouping=True)

    def kpi(self, key: str, month: dt.date) -> Figure:
        """A KPI of a month, as the snapshot has it; a link to its tile on that month's report."""
        value = self.documents[month]["kpis"].get(key)
        shown = self._show(key, value)
        return Figure(
            shown=shown,
            value=value,
            kpi=key,
            month=month,
            why=f"{kpi(key).label}, {month_words(month)}: {shown}",
            href=report_href(month, key),
        )

    def member_name(self, dimension: str, member: str) -> str:
        if member == REST:
            return str(REST_LABEL)
        return member_label(dimension, member, self.names.get(dimension))

    def member_in_text(self, dimension: str, member: str) -> str:
        """A member as a sentence names it: a channel as running text writes it ("sobre todo búsqueda
        de pago", where a table says "Búsqueda de pago"), any other member as ``member_name``."""
        if dimension == "channel" and member in CHANNELS_IN_TEXT:
            return str(CHANNELS_IN_TEXT[member])
        if dimension in UNATTRIBUTED_IN_TEXT and member in ("", None, "None", "unattributed", "unknown"):
            return str(UNATTRIBUTED_IN_TEXT[dimension])  # "lo que llegó sin campaña", not "Sin atribuir"
        return self.member_name(dimension, member)

    def member(
        self, key: str, month: dt.date, dimension: str, member: str, value: float | Fraction | None, *, stored: bool
    ) -> Figure:
        """A breakdown member's figure (``stored``: the snapshot's own, else worked out from it)."""
        if stored:  # the snapshot's value itself, not one recomputed from its parts
            value = self.documents[month].get("breakdowns", {}).get(dimension, {}).get(member, {}).get(key, value)
        shown = self._show(key, value)
        label = kpi(key).label if is_kpi(key) else key
        return Figure(
            shown=shown,
            value=None if value is None else float(value),
            kpi=key,
            month=month,
            dimension=dimension,
            member=member,
            derived=not stored,
            why=f"{label}, {self.member_name(dimension, member)}, {month_words(month)}: {shown}",
            href=breakdown_href(dimension, month),
        )

    def derived(self, shown: str, value: float | Fraction | None, why: str, href: str = "") -> Figure:
        """A number worked out from figures (``why`` says how); a link to the month's report unless told."""
        href = href or report_href(self.month)
        return Figure(shown=shown, value=None if value is None else float(value), why=why, href=href, derived=True)

    def change(self, key: str, before: dt.date, after: dt.date, *, signed: bool = False) -> Figure | None:
        """The relative change (percentage points for a rate), unsigned (the sentence says the way)
        unless ``signed`` ("+4.4 %", "−2.1 pp"). A count under SMALL_BASE in ``before`` moved by a
        number, as its tile says it (kpis.formatting.small_base): "3" ("+3" signed), not "100.0 %"; the
        sentence then says "rose by 3" (``count_sentence``)."""
        b, a = self.documents[before]["kpis"].get(key), self.documents[after]["kpis"].get(key)
        if a is None or b is None:
            return None
        if kpi(key).unit == Unit.RATE:
            delta = a - b
            shown = f"{number_shown(abs(delta) * 100, 1)} pp"
        elif b == 0:
            return None
        elif small_base(key, b):
            delta = a - b
            shown = tile_change(key, a, b)["text"] if signed else number_shown(abs(delta), 0, force_grouping=True)
            return self.derived(shown, delta, self._change_why(key, before, after), href=report_href(after, key))
        else:
            delta = (a - b) / abs(b)
            shown = f"{number_shown(abs(delta) * 100, 1)} %"
        if signed:  # as the tiles write a change: "+4.4 %", "-2.1 pp"
            shown = ("+" if delta > 0 else "") + shown.replace(number_shown(abs(delta) * 100, 1), number_shown(delta * 100, 1), 1)
        return self.derived(shown, delta, self._change_why(key, before, after), href=report_href(after, key))

    def _change_why(self, key: str, before: dt.date, after: dt.date) -> str:
        b, a = self.documents[before]["kpis"].get(key), self.documents[after]["kpis"].get(key)
        return _("%(kpi)s: %(before)s in %(b)s, %(after)s in %(a)s") % {
            "kpi": kpi(key).label,
            "before": self._show(key, b),
            "b": month_words(before),
            "after": self._show(key, a),
            "a": month_words(after),
        }
