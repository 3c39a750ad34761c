from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


def profile_saved(sender, using: str = "default", **kwargs) -> None:
    """A display name shows in the byline of every claim that person worked on: those pages go stale."""
    from factcheck.claims.events import content_changed

    content_changed(using=using, sitewide=True)


class PeopleConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "factcheck.people"
    label = "people"
    verbose_name = "People"

    def ready(self) -> None:
        from .models import StaffProfile

        post_save.connect(profile_saved, sender=StaffProfile, dispatch_uid="factcheck.people.profile_saved")
        post_delete.connect(profile_saved, sender=StaffProfile, dispatch_uid="factcheck.people.profile_deleted")
