"""Which client an ad account feeds is one query in the public schema (agency.models.AccountClaim):
connecting opens no other client's schema, the claim follows connect, reconnect and disconnect in
the connection's own transaction, its unique key refuses a second holder, and the rebuild and the
migration fill it from the schemas."""

from __future__ import annotations

import importlib
import io

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django_tenants.utils import tenant_context

from agency.account_claims import account_claim, account_holder, account_sharers
from agency.models import AccountClaim, Client
from clients.connectors.fake_ads import AdsFake
from clients.connectors.schedule import connections_due_rebuild
from clients.connectors.sync import AccountShared, connection_disconnect
from clients.connectors.transport import ConnectorError
from clients.models import Connection
from tests.clients.connectors.ads_fixtures import LINKEDIN, META, connect
from tests.clients.connectors.conftest import connect_hubspot

pytestmark = pytest.mark.django_db

OTHER_META = "987654321"


def _claims() -> list[tuple[str, str, str]]:
    return list(AccountClaim.objects.order_by("client__slug", "platform")
                .values_list("client__slug", "platform", "account_id"))


def test_connecting_opens_no_other_client_s_schema(
    tenant_a: Client, tenant_b: Client, ads: AdsFake, schemas_opened: list[str]
) -> None:
    connect(tenant_a, ads, "meta_ads", META)
    connect(tenant_a, ads, "linkedin_ads", LINKEDIN)
    schemas_opened.clear()
    connect(tenant_b, ads, "meta_ads", OTHER_META, check=False)
    assert set(schemas_opened) == {"beta"}  # its own, to write the connection; the old check opened alpha's
    schemas_opened.clear()
    # the holder named, so staff know where to disconnect it
    with pytest.raises(ConnectorError, match="already connected to another client, Alpha Analytics: one account"):
        connect(tenant_b, ads, "linkedin_ads", LINKEDIN)
    assert schemas_opened == []  # refused before any schema is opened
    assert _claims() == [("alpha", "linkedin_ads", LINKEDIN), ("alpha", "meta_ads", META),
                         ("beta", "meta_ads", OTHER_META)]


def test_reconnecting_another_account_frees_the_former_one(tenant_a: Client, tenant_b: Client, ads: AdsFake) -> None:
    connect(tenant_a, ads, "meta_ads", META)
    connect(tenant_a, ads, "meta_ads", f"act_{META}")  # the same account again (reconnect): still alpha's
    assert _claims() == [("alpha", "meta_ads", META)]
    connect(tenant_a, ads, "meta_ads", f"act_{OTHER_META}", check=False)
    assert _claims() == [("alpha", "meta_ads", OTHER_META)]
    connect(tenant_b, ads, "meta_ads", META)  # free now
    with pytest.raises(ConnectorError, match="already connected to another client"):
        connect(tenant_a, ads, "meta_ads", META)
    with tenant_context(tenant_a):
        assert Connection.objects.get(platform="meta_ads").account_id == OTHER_META  # the refusal changed nothing
    assert _claims() == [("alpha", "meta_ads", OTHER_META), ("beta", "meta_ads", META)]


def test_disconnecting_frees_the_account_for_another_client(tenant_a: Client, tenant_b: Client, ads: AdsFake) -> None:
    connect(tenant_a, ads, "meta_ads", META)
    assert connection_disconnect(client=tenant_a, platform="meta_ads")
    assert _claims() == []
    connect(tenant_b, ads, "meta_ads", META)
    assert _claims() == [("beta", "meta_ads", META)]


def _shared() -> list[tuple[str, str, str]]:
    return list(AccountClaim.objects.filter(exclusive=False).order_by("client__slug", "platform")
                .values_list("client__slug", "platform", "account_id"))


def test_accounts_of_other_platforms_may_feed_several_clients_but_never_silently(
    tenant_a: Client, tenant_b: Client, hubspot: object
) -> None:
    connect_hubspot(tenant_a)
    with pytest.raises(AccountShared, match="already connected to Alpha Analytics") as said:
        connect_hubspot(tenant_b)  # the same portal: its leads would count for both
    assert said.value.clients == [tenant_a]
    with tenant_context(tenant_b):
        assert not Connection.objects.exists()  # nothing saved before the user says so
    connect_hubspot(tenant_b, shared_ok=True)  # deliberately: a CRM account is not exclusive
    assert _shared() == [("alpha", "hubspot", "4242"), ("beta", "hubspot", "4242")]
    assert account_sharers(platform="hubspot", account_id="4242", besides=tenant_a) == [tenant_b]
    connect_hubspot(tenant_b)  # a reconnect of the same client's own account: nothing to say
    assert connection_disconnect(client=tenant_a, platform="hubspot")
    assert _shared() == [("beta", "hubspot", "4242")]
    assert _claims() == [("beta", "hubspot", "4242")]  # no ad account among them


