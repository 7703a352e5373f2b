"""Templates across clients: alpha's set-up copied to three clients after a preview; what a client
set for itself is kept (an override); a new client can start from a template."""

from __future__ import annotations

import datetime as dt

from django.test import Client as HttpClient
from django.utils import timezone
from django_tenants.utils import schema_context

from agency.models import Client
from agency.months import Month
from clients.criteria.services import criteria_version_create, personas_set
from clients.models import CriteriaVersion, Holiday, Persona, SavedMapping
from kpis.services_template import template_apply, template_plan
from portfolio.models import Target
from tests.conftest import host_of

CRITERIA = {"fit": {"all": [{"field": "employees", "op": "gte", "value": 10}]}, "threshold": 10, "points": []}
SUMMARY = ["new_leads", "mqls", "customers", "marketing_spend", "cpl", "cac"]


def _public_only(slug: str) -> Client:
    """A client row for the public parts (summary, targets, colour): the board of 500 clients'
    way, no schema (creating schemas per test is too slow)."""
    client = Client(schema_name=f"t_{slug}", slug=slug, name=slug.title(), is_ready=True)
    client.auto_create_schema = False
    client.save()
    return client


def _alpha_setup(alpha: Client) -> None:
    alpha.headline_kpis, alpha.brand_accent = SUMMARY, "#0a7d55"
    alpha.save()
    Target.objects.create(client=alpha, month=dt.date(2026, 4, 1), kpi="cpl", value=120)
    Target.objects.create(client=alpha, month=dt.date(2026, 4, 1), kpi="new_leads", value=300)
    criteria_version_create(criteria=CRITERIA, effective_from="2026-01-01", client=alpha)
    with schema_context("alpha"):
        Holiday.objects.create(date=dt.date(2026, 5, 1))
        SavedMapping.objects.create(name="CRM leads", kind="leads", header=["Id"], header_signature="x", spec={"kind": "leads"})


def test_three_clients_get_the_template_and_one_keeps_its_own_summary(tenant_a, tenant_b, admin_user) -> None:
    _alpha_setup(tenant_a)
    gamma, delta = _public_only("gamma"), _public_only("delta")
    delta.headline_kpis = ["sessions", "new_leads", "mqls", "sqls", "customers", "revenue"]  # its own choice
    delta.save()
    Target.objects.create(client=gamma, month=dt.date(2026, 4, 1), kpi="cpl", value=99)  # its own target
    parts = ["summary", "targets", "brand"]
    plan = template_plan(source=tenant_a, targets=[tenant_b, gamma, delta], parts=parts)
    words = {client.slug: {step.part: step.action for step in steps} for client, steps in plan.items()}
    assert words == {
        "beta": {"summary": "copy", "targets": "copy", "brand": "copy"},
        "gamma": {"summary": "copy", "targets": "copy", "brand": "copy"},
        "delta": {"summary": "keep", "targets": "copy", "brand": "copy"},
    }
    template_apply(source=tenant_a, targets=[tenant_b, gamma, delta], parts=parts, user=admin_user)
    for client in (tenant_b, gamma, delta):
        client.refresh_from_db()
        assert client.brand_accent == "#0a7d55"
    assert tenant_b.headline_kpis == SUMMARY and gamma.headline_kpis == SUMMARY
    assert delta.headline_kpis[0] == "sessions"  # the override kept
    assert Target.objects.get(client=gamma, kpi="cpl").value == 99  # its own target kept
    assert Target.objects.get(client=gamma, kpi="new_leads").value == 300
    assert Target.objects.filter(client=tenant_b).count() == 2


def test_criteria_holidays_and_mappings_are_copied_into_the_clients_schema(tenant_a, tenant_b, admin_user) -> None:
    _alpha_setup(tenant_a)
    (criteria_step, *_rest) = template_plan(source=tenant_a, targets=[tenant_b], parts=["criteria"])[tenant_b]
    # the client's first version judges every lead: no "in effect from" this month, no ISO date
    assert str(criteria_step.detail) == "version 1, its first criteria: they judge every lead"
    plan = template_apply(source=tenant_a, targets=[tenant_b], parts=["criteria", "holidays", "mappings"], user=admin_user)
    assert [step.action for step in plan[tenant_b]] == ["copy", "copy", "copy"]
    with schema_context("beta"):
        assert CriteriaVersion.objects.get().criteria == CRITERIA
        assert list(Holiday.objects.values_list("date", flat=True)) == [dt.date(2026, 5, 1)]
        assert SavedMapping.objects.get().name == "CRM leads"
    again = template_plan(source=tenant_a, targets=[tenant_b], parts=["criteria", "holidays", "mappings"])
    assert [step.action for step in again[tenant_b]] == ["same", "same", "same"]  # nothing twice


