"""What the upload page tells people about each canonical kind: its columns and an example file.

The columns (names, which are required, the order) come from :data:`clients.importing.SPECS`,
the same description the importer uses, so the page cannot drift from what is accepted. This
module adds a sentence per column and a small example file per kind; a test imports every
example into a client, in the order of :data:`KIND_ORDER`, so every example is a valid file.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from django.utils.translation import gettext_lazy as _

from clients import vocab
from clients.importing import SPECS
from clients.words import column_name

# The order files are best imported in: later kinds refer to earlier ones.
KIND_ORDER = ("campaigns", "spend", "leads", "activities", "traffic", "email", "contracts")


ONE_OF = _("One of: %(values)s.")


DESCRIPTIONS: dict[str, Any] = {
    "id": _("Your own unique code for the row; importing the same code again updates the row."),
    "name": _("The campaign's name, as people should read it."),
    "channel": (ONE_OF, vocab.CHANNELS),
    "direction": _("inbound or outbound (default inbound)."),
    "nurture": _("true if the campaign nurtures existing leads (default false)."),
    "social_network": _("For social channels: the network, e.g. linkedin."),
    "start_date": _("A date, YYYY-MM-DD."),
    "end_date": _("A date, YYYY-MM-DD."),
    "date": _("The day, YYYY-MM-DD."),
    "category": (ONE_OF, vocab.SPEND_CATEGORIES),
    "amount": _("The amount in the client's currency, a dot for decimals (1234.56)."),
    "campaign": _("The id of a campaign already imported (or in the campaigns file)."),
    "note": _("Free text."),
    "platform": (ONE_OF, vocab.AD_PLATFORMS),
    "impressions": _("The ad platform's impressions that day, a whole number (empty: not given)."),
    "clicks": _("The ad platform's clicks that day; at most impressions (empty: not given)."),
    "conversions": _("The conversions the platform reports, may be fractional (empty: not given)."),
    "conversion_value": _("The value the platform gives those conversions, in the client's currency (empty: not given)."),
    "created_at": _("When the lead was created: 2026-03-04T09:30:00 (client time zone) or with an offset."),
    "email": _("The lead's email address."),
    "device": (ONE_OF, vocab.DEVICES),
    "landing_page": _("The page the visit started on, e.g. /pricing."),
    "persona": _("The code of one of the client's personas (otherwise the persona rules decide)."),
    "origin": _("marketing or sales (default marketing)."),
    "company_revenue": _("The company's yearly revenue."),
    "employees": _("The company's number of employees, a whole number."),
    "vertical": _("The company's industry, e.g. saas."),
    "age": _("A whole number."),
    "gender": _("Free text."),
    "income": _("A number."),
    "interests": _("Topics separated by semicolons: pricing;integrations."),
    "challenge": _("Free text."),
    "first_contacted_at": _("When sales first contacted the lead (a timestamp)."),
    "sql_at": _("When the lead became a sales qualified lead (a timestamp)."),
    "sal_at": _("When sales accepted the lead (a timestamp)."),
    "opportunity_at": _("When the lead became an opportunity (a timestamp)."),
    "customer_at": _("When the lead became a customer (a timestamp)."),
    "lost_at": _("When the lead was lost (a timestamp); not with customer_at."),
    "unsubscribed_at": _("When the lead unsubscribed (a timestamp)."),
    "deal_value": _("The value of the won deal; only with customer_at."),
    "lead": _("The id of a lead already imported."),
    "occurred_at": _("When it happened (a timestamp)."),
    "action": (ONE_OF, vocab.ACTIONS),
    "detail": _("Free text, e.g. the name of the downloaded guide."),
    "sessions": _("Sessions that day, a whole number."),
    "bounced_sessions": _("Sessions that left without interacting; at most sessions (empty: not given)."),
    "pageviews": _("A whole number."),
    "form_submissions": _("A whole number."),
    "sent": _("Emails sent that day."),
    "delivered": _("Emails delivered; at most sent (empty: not given)."),
    "unique_opens": _("A whole number (empty: not given)."),
    "unique_clicks": _("At most delivered, or sent when delivered is not given (empty: not given)."),
    "unsubscribes": _("A whole number (empty: not given)."),
    "account": _("The customer account the contract is with."),
    "kind": _("retainer (needs term_months and monthly_fee) or project (needs project_fee and end_date)."),
    "segment": _("Free text, e.g. enterprise; contracts are broken down by it."),
    "term_months": _("The retainer's length in months, at least 1."),
    "monthly_fee": _("The retainer's monthly fee."),
    "project_fee": _("The project's total fee."),
    "cancelled_on": _("The day the contract was cancelled early (a date)."),
    "renewal_of": _("The id of the contract this one renews."),
}

EXAMPLES: dict[str, list[list[str]]] = {
    "campaigns": [
        ["id", "name", "channel", "direction", "nurture", "social_network", "start_date", "end_date"],
        ["brand-search", "Brand search", "paid_search", "inbound", "false", "", "2026-01-01", ""],
        ["linkedin-cfo", "LinkedIn CFO ads", "paid_social", "inbound", "false", "linkedin", "2026-02-01", "2026-06-30"],
        ["newsletter", "Monthly newsletter", "email", "inbound", "true", "", "", ""],
    ],
    "spend": [
        ["id", "date", "category", "amount", "campaign", "note", "platform", "impressions", "clicks", "conversions",
         "conversion_value"],
        ["S-2026-03-01-brand", "2026-03-01", "media", "120.50", "brand-search", "", "google_ads", "4100", "170", "6.5",
         "910.00"],
        ["S-2026-03-01-li", "2026-03-01", "media", "80.00", "linkedin-cfo", "", "linkedin_ads", "2300", "19", "", ""],
        ["S-2026-03-agency", "2026-03-31", "marketing", "1500.00", "", "Agency fee, March", "", "", "", "", ""],
    ],
    "leads": [
        ["id", "created_at", "email", "channel", "campaign", "device", "landing_page", "employees", "vertical",
         "sql_at", "customer_at", "deal_value"],
        ["L-1001", "2026-03-02T10:15:00", "maria@example.com", "paid_search", "brand-search", "desktop", "/pricing",
         "250", "saas", "2026-03-05T09:00:00", "", ""],
        ["L-1002", "2026-03-03T16:40:00", "john@example.com", "paid_social", "linkedin-cfo", "mobile", "/guide",
         "40", "retail", "", "", ""],
        ["L-1003", "2026-03-04T08:05:00", "li@example.com", "email", "newsletter", "desktop", "/demo",
         "900", "fintech", "2026-03-06T11:00:00", "2026-03-20T12:00:00", "9600"],
    ],
    "activities": [
        ["id", "lead", "occurred_at", "action", "detail"],
        ["A-1", "L-1001", "2026-03-02T10:20:00", "content_download", "Pricing guide"],
        ["A-2", "L-1001", "2026-03-04T12:00:00", "demo_request", ""],
        ["A-3", "L-1002", "2026-03-03T16:45:00", "webinar_signup", "March webinar"],
    ],
    "traffic": [
        ["date", "channel", "device", "sessions", "bounced_sessions", "pageviews", "form_submissions", "landing_page"],
        ["2026-03-01", "organic_search", "desktop", "420", "180", "1100", "6", "/"],
        ["2026-03-01", "paid_search", "mobile", "130", "70", "260", "2", "/pricing"],
        ["2026-03-02", "email", "desktop", "85", "20", "240", "3", "/demo"],
    ],
    "email": [
        ["date", "campaign", "sent", "delivered", "unique_opens", "unique_clicks", "unsubscribes"],
        ["2026-03-03", "newsletter", "5000", "4920", "1810", "240", "12"],
        ["2026-03-17", "newsletter", "5030", "4960", "1702", "198", "9"],
    ],
    "contracts": [
        ["id", "account", "kind", "start_date", "segment", "term_months", "monthly_fee", "project_fee", "end_date",
         "cancelled_on", "renewal_of"],
        ["K-1", "globex", "retainer", "2026-01-01", "enterprise", "12", "800", "", "", "", ""],
        ["K-2", "initech", "project", "2026-02-01", "smb", "", "", "6000", "2026-04-30", "", ""],
    ],
}


def kind_columns(kind: str) -> list[dict[str, Any]]:
    """The columns of ``kind`` for the upload page: name, required, and what it holds."""
    return [
        {"name": column.name, "required": column.required, "description": _description(column.name),
         "label": column_name(kind, column.name)}
        for column in SPECS[kind].columns
        if not getattr(column, "internal", False)  # written by the sources only (the rate of converted spend)
    ]


def _description(name: str) -> str:
    text = DESCRIPTIONS.get(name, "")
    if isinstance(text, tuple):  # translated when shown, in the reader's language
        return str(text[0]) % {"values": ", ".join(text[1])}
    return str(text)


def kind_example_csv(kind: str) -> str:
    """A small valid example file of ``kind`` (a test imports every one)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerows(EXAMPLES[kind])
    return out.getvalue()
