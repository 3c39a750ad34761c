from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "factcheck.web"
    verbose_name = "Public site"

    def ready(self) -> None:
        from factcheck import caching

        caching.connect()  # cached pages follow the claims app's content_changed events
