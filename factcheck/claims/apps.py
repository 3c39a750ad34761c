from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_delete, post_migrate, post_save
from django.utils.translation import gettext_lazy


def create_roles(sender, using: str = "default", **kwargs) -> None:
    """After ``migrate``, make sure the Editors and Reviewers groups exist with their permissions.

    Runs after auth's own post_migrate handler has created the permissions
    (this app comes later in INSTALLED_APPS). Creates no domain data.
    """
    from .roles import ensure_roles

    ensure_roles(using=using)


def content_saved(sender, using: str = "default", **kwargs) -> None:
    """Any row of this app saved or deleted (history rows included) may change what readers see.

    Not a migration's historical model (its module is ``__fake__``): tables it needs may not exist yet,
    and ``migrated`` counts the change once the migrations are done.
    """
    if sender.__module__ == "__fake__":
        return
    if sender._meta.app_label == ClaimsConfig.label:
        from .events import content_changed

        # The rating scale shows on every claim and article page; any other row has a version or a history
        # row that the pages showing it read.
        sitewide = sender._meta.model_name in ("rating", "historicalrating")
        content_changed(using=using, sitewide=sitewide, row=kwargs["instance"])


def migrated(sender, using: str = "default", **kwargs) -> None:
    """Data migrations may change what readers see, through models that send no signal of ours."""
    from .events import content_changed

    content_changed(using=using)


class ClaimsConfig(AppConfig):
    label = "claims"
    name = "factcheck.claims"
    verbose_name = gettext_lazy("Claims")

    def ready(self) -> None:
        from .labels import name_claims_models

        name_claims_models()  # the models' and fields' names in the user's language, for the admin
        post_migrate.connect(create_roles, sender=self, dispatch_uid="factcheck.claims.create_roles")
        # The HTTP cache in front is purged of what changed (factcheck/surrogate.py). Bulk writers call
        # events.content_changed().
        post_migrate.connect(migrated, sender=self, dispatch_uid="factcheck.claims.migrated")
        post_save.connect(content_saved, dispatch_uid="factcheck.claims.content_saved")
        post_delete.connect(content_saved, dispatch_uid="factcheck.claims.content_deleted")
        # Prepared statements only where a generic plan is right for every value (factcheck/lib/prepared.py).
        from factcheck.lib import prepared

        connection_created.connect(prepared.install, dispatch_uid="factcheck.lib.prepared.install")
