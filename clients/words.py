"""The client's data in words: qualification rules as sentences, where a criteria problem is
(not ``fit.all[1].any[2].field``), the vocabularies of formats.md translated, the portal's columns by
their names (the mapping editor, a file's preview), money with its currency. Used by the templates
(``clients_words`` tags), the criteria editor and the import pages."""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from django.contrib.humanize.templatetags.humanize import naturalday
from django.utils import timezone
from django.utils.formats import date_format, number_format, time_format
from django.utils.translation import get_language, gettext_lazy, pgettext
from django.utils.translation import gettext as _

from clients.vocab import COLUMN_VOCABULARIES

if TYPE_CHECKING:
    from fractions import Fraction

FIELD_LABELS = {
    "company_revenue": gettext_lazy("Company revenue"),
    "employees": gettext_lazy("Employees"),
    "age": gettext_lazy("Age"),
    "income": gettext_lazy("Income"),
    "vertical": gettext_lazy("Industry"),
    "gender": gettext_lazy("Gender"),
    "challenge": gettext_lazy("Challenge"),
    "channel": gettext_lazy("Channel"),
    "device": gettext_lazy("Device"),
    "origin": gettext_lazy("Origin"),
    "campaign": gettext_lazy("Campaign"),
    "landing_page": gettext_lazy("Landing page"),
    "interests": gettext_lazy("Interests"),
}
ACTION_LABELS = {
    "content_download": gettext_lazy("Content download"),
    "webinar_signup": gettext_lazy("Webinar sign-up"),
    "event_signup": gettext_lazy("Event sign-up"),
    "demo_request": gettext_lazy("Demo request"),
    "contact_request": gettext_lazy("Contact request"),
    "pricing_view": gettext_lazy("Pricing page view"),
    "email_click": gettext_lazy("Email click"),
    "form_submission": gettext_lazy("Form submission"),
    "other": gettext_lazy("Other"),
}
# The rule builder's conditions in words (the sentences of rule_sentence, as a menu).
OP_LABELS = {
    "eq": gettext_lazy("is"),
    "ne": gettext_lazy("is not"),
    "in": gettext_lazy("is one of"),
    "not_in": gettext_lazy("is none of"),
    "gt": gettext_lazy("above"),
    "gte": gettext_lazy("at least"),
    "lt": gettext_lazy("below"),
    "lte": gettext_lazy("at most"),
    "between": gettext_lazy("between (low, high)"),
    "exists": gettext_lazy("is known"),
    "contains": gettext_lazy("include"),
}
TOP_LABELS = {
    "fit": gettext_lazy("Fit rules"),
    "threshold": gettext_lazy("Threshold"),
    "points": gettext_lazy("Scoring rules"),
    "sales_ready_actions": gettext_lazy("Sales-ready actions"),
}
PART_LABELS = {
    "field": gettext_lazy("the field"),
    "op": gettext_lazy("the condition"),
    "value": gettext_lazy("the value"),
    "points": gettext_lazy("the points"),
    "action": gettext_lazy("the action"),
    "match": gettext_lazy("the match"),
}


