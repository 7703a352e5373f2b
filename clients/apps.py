from django.apps import AppConfig


class ClientsConfig(AppConfig):
    name = "clients"
    verbose_name = "Client data"
    default_auto_field = "django.db.models.BigAutoField"
