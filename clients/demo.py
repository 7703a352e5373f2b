"""Seeded, realistic demo data for a client, written as the CSV files of formats.md.

The files are then imported through ``clients.services.data_import`` like any upload (see
``clients.services.demo_data_generate``), so the demo exercises the importers. Everything is
written in one streaming pass per kind: a client with a million leads and three million
activities is generated in constant memory.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from agency.months import Month, add_months

# channel: (share of leads, campaigns, share of those leads with a campaign)
CHANNEL_MIX = {
    "paid_search": (0.26, ("Brand search", "Competitor search", "Solution search"), 0.95),
    "organic_search": (0.20, (), 0.0),
    "paid_social": (0.16, ("LinkedIn lead gen", "Retargeting"), 0.9),
    "organic_social": (0.07, (), 0.0),
    "email": (0.12, ("Monthly newsletter", "Nurture track"), 0.85),
    "referral": (0.07, (), 0.0),
    "direct": (0.06, (), 0.0),
    "display": (0.03, ("Programmatic display",), 0.9),
    "events": (0.03, ("Trade show",), 0.8),
}
SOCIAL = {"paid_social": "linkedin", "organic_social": "linkedin"}
VERTICALS = ("saas", "fintech", "retail", "health", "manufacturing", "education")
INTERESTS = ("analytics", "automation", "growth", "security", "compliance", "reporting", "integrations")
CHALLENGES = ("attribution", "lead quality", "pipeline visibility", "churn", "reporting time", "budget")
PAGES = ("/", "/pricing", "/demo", "/ebook", "/webinar", "/blog/attribution", "/case-studies")
DEVICES = (("desktop", 0.62), ("mobile", 0.32), ("tablet", 0.06))
NURTURE_ACTIONS = ("content_download", "webinar_signup", "pricing_view", "email_click", "form_submission", "other")
SALES_READY = ("demo_request", "contact_request", "event_signup")

PERSONAS = [
    {"code": "cfo", "name": "Finance lead", "match": {"all": [{"field": "vertical", "op": "eq", "value": "fintech"}]}},
    {"code": "ops", "name": "Operations lead",
     "match": {"all": [{"field": "employees", "op": "gte", "value": 500}]}},
    {"code": "founder", "name": "Founder", "match": {"all": [{"field": "employees", "op": "lt", "value": 50}]}},
]
CRITERIA = {
    "fit": {"all": [
        {"field": "employees", "op": "between", "value": [20, 5000]},
        {"any": [{"field": "vertical", "op": "in", "value": ["saas", "fintech", "health"]},
                 {"field": "company_revenue", "op": "gte", "value": 5000000}]},
    ]},
    "threshold": 40,
    "points": [
        {"action": "content_download", "points": 10},
        {"action": "webinar_signup", "points": 20},
        {"action": "pricing_view", "points": 15},
        {"field": "employees", "op": "gte", "value": 200, "points": 15},
    ],
    "sales_ready_actions": ["event_signup", "demo_request", "contact_request"],
}

# A Spanish-speaking client's demo (Globex, Umbrella) reads as its own CRM and platforms would: its buyer
# personas, its campaigns' descriptive names, its leads' verticals (the contract segments), interests and
# challenges in Spanish. Brands and the trade's loanwords stay (LinkedIn, Retargeting, SaaS, fintech). The
# random draws are the same in either language: only the words written change.
SPANISH = {
    # buyer personas
    "Finance lead": "Responsable de finanzas", "Operations lead": "Responsable de operaciones", "Founder": "Fundador",
    # campaigns
    "Brand search": "Búsqueda de marca", "Competitor search": "Búsqueda de competidores",
    "Solution search": "Búsqueda de soluciones", "LinkedIn lead gen": "Captación de leads en LinkedIn",
    "Monthly newsletter": "Boletín mensual", "Nurture track": "Nutrición de leads",
    "Programmatic display": "Display programático", "Trade show": "Feria comercial",
    # verticals
    "retail": "comercio", "health": "salud", "manufacturing": "industria", "education": "educación",
    # interests
    "analytics": "analítica", "automation": "automatización", "growth": "crecimiento", "security": "seguridad",
    "compliance": "cumplimiento normativo", "reporting": "informes", "integrations": "integraciones",
    # challenges
    "attribution": "atribución", "lead quality": "calidad de los leads", "pipeline visibility": "visibilidad del pipeline",
    "churn": "bajas de clientes", "reporting time": "tiempo dedicado a informes", "budget": "presupuesto",
    # the note of the demo's criteria version (its versions page)
    "Demo data": "Datos de demostración",
}


def demo_word(text: str, language: str) -> str:
    """``text`` as a client speaking ``language`` ("es", "es-mx") writes it: SPANISH's word, else as is."""
    return SPANISH.get(text, text) if language.split("-")[0] == "es" else text


