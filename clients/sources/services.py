"""Importing a source file: detect it, turn its lines into canonical rows, and feed them to the
existing importer (clients.importing) — streaming, all or nothing, idempotent, every bad row named.

How a file goes in:

1. :func:`~clients.sources.detection.detect` reads the encoding and the header line and picks
   the source (or saved mapping); a file nothing recognizes is refused here.
2. For spend and email, a first streaming pass reads the campaigns the file names and matches
   them to the client's (by id, then by name, case and surrounding spaces ignored); those not
   found are created through the campaigns importer with the source's channel.
3. A second streaming pass converts each line (numbers and dates in the file's language,
   value tables, currencies at the reference rate of the day) into a canonical row and hands
   it to :func:`clients.importing.import_records`, which sums rows that land on the same key.
4. Everything runs in one transaction: a bad line anywhere (the source's own checks or the
   importer's) rolls back the campaigns too, and every bad line is reported.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils.translation import gettext as _
from django_tenants.utils import tenant_context

from agency.models import Client
from clients.importing import SPECS, ImportResult, RowError, import_records
from clients.models import Campaign
from clients.signals import data_changed
from clients.sources.currencies import RateBook, currency_code
from clients.sources.detection import Detection, detect
from clients.sources.mapping import CAMPAIGN_TARGETS, Compiled, Mapping, canonical_text
from clients.sources.numbers import ValueProblem
from clients.sources.reading import SourceError, data_rows

SUMMED_KINDS = frozenset({"spend", "traffic", "email"})
# The figures a platform's own screen shows for a file, summed for the preview (when the file gives them).
TOTALLED = ("amount", "impressions", "clicks", "conversions", "conversion_value", "sessions", "bounced_sessions",
            "sent", "delivered", "unique_opens", "unique_clicks", "unsubscribes", "deal_value")
SPEND_HEADER = ["id", "date", "category", "amount", "campaign", "note", "original_amount", "currency",
                "exchange_rate", "rate_date"]
# An ad platform's delivery: all written whenever the source names a platform (a column its file
# lacks is then stored as not given, never kept from an earlier import of the same days).
DELIVERY = ["platform", "impressions", "clicks", "conversions", "conversion_value"]


class _Rollback(Exception):
    pass


@dataclass
class SourceImport:
    """The outcome of importing (or checking) a source file."""

    detection: Detection | None = None
    rows: int = 0  # data lines read (total and footer lines aside)
    skipped: dict[str, int] = field(default_factory=dict)  # rows left out, by reason (GA4 smart-tv rows)
    days: set[dt.date] = field(default_factory=set)
    campaigns_created: list[str] = field(default_factory=list)
    campaign_names: dict[str, str] = field(default_factory=dict)  # created id -> its name (the id if it had none)
    result: ImportResult | None = None
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = False
    total_rows: list[tuple[int, list[str]]] = field(default_factory=list)  # the file's own total rows
    rows_amount: float = 0.0  # spend: the rows' amounts as the file gives them (before conversion)
    totals_amount: float | None = None  # spend: the amount of the file's first total row that gives one
    # What a person checks against the platform's own screen (rows read without errors; sources.md):
    totals: dict[str, Any] = field(default_factory=dict)  # canonical column -> sum (amount: converted)
    spend_by_currency: dict[str, Any] = field(default_factory=dict)  # original currency -> original amounts
    unmapped: dict[str, dict[str, int]] = field(default_factory=dict)  # target -> {value outside its table: lines}
    unmapped_to: dict[str, str] = field(default_factory=dict)  # target -> where those values went
    dropped: dict[str, int] = field(default_factory=dict)  # target -> values left empty (deal amounts of non-customers)
    customers_without_deal: int = 0  # customers with neither deal column filled: revenue 0 for them
    two_ways: list[str] = field(default_factory=list)  # amounts refused as reading two ways (the number format in doubt)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def kind(self) -> str:
        return self.detection.kind if self.detection else ""

    @property
    def first_day(self) -> dt.date | None:
        return min(self.days) if self.days else None

    @property
    def last_day(self) -> dt.date | None:
        return max(self.days) if self.days else None

    @property
    def skipped_total(self) -> int:
        return sum(self.skipped.values())

    def as_dict(self, *, max_errors: int | None = None) -> dict[str, Any]:
        """JSON for a job's result (the upload page) and the API."""
        errors = self.errors if max_errors is None else self.errors[:max_errors]
        detection = self.detection
        data = self.result.as_dict() if self.result else {"kind": self.kind, "rows": 0, "inserted": 0, "updated": 0,
                                                           "unchanged": 0, "months": []}
        data.update({
            "ok": self.ok, "rows": self.rows, "error_count": len(self.errors), "errors": [e.as_list() for e in errors],
            "source": detection.source.slug if detection and detection.source else "",
            "mapping": detection.mapping.name if detection and not detection.source else "",
            "label": detection.label if detection else "", "language": detection.language if detection else "",
            "encoding": detection.encoding if detection else "", "kind": self.kind,
            "days": len(self.days), "first_day": self.first_day.isoformat() if self.first_day else None,
            "last_day": self.last_day.isoformat() if self.last_day else None,
            "skipped": dict(self.skipped), "campaigns_created": list(self.campaigns_created),
            "columns_used": [[cell, targets] for cell, targets in detection.uses()] if detection else [],
            "columns_missing": [[target, list(names)] for target, names in detection.missing] if detection else [],
            "columns_lacking": [[target, names, reason] for target, names, reason in detection.lacking()]
            if detection else [],
            "totals": {name: canonical_text(value) for name, value in self.totals.items()},
            "spend_by_currency": {code: canonical_text(value) for code, value in self.spend_by_currency.items()},
            "unmapped": {target: dict(values) for target, values in self.unmapped.items()},
            "unmapped_to": dict(self.unmapped_to), "dropped": dict(self.dropped),
            "unmapped_list": [[target, self.unmapped_to.get(target, ""), sorted(values.items(), key=lambda i: -i[1])]
                              for target, values in sorted(self.unmapped.items())],
            "customers_without_deal": self.customers_without_deal,
            # The number format in doubt: the upload offers to say how the file writes numbers ("decimal").
            "two_ways": self.two_ways[:1], "two_ways_count": len(self.two_ways),
            "decimal": detection.mapping.decimal if detection else "",
        })
        if self.totals_amount is not None:  # the file's own totals row, for the month's checks
            data["totals_row"] = {"amount": self.totals_amount, "rows_amount": round(self.rows_amount, 6)}
        return data


