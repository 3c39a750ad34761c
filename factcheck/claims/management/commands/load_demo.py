from django.core.management.base import BaseCommand

from factcheck.claims.demo import load_demo


class Command(BaseCommand):
    help = "Load the seed article, its researched claims and evidence, and the demo accounts (idempotent)."

    def handle(self, *args, **options) -> None:
        report = load_demo()
        if report.changed:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo loaded: article {report.article.slug!r} "
                    f"({'new' if report.article_created else 'existing'}), "
                    f"{report.claims_created} claims and {report.evidence_created} evidence links created."
                )
            )
        else:
            self.stdout.write("Demo already loaded; nothing changed.")
        self.stdout.write("Demo accounts (log in at /admin/):")
        for username, password, role in report.accounts:
            self.stdout.write(f"  {username:<10} password: {password:<22} ({role})")
        if report.partner_key:
            self.stdout.write(
                f"Demo API partner {report.partner.name!r} created; its key (shown only now), for "
                f"'Authorization: Api-Key <key>' at /api/v1/ (docs at /api/docs/):\n  {report.partner_key}"
            )
        else:
            self.stdout.write(
                f"Demo API partner {report.partner.name!r} exists; its key was printed when it was created "
                "(make a new one with the admin's 'Create a new API key' action)."
            )
