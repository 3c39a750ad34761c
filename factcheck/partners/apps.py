from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "factcheck.partners"
    verbose_name = "Partners and webhooks"

    def ready(self) -> None:
        from factcheck.claims import events

        from . import services, tasks  # noqa: F401  (tasks: queues the deliveries services make due)

        # The claims app's events (factcheck/claims/events.py): webhooks for published, corrected and retracted
        # claims, recorded in the claim's transaction; pending deliveries queued again after a restore.
        events.claim_event_signal.connect(services.on_claim_event, dispatch_uid="factcheck.partners.claim_event")
        events.portal_restored_signal.connect(
            services.on_portal_restored, dispatch_uid="factcheck.partners.portal_restored"
        )
