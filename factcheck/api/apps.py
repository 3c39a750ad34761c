from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "factcheck.api"
    verbose_name = "Partner API"
