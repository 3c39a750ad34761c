from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from factcheck.claims.portability import portal_export_to_file


class Command(BaseCommand):
    help = (
        "Write the whole portal to a JSON Lines file (.gz: compressed), to move it to another installation: "
        "articles, claims, evidence, corrections, the rating scale, partners with their hashed API keys, "
        "webhook endpoints, events and deliveries, people with their groups (no passwords), and all history. "
        "For backups of a production database use pg_dump (docs/deployment.md)."
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
