"""A commentary draft written from the figures: summary, wins, concerns, next steps.

Every sentence is a declared ``kpis.sentences`` text whose slots are filled with words and
``Figure``s; a figure knows where it came from (the KPI, the month, the breakdown member, or the
figures a derived number was worked out from), so the close page shows each number as a link to
its figure and each sentence's sources on hover. Nothing is invented: a client with one month of
figures gets a draft that says so, a KPI without an earlier value gets no trend. The drivers are
``kpis.explain``'s, pacing ``kpis.pacing``'s, and concerns from the checks come in as ``Line``s.
Reads no database: ``kpis.selectors_scorecard.draft_inputs`` reads what this needs.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from agency.months import Month
from clients.words import member_label, money, share_shown
from kpis.breakdowns_shown import DIMENSION_LABELS
from kpis.catalogue import Better, Unit, is_kpi, kpi
from kpis.draft_concise import CAPS, Point, commitment, concise, concise_steps, concise_summary, lines_of
from kpis.drivers import REST, budget_volume_split, exact
from kpis.explain import SHAPES, Driven, TopDriver, month_drivers, top_drivers, top_pair
from kpis.formatting import change as tile_change
from kpis.formatting import format_value, number_shown, small_base
from kpis.pacing import PACED_KPIS, MonthFigures, Pace, quarter_pace
from kpis.sentences import (
    CHANNELS_IN_TEXT,
    CONCERNS,
    NEXT_STEPS,
    REST_LABEL,
    SUMMARY,
    UNATTRIBUTED_IN_TEXT,
    UNITS,
    WINS,
    sentence,
)

FLAT = 0.02  # moves under 2 % (or 0.5 percentage points) are not news
HEADLINE = ("mqls", "cpl")  # the summary's two figures against the month before
# The sentences that state a KPI's change between two months (and their "_count" forms).
CHANGE_SENTENCES = ("kpi_up", "kpi_down", "headline_up", "headline_down", "year_up", "year_down")
DRAFT_KPIS = ("mqls", "new_leads", "cpl", "cost_per_mql", "cac", "sessions", "roas", "cost_per_conversion")


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


@dataclass
class Draft:
    month: dt.date
    sections: dict[str, list[Line]] = field(default_factory=dict)
    first_month: bool = False

    def text(self, section: str) -> str:
        """The section as commentary text (reports.text): the summary a paragraph, the others a list."""
        lines = [line.text for line in self.sections.get(section, [])]
        if section == SUMMARY:
            return " ".join(lines)
        return "\n".join(f"- {line}" for line in lines)

    def lines(self) -> list[Line]:
        return [line for section in (SUMMARY, WINS, CONCERNS, NEXT_STEPS) for line in self.sections.get(section, [])]


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


def count_sentence(key: str, sentence_key: str, before: float) -> str:
    """``sentence_key`` ("kpi_up") or its by-a-number form ("kpi_up_count": "rose by 3") when the
    change is a count's number (kpis.formatting.small_base), so no sentence says "rose 3"."""
    return f"{sentence_key}_count" if small_base(key, before) else sentence_key


def _flat(key: str, before: float, after: float) -> bool:
    if kpi(key).unit == Unit.RATE:
        return abs(after - before) < 0.005
    return before == 0 or abs(after - before) / abs(before) < FLAT


def _moved(key: str, before: float, after: float) -> float:
    """A headline's move as significant as a win's or concern's: relative to its earlier value,
    weighted by IMPORTANCE."""
    return (abs(after - before) / abs(before) if before else 1.0) * IMPORTANCE.get(key, 1.0)


def _good(key: str, before: float, after: float) -> bool | None:
    better = kpi(key).better
    if better == Better.NEUTRAL:
        return None
    return (after > before) == (better == Better.UP)


def _member_pair(document: dict[str, Any], key: str, dimension: str, member: str) -> tuple[Any, Any]:
    shape = SHAPES[key]
    figures = document.get("breakdowns", {}).get(dimension, {}).get(member, {})
    return figures.get(shape.num), figures.get(shape.den) if shape.den else None


def _member_at_or_under(w: Writer, top: TopDriver, month: dt.date, overall: float) -> bool:
    """Whether ``top``'s member's figure of ``month`` (a cost: its spend over its results, as
    driver_line says it) is at or under the month's ``overall`` figure."""
    document = w.documents[month]
    stored = document.get("breakdowns", {}).get(top.dimension, {}).get(top.member, {}).get(top.kpi)
    if stored is None:
        n, d = _member_pair(document, top.kpi, top.dimension, top.member)
        if not d:
            return False
        stored = exact(n or 0) / exact(d)
    return exact(stored) <= exact(overall)