# --- campaigns ------------------------------------------------------------------------------

def _name_key(name: str) -> str:
    return name.strip().casefold()


class CampaignBook:
    """The client's campaigns by id and by name, and the ones a file adds (kept small: campaigns, not rows)."""

    def __init__(self) -> None:
        self.ids: set[str] = set()
        self.by_name: dict[str, str] = {}
        for campaign_id, name in Campaign.objects.values_list("id", "name"):
            self.ids.add(campaign_id)
            self.by_name.setdefault(_name_key(name), campaign_id)
        self.new: dict[str, tuple[str, int]] = {}  # id -> (name, first line)
        self.new_by_name: dict[str, str] = {}

    def resolve(self, platform_id: str, name: str, line: int) -> str:
        """The client's campaign id for a platform's (id, name): by id, then by name, else a new one."""
        platform_id, name = platform_id.strip(), name.strip()
        if platform_id and (platform_id in self.ids or platform_id in self.new):
            return platform_id
        key = _name_key(name)
        if key in self.by_name:
            return self.by_name[key]
        if not platform_id and key in self.new_by_name:
            return self.new_by_name[key]
        campaign_id = platform_id or name
        if campaign_id:
            self.new[campaign_id] = (name or campaign_id, line)
            self.new_by_name.setdefault(key, campaign_id)
        return campaign_id


# --- canonical rows -------------------------------------------------------------------------

@dataclass
class _Context:
    detection: Detection
    compiled: Compiled
    client: Client
    rates: RateBook
    campaigns: CampaignBook | None
    outcome: SourceImport


def _lines(detection: Detection, totals: list[tuple[int, list[str]]] | None = None) -> Iterator[tuple[int, list[str]]]:
    return data_rows(detection.text_file, header_line=detection.header_line, delimiter=detection.delimiter,
                     width=len(detection.header), totals=totals)


