import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from factcheck.claims.portability import PortalImportError, portal_import


class Command(BaseCommand):
    help = "Restore a portal export (from export_portal) into an empty database."

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", help="The JSON file written by export_portal.")
        parser.add_argument(
            "--allow-non-empty",
            action="store_true",
            help="Import even though the database holds articles or claims (rows with the same ids are overwritten).",
        )

    def handle(self, *args, **options) -> None:
        path = Path(options["path"])
        if not path.is_file():
            raise CommandError(f"path: no such file: {path}")
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise CommandError(f"path: not a JSON export ({exc}).") from None
        try:
            counts = portal_import(data, allow_non_empty=options["allow_non_empty"])
        except PortalImportError as exc:
            raise CommandError(str(exc)) from None
        summary = ", ".join(f"{n} {label}" for label, n in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Imported from {path}: {summary}."))
