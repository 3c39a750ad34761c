from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from factcheck.claims.portability import EXPORTED_APPS, NOT_EXPORTED, portal_export_to_file


class Command(BaseCommand):
    # What travels is what factcheck.claims.portability.exported_models() says, and nothing more.
    help = (
        "Write the portal to a JSON Lines file (.gz: compressed), to move it to another installation: every "
        f"model of the {' and '.join(EXPORTED_APPS)} apps with its history rows (all but "
        f"{', '.join(sorted(NOT_EXPORTED))}), and the user accounts with their groups and permissions but "
        "without their passwords (each person sets a new one). Queued tasks do not travel: the import queues "
        "pending webhook deliveries again. For backups of a production database use pg_dump (docs/deployment.md)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", help="The file to write (a name ending in .gz is compressed).")

    def handle(self, *args, **options) -> None:
        path = Path(options["path"])
        if not path.parent.exists():
            raise CommandError(f"path: the folder {path.parent} does not exist.")
        report = portal_export_to_file(path)
        summary = ", ".join(f"{n} {label}" for label, n in report.counts.items())
        self.stdout.write(self.style.SUCCESS(f"Exported to {path}: {summary}."))
