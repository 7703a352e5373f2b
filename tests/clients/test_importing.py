"""The import guarantees: all or nothing, idempotent, headers, encodings, time zones, formulas."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from clients.models import Activity, Campaign, Contract, EmailRow, Holiday, Lead, Spend, TrafficRow
from clients.signals import data_imported

UTC = dt.UTC

LEADS = (
    "id,created_at,email,channel,campaign,device,landing_page,persona,origin,company_revenue,employees,vertical,age,"
    "gender,income,interests,challenge,first_contacted_at,sql_at,sal_at,opportunity_at,customer_at,lost_at,"
    "unsubscribed_at,deal_value\n"
    "L1,2026-03-02T10:00:00,ann@example.com,email,spring,desktop,/pricing,cfo,marketing,5000000,250,saas,41,f,90000,"
    "analytics; growth ;,churn,2026-03-02T11:00:00,2026-03-05T09:00:00,2026-03-06T09:00:00,2026-03-10T09:00:00,"
    "2026-03-20T09:00:00,,,12000.50\n"
    "L2,2026-03-03T08:00:00Z,,paid_search,,mobile,,,sales,,,,,,,,,,,,,,2026-03-04T08:00:00Z,2026-03-05T08:00:00Z,\n"
)


@pytest.fixture
def signals_received():
    received = []

    def receiver(sender, **kwargs):
        received.append({**kwargs, "schema": connection.schema_name})

    data_imported.connect(receiver)
    yield received
    data_imported.disconnect(receiver)


def lead_rows():
    return list(Lead.objects.order_by("id").values())


def test_all_kinds_import_with_every_column(base_data, run_import):
    files = {
        "campaigns": "id,name,channel,direction,nurture,social_network,start_date,end_date\n"
        "c1,Launch,paid_social,outbound,1,linkedin,2026-03-01,2026-03-31\n",
        "spend": "id,date,category,amount,campaign,note\nS1,2026-03-01,media,199.99,c1,first flight\n",
        "leads": LEADS,
        "activities": "id,lead,occurred_at,action,detail\nA1,L1,2026-03-02T10:05:00,content_download,ebook\n",
        "traffic": "date,channel,device,sessions,bounced_sessions,pageviews,form_submissions,landing_page,social_network\n"
        "2026-03-01,paid_social,mobile,100,40,300,3,/launch,linkedin\n",
        "email": "date,campaign,sent,delivered,unique_opens,unique_clicks,unsubscribes\n2026-03-01,c1,1000,980,400,50,2\n",
        "contracts": "id,account,kind,start_date,segment,term_months,monthly_fee,project_fee,end_date,cancelled_on,renewal_of\n"
        "K1,acme,retainer,2026-01-01,smb,12,1500,,,2026-06-30,K0\n",
    }
    for kind, text in files.items():
        result = run_import(kind, text)
        assert result.ok, (kind, [str(e) for e in result.errors])

    campaign = Campaign.objects.get(id="c1")
    assert (campaign.direction, campaign.nurture, campaign.social_network) == ("outbound", True, "linkedin")
    assert Spend.objects.get(id="S1").amount == Decimal("199.99")
    lead = Lead.objects.get(id="L1")
    assert lead.interests == ["analytics", "growth"]
    assert lead.persona_given == "cfo" and lead.persona == "cfo"  # resolved by qualification on import
    assert lead.deal_value == Decimal("12000.50") and lead.employees == 250
    assert Lead.objects.get(id="L2").origin == "sales"
    assert Activity.objects.get(id="A1").lead_id == "L1"
    traffic = TrafficRow.objects.get()
    assert (traffic.sessions, traffic.bounced_sessions, traffic.landing_page) == (100, 40, "/launch")
    assert EmailRow.objects.get().unique_clicks == 50
    contract = Contract.objects.get(id="K1")
    assert contract.renewal_of_id == "K0" and contract.cancelled_on == dt.date(2026, 6, 30)


def test_defaults_apply_to_cells_not_given(base_data, run_import):
    assert run_import("campaigns", "id,name,channel,direction,nurture\nc1,One,email,,\n").ok
    campaign = Campaign.objects.get(id="c1")
    assert (campaign.direction, campaign.nurture) == ("inbound", False)
    assert run_import("traffic", "date,channel,device,sessions\n2026-03-01,direct,desktop,5\n").ok
    row = TrafficRow.objects.get()
    # bounced_sessions not given stays unknown (kpis.md: bounce_rate counts only the rows that give it).
    assert (row.bounced_sessions, row.pageviews, row.landing_page, row.social_network) == (None, 0, "", "")


def test_a_file_with_one_bad_row_writes_nothing_at_all(base_data, run_import):
    text = LEADS + "L3,2026-03-03T08:00:00,,,,,,,,,-5,,,,,,,,,,,,,,\n"
    result = run_import("leads", text)
    assert [(e.line, e.column) for e in result.errors] == [(4, "employees")]
    assert list(Lead.objects.values_list("id", flat=True)) == ["L0"]


def test_importing_the_same_file_twice_changes_nothing(base_data, run_import, signals_received):
    first = run_import("leads", LEADS)
    assert (first.inserted, first.updated, first.unchanged) == (2, 0, 0)
    rows = lead_rows()
    with connection.cursor() as cursor:
        cursor.execute("SELECT xmin::text FROM clients_lead ORDER BY id")
        versions = cursor.fetchall()

    second = run_import("leads", LEADS)

    assert (second.inserted, second.updated, second.unchanged) == (0, 0, 2)
    assert lead_rows() == rows
    with connection.cursor() as cursor:
        cursor.execute("SELECT xmin::text FROM clients_lead ORDER BY id")
        assert cursor.fetchall() == versions  # not even rewritten
    assert len(signals_received) == 1  # nothing changed the second time: no recompute


def test_a_changed_row_is_updated_in_place(base_data, run_import):
    run_import("spend", "id,date,category,amount\nS1,2026-03-01,media,10\nS2,2026-03-02,media,20\n")
    result = run_import("spend", "id,date,category,amount\nS1,2026-04-01,sales,11\nS2,2026-03-02,media,20\n")
    assert (result.inserted, result.updated, result.unchanged) == (0, 1, 1)
    spend = Spend.objects.get(id="S1")
    assert (spend.date, spend.category, spend.amount) == (dt.date(2026, 4, 1), "sales", Decimal("11.00"))
    # Both the old month and the new one may change figures.
    assert result.months == {"2026-03", "2026-04"}


def test_natural_keys_upsert_traffic_and_email(base_data, run_import):
    run_import(
        "traffic", "date,channel,device,sessions,landing_page\n2026-03-01,direct,mobile,10,/a\n2026-03-01,direct,mobile,5,\n"
    )
    result = run_import("traffic", "landing_page,sessions,device,channel,date\n/a,12,mobile,direct,2026-03-01\n")
    assert (result.inserted, result.updated) == (0, 1)
    assert sorted(TrafficRow.objects.values_list("landing_page", "sessions")) == [("", 5), ("/a", 12)]
    run_import("email", "date,campaign,sent\n2026-03-01,spring,10\n")
    result = run_import("email", "date,campaign,sent\n2026-03-01,spring,12\n")
    assert (result.inserted, result.updated) == (0, 1)
    assert EmailRow.objects.get().sent == 12


def test_columns_left_out_keep_their_stored_values(base_data, run_import):
    run_import("leads", LEADS)
    result = run_import("leads", "id,created_at,email\nL1,2026-03-02T10:00:00,new@example.com\n")
    assert result.updated == 1
    lead = Lead.objects.get(id="L1")
    assert lead.email == "new@example.com"
    assert lead.deal_value == Decimal("12000.50") and lead.vertical == "saas"


def test_the_signal_names_client_kind_and_months_in_the_client_schema(base_data, run_import, in_tenant_a, signals_received):
    run_import("leads", LEADS)
    [signal] = signals_received
    assert signal["client"] == in_tenant_a and signal["kind"] == "leads" and signal["schema"] == "alpha"
    assert signal["months"] == {"2026-03"}


def test_the_byte_order_mark_is_accepted(base_data, run_import):
    result = run_import("campaigns", "id,name,channel\nc1,One,email\n", bom=True)
    assert result.ok and Campaign.objects.filter(id="c1").exists()


def test_columns_may_come_in_any_order(base_data, run_import):
    result = run_import("spend", "amount,campaign,category,date,id\n7.5,spring,nurture,2026-03-04,S9\n")
    assert result.ok
    assert Spend.objects.filter(id="S9", amount=Decimal("7.5"), category="nurture", campaign_id="spring").exists()


def test_an_unknown_column_refuses_the_file(base_data, run_import):
    result = run_import("campaigns", "id,name,channel,colour\nc1,One,email,red\n")
    assert [(e.line, e.column) for e in result.errors] == [(1, "colour")]
    assert "unknown column" in result.errors[0].reason
    assert not Campaign.objects.filter(id="c1").exists()


def test_a_missing_required_column_refuses_the_file(base_data, run_import):
    result = run_import("spend", "id,date,amount\nS1,2026-03-01,3\n")
    assert [(e.line, e.column, e.reason) for e in result.errors] == [(1, "category", "required column missing")]


def test_an_empty_file_is_refused(base_data, run_import):
    result = run_import("spend", "")
    assert [e.line for e in result.errors] == [1]


def test_a_file_that_is_not_utf8_is_refused(base_data, in_tenant_a, write_csv, tmp_path):
    from clients.services import data_import

    path = tmp_path / "latin1.csv"
    path.write_bytes("id,name,channel\nc1,Campaña,email\n".encode("latin-1"))
    result = data_import(kind="campaigns", path_or_file=path, client=in_tenant_a)
    assert not result.ok and "UTF-8" in result.errors[0].reason
    assert not Campaign.objects.filter(id="c1").exists()


def test_quoted_cells_with_newlines_keep_line_numbers_right(base_data, run_import):
    result = run_import("spend", 'id,date,category,amount,note\nS1,2026-03-01,media,1,"two\nlines"\nS2,bad,media,1,\n')
    assert [(e.line, e.column) for e in result.errors] == [(4, "date")]


@pytest.mark.parametrize(
    ("given", "stored_utc"),
    [
        ("2026-03-04T09:30:00", dt.datetime(2026, 3, 4, 8, 30, tzinfo=UTC)),  # naive: Madrid, CET (+01:00)
        ("2026-07-04T09:30:00", dt.datetime(2026, 7, 4, 7, 30, tzinfo=UTC)),  # naive: Madrid, CEST (+02:00)
        ("2026-03-04T09:30:00+05:00", dt.datetime(2026, 3, 4, 4, 30, tzinfo=UTC)),  # offset as given
        ("2026-03-04T09:30:00Z", dt.datetime(2026, 3, 4, 9, 30, tzinfo=UTC)),
        # Clocks go back on 2026-10-25 at 03:00 CEST: 02:30 happens twice; the earlier (CEST) is taken.
        ("2026-10-25T02:30:00", dt.datetime(2026, 10, 25, 0, 30, tzinfo=UTC)),
        # Clocks go forward on 2026-03-29 at 02:00 CET: 02:30 does not exist; moved forward to 03:30 CEST.
        ("2026-03-29T02:30:00", dt.datetime(2026, 3, 29, 1, 30, tzinfo=UTC)),
    ],
)
def test_timestamps_are_read_in_the_client_time_zone_unless_they_carry_an_offset(base_data, run_import, given, stored_utc):
    assert run_import("leads", f"id,created_at\nL1,{given}\n").ok
    assert Lead.objects.get(id="L1").created_at == stored_utc


def test_the_months_of_a_lead_are_in_the_client_time_zone(base_data, run_import):
    # 23:30 UTC on 31 March is 01:30 on 1 April in Madrid.
    result = run_import("leads", "id,created_at\nL1,2026-03-31T23:30:00Z\n")
    assert result.months == {"2026-04"}


def test_values_that_look_like_formulas_are_stored_as_given(base_data, run_import):
    text = (
        "id,name,channel,social_network\nc1,=HYPERLINK(\"http://evil.example\"),email,+cmd|' /C calc'!A0\n"
        "c2,@SUM(A1:A2),email,-2+3\n"
    )
    assert run_import("campaigns", text).ok
    assert Campaign.objects.get(id="c1").name == '=HYPERLINK("http://evil.example")'
    assert Campaign.objects.get(id="c1").social_network == "+cmd|' /C calc'!A0"
    assert (Campaign.objects.get(id="c2").name, Campaign.objects.get(id="c2").social_network) == ("@SUM(A1:A2)", "-2+3")


def test_a_partial_file_that_conflicts_with_stored_values_writes_nothing(base_data, run_import):
    run_import("leads", "id,created_at,lost_at\nL1,2026-03-02T10:00:00,2026-03-09T10:00:00\n")
    result = run_import("leads", "id,created_at,customer_at\nL1,2026-03-02T10:00:00,2026-03-10T10:00:00\n")
    assert not result.ok and "conflict" in result.errors[0].reason
    assert Lead.objects.get(id="L1").customer_at is None


def test_the_preview_checks_without_writing(base_data, in_tenant_a, write_csv):
    from clients.services import data_import

    path = write_csv("id,name,channel\nc1,One,email\nc2,Two,tv\nc3,Three,email\n")
    result = data_import(kind="campaigns", path_or_file=path, client=in_tenant_a, dry_run=True, limit=2, sample=2)
    assert result.rows == 2
    assert [(line, errors) for line, _values, errors in result.sample] == [(2, {}), (3, {"channel": result.errors[0].reason})]
    assert not Campaign.objects.filter(id="c1").exists()


# --- commands -------------------------------------------------------------------------------


def test_import_data_exits_0_when_written(base_data, write_csv, capsys):
    path = write_csv("id,name,channel\nc1,One,email\n")
    call_command("import_data", "alpha", "campaigns", str(path))
    assert "1 inserted" in capsys.readouterr().out
    connection.set_schema("alpha")
    assert Campaign.objects.filter(id="c1").exists()


def test_import_data_exits_non_zero_with_every_bad_row_on_stderr(base_data, write_csv):
    path = write_csv("id,date,category,amount\nS1,2026-03-01,media,-1\nS2,2026-13-01,media,1\n")
    stderr = io.StringIO()
    # manage.py turns a CommandError into its message on stderr and exit status ``returncode``.
    with pytest.raises(CommandError, match="nothing written: 2 error") as error:
        call_command("import_data", "alpha", "spend", str(path), stderr=stderr)
    assert error.value.returncode == 1
    err = stderr.getvalue()
    assert "line 2, column amount, value '-1': negative" in err
    assert "line 3, column date, value '2026-13-01': not a date in the form YYYY-MM-DD" in err
    connection.set_schema("alpha")
    assert not Spend.objects.exists()


def test_import_data_names_an_unknown_slug(write_csv, db):
    with pytest.raises(CommandError, match="no client with slug 'nobody'"):
        call_command("import_data", "nobody", "campaigns", str(write_csv("id,name,channel\n")))


def test_set_holidays_replaces_the_client_holidays(in_tenant_a, signals_received):
    Holiday.objects.create(date=dt.date(2026, 1, 1))
    call_command("set_holidays", "alpha", "2026-12-25", "2026-01-06")
    connection.set_schema("alpha")
    assert list(Holiday.objects.values_list("date", flat=True)) == [dt.date(2026, 1, 6), dt.date(2026, 12, 25)]
    assert signals_received[-1]["months"] == {"2026-01", "2026-12"}
    with pytest.raises(CommandError, match="not a date"):
        call_command("set_holidays", "alpha", "25/12/2026")


def test_an_import_for_one_client_never_lands_in_another(base_data, write_csv, tenant_b):
    from clients.services import data_import

    connection.set_schema_to_public()
    assert data_import(kind="campaigns", path_or_file=write_csv("id,name,channel\nb1,Beta,email\n"), client=tenant_b).ok
    connection.set_tenant(tenant_b)
    assert Campaign.objects.filter(id="b1").exists()
    connection.set_schema("alpha")
    assert not Campaign.objects.filter(id="b1").exists()


def test_the_preview_does_not_flag_a_renewal_of_a_contract_further_down(base_data, in_tenant_a, write_csv):
    from clients.services import data_import

    path = write_csv(
        "id,account,kind,start_date,term_months,monthly_fee,renewal_of\n"
        "K2,acme,retainer,2027-01-01,12,1100,K1\nK1,acme,retainer,2026-01-01,12,1000,\n"
    )
    preview = data_import(kind="contracts", path_or_file=path, client=in_tenant_a, dry_run=True, limit=1, sample=1)
    assert preview.ok
    assert data_import(kind="contracts", path_or_file=path, client=in_tenant_a).ok


def test_a_key_stored_meanwhile_is_upserted_not_refused(base_data, run_import):
    """New rows go in by a plain INSERT; a key that another writer stored after the import found it
    new (simulated here just before the insert) makes it fall back to the upsert, as before."""
    injected = []

    def store_meanwhile(execute, sql, params, many, context):
        if sql.startswith("SELECT count(*) FILTER (WHERE _new)") and not injected:
            injected.append(sql)
            execute("INSERT INTO clients_lead (id, created_at, email, origin, interests, channel, device, landing_page,"
                    " persona_given, vertical, gender, challenge, persona) VALUES ('N1', '2026-01-01T00:00:00Z', 'old@x.es',"
                    " 'marketing', '{}', '', '', '', '', '', '', '', '')", None, False, context)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(store_meanwhile):
        result = run_import("leads", "id,created_at,email\nN1,2026-03-01T10:00:00Z,new@x.es\nN2,2026-03-02T10:00:00Z,\n")
    assert injected and result.ok
    assert (result.inserted, result.updated) == (2, 0)
    assert sorted(Lead.objects.filter(id__in=["N1", "N2"]).values_list("id", "email", "origin")) == [
        ("N1", "new@x.es", "marketing"),
        ("N2", "", "marketing")]
    assert Lead.objects.get(id="N1").created_at == dt.datetime(2026, 3, 1, 10, tzinfo=UTC)


def test_the_like_indexes_of_the_imported_tables_are_gone(in_tenant_a):
    """Migration 0008 dropped the varchar_pattern_ops indexes (no prefix query uses them)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename, indexdef FROM pg_indexes WHERE schemaname = current_schema()"
                       " AND tablename IN ('clients_lead', 'clients_activity', 'clients_spend', 'clients_emailrow')")
        indexes = cursor.fetchall()
    assert not [row for row in indexes if "pattern_ops" in row[1]]
    assert {table for table, _definition in indexes} == {"clients_lead", "clients_activity", "clients_spend",
                                                         "clients_emailrow"}
    lead = sorted(definition.split(" USING ")[1] for table, definition in indexes if table == "clients_lead")
    assert lead == ["btree (campaign_id)", "btree (created_at)", "btree (id)"]


def test_the_write_runs_with_more_work_mem_and_puts_it_back(base_data, run_import):
    seen = []

    def watch(execute, sql, params, many, context):
        if sql.startswith("CREATE TEMP TABLE _import_changed"):
            context["cursor"].execute("SHOW work_mem")
            seen.append(context["cursor"].fetchone()[0])
        return execute(sql, params, many, context)

    with connection.cursor() as cursor:
        cursor.execute("SHOW work_mem")
        before = cursor.fetchone()[0]
    with connection.execute_wrapper(watch):
        assert run_import("leads", "id,created_at\nW1,2026-03-01T10:00:00Z\n").ok
    with connection.cursor() as cursor:
        cursor.execute("SHOW work_mem")
        assert cursor.fetchone()[0] == before
    assert seen == ["64MB"]
