from django.conf import settings
from django.core.management.base import BaseCommand

from factcheck.tips.services import tips_anonymise, tips_retention_cutoff


class Command(BaseCommand):
    help = (
        "Wipe what readers wrote in tips received more than TIP_RETENTION_DAYS days ago "
        "(text, link, contact, the newsroom's note); the reference, status and dates stay. Run it daily."
    )

    def handle(self, *args, **options) -> None:
        cutoff = tips_retention_cutoff()
        count = tips_anonymise(received_before=cutoff)
        self.stdout.write(
            f"Anonymised {count} tip(s) received before {cutoff:%Y-%m-%d %H:%M} "
            f"(retention {settings.TIP_RETENTION_DAYS} days)."
        )
