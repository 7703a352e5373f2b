from django.apps import AppConfig


class ClientsConfig(AppConfig):
    name = "clients"
    verbose_name = "Client data"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from clients import receivers
        from clients.signals import data_imported

        data_imported.connect(receivers.on_data_imported, dispatch_uid="clients.requalify_after_import")

        from agency.signals import client_timezone_changed

        client_timezone_changed.connect(receivers.on_client_timezone_changed, dispatch_uid="clients.connections_reschedule")

        from clients.mappings.saved import saved_mappings_for
        from clients.sources import register_mapping_provider

        # Detection everywhere (uploads, import_source, scheduled sources) knows the client's saved mappings.
        register_mapping_provider(saved_mappings_for)

        from agency.emails import register_client_sender
        from clients.registry_emails import registry_email_queue

        # Invitations and client users' password emails go through the client's outbox.
        register_client_sender(registry_email_queue)
