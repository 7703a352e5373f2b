"""Reference rates (ECB file, 7-day rule, through the euro) and the import_source / import_rates commands."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from agency.models import ExchangeRate
from clients.models import Spend, TrafficRow
from clients.sources import RateBook, rates_import
from clients.sources.numbers import ValueProblem

D = Decimal


def test_ecb_file_loads_and_reloading_changes_nothing(db, fixture_path):
    first = rates_import(path=fixture_path("eurofxref-hist.csv"))
    assert first.ok and (first.rows, first.inserted, first.updated) == (19, 19, 0)  # N/A cells are no rate
    assert first.currencies == ["CYP", "GBP", "JPY", "MXN", "USD"]
    assert ExchangeRate.objects.get(currency="USD", date=dt.date(2026, 3, 3)).per_euro == D("1.08")
    assert not ExchangeRate.objects.filter(currency="MXN", date=dt.date(2026, 3, 4)).exists()
    again = rates_import(path=fixture_path("eurofxref-hist.csv"))
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 19)
    assert ExchangeRate.objects.count() == 19


def test_a_corrected_rate_is_updated(db, fixture_path, write_file):
    rates_import(path=fixture_path("eurofxref-hist.csv"))
    result = rates_import(path=write_file("Date,USD,\n2026-03-03,1.0811,\n"))
    assert (result.inserted, result.updated) == (0, 1)
    assert ExchangeRate.objects.get(currency="USD", date=dt.date(2026, 3, 3)).per_euro == D("1.0811")


@pytest.mark.parametrize(("text", "error"), [
    ("Day,USD,\n", "line 1, column Day, value 'Day': not an ECB reference rate file: the first column must be Date"),
    ("Date,USD,\n2026-13-01,1.1,\n", "line 2, column Date, value '2026-13-01': not a date in the form YYYY-MM-DD"),
    ("Date,USD,\n2026-03-01,-1.1,\n", "line 2, column USD, value '-1.1': not a positive number"),
    ("Date,USD,\n2026-03-01,abc,\n", "line 2, column USD, value 'abc': not a positive number"),
    ("Date,XXY,\n2026-03-01,1.1,\n", "line 1, column XXY, value 'XXY': unknown currency “XXY”"),
])
def test_bad_rate_files_write_nothing(db, write_file, text, error):
    result = rates_import(path=write_file(text))
    assert [str(e) for e in result.errors] == [error]
    assert not ExchangeRate.objects.exists()


def test_conversion_rules(ecb_rates):
    book = RateBook()
    # Into euros: ÷ the rate; out of euros: × the rate; between two others through the euro.
    assert book.convert(D(108), "USD", "EUR", dt.date(2026, 3, 3)).amount == D(100)
    assert book.convert(D(100), "EUR", "JPY", dt.date(2026, 3, 3)).amount == D(16000)
    usd_mxn = book.convert(D(108), "USD", "MXN", dt.date(2026, 3, 3))
    assert usd_mxn.amount == D(2000) and usd_mxn.rate_date == dt.date(2026, 3, 3)
    # 7-day rule: a Sunday uses Friday's rate; 2026-03-04 has no MXN rate, so 03-03's.
    assert book.convert(D(107), "USD", "EUR", dt.date(2026, 3, 1)).rate_date == dt.date(2026, 2, 27)
    assert book.convert(D(1), "EUR", "MXN", dt.date(2026, 3, 4)).rate_date == dt.date(2026, 3, 3)
    assert book.convert(D(1), "EUR", "USD", dt.date(2026, 3, 6)).rate_date == dt.date(2026, 3, 4)
    assert book.convert(D(1), "EUR", "USD", dt.date(2026, 3, 11)).rate_date == dt.date(2026, 3, 4)  # 7 days: still
    with pytest.raises(ValueProblem, match="no EUR→USD rate on or before 2026-03-12"):
        book.convert(D(1), "EUR", "USD", dt.date(2026, 3, 12))
    with pytest.raises(ValueProblem, match="no USD→EUR rate on or before 2026-01-01"):
        book.convert(D(1), "USD", "EUR", dt.date(2026, 1, 1))  # before the first rate
    assert book.convert(D("1.5"), "EUR", "EUR", dt.date(2000, 1, 1)).amount == D("1.5")


def test_amounts_are_not_rounded(ecb_rates):
    conversion = RateBook().convert(D(100), "USD", "EUR", dt.date(2026, 3, 2))
    assert str(conversion.amount).startswith("91.7431192660550458715596330275")  # 34 significant digits


def test_import_rates_command(db, fixture_path, capsys):
    call_command("import_rates", str(fixture_path("eurofxref-hist.csv")))
    assert "19 inserted, 0 updated, 0 unchanged" in capsys.readouterr().out
    call_command("import_rates", str(fixture_path("eurofxref-hist.csv")))
    assert "0 inserted, 0 updated, 19 unchanged" in capsys.readouterr().out


def test_import_source_command(tenant_a, fixture_path, capsys):
    call_command("import_source", "alpha", str(fixture_path("google_ads_es_utf16.csv")))
    out = capsys.readouterr().out
    assert "source: Google Ads campaign report (Spanish); spend; 3 rows; 2 days, 2026-03-01 … 2026-03-02" in out
    assert "campaigns created: 333, 444" in out and "spend: 3 inserted, 0 updated, 0 unchanged" in out


def test_import_source_command_with_a_named_source_and_a_mapping_file(in_tenant_a, fixture_path, tmp_path, capsys):
    call_command("import_source", "alpha", str(fixture_path("ga4_traffic.csv")), "--source", "ga4_traffic")
    assert "left out: 1 (device: smart tv)" in capsys.readouterr().out
    mapping = tmp_path / "sheet.json"
    mapping.write_text('{"kind": "traffic", "name": "sheet", "decimal": ",", "date_format": "%d/%m/%Y",'
                       ' "columns": {"date": {"column": "Fecha"}, "sessions": {"column": "Visitas"},'
                       ' "channel": {"column": "Fuente", "values": {"Google / CPC": "paid_search"}, "other": "other"},'
                       ' "device": {"value": "desktop"}}}', encoding="utf-8")
    data = tmp_path / "sheet.csv"
    data.write_text("Fecha;Visitas;Fuente\n05/03/2026;1.200;google / cpc\n05/03/2026;7;boletín\n", encoding="utf-8")
    call_command("import_source", "alpha", str(data), "--mapping", str(mapping))
    assert "source: sheet; traffic; 2 rows; 1 days" in capsys.readouterr().out
    day = dt.date(2026, 3, 5)
    assert sorted(TrafficRow.objects.filter(date=day).values_list("channel", "device", "sessions")) == [
        ("other", "desktop", 7), ("paid_search", "desktop", 1200)]


def test_import_source_command_fails_with_every_bad_line(in_tenant_a, write_file, capsys):
    path = write_file("Day,Campaign,Cost\n2026-03-01,A,x\n2026-03-02,A,y\n")
    with pytest.raises(CommandError, match="nothing written: 2 error"):
        call_command("import_source", "alpha", str(path))
    err = capsys.readouterr().err
    assert "line 2, column Cost, value 'x'" in err and "line 3, column Cost, value 'y'" in err
    assert not Spend.objects.exists()
