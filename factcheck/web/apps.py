from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "factcheck.web"
    verbose_name = "Public site"
