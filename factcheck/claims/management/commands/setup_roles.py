from django.core.management.base import BaseCommand

from factcheck.claims.roles import ensure_roles


class Command(BaseCommand):
    help = "Create or update the Editors and Reviewers groups with exactly their permissions (idempotent)."

    def handle(self, *args, **options) -> None:
        for group in ensure_roles().values():
            codenames = sorted(group.permissions.values_list("codename", flat=True))
            self.stdout.write(f"{group.name}: {', '.join(codenames)}")
