from django.core.management.base import BaseCommand, CommandError
from django.utils.dateparse import parse_datetime

from factcheck.claims.errors import ServiceError
from factcheck.partners.services import create_partner_with_key


class Command(BaseCommand):
    help = "Create an API partner and print its key (shown only this once)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("name", help="The partner's name, e.g. 'Kompas Data Desk'.")
        parser.add_argument("--email", default="", help="A contact address.")
        parser.add_argument(
            "--expires", default="", help="When the key stops working (ISO 8601), e.g. 2027-01-01T00:00Z."
        )

    def handle(self, *args, name: str, email: str, expires: str, **options) -> None:
        expires_at = None
        if expires:
            expires_at = parse_datetime(expires)
            if expires_at is None or expires_at.tzinfo is None:
                raise CommandError("--expires must be an ISO 8601 date-time with a time zone, e.g. 2027-01-01T00:00Z.")
        try:
            partner, raw = create_partner_with_key(name=name, contact_email=email, expires_at=expires_at)
        except ServiceError as exc:
            raise CommandError(f"{exc.message} {exc.errors}") from None
        self.stdout.write(self.style.SUCCESS(f"Partner {partner.name!r} created (id {partner.pk})."))
        self.stdout.write(f"API key (shown only now; send it as 'Authorization: Api-Key <key>'):\n{raw}")
