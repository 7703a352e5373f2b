"""The built-in sources of sources.md, each a declaration: its columns (English and Spanish
header aliases), value tables, target kind and fixed values. A new source is a few lines here.

Where each layout comes from is in ``layout`` (and docs/sources.md); the Spanish aliases
follow the platforms' Spanish interfaces where sources.md does not give them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from clients.sources.mapping import DEFAULT_TIME_FORMAT, Mapping, Rule
from clients.sources.reading import normalized

# The language a platform's export is written in, in brackets after its name mid-sentence ("Google Ads campaign
# report (English)", "… de Google Ads (inglés)": Spanish writes a language lower-case there, unlike the menu's "Español").
LANGUAGES = {"en": pgettext_lazy("language of a file", "English"), "es": pgettext_lazy("language of a file", "Spanish")}
DECIMALS = {"en": ".", "es": ","}
CURRENCY_PLACEHOLDER = "{currency}"
ANY_PLACEHOLDER = "{any}"  # any text: "Session primary channel group ({any})" names the client's own group


@dataclass(frozen=True)
class Col:
    """One column of a source: the canonical target and its header in each language.

    ``target`` starting with ``_`` is a helper column (read by another's ``minus``), not a target.
    """

    target: str
    en: tuple[str, ...]
    es: tuple[str, ...] = ()
    required: bool = True
    daily: bool = False  # the day column: without it the file is refused, naming the segment to add
    values: dict[str, str] = field(default_factory=dict)
    other: str | None = None
    minus: str = ""  # the target of a helper column subtracted from this one
    lower: bool = False
    fallback: str = ""  # the target of a helper column read when this one's cell is empty
    only_with: str = ""  # kept only on rows where this other target has a value (deal amounts of customers)
    plus: str = ""  # the target of a helper column added to this one
    when: str = ""  # the target of a helper column that must contain one of ``when_any`` for the value to count
    when_any: tuple[str, ...] = ()

    def aliases(self, language: str) -> tuple[str, ...]:
        return self.en if language == "en" else self.es


@dataclass(frozen=True)
class Match:
    source: Source
    language: str
    found: dict[str, str]  # target -> the header text in the file
    currency: str  # taken from a header such as "Amount spent (USD)"
    missing_daily: bool
    missing: tuple[Col, ...] = ()  # required columns the header lacks (a renamed column): the match is loose

    @property
    def score(self) -> int:
        return len(self.found)

    @property
    def complete(self) -> bool:
        return not self.missing


@dataclass(frozen=True)
class Source:
    slug: str
    label: Promise | str
    kind: str
    columns: tuple[Col, ...]
    date_format: str = "%Y-%m-%d"
    time_format: str = DEFAULT_TIME_FORMAT
    fixed: dict[str, str] = field(default_factory=dict)  # target -> value (spend category)
    channel: str = ""
    social_network: str = ""
    keep: dict[str, tuple[str, ...]] = field(default_factory=dict)
    total_if_empty: str = ""
    segment: Promise | str = ""  # what to add to the report when the daily column is missing
    layout: str = ""  # where the layout comes from
    # Optional columns a KPI needs: when the file lacks one, the preview and the summary say what that leaves empty.
    needed: dict[str, Promise | str] = field(default_factory=dict)

    def _matcher(self, alias: str) -> Any:
        if CURRENCY_PLACEHOLDER in alias:
            before, after = normalized(alias).split(CURRENCY_PLACEHOLDER)
            return re.compile("^" + re.escape(before) + r"([a-z]{3})" + re.escape(after) + "$")
        if ANY_PLACEHOLDER in alias:
            before, after = normalized(alias).split(ANY_PLACEHOLDER)
            return re.compile("^" + re.escape(before) + r"()[^()]+" + re.escape(after) + "$")
        return normalized(alias)

    def aliases(self, target: str) -> list[str]:
        """Every known header of a target, English then Spanish (what the preview names when it is missing)."""
        names: list[str] = []
        for column in self.columns:
            if column.target == target:
                names += [name for name in (*column.en, *column.es) if name not in names]
        return names

    def fed_by(self, helper: str) -> list[str]:
        """The targets a helper column (``_engaged``) is read for."""
        return [column.target for column in self.columns if helper in (column.minus, column.fallback)]

    def match(self, header: list[str]) -> Match | None:
        """How well a header line fits this source, in its best language; None when it does not.

        A header lacking a required column still fits, loosely (``Match.missing``), when it has
        at least two of the source's required columns and at least half of them (a column the
        platform renamed: sources.md "Names change"); a complete match is preferred.
        """
        cells = [(normalized(cell), cell) for cell in header]
        best: Match | None = None
        for language in LANGUAGES:
            found: dict[str, str] = {}
            currency = ""
            missing_daily = False
            missing: list[Col] = []
            for column in self.columns:
                hit = None
                for alias in column.aliases(language):
                    matcher = self._matcher(alias)
                    for norm, original in cells:
                        if isinstance(matcher, str):
                            if norm == matcher:
                                hit = original
                        elif (result := matcher.match(norm)) is not None:
                            hit, currency = original, (result.group(1).upper() or currency)
                        if hit:
                            break
                    if hit:
                        break
                if hit:
                    found[column.target] = hit
                elif column.daily:
                    missing_daily = True
                elif column.required:
                    missing.append(column)
            required = [column for column in self.columns if column.required]
            present = len(required) - len(missing) - missing_daily
            if missing and (present < 2 or present * 2 < len(required)):
                continue
            match = Match(self, language, found, currency, missing_daily, tuple(missing))
            if best is None or (match.complete, match.score) > (best.complete, best.score):
                best = match
        return best

    def daily_column(self, language: str) -> str:
        for column in self.columns:
            if column.daily:
                return (column.aliases(language) or column.en)[0]
        return ""

    def mapping(self, match: Match) -> Mapping:
        """The Mapping this source runs for a matched header."""
        columns: dict[str, Rule] = {}
        for column in self.columns:
            fallback = match.found.get(column.fallback, "") if column.fallback else ""
            found = match.found.get(column.target) or fallback or None
            plus = match.found.get(column.plus, "") if column.plus else ""
            if found is None and plus:  # only the added column is in the file (LinkedIn's Leads without Conversions)
                found, plus = plus, ""
            if column.target.startswith("_") or found is None:
                continue
            if column.minus and column.minus not in match.found:
                continue  # bounced sessions without engaged sessions would be every session
            if column.only_with and column.only_with not in match.found:
                continue  # deal amounts without customer dates: nothing tells which are revenue
            columns[column.target] = Rule(
                column=found, values=dict(column.values), other=column.other,
                minus=match.found.get(column.minus, "") if column.minus else "", lower=column.lower,
                fallback=fallback if fallback != found else "", only_with=column.only_with, plus=plus,
                when=match.found.get(column.when, "") if column.when else "", when_any=column.when_any,
            )
        for target, value in self.fixed.items():
            columns[target] = Rule(value=value)
        return Mapping(
            kind=self.kind, columns=columns, name=self.slug, date_format=self.date_format,
            time_format=self.time_format, decimal=DECIMALS[match.language], channel=self.channel,
            social_network=self.social_network, currency=match.currency, keep=dict(self.keep),
            total_if_empty=self.total_if_empty,
        )


GA4_CHANNELS = {
    "organic search": "organic_search", "organic shopping": "organic_search",
    "paid search": "paid_search", "paid shopping": "paid_search",
    "organic social": "organic_social", "organic video": "organic_social",
    "paid social": "paid_social", "paid video": "paid_social",
    "email": "email", "referral": "referral", "affiliates": "referral", "direct": "direct", "display": "display",
    "unassigned": "other", "cross-network": "other", "sms": "other", "audio": "other",
    "mobile push notifications": "other", "(other)": "other", "(not set)": "other",
    # The Spanish interface's names of the same groups.
    "búsqueda orgánica": "organic_search", "shopping orgánico": "organic_search",
    "búsqueda de pago": "paid_search", "búsqueda pagada": "paid_search", "shopping de pago": "paid_search",
    "social orgánico": "organic_social", "redes sociales orgánicas": "organic_social", "vídeo orgánico": "organic_social",
    "social de pago": "paid_social", "redes sociales de pago": "paid_social", "vídeo de pago": "paid_social",
    "correo electrónico": "email", "referencia": "referral", "referencias": "referral", "afiliados": "referral",
    "directo": "direct", "sin asignar": "other", "entre redes": "other", "multired": "other",
    "notificaciones push móviles": "other", "notificaciones push para móviles": "other", "(otros)": "other",
}
"""GA4's channel groups (default and primary, English and Spanish) -> channel; unknown ones go to ``other``
and are counted on the preview (importable: the GA4 connector reads its rows with the same table)."""

HUBSPOT_SOURCES = {
    "organic search": "organic_search", "paid search": "paid_search", "email marketing": "email",
    "organic social": "organic_social", "social media": "organic_social", "paid social": "paid_social",
    "referrals": "referral", "ai referrals": "referral", "direct traffic": "direct", "offline sources": "offline",
    "other campaigns": "other",
    "búsqueda orgánica": "organic_search", "búsqueda de pago": "paid_search", "búsqueda pagada": "paid_search",
    "marketing por correo electrónico": "email", "redes sociales orgánicas": "organic_social",
    "redes sociales": "organic_social", "redes sociales de pago": "paid_social", "redes sociales pagadas": "paid_social",
    "referencias": "referral", "referencias de ia": "referral", "tráfico directo": "direct",
    "fuentes sin conexión": "offline", "fuentes offline": "offline", "otras campañas": "other",
}
"""HubSpot's original (traffic) source values, English and Spanish -> channel; unknown ones go to ``other``
and are counted on the preview (importable: the HubSpot connector reads its rows with the same table)."""

DEVICES = {"ordenador": "desktop", "escritorio": "desktop", "computadora": "desktop", "móvil": "mobile",
           "tableta": "tablet"}

SOURCES: dict[str, Source] = {source.slug: source for source in (
    Source(
        "google_ads", _("Google Ads campaign report"), "spend",
        (
            Col("date", ("Day",), ("Día",), daily=True),
            Col("campaign_id", ("Campaign ID",), ("ID de campaña", "ID de la campaña"), required=False),
            Col("campaign_name", ("Campaign",), ("Campaña",)),
            Col("amount", ("Cost",), ("Coste", "Costo")),
            Col("currency", ("Currency code", "Currency"), ("Código de moneda", "Moneda"), required=False),
            Col("impressions", ("Impr.", "Impressions"), ("Impr.", "Impresiones"), required=False),
            Col("clicks", ("Clicks",), ("Clics",), required=False),
            Col("conversions", ("Conversions",), ("Conversiones",), required=False),
            Col("conversion_value", ("Conv. value", "Conversion value"), ("Valor de conv.", "Valor de conversión"),
                required=False),
        ),
        fixed={"category": "media", "platform": "google_ads"}, channel="paid_search",
        segment=_("the Day segment (Segments › Time › Day)"),
        layout="Google Ads UI campaign report CSV: title line, date-range line, header, Total rows (export-formats.md)",
    ),
    Source(
        "meta_ads", _("Meta Ads Manager export"), "spend",
        (
            Col("date", ("Day",), ("Día",), daily=True),
            Col("campaign_id", ("Campaign ID",), ("Identificador de la campaña", "ID de la campaña"), required=False),
            Col("campaign_name", ("Campaign name",), ("Nombre de la campaña",)),
            Col("amount", ("Amount spent ({currency})",), ("Importe gastado ({currency})",)),
            Col("impressions", ("Impressions",), ("Impresiones",), required=False),
            Col("clicks", ("Link clicks",), ("Clics en el enlace",), required=False),
            Col("conversions", ("Results",), ("Resultados",), required=False, when="_indicator",
                when_any=("lead", "conversion", "purchase", "cliente potencial", "conversión", "compra")),
            Col("_indicator", ("Result indicator",), ("Indicador de resultado",), required=False),
            Col("conversion_value", ("Purchases conversion value",), ("Valor de conversión de compras",),
                required=False),
        ),
        fixed={"category": "media", "platform": "meta_ads"}, channel="paid_social", social_network="facebook",
        total_if_empty="campaign_name",
        segment=_("the Day breakdown (Breakdown › By time › Day)"),
        layout="Meta Ads Manager export: Reporting starts/ends, Campaign name, Day, Amount spent (CUR); first row the "
               "account total with an empty name (export-formats.md)",
    ),
    Source(
        "linkedin_ads", _("LinkedIn Campaign Manager report"), "spend",
        (
            Col("date", ("Start Date (in UTC)",), ("Fecha de inicio (en UTC)",), daily=True),
            Col("campaign_id", ("Campaign ID",), ("ID de la campaña",), required=False),
            Col("campaign_name", ("Campaign Name",), ("Nombre de la campaña",)),
            Col("amount", ("Total Spent",), ("Total gastado", "Importe total gastado")),
            Col("currency", ("Currency",), ("Divisa", "Moneda"), required=False),
            Col("impressions", ("Impressions",), ("Impresiones",), required=False),
            Col("clicks", ("Clicks",), ("Clics",), required=False),
            Col("conversions", ("Conversions",), ("Conversiones",), required=False, plus="_leads"),
            Col("_leads", ("Leads",), ("Clientes potenciales",), required=False),
        ),
        date_format="%m/%d/%Y", fixed={"category": "media", "platform": "linkedin_ads"}, channel="paid_social",
        social_network="linkedin",
        segment=_("the daily time breakdown (Time range › Daily)"),
        layout="LinkedIn Campaign Manager campaign performance report: preamble, blank line, header; M/D/YYYY "
               "(export-formats.md)",
    ),
    Source(
        "ga4_traffic", _("GA4 traffic acquisition report"), "traffic",
        (
            Col("date", ("Date",), ("Fecha",), daily=True),
            Col("channel",
                ("Session default channel group", "Session primary channel group (Default channel group)",
                 "Session primary channel group", "Session primary channel group ({any})"),
                ("Grupo de canales predeterminado de la sesión",
                 "Grupo de canales principal de la sesión (Grupo de canales predeterminado)",
                 "Grupo de canales principal de la sesión", "Grupo de canales principal de la sesión ({any})"),
                values=GA4_CHANNELS, other="other"),
            Col("device", ("Device category",), ("Categoría de dispositivo",), required=False, values=DEVICES,
                lower=True),
            Col("sessions", ("Sessions",), ("Sesiones",)),
            Col("_engaged", ("Engaged sessions",), ("Sesiones con interacción",)),
            Col("bounced_sessions", ("Sessions",), ("Sesiones",), minus="_engaged"),
            Col("landing_page", ("Landing page", "Landing page + query string"),
                ("Página de destino", "Página de destino + cadena de consulta"), required=False),
        ),
        date_format="%Y%m%d", keep={"device": ("desktop", "mobile", "tablet")},
        segment=_("the Date dimension"),
        layout="GA4 traffic acquisition CSV: # comment preamble, header, Grand total row (export-formats.md)",
        needed={"device": _("traffic is stored without a device, so the mobile share and the mobile bounce rate of "
                            "these months are left empty, not zero")},
    ),
    Source(
        "mailchimp", _("Mailchimp campaigns report"), "email",
        (
            Col("date", ("Send Date", "Send Time"), ("Fecha de envío", "Hora de envío"), daily=True),
            Col("campaign_name", ("Title", "Campaign Title"), ("Título", "Título de la campaña")),
            Col("sent", ("Total Recipients", "Emails Sent"), ("Destinatarios totales", "Correos enviados")),
            Col("delivered", ("Successful Deliveries",), ("Entregas exitosas", "Entregas correctas"), required=False),
            Col("unique_opens", ("Unique Opens",), ("Aperturas únicas",), required=False),
            Col("unique_clicks", ("Unique Clicks",), ("Clics únicos",), required=False),
            Col("unsubscribes", ("Unsubscribes",), ("Bajas", "Cancelaciones de suscripción"), required=False),
        ),
        date_format="%b %d, %Y %I:%M %p|%b %d, %Y %H:%M|%b %d, %Y|%Y-%m-%d %H:%M:%S|%Y-%m-%d %H:%M|%Y-%m-%d",
        channel="email", segment=_("the Send Date column"),
        needed={"delivered": _("email rows are stored without deliveries, so the deliverability, open, click-through "
                               "and unsubscribe rates of these months are left empty, not zero")},
        layout="Mailchimp campaigns report export: Title, Subject, List, Send Date (Jun 09, 2018 09:30 pm), counts "
               "and rates (export-formats.md)",
    ),
    Source(
        "hubspot_contacts", _("HubSpot contacts export"), "leads",
        (
            Col("id", ("Record ID", "Contact ID"), ("ID de registro", "ID del contacto")),
            Col("created_at", ("Create Date",), ("Fecha de creación",)),
            Col("email", ("Email",), ("Correo", "Correo electrónico")),
            Col("channel", ("Original Traffic Source", "Original Source"),
                ("Fuente de tráfico original", "Fuente original"), required=False, values=HUBSPOT_SOURCES,
                other="other"),
            Col("sql_at", ("Became a Sales Qualified Lead Date",),
                ("Fecha en que se convirtió en lead cualificado para ventas",
                 "Fecha en que se convirtió en lead calificado para ventas"), required=False),
            Col("opportunity_at", ("Became an Opportunity Date",), ("Fecha en que se convirtió en oportunidad",),
                required=False),
            Col("customer_at", ("Became a Customer Date",), ("Fecha en que se convirtió en cliente",), required=False),
            Col("vertical", ("Industry",), ("Sector",), required=False, lower=True),
            Col("employees", ("Number of Employees",), ("Número de empleados",), required=False),
            Col("company_revenue", ("Annual Revenue",), ("Ingresos anuales",), required=False),
            Col("deal_value", ("Recent Deal Amount",), ("Importe del negocio más reciente",), required=False,
                fallback="_total_revenue", only_with="customer_at"),
            Col("_total_revenue", ("Total Revenue",), ("Ingresos totales",), required=False),
        ),
        time_format="%Y-%m-%d %H:%M|%Y-%m-%d %H:%M:%S|%m/%d/%y %H:%M|%m/%d/%Y %H:%M|%Y-%m-%d",
        layout="HubSpot contacts export: every field quoted, Create Date YYYY-MM-DD HH:MM in the account's time zone "
               "(export-formats.md; fivetran/dbt_hubspot seeds)",
        needed={"channel": _("every lead gets no channel, so the breakdown by channel cannot place them"),
                "deal_value": _("customers get no deal value, so the revenue of these months counts them as 0")},
    ),
)}