# The vocabularies of formats.md in words (drill-downs, charts, CSV, records).
MEMBER_LABELS: dict[str, dict[str, Any]] = {
    "channel": {
        "organic_search": gettext_lazy("Organic search"),
        "paid_search": gettext_lazy("Paid search"),
        "organic_social": gettext_lazy("Organic social"),
        "paid_social": gettext_lazy("Paid social"),
        "email": gettext_lazy("Email"),
        "referral": gettext_lazy("Referral"),
        "direct": gettext_lazy("Direct"),
        "display": gettext_lazy("Display"),
        "events": gettext_lazy("Events"),
        "offline": gettext_lazy("Offline"),
        "other": gettext_lazy("Other"),
    },
    "device": {"desktop": gettext_lazy("Desktop"), "mobile": gettext_lazy("Mobile"), "tablet": gettext_lazy("Tablet")},
    "kind": {"retainer": gettext_lazy("Retainer"), "project": gettext_lazy("Project")},
    # A contract's segment is the client's own word (formats.md gives it no vocabulary): the usual
    # codes read in words, any other is shown as written ("mid_market" as "Mid market").
    "segment": {
        "smb": gettext_lazy("Small and midsize businesses"),
        "sme": gettext_lazy("Small and midsize businesses"),
        "mid_market": gettext_lazy("Mid-market"),
        "midmarket": gettext_lazy("Mid-market"),
        "enterprise": gettext_lazy("Enterprises"),
        "gov": gettext_lazy("Public sector"),
        "government": gettext_lazy("Public sector"),
        "public_sector": gettext_lazy("Public sector"),
        "nonprofit": gettext_lazy("Non-profits"),
        "non_profit": gettext_lazy("Non-profits"),
        "startup": gettext_lazy("Start-ups"),
        # Segments by industry (the demo client's, the usual verticals)
        "saas": "SaaS",
        "fintech": "Fintech",
        "retail": gettext_lazy("Retail"),
        "ecommerce": gettext_lazy("E-commerce"),
        "health": gettext_lazy("Health"),
        "healthcare": gettext_lazy("Health"),
        "manufacturing": gettext_lazy("Manufacturing"),
        "education": gettext_lazy("Education"),
    },
    # A campaign's social network is free text ("linkedin"): the usual ones by their brand names.
    "social_network": {
        "linkedin": "LinkedIn", "facebook": "Facebook", "instagram": "Instagram", "twitter": "X (Twitter)",
        "x": "X (Twitter)", "tiktok": "TikTok", "youtube": "YouTube", "pinterest": "Pinterest", "meta": "Meta",
    },
    # Brand names stay as the platforms write them.
    "platform": {
        "google_ads": "Google Ads", "meta_ads": "Meta Ads", "linkedin_ads": "LinkedIn Ads",
        "microsoft_ads": "Microsoft Ads", "tiktok_ads": "TikTok Ads", "other_ads": gettext_lazy("Other ad platforms"),
    },
}
# Each column of formats.md's kinds by its name in words, for pages where people choose columns (the
# mapping editor): its code is what a file of the portal's own kinds writes in its header, not what people read.
COLUMN_NAMES: dict[str, Any] = {
    **FIELD_LABELS,  # a lead's fields are named as the criteria and persona rules name them
    "name": gettext_lazy("Campaign name"),
    "direction": gettext_lazy("Inbound or outbound"),
    "nurture": gettext_lazy("Nurture campaign"),
    "social_network": gettext_lazy("Social network"),
    "start_date": gettext_lazy("Start date"),
    "end_date": gettext_lazy("End date"),
    "date": gettext_lazy("Date"),
    "category": gettext_lazy("Spend category"),
    "amount": gettext_lazy("Amount"),
    "note": gettext_lazy("Note"),
    "platform": gettext_lazy("Ad platform"),
    "impressions": gettext_lazy("Impressions"),
    "clicks": gettext_lazy("Clicks"),
    "conversions": gettext_lazy("Conversions"),
    "conversion_value": gettext_lazy("Conversion value"),
    "campaign_id": gettext_lazy("Campaign ID"),
    "campaign_name": gettext_lazy("Campaign name"),
    "currency": gettext_lazy("Currency"),
    "created_at": gettext_lazy("Creation date"),
    "email": gettext_lazy("Email address"),
    "persona": gettext_lazy("Persona"),
    "first_contacted_at": gettext_lazy("First contacted"),
    "sql_at": gettext_lazy("Became an SQL"),
    "sal_at": gettext_lazy("Accepted by sales (SAL)"),
    "opportunity_at": gettext_lazy("Became an opportunity"),
    "customer_at": gettext_lazy("Became a customer"),
    "lost_at": gettext_lazy("Lost on"),
    "unsubscribed_at": gettext_lazy("Unsubscribed on"),
    "deal_value": gettext_lazy("Deal value"),
    "lead": gettext_lazy("Lead"),
    "occurred_at": gettext_lazy("When it happened"),
    "action": gettext_lazy("Action"),
    "detail": gettext_lazy("Detail"),
    "sessions": gettext_lazy("Sessions"),
    "bounced_sessions": gettext_lazy("Bounced sessions"),
    "pageviews": gettext_lazy("Page views"),
    "form_submissions": gettext_lazy("Form submissions"),
    "sent": gettext_lazy("Emails sent"),
    "delivered": gettext_lazy("Delivered"),
    "unique_opens": gettext_lazy("Unique opens"),
    "unique_clicks": gettext_lazy("Unique clicks"),
    "unsubscribes": gettext_lazy("Unsubscribes"),
    "account": gettext_lazy("Customer account"),
    "kind": gettext_lazy("Contract type"),
    "segment": gettext_lazy("Segment"),
    "term_months": gettext_lazy("Term in months"),
    "monthly_fee": gettext_lazy("Monthly fee"),
    "project_fee": gettext_lazy("Project fee"),
    "cancelled_on": gettext_lazy("Cancelled on"),
    "renewal_of": gettext_lazy("Renews contract"),
    "original_amount": gettext_lazy("Original amount"),
    "exchange_rate": gettext_lazy("Exchange rate"),
    "rate_date": gettext_lazy("Rate date"),
}
# "id" is each kind's own row: the campaign's, the lead's, ...
ID_NAMES: dict[str, Any] = {
    "campaigns": gettext_lazy("Campaign ID"),
    "spend": gettext_lazy("Spend row ID"),
    "leads": gettext_lazy("Lead ID"),
    "activities": gettext_lazy("Activity ID"),
    "contracts": gettext_lazy("Contract ID"),
}