def _places(before: Fraction, after: Fraction) -> int:
    """Decimals for two shares compared in one sentence: one, or two under 1 % (a lead per thousand
    sessions), so that a change the sentence names never reads "0.1 %, against 0.1 % before"."""
    return 2 if max(abs(float(before)), abs(float(after))) < 0.01 else 1


def mix_held(w: Writer, top: TopDriver, before: dt.date, after: dt.date) -> dict[str, Any] | None:
    """The slots of "driver_mix_rest" (and "What changed"'s "changed_mix_rest") when the mix line would
    name a member whose share of the unit moved mostly because the others' count moved: they fell as
    its share rose (or rose as it fell), by more than the member's own count moved. Acme's November,
    customers 10 → 6, read "CAC +109.8 %: mostly a change in the split of the customers, Paid search
    having 50.0 % of the total (20.0 % before)", as if customers had moved to Paid search, while it won
    2 → 3 and the others 8 → 3: the line now says those counts. None when the member's own count did
    most of its share's move (the split is then the story, said as before)."""
    shape = SHAPES[top.kpi]
    if shape.kind != "ratio" or not shape.den or not shape.top_denominator:
        return None
    documents = w.documents
    own = [documents[m].get("breakdowns", {}).get(top.dimension, {}).get(top.member, {}).get(shape.den) or 0
           for m in (before, after)]
    totals = [documents[m]["kpis"].get(shape.top_denominator) for m in (before, after)]
    if not totals[0] or not totals[1]:
        return None
    share0, share1 = own[0] / totals[0], own[1] / totals[1]
    moved_own, moved_rest = own[1] - own[0], (totals[1] - own[1]) - (totals[0] - own[0])
    # The rest moved the share (fell as it rose, rose as it fell) and by more than the member itself.
    if share1 == share0 or (moved_rest < 0) != (share1 > share0) or abs(moved_rest) <= abs(moved_own):
        return None
    member = w.member_name(top.dimension, top.member)

    def rest(month: dt.date, total: float, count: float) -> Any:
        value = total - count
        return w.derived(w._show(shape.den, value), value,
                         f"{kpi(shape.top_denominator).label}, {month_words(month)}: {w._show(shape.den, total)} − "
                         f"{member} {w._show(shape.den, count)}", href=breakdown_href(top.dimension, month))

    return {
        "member": w.member_in_text(top.dimension, top.member),
        "unit": str(UNITS.get(shape.den, shape.den)),
        "rest_before": rest(before, totals[0], own[0]),
        "rest_after": rest(after, totals[1], own[1]),
        "total_before": w.kpi(shape.top_denominator, before),
        "total_after": w.kpi(shape.top_denominator, after),
        "count_before": w.member(shape.den, before, top.dimension, top.member, own[0], stored=True),
        "count_after": w.member(shape.den, after, top.dimension, top.member, own[1], stored=True),
    }


