from django.urls import include, path

from clients import views
from clients.criteria import views as views_criteria
from clients.records import views as views_records
from clients.records import views_leads

# Record ids are the outside world's (a CRM's, a file's: "web/2026/8812" is a lead id). They are
# routed with the path converter, so a row whose id holds "/" has a working page (issue #24).

urlpatterns = [
    path("", views.home, name="home"),
    path("panels/data/", views.panel_data, name="panel_data"),
    path("panels/team/", views.panel_team, name="panel_team"),
    path("leads/", views_leads.lead_list, name="lead_list"),
    path("leads/<path:lead_id>/", views_leads.lead_detail, name="lead_detail"),
    path("criteria/", views_criteria.criteria_versions, name="criteria_versions"),
    path("criteria/new/", views_criteria.criteria_edit, name="criteria_edit"),
    path("criteria/ask/", views_criteria.criteria_review_ask_view, name="criteria_review_ask"),
    path("criteria/builder/", views_criteria.criteria_builder, name="criteria_builder"),
    path("criteria/backtest/", views_criteria.criteria_backtest, name="criteria_backtest"),
    path("criteria/<int:version>/", views_criteria.criteria_version_detail, name="criteria_version_detail"),
    path("personas/", views_records.persona_list, name="persona_list"),
    path("personas/new/", views_records.persona_edit, name="persona_add"),
    path("personas/new/rows/", views_records.persona_builder, name="persona_builder"),
    path("personas/move/<path:code>/", views_records.persona_move_view, name="persona_move"),
    path("personas/<path:code>/", views_records.persona_edit, name="persona_edit"),
    path("holidays/", views_records.holidays_edit, name="holidays"),
    path("contracts/", views_records.contract_list, name="contract_list"),
    path("contracts/new/", views_records.contract_edit, name="contract_add"),
    path("contracts/<path:contract_id>/edit/", views_records.contract_edit, name="contract_edit"),
    path("contracts/<path:renew>/renew/", views_records.contract_edit, name="contract_renew"),
    path("contracts/<path:contract_id>/cancel/", views_records.contract_cancel_view, name="contract_cancel"),
    path("", include("clients.imports.urls")),
    path("", include("clients.connectors.urls")),
    path("", include("clients.sources.urls")),
    path("", include("clients.mappings.urls")),
    path("", include("clients.api.urls")),
]
