import time

from django.core.management.base import BaseCommand, CommandError

from factcheck.claims.generation import generate_claims


class Command(BaseCommand):
    help = "Generate synthetic published claims with evidence (and their history rows) for benchmarks."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--claims", type=int, required=True, help="How many claims to create.")
        parser.add_argument("--evidence-per-claim", type=int, default=2)
        parser.add_argument("--seed", type=int, default=1, help="Random seed, for repeatable data.")
        parser.add_argument("--batch-size", type=int, default=5000)

    def handle(self, *args, **options) -> None:
        if options["claims"] < 1:
            raise CommandError("--claims: must be 1 or more.")
        if not 0 <= options["evidence_per_claim"] <= 50:
            raise CommandError("--evidence-per-claim: must be between 0 and 50.")
        if options["batch_size"] < 50:
            raise CommandError("--batch-size: must be 50 or more.")
        started = time.perf_counter()
        report = generate_claims(
            claims=options["claims"],
            evidence_per_claim=options["evidence_per_claim"],
            seed=options["seed"],
            batch_size=options["batch_size"],
        )
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"Generated {report.claims} claims in {report.articles} articles with {report.evidence} evidence links "
            f"in {elapsed:.1f} s ({report.claims / elapsed:.0f} claims/s)."
        )