def driver_line(w: Writer, top: TopDriver, before: dt.date, after: dt.date) -> Line | None:
    """The sentence saying which member moved a KPI, and how (its rate, or the mix)."""
    key, shape = top.kpi, SHAPES[top.kpi]
    if top.member == REST:
        return None
    member = w.member_name(top.dimension, top.member)  # as a label: the figures' sources ("Paid search: 3 / 10")
    named = w.member_in_text(top.dimension, top.member)  # as the sentence says it
    doc0, doc1 = w.documents[before], w.documents[after]
    n0, d0 = _member_pair(doc0, key, top.dimension, top.member)
    n1, d1 = _member_pair(doc1, key, top.dimension, top.member)
    label = lower_first(str(kpi(key).label))
    if shape.kind == "ratio" and not d0 and not d1:
        return None  # a member with nothing to divide by in either month (spend without a customer)
    if shape.kind == "ratio":
        if abs(top.rate) >= abs(top.mix) and d0 and d1:
            r0, r1 = exact(n0 or 0) / exact(d0), exact(n1 or 0) / exact(d1)
            stored = key in doc1.get("breakdowns", {}).get(top.dimension, {}).get(top.member, {})
            return line(
                "driver_rate",
                member=named,
                kpi_lower=label,
                member_before=w.member(key, before, top.dimension, top.member, r0, stored=stored),
                member_after=w.member(key, after, top.dimension, top.member, r1, stored=stored),
            )
        total0 = exact(doc0["kpis"].get(shape.top_denominator) or 0)
        total1 = exact(doc1["kpis"].get(shape.top_denominator) or 0)
        if not total0 or not total1:
            return None
        share0, share1 = exact(d0 or 0) / total0, exact(d1 or 0) / total1
        unit = str(UNITS.get(shape.den or "", shape.den or ""))
        # A share of 0 is said in words ("brought none of the customers"), never "0 %" (kpis.sentences).
        mix_key = "driver_mix_none_after" if not share1 else "driver_mix_none_before" if not share0 else "driver_mix"
        # The others' count moved the member's share more than its own did: the counts, not the split.
        if mix_key == "driver_mix" and (held := mix_held(w, top, before, after)) is not None:
            return line("driver_mix_rest", **held)
        return line(
            mix_key,
            member=named,
            unit=unit,
            share_before=w.derived(
                share_shown(share0, _places(share0, share1)),
                share0,
                f"{member}: {w._show(shape.den or '', d0 or 0)} / {w._show(shape.top_denominator or '', total0)} {unit}, "
                f"{month_words(before)}",
                href=breakdown_href(top.dimension, before),
            ),
            share_after=w.derived(
                share_shown(share1, _places(share0, share1)),
                share1,
                f"{member}: {w._show(shape.den or '', d1 or 0)} / {w._show(shape.top_denominator or '', total1)} {unit}, "
                f"{month_words(after)}",
                href=breakdown_href(top.dimension, after),
            ),
        )
    # A share of the unit that converted, never over 100 %: a month's MQLs include leads created
    # earlier, so 12 MQLs from 4 new leads reads as its count moving, not as 300 % converting.
    converts = bool(d0 and d1) and (n0 or 0) <= d0 and (n1 or 0) <= d1
    if abs(top.rate) > abs(top.mix) and converts and shape.den:
        r0, r1 = exact(n0 or 0) / exact(d0), exact(n1 or 0) / exact(d1)
        unit = str(UNITS.get(shape.den, shape.den))
        href0 = breakdown_href(top.dimension, before)
        href1 = breakdown_href(top.dimension, after)
        total0, total1 = doc0["kpis"].get(key), doc1["kpis"].get(key)
        moved, whole = (n1 or 0) - (n0 or 0), (total1 or 0) - (total0 or 0)
        share = None if total0 is None or total1 is None or moved * whole <= 0 else abs(moved) / abs(whole)
        # As a count's: more than the whole (Acme's organic search, 21 → 40 new leads in a month of +15)
        # is "all of it and more", its count said; under half, "the largest part", never "most of it".
        counts = {}
        if share is not None and share > 1:
            counts = {"kpi_lower": label,
                      "count_before": w.member(key, before, top.dimension, top.member, n0 or 0, stored=True),
                      "count_after": w.member(key, after, top.dimension, top.member, n1 or 0, stored=True)}
        return line(
            "driver_conversion_over" if counts else (
                "driver_conversion_largest" if share is not None and share < 0.5 else "driver_conversion"),
            **counts,
            member=named,
            unit=unit,
            rate_before=w.derived(
                share_shown(r0, _places(r0, r1)),
                r0,
                f"{member}: {w._show(shape.num, n0 or 0)} {label} / {w._show(shape.den, d0)} {unit}, "
                f"{month_words(before)}",
                href0,
            ),
            rate_after=w.derived(
                share_shown(r1, _places(r0, r1)),
                r1,
                f"{member}: {w._show(shape.num, n1 or 0)} {label} / {w._show(shape.den, d1)} {unit}, "
                f"{month_words(after)}",
                href1,
            ),
        )
    count_before = w.member(key, before, top.dimension, top.member, n0 or 0, stored=True)
    count_after = w.member(key, after, top.dimension, top.member, n1 or 0, stored=True)
    total0, total1 = doc0["kpis"].get(key), doc1["kpis"].get(key)
    moved, whole = (count_after.value or 0) - (count_before.value or 0), (total1 or 0) - (total0 or 0)
    if total0 is not None and total1 is not None and moved * whole > 0 and abs(moved) > abs(whole):
        # Acme's MQLs 55 → 61 with Direct's 10 → 26: not "most of" a change it is bigger than, the
        # other members having moved the other way; the rest said with it.
        def rest(month: dt.date, total: float, own: Figure) -> Figure:
            value = total - (own.value or 0)
            return w.derived(w._show(key, value), value,
                             f"{kpi(key).label}, {month_words(month)}: {w._show(key, total)} − {member} {own.shown}",
                             href=breakdown_href(top.dimension, month))

        return line(
            "driver_volume_over", member=named, kpi_lower=label, count_before=count_before, count_after=count_after,
            rest_before=rest(before, total0, count_before), rest_after=rest(after, total1, count_after),
        )
    # Under half of the change (Acme's sessions: Paid search's 440 of 1,573): the largest part, not "most of it".
    largest = total0 is not None and total1 is not None and moved * whole > 0 and abs(moved) * 2 < abs(whole)
    return line("driver_volume_largest" if largest else "driver_volume", member=named, kpi_lower=label,
                count_before=count_before, count_after=count_after)


