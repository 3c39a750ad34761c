from django.apps import AppConfig


class TipsConfig(AppConfig):
    label = "tips"
    name = "factcheck.tips"
    verbose_name = "Reader tips"
