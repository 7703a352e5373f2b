from django.apps import AppConfig


class KpisConfig(AppConfig):
    name = "kpis"
    verbose_name = "KPIs"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from agency.signals import client_economics_changed, client_timezone_changed
        from clients.signals import connection_health, data_imported, leads_requalified, scheduled_source_result
        from kpis import receivers

        client_timezone_changed.connect(receivers.on_client_timezone_changed, dispatch_uid="kpis.recompute_on_timezone")
        client_economics_changed.connect(receivers.on_client_economics_changed, dispatch_uid="kpis.recompute_on_economics")

        data_imported.connect(receivers.on_data_imported, dispatch_uid="kpis.recompute_on_import")
        scheduled_source_result.connect(receivers.on_scheduled_source_result, dispatch_uid="kpis.source_failure_note")
        leads_requalified.connect(receivers.on_leads_requalified, dispatch_uid="kpis.recompute_on_requalify")
        connection_health.connect(receivers.on_connection_health, dispatch_uid="kpis.connection_health_note")

        from clients.selectors import setup_step_register
        from kpis.selectors_targets import targets_setup_step

        # The set-up checklist offers the targets page (an optional step: targets live beside the portfolio).
        setup_step_register(targets_setup_step)