def budget_line(w: Writer, key: str, before: dt.date, after: dt.date) -> Line | None:
    """Volume against price for a spend-based ratio: did the spend or the results move it?
    (kpis.drivers.budget_volume_split: ΔC = ΔS·mean(1/V) + Δ(1/V)·mean(S), exact.)"""
    shape = SHAPES[key]
    pair0, pair1 = top_pair(w.documents[before], shape), top_pair(w.documents[after], shape)
    if pair0 is None or pair1 is None or pair0[1] is None or pair1[1] is None:
        return None
    split = budget_volume_split(spend_before=pair0[0], spend_after=pair1[0], volume_before=pair0[1], volume_after=pair1[1])
    if split is None:
        return None
    spend_effect, volume_effect = split
    if key == "roas":  # value per spend: the "spend" is the value, the "volume" the ad spend
        return None

    def spend(month: dt.date, value: Fraction) -> Figure:
        if len(shape.top_numerator) == 1:
            return w.kpi(shape.num, month)
        parts = " + ".join(
            f"{kpi(k).label} {format_value(k, w.documents[month]['kpis'][k], w.currency)}" for k in shape.top_numerator
        )
        shown = money(float(value), w.currency)
        return w.derived(shown, value, f"{parts}, {month_words(month)}", href=report_href(month, shape.num))

    unit = str(UNITS.get(shape.top_denominator or "", shape.top_denominator or ""))
    if abs(volume_effect) >= abs(spend_effect):
        key = "driver_results"
    else:  # "the customers went from 5 to 5" reads as a slip: a volume that did not move is said to hold
        key = "driver_budget" if pair0[1] != pair1[1] else "driver_budget_flat"
    if len(shape.top_numerator) > 1:  # CAC: "the spend" would read as the marketing spend the summary names
        key += "_sales"
    return line(
        key,
        unit=unit,
        volume_before=w.kpi(shape.top_denominator, before),
        volume_after=w.kpi(shape.top_denominator, after),
        spend_before=spend(before, pair0[0]),
        spend_after=spend(after, pair1[0]),
    )


def _calendar_clause(w: Writer, top: TopDriver, before: dt.date, after: dt.date) -> Line | None:
    """What the working days did to a count's move, when they explain a third of it or more: a clause
    of the move's own sentence (``move_calendar``), not a sentence taking a place of its own."""
    change = top.after - top.before
    if SHAPES[top.kpi].kind != "count" or not change or abs(top.calendar) * 3 < abs(change):
        return None
    return clause(
        "calendar_clause" if top.calendar * change > 0 else "calendar_against_clause",
        month=month_words(after),
        kpi_lower=lower_first(str(kpi(top.kpi).label)),  # "held it back by 3": 3 of what
        days_after=w.kpi("working_days", after),
        days_before=w.kpi("working_days", before),
        calendar=w.derived(
            format_value(top.kpi, float(abs(top.calendar)), w.currency),
            top.calendar,
            _("%(kpi)s per working day × the change in working days") % {"kpi": kpi(top.kpi).label},
        ),
    )


@dataclass(frozen=True)
class DraftInputs:
    """What a draft reads: the month's snapshot documents (the month, the one before, the same
    month a year before, when they exist), the month's targets, the quarter's months for pacing
    and the names of campaigns and personas."""

    month: dt.date
    documents: dict[dt.date, dict[str, Any]]
    targets: dict[str, float]
    quarter: list[MonthFigures]
    currency: str
    names: dict[str, dict[str, str]] = field(default_factory=dict)