def column_name(kind: str, name: str) -> str:
    """A column of ``kind`` by its name in the reader's language ("Campaign", "Campaña"); its code if unnamed."""
    if name == "id":
        return str(ID_NAMES.get(kind, name))
    return str(COLUMN_NAMES.get(name, name))


UNKNOWN_MEMBER = gettext_lazy("Not attributed")
NO_SEGMENT = gettext_lazy("No segment")
CURRENCY_SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£", "JPY": "¥", "MXN": "MX$", "CAD": "CA$", "AUD": "A$"}
# Where a variant writes a currency its own way: in Mexico "$" is the peso, so the dollar is "US$".
LOCAL_SYMBOLS = {"es-mx": {"MXN": "$", "USD": "US$"}}


def currency_symbol(currency: str) -> str:
    """The currency's symbol for the active language (its ISO code when it has none)."""
    local = LOCAL_SYMBOLS.get((get_language() or "en").lower(), {})
    return local.get(currency) or CURRENCY_SYMBOLS.get(currency, currency)


def symbol_first(symbol: str) -> bool:
    """A symbol goes before the amount ("€44,080.81", "MX$44,080.81", "CA$1,200.00", Mexico's
    "$44,080.81"), but after it in Spain's Spanish ("44 080,81 €"); an ISO code always goes after
    ("44,080.81 CHF"). English read "296,670.02 MX$" when the rule went by the symbol's length."""
    iso_code = len(symbol) == 3 and symbol.isalpha() and symbol.isupper()
    return not iso_code and (get_language() or "en").lower() not in ("es", "es-es")


def member_label(dimension: str, member: str, names: dict[str, str] | None = None) -> str:
    """A breakdown member in words: a translated vocabulary label, a campaign's name, or as is
    (a contract segment's own code with its underscores as spaces and a capital: "Mid market")."""
    if dimension == "segment":
        code = str(member or "").strip()
        if not code:
            return str(NO_SEGMENT)  # contracts without a segment: not an attribution gap
        label = MEMBER_LABELS["segment"].get(code.lower())
        if label is not None:
            return str(label)
        words = code.replace("_", " ")
        return words[:1].upper() + words[1:]
    if member in ("", None, "None", "unattributed", "unknown"):
        return str(UNKNOWN_MEMBER)
    if names and member in names:
        return names[member]
    label = MEMBER_LABELS.get(dimension, {}).get(member)
    if label is None and dimension == "social_network":
        label = MEMBER_LABELS["social_network"].get(str(member).strip().lower())
    return str(label) if label is not None else str(member)


def next_run_words(moment: dt.datetime, zone_named: bool = False) -> dict[str, str]:
    """The day and time of ``moment`` in the active zone, for a sentence that says when the portal tries
    again: ``day`` is "today" or "tomorrow" (naturalday's words), else a date with its preposition
    ("on Dec 8, 2026", "el 8 dic 2026": a bare date after "tries again by itself" or
    "a las 02:48" reads "solo 8 de diciembre"); ``time`` has the zone named after it ("4 a.m. CET")
    when ``zone_named``: an email or the portfolio is read wherever its reader is.

    The day is found from the aware moment, not its date: a bare date would be compared with the
    server's (UTC) date, and a Mexican client's evening (already tomorrow in UTC) would read "today"."""
    local = timezone.localtime(moment)
    time = time_format(local.time(), "TIME_FORMAT")
    if abs((local.date() - timezone.localtime().date()).days) <= 1:
        day = str(naturalday(local))
    else:
        day = pgettext("a day the portal tries again", "on %(date)s") % {"date": date_format(local, "DATE_FORMAT")}
    return {"day": day, "time": f"{time} {local.tzname()}" if zone_named else time}


