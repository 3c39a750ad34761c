from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "factcheck.api"
    verbose_name = "Partner API"

    def ready(self) -> None:
        from factcheck.partners.services import claim_representation_register

        from . import schema  # noqa: F401  (registers the API key scheme with drf-spectacular)
        from .serializers import claim_representation

        # Webhooks carry the claim as this API shows it (the partners layer does not import the API).
        claim_representation_register(claim_representation)