MOVES_PER_SECTION = 3  # an analyst names the few moves that matter, not every KPI
# How much a move of each KPI matters to the client, beside its size: pipeline and its cost first.
IMPORTANCE = {"mqls": 1.5, "cpl": 1.5, "cac": 1.2, "roas": 1.2, "cost_per_mql": 1.0, "new_leads": 1.0,
              "cost_per_conversion": 1.0, "sessions": 0.6}  # fmt: skip
# A concern explained by one member: what to do about that member.
REVIEW_STEPS = {
    "driver_rate": "step_review_member",
    "driver_volume": "step_review_volume",
    "driver_volume_over": "step_review_volume",
    "driver_volume_largest": "step_review_volume",
    "driver_conversion_over": "step_review_conversion",
    "driver_conversion_largest": "step_review_conversion",
    "driver_conversion": "step_review_conversion",
}


# The steps whose short form (what drove the move said just above) names the KPI: a member's own
# figure or count; the others say it in their words (where its traffic lands, what it brings).
SHORT_WITH_KPI = ("step_review_member", "step_review_volume")


def _move_lines(
    w: Writer, drivers: dict[str, list[Driven]], before: dt.date, after: dt.date
) -> tuple[list[Point], list[Point], list[Point]]:
    """Wins, concerns and next steps from the KPIs' moves against ``before`` and what drove them:
    the largest moves (relative to the earlier value, weighted by IMPORTANCE: their significance)
    first, at most three each way; a step as significant as the move it follows."""
    moves: dict[bool, list[Point]] = {True: [], False: []}
    steps: list[Point] = []
    ranked = sorted(
        top_drivers(drivers, count=len(drivers)),
        key=lambda t: (-t.weight * IMPORTANCE.get(t.kpi, 1.0), DRAFT_KPIS.index(t.kpi)),
    )
    reviewed: set[str] = set()
    calendar_said = False
    for top in ranked:
        key = top.kpi
        if not is_kpi(key):
            continue
        b, a = w.documents[before]["kpis"].get(key), w.documents[after]["kpis"].get(key)
        if a is None or b is None or _flat(key, b, a):
            continue
        good = _good(key, b, a)
        change = w.change(key, before, after)
        if good is None or change is None or len(moves[good]) >= MOVES_PER_SECTION:
            continue
        way = "kpi_up" if a > b else "kpi_down"
        move = {"kpi": str(kpi(key).label), "change": change, "compare": month_words(before),
                "before": w.kpi(key, before), "after": w.kpi(key, after)}  # fmt: skip
        calendar = None if calendar_said else _calendar_clause(w, top, before, after)
        if calendar is None:
            lines = [line(count_sentence(key, way, b), **move)]
        else:  # said once (the working days are the same for every count), in the move it explains
            lines = [line("move_calendar", move=clause(count_sentence(key, f"{way}_clause", b), **move), calendar=calendar)]
            calendar_said = True
        explained = driver_line(w, top, before, after)
        if explained is None and SHAPES[key].kind == "ratio":
            explained = budget_line(w, key, before, after)
        if explained is not None:
            lines.append(explained)
        significance = top.weight * IMPORTANCE.get(key, 1.0)
        moves[good].append(Point(lines, significance, key))
        def step(sentence_line: Line, short: Line | None = None, s: float = significance, k: str = key,
                 f: Line = lines[0], why: Line | None = explained) -> Point:
            """A step after this move; ``short``: said so when what drove the move (``why``) is kept."""
            return Point([sentence_line], s, k, follows=f, repeats=why if short else None, short=short)

        # A move one member explains: what to do about that member (once per member); a concern
        # no single member explains (the mix, the spend, the volume): watch it next month.
        member = top.member
        label = lower_first(str(kpi(key).label))
        if explained is not None and explained.key in ("driver_rate", *REVIEW_STEPS):
            if member in reviewed:
                continue  # that member has its step already
            slots = {**explained.slots, "kpi_lower": label}
            if good and explained.key == "driver_rate" and kpi(key).better == Better.DOWN:
                # Budget goes where a result is cheap, not where it got less dear: a channel still
                # dearer than the month as a whole (€2,177 an MQL against €770) gets no step.
                if _member_at_or_under(w, top, after, a):
                    steps.append(step(line("step_shift_budget", **slots),
                                      line("step_shift_budget_short", member=slots["member"])))
                reviewed.add(member)
                continue
            if not good and explained.key in REVIEW_STEPS:
                review = REVIEW_STEPS[explained.key]
                # Its sessions converting less is a matter of traffic and landing pages; its new
                # leads (or MQLs) qualifying less is one of the leads it brings.
                if review == "step_review_conversion" and slots.get("unit") != str(UNITS["sessions"]):
                    review = "step_review_lead_quality"
                short = {"member": slots["member"]} | ({"kpi_lower": label} if review in SHORT_WITH_KPI else {})
                steps.append(step(line(review, **slots), line(f"{review}_short", **short)))
                reviewed.add(member)
                continue
        # "The shift in the mix, not one channel getting worse" is untrue where the others' count fell.
        if not good and explained is not None and explained.key.startswith("driver_mix") and explained.key != "driver_mix_rest":
            steps.append(step(line("step_watch_mix", kpi_lower=label, after=w.kpi(key, after),
                                   unit=explained.slots["unit"]), line("step_watch_mix_short", kpi_lower=label)))
        elif not good:
            steps.append(step(line("step_watch", kpi_lower=label, after=w.kpi(key, after))))
    return moves[True], moves[False], steps