def canonical_header(detection: Detection, compiled: Compiled) -> list[str]:
    """The canonical columns the source's rows fill, in the kind's order."""
    kind = detection.kind
    if kind == "spend":
        if "platform" in compiled.targets:
            return SPEND_HEADER + DELIVERY
        return SPEND_HEADER + [name for name in DELIVERY if name in compiled.targets]
    names = [name for name in SPECS[kind].public if name in compiled.targets]
    if kind == "email" and "campaign" not in names:
        names.insert(1, "campaign")
    return names


def _uses_campaigns(compiled: Compiled) -> bool:
    return any(target in compiled.targets for target in CAMPAIGN_TARGETS)


def canonical_rows(context: _Context) -> Iterator[tuple[int, dict[str, Any], list[RowError]]]:
    """Each data line as (line, canonical values, errors); rows left out are counted, not yielded."""
    detection, compiled, outcome = context.detection, context.compiled, context.outcome
    mapping = detection.mapping
    kind = mapping.kind
    client_currency = context.client.currency
    fixed_currency = mapping.currency
    keep = [(target, allowed) for target, allowed in mapping.keep.items() if target in compiled.targets]
    totalled = [name for name in TOTALLED if name in compiled.targets or (kind == "spend" and name == "amount")]
    totals, by_currency = outcome.totals, outcome.spend_by_currency
    deal_rule = "deal_value" in compiled.targets
    outcome.unmapped = compiled.unmapped
    outcome.dropped = compiled.dropped
    outcome.unmapped_to = {target: str(rule.other) for target, rule in mapping.columns.items()
                           if rule.other is not None}
    for line, cells in _lines(detection, outcome.total_rows):
        if compiled.is_total(cells):
            outcome.total_rows.append((line, cells))
            continue
        outcome.rows += 1
        values, errors = compiled.convert(line, cells)
        if errors:
            yield line, values, errors
            continue
        left_out = next(((target, values.get(target)) for target, allowed in keep
                         if values.get(target) not in allowed), None) if keep else None
        if left_out is not None:
            reason = f"{left_out[0]}: {left_out[1] or ''}"
            outcome.skipped[reason] = outcome.skipped.get(reason, 0) + 1
            continue
        day = values.get("date") or (values["created_at"].date() if values.get("created_at") else None)
        if day is not None:
            outcome.days.add(day)
        if context.campaigns is not None and "campaign" not in values:
            values["campaign"] = context.campaigns.resolve(
                str(values.pop("campaign_id", None) or ""), str(values.pop("campaign_name", None) or ""), line)
        values.pop("campaign_id", None)
        values.pop("campaign_name", None)
        if kind == "spend":
            outcome.rows_amount += float(values.get("amount") or 0)
            errors = _spend(values, context, line, client_currency, fixed_currency)
            if not errors and values.get("original_amount") is not None:
                code = values["currency"]
                by_currency[code] = by_currency.get(code, 0) + values["original_amount"]
        if deal_rule and values.get("customer_at") is not None and values.get("deal_value") is None:
            outcome.customers_without_deal += 1
        if not errors:
            for name in totalled:
                value = values.get(name)
                if value is not None:
                    totals[name] = totals.get(name, 0) + value
        yield line, values, errors


def _spend(values: dict[str, Any], context: _Context, line: int, client_currency: str, fixed: str) -> list[RowError]:
    """Currency and key of a spend row: the amount converted into the client's currency."""
    compiled = context.compiled
    raw_currency = values.pop("currency", None) or fixed or client_currency
    try:
        currency = currency_code(raw_currency)
    except ValueProblem as problem:
        return [RowError(line, compiled.column_of("currency") if "currency" in compiled.targets
                         else compiled.column_of("amount"), raw_currency, problem.reason)]
    day, amount = values.get("date"), values.get("amount")
    if not values.get("id"):
        values["id"] = f"{context.detection.mapping.name}:{canonical_text(day)}:{values.get('campaign') or ''}"
    if amount is None or day is None:
        return []  # the importer names the missing value
    try:
        conversion = context.rates.convert(amount, currency, client_currency, day)
    except ValueProblem as problem:
        column = compiled.column_of("currency") if "currency" in compiled.targets else compiled.column_of("amount")
        return [RowError(line, column, currency, problem.reason)]
    values["amount"] = conversion.amount
    if values.get("conversion_value") is not None and currency != client_currency:
        # The platform's conversion value is in the amounts' currency: converted at the same rate.
        values["conversion_value"] = context.rates.convert(values["conversion_value"], currency, client_currency, day).amount
    values["original_amount"] = amount
    values["currency"] = currency
    values["exchange_rate"] = conversion.rate
    values["rate_date"] = conversion.rate_date
    return []