def demo_personas(language: str = "") -> list[dict]:
    """The demo's buyer personas, named in the client's language (the same codes and rules)."""
    return [{**persona, "name": demo_word(persona["name"], language)} for persona in PERSONAS]


def demo_criteria(language: str = "") -> dict:
    """The demo's qualification criteria over the verticals as the client's leads name them."""
    fit_vertical = CRITERIA["fit"]["all"][1]["any"][0]
    vertical = {**fit_vertical, "value": [demo_word(value, language) for value in fit_vertical["value"]]}
    fit = {"all": [CRITERIA["fit"]["all"][0], {"any": [vertical, CRITERIA["fit"]["all"][1]["any"][1]]}]}
    return {**CRITERIA, "fit": fit}


@dataclass
class DemoFiles:
    directory: Path
    counts: dict[str, int]

    def path(self, kind: str) -> Path:
        return self.directory / f"{kind}.csv"


def month_list(end: dt.date, months: int) -> list[dt.date]:
    """The first days of ``months`` months ending with ``end``'s month, oldest first."""
    last = Month.of(end)
    return [month.first_day for month in Month.range(last - (months - 1), last)]


def _campaigns(marker: str, language: str = "") -> Iterator[tuple[str, str, str, bool]]:
    """(code, name as written, channel, nurture): the nurture track is marked nurture in any language."""
    suffix = f" {marker}" if marker else ""
    for channel, (_share, names, _with) in CHANNEL_MIX.items():
        for index, name in enumerate(names):
            yield (f"{channel.replace('_', '-')}-{index + 1}", f"{demo_word(name, language)}{suffix}", channel,
                   "Nurture" in name)


