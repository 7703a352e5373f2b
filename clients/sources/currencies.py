"""Currencies: the agency's reference rates (ECB) and conversion through the euro.

sources.md "Currencies": rates are units per 1 EUR; a date without a rate uses the latest
earlier rate at most 7 days before; with none, the row is bad. Into euros: amount ÷ the
currency's rate; out of euros: × the target's rate; between two other currencies, through
the euro. Results are not rounded (rounding is for display).
"""

from __future__ import annotations

import bisect
import csv
import datetime as dt
from dataclasses import dataclass, field
from decimal import Context, Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.utils.translation import gettext as _

from agency.models import ExchangeRate
from clients.importing import RowError
from clients.sources.numbers import ValueProblem

MAX_AGE = dt.timedelta(days=7)
PRECISION = Context(prec=34)

# ISO 4217 active codes (and a few the ECB used to publish): an unknown code is a bad row.
ISO_4217 = frozenset({
    "AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT", "BGN", "BHD", "BIF",
    "BMD", "BND", "BOB", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD", "CAD", "CDF", "CHF", "CLP", "CNY", "COP", "CRC",
    "CUP", "CVE", "CYP", "CZK", "DJF", "DKK", "DOP", "DZD", "EEK", "EGP", "ERN", "ETB", "EUR", "FJD", "FKP", "GBP",
    "GEL", "GHS", "GIP", "GMD", "GNF", "GTQ", "GYD", "HKD", "HNL", "HRK", "HTG", "HUF", "IDR", "ILS", "INR", "IQD",
    "IRR", "ISK", "JMD", "JOD", "JPY", "KES", "KGS", "KHR", "KMF", "KPW", "KRW", "KWD", "KYD", "KZT", "LAK", "LBP",
    "LKR", "LRD", "LSL", "LTL", "LVL", "LYD", "MAD", "MDL", "MGA", "MKD", "MMK", "MNT", "MOP", "MRU", "MTL", "MUR",
    "MVR", "MWK", "MXN", "MYR", "MZN", "NAD", "NGN", "NIO", "NOK", "NPR", "NZD", "OMR", "PAB", "PEN", "PGK", "PHP",
    "PKR", "PLN", "PYG", "QAR", "ROL", "RON", "RSD", "RUB", "RWF", "SAR", "SBD", "SCR", "SDG", "SEK", "SGD", "SHP",
    "SIT", "SKK", "SLE", "SLL", "SOS", "SRD", "SSP", "STN", "SVC", "SYP", "SZL", "THB", "TJS", "TMT", "TND", "TOP",
    "TRL", "TRY", "TTD", "TWD", "TZS", "UAH", "UGX", "USD", "UYU", "UZS", "VES", "VND", "VUV", "WST", "XAF", "XCD",
    "XOF", "XPF", "YER", "ZAR", "ZMW", "ZWL",
})


def currency_code(text: str) -> str:
    """An ISO 4217 code, upper-cased; anything else is a bad value."""
    code = text.strip().upper()
    if code not in ISO_4217:
        raise ValueProblem(_("unknown currency “%(code)s” (an ISO 4217 code such as EUR, USD, MXN)") % {"code": text})
    return code


@dataclass(frozen=True)
class Conversion:
    amount: Decimal  # in the target currency, unrounded
    rate: Decimal  # target units per 1 source unit
    rate_date: dt.date | None  # the reference date used (the older of two legs); None for the same currency


