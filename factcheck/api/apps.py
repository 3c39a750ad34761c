from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "factcheck.api"
    verbose_name = "Partner API"

    def ready(self) -> None:
        from . import schema  # noqa: F401  (registers the API key scheme with drf-spectacular)