def _pace_lines(w: Writer, inputs: DraftInputs) -> tuple[list[Point], list[Point], list[Point]]:
    """The quarter's pace: wins (on track, met), concerns (behind, missed, spend off its budget)
    and the catch-up step, each as significant as its gap to the target (``commitment``)."""
    wins: list[Point] = []
    concerns: list[Point] = []
    steps: list[Point] = []
    for key in PACED_KPIS:
        p = quarter_pace(inputs.quarter, kpi=key)
        if p is None or not is_kpi(key):
            continue
        slots = _pace_slots(w, p, inputs)
        significance = commitment(p.actual if p.status in ("met", "missed") else p.projected, p.target)
        point = lambda sentence_line, s=significance, k=key: Point([sentence_line], s, k)  # noqa: E731
        if key == "marketing_spend":
            if p.status in ("over", "under"):
                concerns.append(point(line(f"spend_{p.status}", **{k: slots[k] for k in ("actual", "projected", "target")})))
            continue
        if p.status == "on_track":
            wins.append(point(line("quarter_on_track", **{k: slots[k] for k in ("kpi_lower", "actual", "target", "projected")})))
        elif p.status == "met":
            wins.append(point(line("quarter_met", **{k: slots[k] for k in ("kpi_lower", "actual", "target")})))
        elif p.status == "behind":
            behind = line("quarter_behind", **{k: slots[k] for k in ("kpi_lower", "gap", "actual", "target", "projected")})
            concerns.append(point(behind))
            catch_up = line("step_catch_up", **{k: slots[k] for k in ("kpi_lower", "needed", "left")})
            steps.append(Point([catch_up], significance, key, follows=behind))
        elif p.status == "missed":
            concerns.append(point(line("quarter_missed", **{k: slots[k] for k in ("kpi_lower", "actual", "target")})))
    return wins, concerns, steps


def _pace_slots(w: Writer, p: Pace, inputs: DraftInputs) -> dict[str, str | Figure]:
    quarter = f"{month_words(inputs.quarter[0].month)} – {month_words(inputs.quarter[-1].month)}"
    label = str(kpi(p.kpi).label)
    shown = lambda value: format_value(p.kpi, value, w.currency)  # noqa: E731
    href = report_href(inputs.month, p.kpi)
    days = _("%(elapsed)s of %(total)s working days gone") % {"elapsed": p.elapsed, "total": p.total}
    return {
        "kpi_lower": lower_first(label),
        "actual": w.derived(
            shown(p.actual),
            p.actual,
            _("%(kpi)s, %(quarter)s so far: %(value)s") % {"kpi": label, "quarter": quarter, "value": shown(p.actual)},
            href,
        ),
        "target": w.derived(
            shown(p.target),
            p.target,
            _("Targets of %(kpi)s, %(quarter)s: %(value)s") % {"kpi": label, "quarter": quarter, "value": shown(p.target)},
            href,
        ),
        "projected": w.derived(
            shown(p.projected),
            p.projected,
            _("%(value)s so far × working days of the quarter ÷ working days gone (%(days)s)")
            % {"value": shown(p.actual), "days": days},
        ),
        "gap": w.derived(shown(p.gap), p.gap, _("target − projection")),
        "needed": w.derived(
            number_shown(p.needed_per_day or 0, 1, force_grouping=True),
            p.needed_per_day,
            _("(target − so far) ÷ %(left)s working days left") % {"left": p.left},
        ),
        "left": w.derived(str(p.left), p.left, days),
    }