def test_the_console_previews_then_copies_and_a_new_client_starts_from_a_template(tenant_a, tenant_b, admin_user) -> None:
    _alpha_setup(tenant_a)
    http = HttpClient(HTTP_HOST=host_of(None), HTTP_ACCEPT_LANGUAGE="es")
    http.force_login(admin_user)
    preview = http.post("/clients/alpha/template/", {"part": ["summary", "brand"], "to": ["beta"]}).content.decode()
    assert "Beta Brands" in preview and "se copia" in preview
    tenant_b.refresh_from_db()
    assert tenant_b.brand_accent == ""  # a preview changes nothing
    copied = http.post("/clients/alpha/template/", {"part": ["summary", "brand"], "to": ["beta"], "confirm": "1"}, follow=True)
    # One client chosen (a new client started from a template): the page goes on with that client, not the source.
    assert copied.redirect_chain[-1][0] == "/clients/beta/"
    assert "Se copiaron 2 ajustes de Alpha Analytics a Beta Brands" in copied.content.decode()
    tenant_b.refresh_from_db()
    assert tenant_b.brand_accent == "#0a7d55" and tenant_b.headline_kpis == SUMMARY
    form = http.get("/clients/new/").content.decode()
    assert 'name="start_from"' in form and "Alpha Analytics" in form


def test_copying_one_setting_to_several_clients_says_so_in_the_singular(tenant_a, tenant_b, admin_user) -> None:
    _alpha_setup(tenant_a)
    gamma = _public_only("gamma")
    gamma.brand_accent = "#0a7d55"  # already alpha's colour: only beta gets it
    gamma.save()
    http = HttpClient(HTTP_HOST=host_of(None), HTTP_ACCEPT_LANGUAGE="es")
    http.force_login(admin_user)
    done = http.post("/clients/alpha/template/", {"part": ["brand"], "to": ["beta", "gamma"], "confirm": "1"}, follow=True)
    assert done.redirect_chain[-1][0] == "/clients/alpha/"  # several clients: back to the source
    assert "Copiado de Alpha Analytics: 1 ajuste entre 2 clientes" in done.content.decode()
    again = http.post("/clients/alpha/template/", {"part": ["brand"], "to": ["beta", "gamma"], "confirm": "1"}, follow=True)
    assert "Copiado de Alpha Analytics: 0 ajustes entre 2 clientes" in again.content.decode()


def test_a_new_client_gets_the_personas_of_another_and_one_with_its_own_keeps_them(tenant_a, tenant_b, admin_user) -> None:
    """The walk's slowest step was typing three personas' match rules as JSON: a new client started
    from another's set-up gets them (in their order, each lead judged by them); a client with its own keeps them."""
    personas = [{"code": "ops", "name": "Operations lead", "match": {"field": "employees", "op": "gte", "value": 250}},
                {"code": "founder", "name": "Founder", "match": {"field": "employees", "op": "lt", "value": 50}}]
    personas_set(personas=personas, client=tenant_a)
    (step,) = template_plan(source=tenant_a, targets=[tenant_b], parts=["personas"])[tenant_b]
    assert (step.action, str(step.label), step.detail) == ("copy", "Buyer personas", "Operations lead, Founder")
    template_apply(source=tenant_a, targets=[tenant_b], parts=["personas"], user=admin_user)
    with schema_context("beta"):
        assert [(p.code, p.name, p.match) for p in Persona.objects.order_by("priority")] == [
            (p["code"], p["name"], p["match"]) for p in personas]
    (again,) = template_plan(source=tenant_a, targets=[tenant_b], parts=["personas"])[tenant_b]
    assert again.action == "same"
    personas_set(personas=personas[:1], client=tenant_b)  # its own now
    (kept,) = template_plan(source=tenant_a, targets=[tenant_b], parts=["personas"])[tenant_b]
    assert (kept.action, str(kept.detail)) == ("keep", "its own persona is kept")
    http = HttpClient(HTTP_HOST=host_of(None), HTTP_ACCEPT_LANGUAGE="es")
    http.force_login(admin_user)
    page = http.get("/clients/alpha/template/").content.decode()
    assert 'value="personas"' in page and "Perfiles de comprador" in page and "Buyer personas" not in page


def test_copied_criteria_of_a_client_without_leads_cover_the_13_months_of_its_report(tenant_a, tenant_b, admin_user) -> None:
    """A new client is copied its criteria before its history is imported. Dated from this month, the
    copy cut short any version saved later for the imported months (the versions table): the report
    in review kept the copied rules. From the first of the 13 months a report shows, a version saved
    from the client's first month with leads replaces it there."""
    _alpha_setup(tenant_a)
    template_apply(source=tenant_a, targets=[tenant_b], parts=["criteria"], user=admin_user)
    with schema_context("beta"):
        copied = CriteriaVersion.objects.get()
    assert copied.effective_from == (Month.of(timezone.now().date()) - 13).first_day


def test_the_preview_names_the_parts_the_source_has_none_of(tenant_a, tenant_b, admin_user) -> None:
    """Globex Foods copied to a new client: seven parts ticked, two lines shown, and no word of the
    targets, holidays… — had they been copied? The preview names what the source has none of."""
    criteria_version_create(criteria=CRITERIA, effective_from="2026-01-01", client=tenant_a)
    http = HttpClient(HTTP_HOST=host_of(None), HTTP_ACCEPT_LANGUAGE="es")
    http.force_login(admin_user)
    preview = http.post("/clients/alpha/template/", {"part": ["criteria", "targets", "holidays"], "to": ["beta"]})
    text = preview.content.decode()
    assert "Criterios de cualificación" in text
    assert "Alpha Analytics no tiene nada que copiar de: Objetivos, Festivos." in text
