from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "factcheck.partners"
    verbose_name = "Partners and webhooks"