def shown_number(value: float, places: int) -> str:
    """Rounded half away from zero, grouped the active language's way (as kpis.scorecard does)."""
    rounded = Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return number_format(abs(rounded) if rounded == 0 else rounded, places, force_grouping=True)


def share_shown(value: float | Fraction, places: int = 1) -> str:
    """A share (a fraction of a whole) as a percent: "12.5 %". A true 0 reads "0 %"; a share that
    would round to 0 but is not 0 reads "< 0.1 %" (at ``places`` decimals), never "0.0 %", which
    says nothing was there when something was (one customer in thousands)."""
    if value == 0:
        return "0 %"
    percent = Decimal(repr(float(value) * 100))
    step = Decimal(1).scaleb(-places)
    if percent.quantize(step, rounding=ROUND_HALF_UP) == 0:
        smallest = number_format(step, places)
        return f"< {smallest} %" if percent > 0 else f"> -{smallest} %"
    return f"{shown_number(float(percent), places)} %"


# ISO 4217's minor unit (list one) of the currencies whose minor unit is not 2: a Chilean peso or a
# yen has no cents to show ("1,235 CLP", not "1,234.56 CLP"), a Kuwaiti dinar has fils (3 decimals).
# Every other code, known or not, has 2. (The Colombian peso's is 2 in ISO 4217: its centavos show.)
MINOR_UNITS = {
    **dict.fromkeys(("BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI", "VND",
                     "VUV", "XAF", "XOF", "XPF"), 0),
    **dict.fromkeys(("BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"), 3),
    **dict.fromkeys(("CLF", "UYW"), 4),
}


def minor_unit(currency: str) -> int:
    """How many decimals an amount of ``currency`` is written with: its ISO 4217 minor unit (2 for a
    code ISO gives none or the portal does not know)."""
    return MINOR_UNITS.get((currency or "").strip().upper(), 2)


def amount_shown(value: float, currency: str) -> str:
    """An amount without its symbol, at its currency's minor unit, grouped the active language's
    way: beside its ISO code where a page names the currency itself ("1,235 CLP")."""
    return shown_number(value, minor_unit(currency))


def money(value: float, currency: str, places: int | None = None) -> str:
    """An amount with its currency the active language's way: "€44,080.81" in English,
    "44 080,81 €" in Spanish, "$44,080.81" (pesos) in Mexico's Spanish; a currency without a known
    symbol keeps its ISO code after it. Written at the currency's own minor unit (``minor_unit``):
    "¥1,235" and "1,235 CLP", never "¥1,234.56" — a cost per lead of 1,234.56 pesos reads 1,235 —,
    whatever the figure (a total or a cost per unit); ``places`` only where a caller needs others."""
    places = minor_unit(currency) if places is None else places
    symbol = currency_symbol(currency)
    text = shown_number(abs(value), places)
    sign = "-" if value < 0 and text.strip("0,. \xa0") else ""
    if not symbol_first(symbol):
        return f"{sign}{text}\xa0{symbol}"
    return f"{sign}{symbol}{text}"


def vocab_label(value: str) -> str:
    """A vocabulary value in words: a channel, a device, an action or a contract kind."""
    for labels in (*MEMBER_LABELS.values(), ACTION_LABELS):
        if value in labels:
            return str(labels[value])
    return str(value).replace("_", " ").capitalize() if value else ""


# Values of the vocabularies MEMBER_LABELS does not name (spend categories, directions, origins).
VALUE_WORDS = {
    "media": gettext_lazy("Media"), "marketing": gettext_lazy("Marketing"), "nurture": gettext_lazy("Nurture"),
    "sales": gettext_lazy("Sales"), "inbound": gettext_lazy("Inbound"), "outbound": gettext_lazy("Outbound"),
}


def value_label(value: str) -> str:
    """A vocabulary value as the menus show it ("Paid search", "Búsqueda de pago"), never its code."""
    return str(VALUE_WORDS[value]) if value in VALUE_WORDS else vocab_label(value)


def coded_value_label(column: str, value: Any) -> str:
    """A value of a vocabulary column in words ("paid_social" in ``channel`` → "Paid social") for a
    preview that shows the code beneath it; "" for a free column or a value outside the vocabulary
    (shown as written, with its error)."""
    if isinstance(value, str) and value in COLUMN_VOCABULARIES.get(column, ()):
        return value_label(value)
    return ""


