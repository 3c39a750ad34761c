import argparse
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from factcheck.claims.portability import PASSWORD_HINT, PortalImportError, portal_import_from_file


class Command(BaseCommand):
    help = (
        "Restore a file written by export_portal into a database without portal content, all or nothing "
        "(the rating scale seeded by migrations is replaced by the exported one)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", help="The file written by export_portal (.jsonl, or compressed .gz).")
        # Removed: importing over existing claims let a claim and its history disagree (issue 14).
        parser.add_argument("--allow-non-empty", action="store_true", help=argparse.SUPPRESS)

    def handle(self, *args, **options) -> None:
        if options["allow_non_empty"]:
            raise CommandError(
                "--allow-non-empty was removed: importing over existing claims could leave a claim and its "
                "history at different versions. Import into an empty database (after `manage.py flush`)."
            )
        path = Path(options["path"])
        if not path.is_file():
            raise CommandError(f"path: no such file: {path}")
        try:
            report = portal_import_from_file(path)
        except PortalImportError as exc:
            raise CommandError(f"path: {exc} Nothing was imported.") from None
        summary = ", ".join(f"{n} {label}" for label, n in report.counts.items())
        self.stdout.write(self.style.SUCCESS(f"Imported from {path}: {summary}."))
        if report.deliveries_queued:
            self.stdout.write(f"Queued {report.deliveries_queued} pending webhook deliveries again.")
        if report.users_matched:
            self.stdout.write(f"Already here, kept with their passwords: {', '.join(report.users_matched)}.")
        if report.users_created:
            self.stdout.write(f"{PASSWORD_HINT} Restored: {', '.join(report.users_created)}.")