def _fmt(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S")


def _share_gone(first: dt.date, now: dt.datetime) -> float:
    """The share of ``first``'s month gone by ``now`` (naive wall-clock time): 1 for a month over."""
    span = Month.of(first)
    if now.date() > span.last_day:
        return 1.0
    start = dt.datetime.combine(first, dt.time())
    return max(min((now - start) / dt.timedelta(days=span.last_day.day), 1.0), 0.0)


def write_demo_files(
    directory: Path, *, months: int, leads_per_month: int, seed: int, marker: str, end: dt.date, now: dt.datetime,
    language: str = "",
) -> DemoFiles:
    """Write every kind's CSV (and personas.json, criteria.json) for the given window.

    ``now`` is the client's wall-clock time (naive): nothing is dated after it. Timestamps are
    written without an offset, so the importer reads them in the client's time zone. ``language``:
    the client's; a Spanish one's words are written in Spanish (SPANISH).
    """

    def say(text: str) -> str:
        return demo_word(text, language)

    rng = random.Random(seed)
    directory.mkdir(parents=True, exist_ok=True)
    counts = dict.fromkeys(("campaigns", "spend", "leads", "activities", "traffic", "email", "contracts"), 0)
    firsts = month_list(end, months)
    window_start = firsts[0]
    campaigns = list(_campaigns(marker, language))
    by_channel: dict[str, list[str]] = {}
    for code, _name, channel, _nurture in campaigns:
        by_channel.setdefault(channel, []).append(code)
    (directory / "personas.json").write_text(json.dumps(demo_personas(language), indent=2, ensure_ascii=False),
                                             encoding="utf-8")
    (directory / "criteria.json").write_text(json.dumps(demo_criteria(language), indent=2, ensure_ascii=False),
                                             encoding="utf-8")

    def writer(kind: str, header: list[str]):
        handle = (directory / f"{kind}.csv").open("w", newline="", encoding="utf-8")
        handles.append(handle)
        out = csv.writer(handle)
        out.writerow(header)
        return out

    handles: list = []
    try:
        w_campaigns = writer("campaigns", ["id", "name", "channel", "direction", "nurture", "social_network", "start_date",
                                           "end_date"])
        for code, name, channel, nurture in campaigns:
            w_campaigns.writerow([code, name, channel, "outbound" if channel == "events" else "inbound",
                                  "true" if nurture else "false", SOCIAL.get(channel, ""),
                                  window_start.isoformat(), ""])
            counts["campaigns"] += 1
        w_spend = writer("spend", ["id", "date", "category", "amount", "campaign", "note"])
        w_leads = writer("leads", ["id", "created_at", "email", "channel", "campaign", "device", "landing_page", "origin",
                                   "company_revenue", "employees", "vertical", "age", "gender", "income", "interests",
                                   "challenge", "first_contacted_at", "sql_at", "sal_at", "opportunity_at",
                                   "customer_at", "lost_at", "unsubscribed_at", "deal_value"])
        w_acts = writer("activities", ["id", "lead", "occurred_at", "action", "detail"])
        w_traffic = writer("traffic", ["date", "channel", "device", "sessions", "bounced_sessions", "pageviews",
                                       "form_submissions", "landing_page", "social_network"])
        w_email = writer("email", ["date", "campaign", "sent", "delivered", "unique_opens", "unique_clicks",
                                   "unsubscribes"])
        w_contracts = writer("contracts", ["id", "account", "kind", "start_date", "segment", "term_months", "monthly_fee",
                                           "project_fee", "end_date", "cancelled_on", "renewal_of"])
        channels = list(CHANNEL_MIX)
        weights = [CHANNEL_MIX[channel][0] for channel in channels]
        lead_seq = activity_seq = contract_seq = 0
        today = now.date()
        for month_index, first in enumerate(firsts):
            days = Month.of(first).last_day.day
            growth = 1 + 0.03 * month_index  # a business that grows a little every month
            leads_this_month = max(1, round(leads_per_month * growth * rng.uniform(0.9, 1.1)))
            ym = str(Month.of(first))
            # The month in progress has spent only its share so far: a whole month's spend on its first
            # day read, 6 days into December, as "on pace for" five times the month's budget.
            so_far = _share_gone(first, now)
            # spend: media per campaign, and the other categories for the month
            for code, _name, channel, _nurture in campaigns:
                amount = rng.uniform(800, 4000) * (1.5 if channel == "paid_search" else 1) * growth * so_far
                w_spend.writerow([f"sp-{ym}-{code}", first.isoformat(), "media", f"{amount:.2f}", code, ""])
            for category, base in (("marketing", 6000), ("nurture", 1500), ("sales", 12000)):
                amount = base * rng.uniform(0.9, 1.1) * so_far
                w_spend.writerow([f"sp-{ym}-{category}", first.isoformat(), category, f"{amount:.2f}",
                                  "", f"{category} team {ym}"])
            counts["spend"] += len(campaigns) + 3
            # traffic and email, per day
            for date in Month.of(first).days():
                if date > today:
                    break
                weekday = date.weekday() < 5
                for channel in channels:
                    share = CHANNEL_MIX[channel][0]
                    for device, device_share in DEVICES:
                        sessions = int(leads_this_month / days * 40 * share * device_share * (1.2 if weekday else 0.6)
                                       * rng.uniform(0.7, 1.3))
                        if sessions == 0:
                            continue
                        bounced = int(sessions * rng.uniform(0.3, 0.6))
                        w_traffic.writerow([date.isoformat(), channel, device, sessions, bounced,
                                            int(sessions * rng.uniform(1.5, 3.5)),
                                            int(sessions * rng.uniform(0.01, 0.04)), "", SOCIAL.get(channel, "")])
                        counts["traffic"] += 1
                if date.weekday() == 1:  # email goes out on Tuesdays
                    for code in by_channel.get("email", []):
                        sent = int(rng.uniform(2000, 6000) * growth)
                        delivered = int(sent * rng.uniform(0.95, 0.99))
                        opens = int(delivered * rng.uniform(0.2, 0.4))
                        clicks = int(opens * rng.uniform(0.05, 0.2))
                        w_email.writerow([date.isoformat(), code, sent, delivered, opens, clicks,
                                          int(delivered * rng.uniform(0.001, 0.004))])
                        counts["email"] += 1
            # leads, their activities and the contracts of the customers among them
            for _ in range(leads_this_month):
                lead_seq += 1
                lead_id = f"L{lead_seq:07d}"
                day = rng.randint(1, days)
                # Naive on purpose: wall-clock time in the client's zone, written without an offset.
                created = dt.datetime(first.year, first.month, day,  # noqa: DTZ001
                                      rng.choice((8, 9, 10, 11, 12, 14, 15, 16, 17, 19, 21)),
                                      rng.randint(0, 59), rng.randint(0, 59))
                if created >= now:
                    continue
                channel = rng.choices(channels, weights)[0]
                _share, _names, with_campaign = CHANNEL_MIX[channel]
                campaign = rng.choice(by_channel[channel]) if channel in by_channel and rng.random() < with_campaign else ""
                employees = int(rng.lognormvariate(4.5, 1.3)) + 1
                revenue = employees * rng.randint(60_000, 250_000)
                vertical = rng.choice(VERTICALS)
                fit = 20 <= employees <= 5000 and (vertical in {"saas", "fintech", "health"} or revenue >= 5_000_000)
                horizon = now

                def later(start: dt.datetime, low: float, high: float, horizon: dt.datetime = horizon) -> dt.datetime | None:
                    moment = start + dt.timedelta(hours=rng.uniform(low, high))
                    return moment if moment < horizon else None

                first_contacted = later(created, 1, 72) if rng.random() < 0.7 else None
                sql = sal = opportunity = customer = lost = None
                if fit and rng.random() < 0.35:
                    sql = later(created, 48, 24 * 25)
                if sql and rng.random() < 0.85:
                    sal = later(sql, 2, 72)
                if sal and rng.random() < 0.6:
                    opportunity = later(sal, 24, 24 * 14)
                if opportunity:
                    if rng.random() < 0.4:
                        customer = later(opportunity, 24 * 5, 24 * 45)
                    elif rng.random() < 0.5:
                        lost = later(opportunity, 24 * 5, 24 * 45)
                deal_value = round(rng.uniform(6000, 60000), 2) if customer else None
                unsubscribed = later(created, 24, 24 * 90) if rng.random() < 0.03 else None
                challenge = say(rng.choice(CHALLENGES))
                if lead_seq == 1 and marker:
                    challenge = f"{challenge} {marker}"
                w_leads.writerow([
                    lead_id, _fmt(created), f"{lead_id.lower()}@{vertical}.example", channel, campaign,
                    rng.choices([d for d, _s in DEVICES], [s for _d, s in DEVICES])[0], rng.choice(PAGES),
                    "sales" if rng.random() < 0.08 else "marketing", revenue, employees, say(vertical),
                    rng.randint(24, 64), rng.choice(("f", "m", "")), rng.randint(25, 200) * 1000,
                    ";".join(map(say, rng.sample(INTERESTS, rng.randint(0, 3)))), challenge,
                    *(_fmt(moment) if moment else "" for moment in (first_contacted, sql, sal, opportunity, customer,
                                                                     lost, unsubscribed)),
                    f"{deal_value:.2f}" if deal_value else "",
                ])
                counts["leads"] += 1
                # activities: nurturing actions, and a sales-ready one before a lead becomes an SQL
                for index in range(rng.choices((0, 1, 2, 3, 4, 5, 6), (8, 14, 20, 20, 16, 12, 10))[0]):
                    moment = later(created, 0.1, 24 * 30)
                    if moment is None:
                        continue
                    activity_seq += 1
                    detail = rng.choice(PAGES)
                    if activity_seq == 1 and marker:
                        detail = f"{detail} {marker}"
                    w_acts.writerow([f"A{activity_seq:08d}", lead_id, _fmt(moment), rng.choice(NURTURE_ACTIONS), detail])
                    counts["activities"] += 1
                    if index == 0 and sql is not None:
                        activity_seq += 1
                        before = sql - dt.timedelta(hours=rng.uniform(1, 24))
                        w_acts.writerow([f"A{activity_seq:08d}", lead_id, _fmt(max(before, created)),
                                         rng.choice(SALES_READY), ""])
                        counts["activities"] += 1
                if customer is not None:
                    contract_seq, written = _contracts(w_contracts, rng, contract_seq, lead_id, customer.date(),
                                                       deal_value or 0, say(vertical), today)
                    counts["contracts"] += written
    finally:
        for handle in handles:
            handle.close()
    return DemoFiles(directory=directory, counts=counts)


def _contracts(out, rng: random.Random, seq: int, lead_id: str, start: dt.date, deal: float, segment: str,
               today: dt.date) -> tuple[int, int]:
    """A customer's contract, with renewals while their terms have ended, or an early cancellation."""
    written = 0
    account = f"acct-{lead_id}"
    if rng.random() < 0.3:
        seq += 1
        end = start + dt.timedelta(days=rng.randint(30, 150))
        out.writerow([f"K{seq:07d}", account, "project", start.isoformat(), segment, "", "", f"{deal:.2f}",
                      end.isoformat(), "", ""])
        return seq, 1
    previous = ""
    term = rng.choice((6, 12, 12, 24))
    fee = round(deal / term, 2)
    while True:
        seq += 1
        contract_id = f"K{seq:07d}"
        end = add_months(start, term) - dt.timedelta(days=1)
        cancelled = ""
        if rng.random() < 0.1:  # cancelled early
            cancel = start + dt.timedelta(days=rng.randint(0, max((end - start).days - 1, 0)))
            cancelled = cancel.isoformat() if cancel <= today else ""
        out.writerow([contract_id, account, "retainer", start.isoformat(), segment, term, f"{fee:.2f}", "", "",
                      cancelled, previous])
        written += 1
        start = end + dt.timedelta(days=1)
        if cancelled or start > today or rng.random() > 0.65:
            return seq, written
        previous = contract_id
        fee = round(fee * rng.uniform(1.0, 1.1), 2)