def op_label(op: str) -> str:
    return str(OP_LABELS.get(op, op))


def field_label(name: str) -> str:
    return str(FIELD_LABELS.get(name, str(name).replace("_", " ").capitalize()))


def _number(value: Any) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return number_format(value, 0 if float(value).is_integer() else 2, force_grouping=True)
    return str(value)


def number_words(value: Any) -> str:
    """A number with the reader's separators, without decimals when it is whole (120.0 → "120")."""
    return _number(value)


def _value(name: str, value: Any) -> str:
    if isinstance(value, str):
        shown = vocab_label(value) if name in ("channel", "device", "origin") else value
        return _("“%(value)s”") % {"value": shown}  # «saas» in Spanish
    return _number(value)


def _listed(name: str, values: list[Any]) -> str:
    shown = [_value(name, v) for v in values]
    if len(shown) == 1:
        return shown[0]
    return _("%(items)s or %(last)s") % {"items": ", ".join(shown[:-1]), "last": shown[-1]}


def rule_sentence(rule: dict[str, Any]) -> str:
    """One condition as a sentence: "Employees between 50 and 1,000", "Industry is “saas” or “fintech”"."""
    name, op, value = rule.get("field", ""), rule.get("op", ""), rule.get("value")
    label = field_label(name)
    if op == "between" and isinstance(value, list) and len(value) == 2:
        return _("%(field)s between %(low)s and %(high)s") % {"field": label, "low": _number(value[0]), "high": _number(value[1])}
    if op == "exists":
        return (_("%(field)s is known") if value is not False else _("%(field)s is not known")) % {"field": label}
    if op in ("in", "not_in") and isinstance(value, list):
        template = _("%(field)s is %(values)s") if op == "in" else _("%(field)s is not %(values)s")
        return template % {"field": label, "values": _listed(name, value)}
    templates = {
        "eq": _("%(field)s is %(value)s"),
        "ne": _("%(field)s is not %(value)s"),
        "gt": _("%(field)s above %(value)s"),
        "gte": _("%(field)s at least %(value)s"),
        "lt": _("%(field)s below %(value)s"),
        "lte": _("%(field)s at most %(value)s"),
        "contains": _("%(field)s include %(value)s"),
    }
    template = templates.get(op, "%(field)s %(value)s")
    return template % {"field": label, "value": _value(name, value) if value is not None else ""}


def rules_sentence(rule: Any) -> str:
    """A rule tree in words: groups joined with "and" / "or", nested groups in brackets."""
    if not isinstance(rule, dict) or not rule:
        return _("every lead")
    for key, joiner in (("all", _(" and ")), ("any", _(" or "))):
        if key in rule and isinstance(rule[key], list):
            parts = [rules_sentence(member) for member in rule[key]]
            parts = [
                f"({p})" if isinstance(m, dict) and ("all" in m or "any" in m) and len(m.get("all", m.get("any", []))) > 1 else p
                for p, m in zip(parts, rule[key], strict=True)
            ]
            return joiner.join(parts) if parts else _("every lead")
    return rule_sentence(rule)


_STEP = re.compile(r"(all|any)\[(\d+)\]|\[(\d+)\]|([a-z_]+)")


def problem_words(problem: str) -> str:
    """``fit.all[1].any[2].field: unknown field`` → "Fit rules › rule 2 › rule 3, the field: unknown field"."""
    path, sep, message = problem.partition(": ")
    if not sep or " " in path:
        return problem
    words: list[str] = []
    tail = ""
    for group, index, bare_index, name in _STEP.findall(path.replace(".", " ")):
        if group or bare_index:
            words.append(_("rule %(n)s") % {"n": int(index or bare_index) + 1})
        elif name in TOP_LABELS and not words:
            words.append(str(TOP_LABELS[name]))
        elif name in PART_LABELS:
            tail = str(PART_LABELS[name])
        else:
            words.append(name)
    where = " › ".join(words)
    if tail:
        where = f"{where}, {tail}" if where else tail
    return f"{where}: {message}"


def match_sentence(match: Any) -> str:
    """A persona's match (a rule tree) in words."""
    return rules_sentence(match)


def names_joined(names: list[str]) -> str:
    """People named in a sentence: "Ada Lovelace", "Ada Lovelace and Sam Rivera", "A, B and C" ("y" in Spanish)."""
    if len(names) < 2:
        return "".join(names)
    return _("%(items)s and %(last)s") % {"items": ", ".join(names[:-1]), "last": names[-1]}