# --- the import -----------------------------------------------------------------------------

def _prepare(
    *, path: str | Path, source: str | None, mapping: Mapping | None, mappings: Iterable[Mapping], outcome: SourceImport,
    plain_numbers: bool = False, decimal: str | None = None,
) -> tuple[Detection, Compiled] | None:
    try:
        detection = detect(path, source=source, mapping=mapping, mappings=mappings)
    except SourceError as error:
        outcome.errors = error.errors
        return None
    if decimal:
        # Told how the file writes numbers (its language said otherwise, or an amount read two ways):
        # that way for every number, and no amount is refused as reading two ways any more.
        detection = replace(detection, mapping=replace(detection.mapping, decimal=decimal))
        plain_numbers = True
    outcome.detection = detection
    if detection.missing:
        outcome.errors = [RowError(detection.header_line, "", "", _(
            "no column of the file gives %(target)s (looked for %(names)s): a column may have been renamed; map one"
            " of the file's ignored columns to it") % {"target": target, "names": " / ".join(names)})
            for target, names in detection.missing]
        return None
    problems = detection.mapping.problems()
    if problems:
        outcome.errors = [RowError(detection.header_line, "", "", problem) for problem in problems]
        return None
    compiled = Compiled(detection.mapping, detection.header, header_line=detection.header_line,
                        plain_numbers=plain_numbers)
    if compiled.errors:
        outcome.errors = compiled.errors
        return None
    return detection, compiled


def source_import(
    *, client: Client, path: str | Path, source: str | None = None, mapping: Mapping | None = None,
    mappings: Iterable[Mapping] = (), dry_run: bool = False, progress: Callable[[int], None] | None = None,
    plain_numbers: bool = False, decimal: str | None = None,
) -> SourceImport:
    """Import a platform export (or a file a saved mapping describes) into ``client``, all or nothing.

    ``source`` (a slug of clients.sources.SOURCES) or ``mapping`` forces what the file is;
    otherwise it is detected from its header among the built-in sources and ``mappings``
    (the client's saved ones). ``dry_run`` checks everything and writes nothing. When rows
    were written, :func:`clients.services.data_changed` is called with the months touched.
    ``plain_numbers``: the file was written by the portal from a platform's API (a connector), its
    numbers plain with a dot, so an amount such as ``12.345`` is read, not refused as reading two ways.
    ``decimal``: how the file writes numbers, as a person said (``.`` 1,234.56 or ``,`` 1.234,56), over
    what its language or mapping says; an amount is then read that way, never refused as reading two ways.
    """
    outcome = SourceImport(dry_run=dry_run)
    prepared = _prepare(path=path, source=source, mapping=mapping, mappings=mappings, outcome=outcome,
                        plain_numbers=plain_numbers, decimal=decimal)
    if prepared is None:
        return outcome
    detection, compiled = prepared
    kind = detection.kind
    zone = ZoneInfo(client.timezone)
    with tenant_context(client):
        campaigns = CampaignBook() if _uses_campaigns(compiled) else None
        context = _Context(detection, compiled, client, RateBook(), campaigns, outcome)
        source_errors: list[RowError] = []
        try:
            with transaction.atomic():
                if kind == "spend" or campaigns is not None:
                    _first_pass(context, zone, source_errors)
                    if source_errors:
                        raise _Rollback
                header = canonical_header(detection, compiled)

                def records() -> Iterator[tuple[int, list[Any]]]:
                    # Typed values straight to the importer (typed=True): each cell parsed once, by the source.
                    for line, values, errors in canonical_rows(context):
                        if errors:
                            source_errors.extend(errors)
                            continue
                        yield line, list(map(values.get, header))

                outcome.rows, outcome.rows_amount, outcome.total_rows = 0, 0.0, []
                result = import_records(kind=kind, header=header, records=records(), zone=zone, progress=progress,
                                        internal=True, sum_duplicates=kind in SUMMED_KINDS, typed=True)
                outcome.result = result
                if source_errors or result.errors:
                    raise _Rollback
                if dry_run:
                    raise _Rollback
        except _Rollback:
            pass
    outcome.errors = sorted([*source_errors, *(outcome.result.errors if outcome.result else [])],
                            key=lambda error: (error.line or 0, error.column))
    outcome.two_ways = compiled.two_ways
    if outcome.errors:
        outcome.campaigns_created = []
        outcome.campaign_names = {}
    elif kind == "spend":
        outcome.totals_amount = _totals_amount(compiled, outcome.total_rows)
    if outcome.ok and not dry_run and outcome.result and outcome.result.written:
        data_changed(client=client, kind=kind, months=outcome.result.months)
    return outcome