def test_the_unique_key_refuses_a_second_holder_and_leaves_the_transaction_usable(
    tenant_a: Client, tenant_b: Client
) -> None:
    # What a second client connecting at the same moment meets once it passed the first check.
    assert account_claim(client=tenant_a, platform="meta_ads", account_id=META)
    assert not account_claim(client=tenant_b, platform="meta_ads", account_id=META)
    assert account_holder(platform="meta_ads", account_id=META, besides=tenant_b) == tenant_a
    assert account_holder(platform="meta_ads", account_id=META, besides=tenant_a) is None
    assert account_claim(client=tenant_b, platform="google_ads", account_id=META)  # another platform's id space
    assert _claims() == [("alpha", "meta_ads", META), ("beta", "google_ads", META)]


def test_the_rebuild_fills_the_claims_from_the_schemas(tenant_a: Client, tenant_b: Client, ads: AdsFake,
                                                       hubspot: object) -> None:
    connect(tenant_a, ads, "meta_ads", META)
    connect_hubspot(tenant_b)
    AccountClaim.objects.all().delete()  # lost
    AccountClaim.objects.create(client=tenant_b, platform="linkedin_ads", account_id=LINKEDIN)  # stale
    for client in (tenant_a, tenant_b):
        connections_due_rebuild(client=client)
    assert _claims() == [("alpha", "meta_ads", META), ("beta", "hubspot", "4242")]
    assert _shared() == [("beta", "hubspot", "4242")]  # the portal, claimed as one several clients may read
    AccountClaim.objects.all().delete()
    out = io.StringIO()
    call_command("connections_due_rebuild", "alpha", stdout=out)
    assert _claims() == [("alpha", "meta_ads", META)]


def test_the_rebuild_leaves_an_account_to_the_client_holding_it(tenant_a: Client, tenant_b: Client, ads: AdsFake) -> None:
    connect(tenant_a, ads, "meta_ads", META)
    with tenant_context(tenant_b):  # a schema restored with the same account
        Connection.objects.create(platform="meta_ads", account_id=META)
    assert connections_due_rebuild(client=tenant_b) == 1
    assert _claims() == [("alpha", "meta_ads", META)]


def test_the_migration_fills_the_claims_from_the_schemas(tenant_a: Client, tenant_b: Client, ads: AdsFake,
                                                          hubspot: object) -> None:
    connect(tenant_a, ads, "meta_ads", META)
    connect(tenant_a, ads, "linkedin_ads", LINKEDIN)
    connect_hubspot(tenant_b)
    with tenant_context(tenant_b):  # two clients sharing one account: the first, as the old check found it, keeps it
        Connection.objects.create(platform="meta_ads", account_id=META)
    AccountClaim.objects.all().delete()
    migration = importlib.import_module("agency.migrations.0014_account_claim")
    with connection.schema_editor() as editor:
        migration.fill(apps, editor)
    assert _claims() == [("alpha", "linkedin_ads", LINKEDIN), ("alpha", "meta_ads", META)]
    shared = importlib.import_module("agency.migrations.0016_account_claim_shared")
    with connection.schema_editor() as editor:
        shared.fill(apps, editor)  # the connections of the platforms several clients may read
    assert _shared() == [("beta", "hubspot", "4242")]
    with connection.schema_editor() as editor:
        shared.empty(apps, editor)  # backwards
    assert _shared() == [] and len(_claims()) == 2


def test_an_account_several_clients_read_names_them_all(tenant_a: Client, tenant_b: Client, hubspot: object) -> None:
    """Two other clients read the portal: both named ("Beta Brands and Gamma"), and never "both clients"."""
    gamma = Client(schema_name="t_gamma", slug="gamma", name="Gamma", is_ready=True)
    gamma.auto_create_schema = False
    gamma.save()
    AccountClaim.objects.create(client=gamma, platform="hubspot", account_id="4242", exclusive=False)
    connect_hubspot(tenant_b, shared_ok=True)
    with pytest.raises(AccountShared) as said:
        connect_hubspot(tenant_a)
    assert "already connected to Beta Brands and Gamma." in said.value.reason
    assert "counts for each client it is connected to" in said.value.reason and "both" not in said.value.reason
