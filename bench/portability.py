#!/usr/bin/env python
"""Time export_portal and import_portal at scale, with the peak memory of each.

Builds a database with generated claims (published, 3 evidence links each, a history row per
record), exports it, and imports the file into an empty database (SQLite: a second, freshly
migrated file; PostgreSQL: the same database, dropped, created and migrated again). Each step
runs as its own `manage.py` process; its wall time, CPU time and peak resident memory (ru_maxrss
from wait4) are printed.

    .venv/bin/python bench/portability.py                      # 60,000 claims on SQLite
    .venv/bin/python bench/portability.py --claims 200000
    .venv/bin/python bench/portability.py --database-url postgres://postgres@127.0.0.1:5432/factcheck_wt_restore

The PostgreSQL database is dropped and created again twice: before generating, and before importing.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def run(step: str, args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Run ``manage.py args``; return (wall seconds, peak MB) of that process alone, and print its CPU
    seconds too: on a shared machine the wall time also counts the time other processes had the CPU."""
    with tempfile.TemporaryFile() as log:
        started = time.perf_counter()
        process = subprocess.Popen([PYTHON, "manage.py", *args], cwd=ROOT, env=env, stdout=log, stderr=log)
        _, status, usage = os.wait4(process.pid, 0)  # the rusage of this child alone
        elapsed = time.perf_counter() - started
        log.seek(0)
        output = log.read().decode()
    code = os.waitstatus_to_exitcode(status)
    process.returncode = code
    if code:
        sys.exit(f"{step} failed ({code}):\n{output}")
    peak_mb = usage.ru_maxrss / 1024  # kilobytes on Linux
    last = (output.strip().splitlines() or [""])[-1][:150]
    cpu = usage.ru_utime + usage.ru_stime
    print(f"{step:<10} {elapsed:7.1f} s wall {cpu:7.1f} s CPU  peak {peak_mb:6.0f} MB   {last}", flush=True)
    return elapsed, peak_mb


def recreate(database_url: str) -> None:
    """Drop and create the PostgreSQL database of ``database_url``: a new installation, migrated next."""
    import psycopg

    url = urlsplit(database_url)
    name = url.path.lstrip("/")
    maintenance = urlunsplit(url._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--claims", type=int, default=60_000)
    parser.add_argument("--evidence-per-claim", type=int, default=3)
    parser.add_argument("--database-url", default="", help="postgres://…; empty: SQLite files in a temp folder")
    parser.add_argument("--gzip", action="store_true", help="write the export compressed (.jsonl.gz)")
    options = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="portability-") as folder:
        base = {**os.environ, "DJANGO_SETTINGS_MODULE": "factcheck.settings"}
        if options.database_url:
            source = target = {**base, "DATABASE_URL": options.database_url}
        else:
            base.pop("DATABASE_URL", None)
            source = {**base, "SQLITE_PATH": str(Path(folder) / "source.sqlite3")}
            target = {**base, "SQLITE_PATH": str(Path(folder) / "target.sqlite3")}
        export = Path(folder) / ("portal.jsonl.gz" if options.gzip else "portal.jsonl")

        if options.database_url:
            recreate(options.database_url)
        run("migrate", ["migrate", "--no-input", "-v0"], source)
        run(
            "generate",
            ["generate_claims", f"--claims={options.claims}", f"--evidence-per-claim={options.evidence_per_claim}"],
            source,
        )
        export_seconds, export_mb = run("export", ["export_portal", str(export)], source)
        size_mb = export.stat().st_size / 1024 / 1024
        if options.database_url:
            recreate(options.database_url)
        run("migrate", ["migrate", "--no-input", "-v0"], target)
        import_seconds, import_mb = run("import", ["import_portal", str(export)], target)

    backend = "PostgreSQL" if options.database_url else "SQLite"
    print(
        f"\n{backend}, {options.claims:,} claims × {options.evidence_per_claim} evidence: "
        f"export {export_seconds:.1f} s ({export_mb:.0f} MB peak, file {size_mb:.0f} MB), "
        f"import {import_seconds:.1f} s ({import_mb:.0f} MB peak), "
        f"round trip {export_seconds + import_seconds:.1f} s"
    )


if __name__ == "__main__":
    main()
