from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "factcheck.web"
    verbose_name = "Public site"

    def ready(self) -> None:
        from factcheck import surrogate

        surrogate.connect()  # the HTTP cache in front is purged of what the claims app's changes touched
