from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class TipsConfig(AppConfig):
    label = "tips"
    name = "factcheck.tips"
    verbose_name = gettext_lazy("Reader tips")
