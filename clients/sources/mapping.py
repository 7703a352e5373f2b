"""The mapping engine: a file's columns onto one canonical kind (formats.md), as plain data.

A :class:`Mapping` says, for one canonical kind, where each canonical column comes from: a
column of the file (optionally through a value table, or minus another column) or a fixed
value; how the file writes dates and decimals; and, for spend and email, the campaigns it
names. Built-in sources (clients.sources.builtin) produce a Mapping once the file's header
and language are known; a saved user mapping is the same Mapping stored as JSON
(:meth:`Mapping.to_dict` / :meth:`Mapping.from_dict`). Both run through :class:`Compiled`.

Targets are the canonical columns of the kind, plus, for spend and email, ``campaign_id``
and ``campaign_name`` (matched to the client's campaigns, or created) and, for spend,
``currency`` (the amounts' currency, converted into the client's).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from clients.importing import SPECS, RowError
from clients.importing.cells import cell_text
from clients.sources.numbers import FAST_FORMATS, ReadsTwoWays, ValueProblem, iso_moment, moment, money, number, whole
from clients.sources.reading import normalized
from clients.words import column_name

CAMPAIGN_TARGETS = ("campaign_id", "campaign_name")
PSEUDO_TARGETS = {"spend": (*CAMPAIGN_TARGETS, "currency"), "email": CAMPAIGN_TARGETS}
# Canonical columns a mapping never fills itself (the spend id is SOURCE:DATE:CAMPAIGN when not mapped).
DEFAULT_TIME_FORMAT = "%Y-%m-%d %H:%M|%Y-%m-%d %H:%M:%S|%Y-%m-%dT%H:%M:%S|%Y-%m-%d"


@dataclass(frozen=True)
class Rule:
    """Where one canonical column comes from.

    ``column``: the file's column (its header text); or ``value``: a fixed value. ``values``:
    a value table (file value → canonical value, compared without case and surrounding
    spaces); ``other``: the value of a cell the table does not name (None: the cell as
    given, which the kind then checks). ``minus``: a column subtracted from this one
    (bounced sessions = sessions − engaged sessions); ``plus``: a column added to it (LinkedIn's
    lead-gen form leads added to its conversions). ``when`` / ``when_any``: the value is taken
    only on lines whose ``when`` column contains one of ``when_any`` (Meta's Results count
    conversions only when its Result indicator is a lead or a conversion). ``lower``: lower-case
    the text. ``fallback``: a column read when this one's cell is empty (HubSpot's Total Revenue
    when Recent Deal Amount is empty). ``only_with``: another target; on a row where it has no
    value this one is left empty (a deal amount counts only for a customer).
    """

    column: str = ""
    value: str = ""
    values: dict[str, str] = field(default_factory=dict)
    other: str | None = None
    minus: str = ""
    lower: bool = False
    fallback: str = ""
    only_with: str = ""
    plus: str = ""
    when: str = ""
    when_any: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        for name in ("column", "value", "minus", "fallback", "only_with", "plus"):
            if getattr(self, name):
                data[name] = getattr(self, name)
        if self.values:
            data["values"] = dict(self.values)
        if self.other is not None:
            data["other"] = self.other
        if self.lower:
            data["lower"] = True
        if self.when:
            data["when"], data["when_any"] = self.when, list(self.when_any)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Rule:
        return cls(column=data.get("column", ""), value=data.get("value", ""), values=dict(data.get("values") or {}),
                   other=data.get("other"), minus=data.get("minus", ""), lower=bool(data.get("lower")),
                   fallback=data.get("fallback", ""), only_with=data.get("only_with", ""),
                   plus=data.get("plus", ""), when=data.get("when", ""), when_any=tuple(data.get("when_any") or ()))


@dataclass(frozen=True)
class Mapping:
    """A file layout onto one canonical kind; JSON-serializable with to_dict/from_dict.

    ``date_format`` / ``time_format``: strftime formats, several separated by ``|`` (the first
    that fits); ``decimal``: ``.`` (1,234.56) or ``,`` (1.234,56). ``name`` is the source's
    slug or the saved mapping's name: spend ids are ``NAME:DATE:CAMPAIGN`` unless ``id`` is
    mapped. ``header``: the header it was made for (a later file with it is recognized).
    ``channel`` / ``social_network``: given to the campaigns it creates. ``currency``: the
    amounts' currency when no ``currency`` target is mapped (empty: the client's).
    ``keep``: rows whose canonical value of a target is not listed are left out and counted
    (GA4's smart-tv rows). ``total_if_empty``: a target whose empty cell marks a total row.
    ``extends``: the slug of a built-in source this mapping adds to for one client (its columns
    add to or replace the source's, a rule with only ``values`` adds to the source's value
    table); such a mapping is applied when the source is detected, never matched by header.
    """

    kind: str
    columns: dict[str, Rule]
    name: str = ""
    date_format: str = "%Y-%m-%d"
    time_format: str = DEFAULT_TIME_FORMAT
    decimal: str = "."
    header: tuple[str, ...] = ()
    channel: str = ""
    social_network: str = ""
    currency: str = ""
    keep: dict[str, tuple[str, ...]] = field(default_factory=dict)
    total_if_empty: str = ""
    extends: str = ""

    # --- as data ---------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind, "name": self.name, "columns": {t: r.to_dict() for t, r in self.columns.items()},
            "date_format": self.date_format, "time_format": self.time_format, "decimal": self.decimal,
            "header": list(self.header), "channel": self.channel, "social_network": self.social_network,
            "currency": self.currency, "keep": {t: list(v) for t, v in self.keep.items()},
            "total_if_empty": self.total_if_empty, **({"extends": self.extends} if self.extends else {}),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Mapping:
        return cls(
            kind=data["kind"], name=data.get("name", ""),
            columns={target: Rule.from_dict(rule) for target, rule in (data.get("columns") or {}).items()},
            date_format=data.get("date_format") or "%Y-%m-%d", time_format=data.get("time_format") or DEFAULT_TIME_FORMAT,
            decimal=data.get("decimal") or ".", header=tuple(data.get("header") or ()),
            channel=data.get("channel", ""), social_network=data.get("social_network", ""),
            currency=data.get("currency", ""), keep={t: tuple(v) for t, v in (data.get("keep") or {}).items()},
            total_if_empty=data.get("total_if_empty", ""), extends=data.get("extends", ""),
        )

    # --- checks ----------------------------------------------------------------------------

    def targets(self) -> tuple[str, ...]:
        """Every column this kind's mapping may fill."""
        return targets_of(self.kind)

    def problems(self) -> list[str]:
        """What makes this mapping unusable (an unknown kind or target, a required column unmapped)."""
        if self.kind not in SPECS:
            return [_("unknown kind “%(kind)s”") % {"kind": self.kind}]
        problems = []
        allowed = set(self.targets())
        for target, rule in self.columns.items():
            if target not in allowed:
                problems.append(_("“%(target)s” is not a column of %(kind)s") % {"target": target, "kind": self.kind})
            elif not rule.column and not rule.value and not (self.extends and rule.values):
                problems.append(_("“%(target)s” names neither a column nor a value") % {"target": target})
        if self.decimal not in {".", ","}:
            problems.append(_("the decimal separator must be “.” or “,”"))
        if self.extends:
            return problems  # the source it extends fills the required columns
        for target in required_targets(self.kind):
            options = target if isinstance(target, tuple) else (target,)
            if not any(option in self.columns for option in options):
                names = [_("“%(value)s”") % {"value": column_name(self.kind, option)} for option in options]
                shown = names[0] if len(names) == 1 else _("%(items)s or %(last)s") % {
                    "items": ", ".join(names[:-1]), "last": names[-1]}
                problems.append(_("the required column %(name)s is not mapped") % {"name": shown})
        return problems

    def matches_header(self, header: Iterable[str]) -> bool:
        """Whether a file's header is the one this mapping was saved for (order, case and accents aside)."""
        return (not self.extends and bool(self.header)
                and sorted(map(normalized, self.header)) == sorted(map(normalized, header)))

    def extended_by(self, extension: Mapping, header: Iterable[str]) -> Mapping:
        """This (a built-in source's) mapping with a client's additions: columns the file has, value tables."""
        present = {normalized(cell) for cell in header}
        columns = dict(self.columns)
        for target, rule in extension.columns.items():
            if rule.column:
                if normalized(rule.column) in present:
                    columns[target] = rule
            elif rule.values and target in columns:
                base = columns[target]
                columns[target] = replace(base, values={**base.values, **rule.values})
        return replace(self, columns=columns)


def targets_of(kind: str) -> tuple[str, ...]:
    spec = SPECS[kind]
    return (*spec.public, *PSEUDO_TARGETS.get(kind, ()))


def required_targets(kind: str) -> list[str | tuple[str, ...]]:
    """Required canonical columns; for spend and email the campaign may be named by id or name."""
    spec = SPECS[kind]
    required: list[str | tuple[str, ...]] = []
    for name in spec.required:
        if kind == "spend" and name == "id":
            continue  # SOURCE:DATE:CAMPAIGN
        if kind in PSEUDO_TARGETS and name == "campaign":
            required.append(("campaign", *CAMPAIGN_TARGETS))
        else:
            required.append(name)
    return required


# --- running a mapping ----------------------------------------------------------------------

TEXT, NUMBER, COUNT, DATE, TIMESTAMP = "text", "number", "count", "date", "timestamp"

MONEY_TARGETS = frozenset({"amount", "conversion_value", "deal_value", "company_revenue", "income", "monthly_fee",
                           "project_fee"})
"""Columns of amounts of money: read with ``numbers.money`` (cents, never thousandths, so an amount
that reads two ways is refused rather than divided by a thousand)."""


def _value_type(kind: str, target: str) -> str:
    spec = SPECS[kind]
    column = spec.by_name.get(target)
    if column is None:
        return TEXT
    model_field = spec.model._meta.get_field(column.field_name)
    if isinstance(model_field, models.DecimalField):
        return NUMBER
    if isinstance(model_field, models.IntegerField | models.BigIntegerField | models.PositiveBigIntegerField):
        return COUNT
    if isinstance(model_field, models.DateTimeField):
        return TIMESTAMP
    if isinstance(model_field, models.DateField):
        return DATE
    return TEXT


@dataclass
class _Plan:
    target: str
    rule: Rule
    index: int | None  # the file column, or None for a fixed value
    minus_index: int | None
    fallback_index: int | None
    kind: str  # TEXT, NUMBER, ...
    table: dict[str, str]
    plus_index: int | None = None
    when_index: int | None = None


class Compiled:
    """A mapping bound to one file's header: turns a line's cells into canonical values."""

    def __init__(self, mapping: Mapping, header: list[str], *, header_line: int, plain_numbers: bool = False) -> None:
        self.mapping = mapping
        self.plain_numbers = plain_numbers  # written by the portal from an API: no amount reads two ways
        self.two_ways: list[str] = []  # the amounts refused as reading two ways, as the file writes them
        self.header = header
        positions: dict[str, int] = {}
        for index, name in enumerate(header):
            positions.setdefault(normalized(name), index)
        self.errors: list[RowError] = []
        self.plans: list[_Plan] = []
        self.date_formats = tuple(mapping.date_format.split("|"))
        self.time_formats = tuple(mapping.time_format.split("|")) + self.date_formats
        for target, rule in mapping.columns.items():
            missing = [column for column in (rule.column, rule.minus) if column and normalized(column) not in positions]
            if missing:  # the first of them: the column, else the one subtracted from it
                self.errors.append(RowError(header_line, missing[0], "",
                                            _("column missing from the file (it gives %(target)s)") % {"target": target}))
                continue
            index = positions[normalized(rule.column)] if rule.column else None
            minus_index = positions[normalized(rule.minus)] if rule.minus else None
            fallback_index = positions.get(normalized(rule.fallback)) if rule.fallback else None
            table = {" ".join(key.lower().split()): value for key, value in rule.values.items()}
            plus_index = positions.get(normalized(rule.plus)) if rule.plus else None
            when_index = positions.get(normalized(rule.when)) if rule.when else None
            self.plans.append(_Plan(target, rule, index, minus_index, fallback_index, _value_type(mapping.kind, target),
                                    table, plus_index, when_index))
        self.width = len(header)
        self.total_index = (mapping.columns[mapping.total_if_empty].column
                            if mapping.total_if_empty in mapping.columns else None)
        if self.total_index is not None:
            self.total_index = positions.get(normalized(self.total_index))
        self.targets = [plan.target for plan in self.plans]
        self._dates: dict[str, Any] = {}  # a day repeats on many lines (200 campaigns a day): parse it once
        self._steps: list[tuple[Any, ...]] | None = None
        # Values a table does not name, sent to its ``other``: {target: {value as written: lines}} (the preview's).
        self.unmapped: dict[str, dict[str, int]] = {}
        self.dropped: dict[str, int] = {}  # values left empty by ``only_with`` (deal amounts of non-customers)
        self._fallbacks = [(plan.target, plan.fallback_index) for plan in self.plans if plan.fallback_index is not None]
        self._only_with = [(plan.target, plan.rule.only_with) for plan in self.plans if plan.rule.only_with]

    def index_of(self, target: str) -> int | None:
        for plan in self.plans:
            if plan.target == target:
                return plan.index
        return None

    def column_of(self, target: str) -> str:
        for plan in self.plans:
            if plan.target == target:
                return plan.rule.column or target
        return target

    def is_total(self, cells: list[str]) -> bool:
        index = self.total_index
        return index is not None and index < len(cells) and not cells[index].strip()

    def _parser(self, plan: _Plan) -> Any:
        """One function per column, text in, value out (raises ValueProblem): the per-line work."""
        decimal = self.mapping.decimal
        if plan.kind == TEXT:
            return lambda text: text or None
        if plan.kind == NUMBER:
            if plan.target in MONEY_TARGETS and not self.plain_numbers:
                return lambda text: money(text, decimal=decimal)
            return lambda text: number(text, decimal=decimal)
        if plan.kind == COUNT:
            if plan.minus_index is None:
                return lambda text: whole(text, decimal=decimal)
            return None  # needs the other column: handled in convert
        if plan.kind == DATE:
            cache = self._dates
            formats = self.date_formats

            def date_value(text: str) -> Any:
                value = cache.get(text)
                if value is None:
                    parsed = moment(text, formats)
                    value = parsed.date() if parsed else None
                    if len(cache) < 10_000:
                        cache[text] = value
                return value

            return date_value
        formats = self.time_formats
        first = formats[0]
        if first not in FAST_FORMATS:
            return lambda text: moment(text, formats)

        def timestamp_value(text: str) -> Any:
            # The first format read straight away: what moment() returns when that format fits.
            parsed = iso_moment(text, first)
            return parsed if parsed is not None else moment(text, formats)

        return timestamp_value

    def convert(self, line: int, cells: list[str]) -> tuple[dict[str, Any], list[RowError]]:
        """The canonical values of one line (typed), and its errors named by the file's columns."""
        values: dict[str, Any] = {}
        errors: list[RowError] = []
        if len(cells) < self.width and any(plan.index is not None and plan.index >= len(cells) for plan in self.plans):
            return values, [RowError(line, "", ",".join(cells)[:200], _("%(found)s values where the header has %(want)s columns")
                                     % {"found": len(cells), "want": self.width})]
        if self._steps is None:
            self._steps = [(plan, plan.target, plan.index, plan.rule.value, plan.table, plan.rule.other, plan.rule.lower,
                            self._parser(plan)) for plan in self.plans]
        fallbacks = self._fallbacks
        for plan, target, index, fixed, table, other, lower, parse in self._steps:
            raw = cells[index] if index is not None else fixed
            text = raw.strip()
            if not text and fallbacks and plan.fallback_index is not None and plan.fallback_index < len(cells):
                raw = cells[plan.fallback_index]
                text = raw.strip()
            added = cells[plan.plus_index].strip() if plan.plus_index is not None and plan.plus_index < len(cells) else ""
            if plan.when_index is not None and plan.when_index < len(cells):
                condition = cells[plan.when_index].lower()
                if not any(word in condition for word in plan.rule.when_any):
                    text = ""  # not what this column counts on this line: not given
            if not text and not table and parse is not None and not added:
                values[target] = None  # what every parser gives an empty cell ("not given")
                continue
            if table:
                key = " ".join(text.lower().split())
                if key in table:
                    text = table[key]
                elif other is not None:
                    if text:
                        seen = self.unmapped.setdefault(target, {})
                        seen[text] = seen.get(text, 0) + 1
                    text = other
            if lower:
                text = text.lower()
            try:
                if parse is not None:
                    values[target] = parse(text)
                    if added:
                        values[target] = (values[target] or 0) + (parse(added) or 0)
                    continue
                value = whole(text, decimal=self.mapping.decimal)
                if value is not None:
                    subtracted = whole(cells[plan.minus_index], decimal=self.mapping.decimal) or 0
                    value -= subtracted
                    if value < 0:
                        raise ValueProblem(_("smaller than %(column)s (%(n)s)") % {"column": plan.rule.minus, "n": subtracted})
                values[target] = value
            except ValueProblem as problem:
                errors.append(RowError(line, plan.rule.column or target, raw.strip(), problem.reason))
                if isinstance(problem, ReadsTwoWays):
                    self.two_ways.append(raw.strip())
        for target, needs in self._only_with:
            if values.get(needs) is None and values.get(target) is not None:
                values[target] = None
                self.dropped[target] = self.dropped.get(target, 0) + 1
        return values, errors


def canonical_text(value: Any) -> str:
    """A typed value written as the canonical CSV writes it."""
    return cell_text(value)


# --- saved mappings ---------------------------------------------------------------------------

# Functions ``(client) -> Iterable[Mapping]`` giving a client's saved mappings; the saved-mappings
# feature registers one (register_mapping_provider) from its AppConfig.ready().
_MAPPING_PROVIDERS: list[Any] = []


def register_mapping_provider(provider: Any) -> None:
    """Register where a client's saved mappings come from (called once, at start-up)."""
    if provider not in _MAPPING_PROVIDERS:
        _MAPPING_PROVIDERS.append(provider)


def saved_mappings(*, client: Any) -> list[Mapping]:
    """Every saved mapping of ``client`` from the registered providers (none: an empty list)."""
    return [mapping for provider in _MAPPING_PROVIDERS for mapping in provider(client)]