def _totals_amount(compiled: Compiled, rows: list[tuple[int, list[str]]]) -> float | None:
    """The spend of the file's first total row that gives one, as the file writes it (its currency)."""
    for line, cells in rows:
        amount = compiled.convert(line, cells)[0].get("amount")
        if amount is not None:
            return float(amount)
    return None


def _first_pass(context: _Context, zone: ZoneInfo, errors: list[RowError]) -> None:
    """First pass: the campaigns the file names (those the client lacks are created) and the
    currencies it uses (their rates are read before the importer starts COPYing rows)."""
    compiled, book = context.compiled, context.campaigns
    mapping = context.detection.mapping
    id_index, name_index = compiled.index_of("campaign_id"), compiled.index_of("campaign_name")
    currency_index = compiled.index_of("currency")
    currencies = {context.client.currency, mapping.currency or context.client.currency}
    if "currency" in mapping.columns and mapping.columns["currency"].value:
        currencies.add(mapping.columns["currency"].value.strip().upper())
    for line, cells in _lines(context.detection):
        if compiled.is_total(cells):
            continue
        if currency_index is not None and currency_index < len(cells):
            currencies.add(cells[currency_index].strip().upper() or context.client.currency)
        if book is not None:
            platform_id = cells[id_index] if id_index is not None and id_index < len(cells) else ""
            name = cells[name_index] if name_index is not None and name_index < len(cells) else ""
            book.resolve(platform_id, name, line)
    context.rates.preload({code for code in currencies if len(code) == 3})
    if book is None or not book.new:
        return
    mapping = context.detection.mapping
    records = ((line, [campaign_id, name, mapping.channel or "other", mapping.social_network])
               for campaign_id, (name, line) in book.new.items())
    result = import_records(kind="campaigns", header=["id", "name", "channel", "social_network"], records=records,
                            zone=zone)
    for error in result.errors:
        column = compiled.column_of("campaign_id" if error.column == "id" and id_index is not None else "campaign_name")
        errors.append(RowError(error.line, column, error.value, _("campaign: %(reason)s") % {"reason": error.reason}))
    context.outcome.campaigns_created = sorted(book.new)
    context.outcome.campaign_names = {campaign_id: name for campaign_id, (name, _line) in book.new.items()}


def source_preview(
    *, client: Client, path: str | Path, source: str | None = None, mapping: Mapping | None = None,
    mappings: Iterable[Mapping] = (), limit: int = 20,
) -> tuple[SourceImport, list[tuple[int, dict[str, Any], list[RowError]]]]:
    """The first ``limit`` canonical rows (values and errors), without writing: for a live preview.

    The whole file's check is ``source_import(..., dry_run=True)``.
    """
    outcome = SourceImport(dry_run=True)
    prepared = _prepare(path=path, source=source, mapping=mapping, mappings=mappings, outcome=outcome)
    if prepared is None:
        return outcome, []
    detection, compiled = prepared
    rows: list[tuple[int, dict[str, Any], list[RowError]]] = []
    with tenant_context(client):
        campaigns = CampaignBook() if _uses_campaigns(compiled) else None
        context = _Context(detection, compiled, client, RateBook(), campaigns, outcome)
        for row in canonical_rows(context):
            rows.append(row)
            if len(rows) >= limit:
                break
        if campaigns is not None:
            outcome.campaigns_created = sorted(campaigns.new)
            outcome.campaign_names = {campaign_id: name for campaign_id, (name, _line) in campaigns.new.items()}
    return outcome, rows
