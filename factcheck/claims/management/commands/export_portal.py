from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from factcheck.claims.portability import portal_export_to_file


class Command(BaseCommand):
    help = (
        "Write every article, claim, evidence link, rating, partner (without secrets) and all history to one JSON file."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", help="The JSON file to write.")

    def handle(self, *args, **options) -> None:
        path = Path(options["path"])
        if not path.parent.exists():
            raise CommandError(f"path: the folder {path.parent} does not exist.")
        counts = portal_export_to_file(path)
        summary = ", ".join(f"{n} {label}" for label, n in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Exported to {path}: {summary}."))
