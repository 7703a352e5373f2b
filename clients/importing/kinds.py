"""The file kinds of formats.md: their columns, keys, references and row rules.

One :class:`KindSpec` per kind is the single description used by the CSV importer, the web
preview and the ingestion API, so the three accept and reject exactly the same rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from agency.dates import date_range_message, months_fit
from clients import vocab
from clients.importing import cells
from clients.models import Activity, Campaign, Contract, EmailRow, Lead, Persona, Spend, TrafficRow

# Marks a column parsed as a timestamp in the client's time zone (the parser needs the zone).
TIMESTAMP = object()

Rule = Callable[[dict[str, Any]], list[tuple[str, str]]]


@dataclass(frozen=True)
class Column:
    name: str
    parse: Any  # a cells parser, or TIMESTAMP
    required: bool = False
    default: Any = None  # stored when the cell is empty ("not given")
    field: str = ""  # the model field, when it is not named like the column
    references: str = ""  # "campaign", "lead", "contract" or "persona": must exist
    # Written only by the sources (clients.sources), never accepted from a canonical file or the API.
    internal: bool = False
    # Added up when rows of a source land on the same key (import_records(sum_duplicates=True)).
    summed: bool = False

    @property
    def field_name(self) -> str:
        return self.field or self.name


@dataclass(frozen=True)
class KindSpec:
    kind: str
    model: type[models.Model]
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    rules: tuple[Rule, ...] = ()
    # SQL giving the months (YYYY-MM, client time zone) a stored row touches; the row is
    # ``t``, the zone the parameter %(tz)s. One expression per element, NULLs ignored.
    month_sql: tuple[str, ...] = field(default=())

    @property
    def by_name(self) -> dict[str, Column]:
        return {column.name: column for column in self.columns}

    @property
    def public(self) -> tuple[str, ...]:
        """The columns a canonical file or the API may name."""
        return tuple(column.name for column in self.columns if not column.internal)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns if column.required)

    def db_column(self, name: str) -> str:
        return self.model._meta.get_field(self.by_name[name].field_name).column


def _max(model: type[models.Model], name: str) -> int:
    return model._meta.get_field(name).max_length


def _text(model: type[models.Model], name: str, **kwargs: Any) -> Column:
    return Column(name, cells.text(_max(model, kwargs.get("field") or name)), default="", **kwargs)


def _money(model: type[models.Model], name: str, **kwargs: Any) -> Column:
    model_field = model._meta.get_field(kwargs.get("field") or name)
    return Column(name, cells.amount(model_field.max_digits, model_field.decimal_places), **kwargs)



def _id(model: type[models.Model]) -> Column:
    return Column("id", cells.text(_max(model, "id")), required=True)


def _month(column: str) -> str:
    return f"to_char(t.{column}, 'YYYY-MM')"


def _month_tz(column: str) -> str:
    return f"to_char(t.{column} AT TIME ZONE %(tz)s, 'YYYY-MM')"


BIG = 2**63 - 1
INT = 2**31 - 1


# --- row rules (formats.md "Row rules") ----------------------------------------------------

def _utc_minute(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).replace(tzinfo=None).isoformat(sep=" ", timespec="minutes")


def _lead_rules(values: dict[str, Any]) -> list[tuple[str, str]]:
    errors = []
    created = values.get("created_at")
    if created is not None:
        for name in vocab.LEAD_LIFECYCLE_FIELDS:
            moment = values.get(name)
            if moment is not None and moment < created:
                # Both moments as read, in UTC: a file in another zone than the client's shows here.
                errors.append((name, _("before created_at (%(created)s UTC; this is %(moment)s UTC): a time without "
                                       "an offset is read in the client's time zone")
                               % {"created": _utc_minute(created), "moment": _utc_minute(moment)}))
    if values.get("customer_at") is not None and values.get("lost_at") is not None:
        errors.append(("lost_at", _("a lead cannot have both customer_at and lost_at")))
    if values.get("deal_value") is not None and values.get("customer_at") is None:
        errors.append(("deal_value", _("a deal_value needs customer_at")))
    return errors


def _spend_rules(values: dict[str, Any]) -> list[tuple[str, str]]:
    """Clicks cannot exceed impressions when impressions are given and above 0 (formats.md)."""
    impressions, clicks = values.get("impressions"), values.get("clicks")
    if impressions and clicks is not None and clicks > impressions:
        return [("clicks", _("larger than impressions (%(n)s)") % {"n": impressions})]
    return []


def _traffic_rules(values: dict[str, Any]) -> list[tuple[str, str]]:
    sessions, bounced = values.get("sessions"), values.get("bounced_sessions") or 0
    if sessions is not None and bounced > sessions:
        return [("bounced_sessions", _("larger than sessions (%(n)s)") % {"n": sessions})]
    return []


def _email_rules(values: dict[str, Any]) -> list[tuple[str, str]]:
    """delivered ≤ sent and unique_clicks ≤ delivered, each when both are given (an empty count is not given)."""
    errors = []
    sent, delivered, clicks = values.get("sent"), values.get("delivered"), values.get("unique_clicks")
    if sent is not None and delivered is not None and delivered > sent:
        errors.append(("delivered", _("larger than sent (%(n)s)") % {"n": sent}))
    if clicks is not None and clicks > (delivered if delivered is not None else sent if sent is not None else clicks):
        errors.append(("unique_clicks", _("larger than delivered (%(n)s)") % {"n": delivered})
                      if delivered is not None else ("unique_clicks", _("larger than sent (%(n)s)") % {"n": sent}))
    return errors


def _contract_rules(values: dict[str, Any]) -> list[tuple[str, str]]:
    errors = []
    kind = values.get("kind")
    if kind == "retainer":
        if (values.get("term_months") or 0) < 1:
            errors.append(("term_months", _("a retainer needs term_months of at least 1")))
        if values.get("monthly_fee") is None:
            errors.append(("monthly_fee", _("a retainer needs a monthly_fee")))
    elif kind == "project":
        if values.get("project_fee") is None:
            errors.append(("project_fee", _("a project needs a project_fee")))
        if values.get("end_date") is None:
            errors.append(("end_date", _("a project needs an end_date")))
    start, cancelled = values.get("start_date"), values.get("cancelled_on")
    if start is not None and cancelled is not None and cancelled < start:
        errors.append(("cancelled_on", _("before start_date")))
    if start is not None and values.get("term_months") and not months_fit(start, values["term_months"]):
        errors.append(("term_months", date_range_message()))
    return errors


# --- the kinds ------------------------------------------------------------------------------

_LEAD_TIMESTAMPS = ("created_at", *vocab.LEAD_LIFECYCLE_FIELDS, "unsubscribed_at")

SPECS: dict[str, KindSpec] = {
    "campaigns": KindSpec(
        "campaigns", Campaign,
        (
            _id(Campaign),
            Column("name", cells.text(_max(Campaign, "name")), required=True),
            Column("channel", cells.choice(vocab.CHANNELS), required=True),
            Column("direction", cells.choice(vocab.DIRECTIONS), default="inbound"),
            Column("nurture", cells.boolean, default=False),
            _text(Campaign, "social_network"),
            Column("start_date", cells.date),
            Column("end_date", cells.date),
        ),
        key=("id",),
        month_sql=(
            _month("start_date"), _month("end_date"),
            # A campaign's channel or name shows in the breakdowns of the months of its leads and spend.
            "ARRAY(SELECT DISTINCT to_char(l.created_at AT TIME ZONE %(tz)s, 'YYYY-MM') FROM clients_lead l"
            " WHERE l.campaign_id = t.id)",
            "ARRAY(SELECT DISTINCT to_char(s.date, 'YYYY-MM') FROM clients_spend s WHERE s.campaign_id = t.id)",
            "ARRAY(SELECT DISTINCT to_char(e.date, 'YYYY-MM') FROM clients_emailrow e WHERE e.campaign_id = t.id)",
        ),
    ),
    "spend": KindSpec(
        "spend", Spend,
        (
            _id(Spend),
            Column("date", cells.date, required=True),
            Column("category", cells.choice(vocab.SPEND_CATEGORIES), required=True),
            _money(Spend, "amount", required=True, summed=True),
            Column("campaign", cells.text(_max(Campaign, "id")), references="campaign"),
            _text(Spend, "note"),
            # Kept beside the converted amount when a source's amounts were in another currency.
            _money(Spend, "original_amount", internal=True, summed=True),
            Column("currency", cells.text(3), default="", internal=True),
            Column("exchange_rate", cells.amount(24, 12), internal=True),
            Column("rate_date", cells.date, internal=True),
            # An ad platform's delivery (formats.md): whole counts, fractional conversions, money.
            Column("platform", cells.choice(vocab.AD_PLATFORMS), default=""),
            Column("impressions", cells.count(BIG), summed=True),
            Column("clicks", cells.count(BIG), summed=True),
            _money(Spend, "conversions", summed=True),
            _money(Spend, "conversion_value", summed=True),
        ),
        key=("id",),
        rules=(_spend_rules,),
        month_sql=(_month("date"),),
    ),
    "leads": KindSpec(
        "leads", Lead,
        (
            _id(Lead),
            Column("created_at", TIMESTAMP, required=True),
            _text(Lead, "email"),
            Column("channel", cells.choice(vocab.CHANNELS), default=""),
            Column("campaign", cells.text(_max(Campaign, "id")), references="campaign"),
            Column("device", cells.choice(vocab.DEVICES), default=""),
            _text(Lead, "landing_page"),
            Column("persona", cells.text(_max(Persona, "code")), default="", field="persona_given", references="persona"),
            Column("origin", cells.choice(vocab.ORIGINS), default="marketing"),
            _money(Lead, "company_revenue"),
            Column("employees", cells.count(BIG)),
            _text(Lead, "vertical"),
            Column("age", cells.count(INT)),
            _text(Lead, "gender"),
            _money(Lead, "income"),
            Column("interests", cells.interests, default=[]),
            _text(Lead, "challenge"),
            *(Column(name, TIMESTAMP) for name in vocab.LEAD_LIFECYCLE_FIELDS),
            Column("unsubscribed_at", TIMESTAMP),
            _money(Lead, "deal_value"),
        ),
        key=("id",),
        rules=(_lead_rules,),
        month_sql=tuple(_month_tz(name) for name in _LEAD_TIMESTAMPS),
    ),
    "activities": KindSpec(
        "activities", Activity,
        (
            _id(Activity),
            Column("lead", cells.text(_max(Lead, "id")), required=True, references="lead"),
            Column("occurred_at", TIMESTAMP, required=True),
            Column("action", cells.choice(vocab.ACTIONS), required=True),
            _text(Activity, "detail"),
        ),
        key=("id",),
        month_sql=(_month_tz("occurred_at"),),
    ),
    "traffic": KindSpec(
        "traffic", TrafficRow,
        (
            Column("date", cells.date, required=True),
            Column("channel", cells.choice(vocab.CHANNELS), required=True),
            # Optional (formats.md): empty when the file does not give it (a GA4 export without Device category).
            Column("device", cells.choice(vocab.DEVICES), default=""),
            Column("sessions", cells.count(BIG), required=True, summed=True),
            Column("bounced_sessions", cells.count(BIG), summed=True),  # empty: not given (bounce_rate skips the row)
            Column("pageviews", cells.count(BIG), default=0, summed=True),
            Column("form_submissions", cells.count(BIG), default=0, summed=True),
            _text(TrafficRow, "landing_page"),
            _text(TrafficRow, "social_network"),
        ),
        key=("date", "channel", "device", "landing_page", "social_network"),
        rules=(_traffic_rules,),
        month_sql=(_month("date"),),
    ),
    "email": KindSpec(
        "email", EmailRow,
        (
            Column("date", cells.date, required=True),
            Column("campaign", cells.text(_max(Campaign, "id")), required=True, references="campaign"),
            Column("sent", cells.count(BIG), required=True, summed=True),
            # Optional: empty when not given (stored NULL), never 0 — a 0 delivered made deliverability 0 %.
            Column("delivered", cells.count(BIG), summed=True),
            Column("unique_opens", cells.count(BIG), summed=True),
            Column("unique_clicks", cells.count(BIG), summed=True),
            Column("unsubscribes", cells.count(BIG), summed=True),
        ),
        key=("date", "campaign"),
        rules=(_email_rules,),
        month_sql=(_month("date"),),
    ),
    "contracts": KindSpec(
        "contracts", Contract,
        (
            _id(Contract),
            Column("account", cells.text(_max(Contract, "account")), required=True),
            Column("kind", cells.choice(vocab.CONTRACT_KINDS), required=True),
            Column("start_date", cells.date, required=True),
            _text(Contract, "segment"),
            Column("term_months", cells.count(INT)),
            _money(Contract, "monthly_fee"),
            _money(Contract, "project_fee"),
            Column("end_date", cells.date),
            Column("cancelled_on", cells.date),
            Column("renewal_of", cells.text(_max(Contract, "id")), references="contract"),
        ),
        key=("id",),
        rules=(_contract_rules,),
        month_sql=(
            # Every month the contract runs (revenue, retention), from start to its end.
            "ARRAY(SELECT to_char(m, 'YYYY-MM') FROM generate_series(date_trunc('month', t.start_date::timestamp),"
            " COALESCE(t.cancelled_on, t.end_date, (t.start_date + make_interval(months => COALESCE(t.term_months, 1))"
            " - interval '1 day')::date, t.start_date)::timestamp, interval '1 month') AS m)",
        ),
    ),
}

KINDS: tuple[str, ...] = tuple(SPECS)

# What a reference column must name: (table, key column) of an existing row.
REFERENCE_TARGETS: dict[str, tuple[type[models.Model], str]] = {
    "campaign": (Campaign, "id"),
    "lead": (Lead, "id"),
    "contract": (Contract, "id"),
    "persona": (Persona, "code"),
}
