from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """The monthly close: a client's month is reviewed, explained, approved, delivered, and
    never silently rewritten (each approved version is kept)."""

    name = "reports"
    verbose_name = "Monthly close"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from clients.closed_months import approved_months_register
        from clients.signals import connection_synced
        from kpis.signals import snapshots_computed
        from kpis.visibility import rule_register
        from reports import receivers, selectors
        from reports.visibility import RULE

        snapshots_computed.connect(receivers.on_snapshots_computed, dispatch_uid="reports.revision_on_recompute")
        connection_synced.connect(receivers.on_connection_synced, dispatch_uid="reports.restatement_note")
        rule_register(RULE)
        # An import's result page, and a connection's syncs, name the approved months they touched.
        approved_months_register(
            lambda months: selectors.approved_months_among(months=months),
            lambda client, connection_id: selectors.months_restated_by_syncs(client=client, connection_id=connection_id),
        )