def _target_lines(w: Writer, inputs: DraftInputs) -> tuple[list[Point], list[Point]]:
    """The month's targets, met (wins) or missed (concerns), each as significant as its gap
    (``commitment``)."""
    wins: list[Point] = []
    concerns: list[Point] = []
    kpis = inputs.documents[inputs.month]["kpis"]
    for key in ("new_leads", "mqls", "sqls", "customers", "cpl", "cost_per_mql", "cac"):
        target, value = inputs.targets.get(key), kpis.get(key)
        if target is None or value is None or not is_kpi(key):
            continue
        met = value <= target if kpi(key).better == Better.DOWN else value >= target
        figure_target = w.derived(
            format_value(key, target, w.currency),
            target,
            _("Target of %(kpi)s for %(month)s") % {"kpi": kpi(key).label, "month": month_words(inputs.month)},
            report_href(inputs.month, key),
        )
        sentence_line = line(
            "target_met" if met else "target_missed",
            kpi_lower=lower_first(str(kpi(key).label)),
            after=w.kpi(key, inputs.month),
            target=figure_target,
        )
        (wins if met else concerns).append(Point([sentence_line], commitment(value, target), key))
    return wins, concerns


def month_draft(inputs: DraftInputs, *, concerns: list[Line] | None = None, full: bool = False) -> Draft:
    """The draft of ``inputs.month``: against the month before (drivers), the same month a year
    before (one line per headline KPI), the targets and the quarter's pace; ``concerns`` (the
    checks') go first among the concerns. One month of figures: a draft that says so.

    Concise (what a client reads in under a minute, ``kpis.draft_concise``): each section keeps at
    most CAPS sentences, the most significant (``concise``), and the summary never repeats a change a kept win or
    concern states (``concise_summary``). ``full``: every sentence the figures give (the tests of
    how each is written)."""
    month = inputs.month
    w = Writer(month=month, documents=inputs.documents, currency=inputs.currency, names=inputs.names)
    draft = Draft(month=month, sections={SUMMARY: [], WINS: [], CONCERNS: list(concerns or []), NEXT_STEPS: []})
    if month not in inputs.documents:
        return draft
    kpis = inputs.documents[month]["kpis"]
    previous, last_year = (Month.of(month) - 1).first_day, (Month.of(month) - 12).first_day
    summary = draft.sections[SUMMARY]  # the first month's; otherwise points, made concise below
    funnel = {
        "month": month_words(month),
        "new_leads": w.kpi("new_leads", month),
        "mqls": w.kpi("mqls", month),
        "spend": w.kpi("marketing_spend", month),
    }
    if previous not in inputs.documents and last_year not in inputs.documents:
        draft.first_month = True
        if funnel["spend"].value is None:  # no spend loaded (kpis.nospend): its costs are unknown, not 0
            summary.append(line("first_month_no_spend", **funnel))
        else:
            summary.append(line("first_month", **funnel))
        target_wins, target_concerns = _target_lines(w, inputs)
        draft.sections[WINS].extend(lines_of(target_wins))
        draft.sections[CONCERNS].extend(lines_of(target_concerns))
        draft.sections[NEXT_STEPS].append(line("no_trend_yet", next=month_words((Month.of(month) + 1).first_day)))
        return draft
    summary_points: list[Point] = []
    summary = []  # the month's sentence: always said, first
    if kpis.get("new_leads") and not kpis.get("marketing_spend"):
        # No spend recorded (often none imported or connected): "0,00 € of spend (0,00 € a lead)" would
        # read as free leads; the sentence says what is known instead.
        summary.append(line("month_funnel_no_spend", month=funnel["month"], mqls=funnel["mqls"],
                            new_leads=funnel["new_leads"]))
    elif kpis.get("new_leads"):
        summary.append(line("month_funnel", **funnel, cpl=w.kpi("cpl", month)))
    elif funnel["spend"].value is None:  # no spend loaded (kpis.nospend)
        summary.append(line("month_funnel_no_leads_no_spend", month=funnel["month"]))
    else:
        summary.append(line("month_funnel_no_leads", month=funnel["month"], spend=funnel["spend"]))
    summary_points.append(Point(summary, pinned=True))
    wins: list[Point] = []
    worries: list[Point] = []
    steps: list[Point] = []
    if previous in inputs.documents:
        drivers = month_drivers(inputs.documents[previous], inputs.documents[month])
        for headline in HEADLINE:  # the pipeline and its cost, every month, moved or not
            b, a = inputs.documents[previous]["kpis"].get(headline), kpis.get(headline)
            change = w.change(headline, previous, month)
            if a is None or b is None or change is None:
                continue
            flat = _flat(headline, b, a)
            key = "headline_flat" if flat else ("headline_up" if a > b else "headline_down")
            slots = {
                "compare": month_words(previous),
                "kpi_lower": lower_first(str(kpi(headline).label)),
                "after": w.kpi(headline, month),
            }
            if key != "headline_flat":
                key = count_sentence(headline, key, b)
                slots.update(change=change, before=w.kpi(headline, previous))
            summary_points.append(Point([line(key, **slots)], 0.0 if flat else _moved(headline, b, a), headline))
        wins, worries, steps = _move_lines(w, drivers, previous, month)
    if last_year in inputs.documents:
        moves: list[tuple[str, str, dict[str, Any], float]] = []  # (KPI, which way, slots, significance)
        for key in ("mqls", "cpl"):
            b, a = inputs.documents[last_year]["kpis"].get(key), kpis.get(key)
            change = w.change(key, last_year, month)
            if a is None or b is None or change is None or _flat(key, b, a):
                continue
            slots = {"kpi_lower": lower_first(str(kpi(key).label)), "change": change, "before": w.kpi(key, last_year)}
            moves.append((key, "year_up" if a > b else "year_down", slots, _moved(key, b, a)))
        if len(moves) == 1:
            key, way, slots, moved = moves[0]
            year = line(count_sentence(key, way, slots["before"].value), compare=month_words(last_year), **slots)
            summary_points.append(Point([year], moved, key))
        elif moves:  # both: one sentence naming the month once, one point (one of the summary's sentences)
            first, second = (clause(count_sentence(k, f"{way}_clause", slots["before"].value), **slots)
                             for k, way, slots, _ in moves)
            year = line("year_both", compare=month_words(last_year), first=first, second=second)
            summary_points.append(Point([year], max(moved for *_, moved in moves), moves[0][0]))
    target_wins, target_concerns = _target_lines(w, inputs)
    pace_wins, pace_concerns, pace_steps = _pace_lines(w, inputs)
    checks = [Point([check], pinned=True) for check in draft.sections[CONCERNS]]
    win_points = [*wins, *target_wins, *pace_wins]
    concern_points = [*checks, *worries, *target_concerns, *pace_concerns]
    step_points = [*steps, *pace_steps]
    if full:
        kept_wins, kept_concerns, kept_steps = win_points, concern_points, step_points
        kept_summary = summary_points
    else:
        kept_wins = concise(win_points, cap=CAPS[WINS])
        kept_concerns = concise(concern_points, cap=CAPS[CONCERNS])
        kept_steps = concise_steps(step_points, kept_concerns, wins=kept_wins, cap=CAPS[NEXT_STEPS])
        kept_summary = concise_summary(summary_points, [*kept_wins, *kept_concerns], cap=CAPS[SUMMARY])
    draft.sections[SUMMARY] = lines_of(kept_summary)
    draft.sections[WINS] = lines_of(kept_wins)
    draft.sections[CONCERNS] = lines_of(kept_concerns)
    draft.sections[NEXT_STEPS] = lines_of(kept_steps)
    compare = month_words(previous if previous in inputs.documents else last_year)
    if not draft.sections[WINS]:
        draft.sections[WINS].append(line("no_wins", compare=compare))
    if not draft.sections[CONCERNS]:
        draft.sections[CONCERNS].append(line("no_concerns", compare=compare))
    if not draft.sections[NEXT_STEPS]:
        # Concerns without a step of their own (the checks', or a step left with its move): not
        # "nothing calls for a change" under them.
        draft.sections[NEXT_STEPS].append(line("step_concerns_first" if kept_concerns else "step_keep"))
    return draft


def draft_sections_text(draft: Draft) -> dict[str, str]:
    """The draft as the commentary's four texts (reports.models.Commentary sections)."""
    return {section: draft.text(section) for section in (SUMMARY, WINS, CONCERNS, NEXT_STEPS)}


def dimension_label(dimension: str) -> str:
    return str(DIMENSION_LABELS.get(dimension, dimension))
