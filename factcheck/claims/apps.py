from django.apps import AppConfig
from django.db.models.signals import post_migrate


def create_roles(sender, using: str = "default", **kwargs) -> None:
    """After ``migrate``, make sure the Editors and Reviewers groups exist with their permissions.

    Runs after auth's own post_migrate handler has created the permissions
    (this app comes later in INSTALLED_APPS). Creates no domain data.
    """
    from .roles import ensure_roles

    ensure_roles(using=using)


class ClaimsConfig(AppConfig):
    name = "factcheck.claims"
    verbose_name = "Claims"

    def ready(self) -> None:
        post_migrate.connect(create_roles, sender=self, dispatch_uid="factcheck.claims.create_roles")
