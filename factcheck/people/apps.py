from django.apps import AppConfig
from django.conf import settings
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save


def byline_changed(sender, instance, using: str = "default", raw: bool = False, **kwargs) -> None:
    """``instance`` (a staff profile or a user) changed a byline: the pages that name that person go stale.

    Their claims' ``byline_changed_at`` moves (the pages' ``Last-Modified``; no API answer shows names, so
    the claims' ``updated_at`` and change number stay), and the HTTP cache in front purges the pages'
    ``person-<id>`` key after the commit. A fixture's raw save (``loaddata``) leaves the claims' rows as
    loaded.
    """
    from django.db.models import Q
    from django.utils import timezone

    from factcheck.claims.events import content_changed
    from factcheck.claims.models import Claim

    from .models import StaffProfile

    if not raw:
        user_id = instance.user_id if isinstance(instance, StaffProfile) else instance.pk
        shown_in = Claim.objects.using(using).filter(Q(researcher_id=user_id) | Q(reviewer_id=user_id))
        shown_in.update(byline_changed_at=timezone.now())
    content_changed(using=using, row=instance)


def user_saving(sender, instance, using: str = "default", raw: bool = False, update_fields=None, **kwargs) -> None:
    """Note whether this save changes the user's full name, the byline of anyone without a display name.

    A login saves ``last_login`` alone (``update_fields``): that costs no query and purges nothing.
    """
    instance._full_name_changed = False
    names_untouched = update_fields is not None and not {"first_name", "last_name"} & set(update_fields)
    if raw or instance.pk is None or names_untouched:
        return
    before = sender._default_manager.using(using).filter(pk=instance.pk).first()
    instance._full_name_changed = before is not None and before.get_full_name() != instance.get_full_name()


def user_saved(sender, instance, using: str = "default", **kwargs) -> None:
    """A new full name shows in bylines where the user has no display name (``people.models.public_name``)."""
    from .models import StaffProfile

    if (
        getattr(instance, "_full_name_changed", False)
        and not StaffProfile.objects.using(using).filter(user=instance).exists()
    ):
        byline_changed(sender, instance, using=using)


class PeopleConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "factcheck.people"
    label = "people"
    verbose_name = "People"

    def ready(self) -> None:
        from .models import StaffProfile

        post_save.connect(byline_changed, sender=StaffProfile, dispatch_uid="factcheck.people.profile_saved")
        post_delete.connect(byline_changed, sender=StaffProfile, dispatch_uid="factcheck.people.profile_deleted")
        pre_save.connect(user_saving, sender=settings.AUTH_USER_MODEL, dispatch_uid="factcheck.people.user_saving")
        post_save.connect(user_saved, sender=settings.AUTH_USER_MODEL, dispatch_uid="factcheck.people.user_saved")
        # A deleted account leaves the bylines (Claim.researcher and reviewer are set to NULL in bulk, which
        # sends no signal of the claims app): purged like a new name, once the deletion commits.
        pre_delete.connect(
            byline_changed, sender=settings.AUTH_USER_MODEL, dispatch_uid="factcheck.people.user_deleted"
        )