@dataclass
class RateBook:
    """The reference rates, read once per currency and kept for one import (read-only)."""

    _dates: dict[str, list[dt.date]] = field(default_factory=dict)
    _rates: dict[str, list[Decimal]] = field(default_factory=dict)
    _locked: bool = False  # after preload(): no more queries (the connection is busy COPYing)

    def preload(self, currencies: set[str]) -> None:
        """Read the rates of ``currencies`` now (no query may run while the importer COPYs rows)."""
        for currency in currencies:
            if currency != "EUR" and currency not in self._dates:
                self._load(currency)
        self._locked = True

    def _load(self, currency: str) -> None:
        rows = list(ExchangeRate.objects.filter(currency=currency).order_by("date").values_list("date", "per_euro"))
        self._dates[currency] = [row[0] for row in rows]
        self._rates[currency] = [row[1] for row in rows]

    def per_euro(self, currency: str, day: dt.date) -> tuple[Decimal, dt.date] | None:
        """The rate of ``day`` or of the latest earlier day at most 7 days before."""
        if currency == "EUR":
            return Decimal(1), day
        if currency not in self._dates:
            if self._locked:
                return None
            self._load(currency)
        dates = self._dates[currency]
        index = bisect.bisect_right(dates, day) - 1
        if index < 0 or day - dates[index] > MAX_AGE:
            return None
        return self._rates[currency][index], dates[index]

    def convert(self, amount: Decimal, source: str, target: str, day: dt.date) -> Conversion:
        if source == target:
            return Conversion(amount, Decimal(1), None)
        source_rate = self.per_euro(source, day)
        target_rate = self.per_euro(target, day)
        if source_rate is None or target_rate is None:
            raise ValueProblem(_("no %(source)s→%(target)s rate on or before %(date)s")
                               % {"source": source, "target": target, "date": day.isoformat()})
        rate = PRECISION.divide(target_rate[0], source_rate[0])
        converted = PRECISION.multiply(PRECISION.divide(amount, source_rate[0]), target_rate[0])
        return Conversion(converted, rate, min(source_rate[1], target_rate[1]))


# --- loading the ECB file -------------------------------------------------------------------

@dataclass
class RatesResult:
    rows: int = 0  # (date, currency) rates in the file
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    currencies: list[str] = field(default_factory=list)
    first: dt.date | None = None
    last: dt.date | None = None
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def rates_import(*, path: str | Path | Any) -> RatesResult:
    """Load ``eurofxref-hist.csv`` into the agency's rates, all or nothing; re-loading changes nothing.

    The file: a ``Date`` column, then one column per currency giving units per 1 EUR, newest
    date first, each line ending with a comma (an empty last column); ``N/A`` = no rate.
    """
    result = RatesResult()
    rows: list[tuple[str, dt.date, Decimal]] = []
    with Path(path).open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = [name.strip() for name in next(reader, [])]
        if not header or header[0] != "Date":
            result.errors.append(RowError(1, header[0] if header else "", header[0] if header else "",
                                          _("not an ECB reference rate file: the first column must be Date")))
            return result
        currencies: list[tuple[int, str]] = []
        for index, name in enumerate(header[1:], start=1):
            if not name:
                continue
            if name not in ISO_4217:
                result.errors.append(RowError(1, name, name, _("unknown currency “%(code)s”") % {"code": name}))
            currencies.append((index, name))
        result.currencies = sorted(name for _index, name in currencies)
        for row in reader:
            line = reader.line_num
            if not row or not any(cell.strip() for cell in row):
                continue
            try:
                day = dt.date.fromisoformat(row[0].strip())
            except ValueError:
                result.errors.append(RowError(line, "Date", row[0], _("not a date in the form YYYY-MM-DD")))
                continue
            result.first = min(result.first or day, day)
            result.last = max(result.last or day, day)
            for index, name in currencies:
                cell = row[index].strip() if index < len(row) else ""
                if not cell or cell.upper() == "N/A":
                    continue
                try:
                    rate = Decimal(cell)
                except InvalidOperation:
                    rate = Decimal(-1)
                if not rate.is_finite() or rate <= 0:
                    result.errors.append(RowError(line, name, cell, _("not a positive number")))
                    continue
                rows.append((name, day, rate))
    result.rows = len(rows)
    if result.errors:
        return result
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE _rates_stage (currency varchar(3), date date, per_euro numeric(20, 8))"
                       " ON COMMIT DROP")
        with cursor.cursor.copy("COPY _rates_stage (currency, date, per_euro) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute(
            "SELECT count(*) FILTER (WHERE r.id IS NULL), count(*) FILTER (WHERE r.id IS NOT NULL AND r.per_euro <> s.per_euro)"
            " FROM _rates_stage s LEFT JOIN public.agency_exchangerate r ON r.currency = s.currency AND r.date = s.date"
        )
        result.inserted, result.updated = cursor.fetchone()
        result.unchanged = result.rows - result.inserted - result.updated
        cursor.execute(
            "INSERT INTO public.agency_exchangerate (currency, date, per_euro)"
            " SELECT DISTINCT ON (currency, date) currency, date, per_euro FROM _rates_stage"
            " ON CONFLICT (currency, date) DO UPDATE SET per_euro = EXCLUDED.per_euro"
            " WHERE agency_exchangerate.per_euro IS DISTINCT FROM EXCLUDED.per_euro"
        )
        cursor.execute("DROP TABLE _rates_stage")
    return result
