"""The cost of `generate_claims` on the database of DATABASE_URL: wall clock and CPU seconds (this
process and its PostgreSQL backend, read from /proc), since on a shared machine the wall clock says
more about the neighbours than about the code.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/NAME .venv/bin/python bench/generation.py --claims 20000
    … --rollback                   # measure, then undo the load (keeps a benchmark database as it was)

Prints one line. Run it on a database of its own: it adds claims (unless --rollback).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from contextlib import nullcontext
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402

from factcheck.claims.generation import generate_claims  # noqa: E402
from factcheck.claims.models import Claim  # noqa: E402


class Undo(Exception):
    pass


def backend_cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--claims", type=int, default=20000)
    parser.add_argument("--evidence-per-claim", type=int, default=2)
    parser.add_argument("--rollback", action="store_true")
    args = parser.parse_args()
    before = Claim.objects.count()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    cpu0, python0, wall0 = backend_cpu(backend), time.process_time(), time.perf_counter()
    try:
        with transaction.atomic() if args.rollback else nullcontext():
            report = generate_claims(claims=args.claims, evidence_per_claim=args.evidence_per_claim)
            wall, python, postgres = (
                time.perf_counter() - wall0,
                time.process_time() - python0,
                backend_cpu(backend) - cpu0,
            )
            if args.rollback:
                raise Undo
    except Undo:
        pass
    cpu = python + postgres
    print(
        f"{report.claims:,} claims added to {before:,} (evidence {args.evidence_per_claim} each): "
        f"wall {wall:.1f} s ({report.claims / wall:,.0f} claims/s); CPU {python:.1f} s Python + {postgres:.1f} s "
        f"PostgreSQL = {cpu:.1f} s ({report.claims / cpu:,.0f} claims per CPU second)"
    )


if __name__ == "__main__":
    main()
