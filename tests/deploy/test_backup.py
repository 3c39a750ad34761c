"""Production backups are PostgreSQL's own: pg_dump -Fc and pg_restore bring back claims and their history."""

import os
import shutil
import subprocess

import psycopg
import pytest
from django.db import connection

from tests.conftest import WAIT_CEILING_SECONDS

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def client_args(settings: dict) -> tuple[list[str], dict[str, str]]:
    args = ["-h", settings["HOST"] or "127.0.0.1", "-p", str(settings["PORT"] or 5432), "-U", settings["USER"]]
    env = {**os.environ, **({"PGPASSWORD": settings["PASSWORD"]} if settings["PASSWORD"] else {})}
    return args, env


def test_pg_dump_and_pg_restore_bring_back_a_claim_and_its_history(published_claim, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("pg_dump backs up PostgreSQL; this run uses SQLite (set DATABASE_URL).")
    if not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        pytest.skip("pg_dump or pg_restore is not on PATH (apt-get install postgresql-client).")
    settings = connection.settings_dict
    args, env = client_args(settings)
    backup = tmp_path / "portal.dump"
    restored = f"{settings['NAME']}_restored"
    history = list(published_claim.history.order_by("history_id").values_list("history_id", "version", "status"))

    subprocess.run(
        ["pg_dump", *args, "-Fc", "-f", str(backup), settings["NAME"]],
        env=env,
        check=True,
        timeout=WAIT_CEILING_SECONDS,
    )
    with connection.cursor() as cursor:  # autocommit: CREATE DATABASE cannot run in a transaction
        cursor.execute(f'DROP DATABASE IF EXISTS "{restored}"')
        cursor.execute(f'CREATE DATABASE "{restored}"')
    try:
        result = subprocess.run(
            ["pg_restore", *args, "--no-owner", "--exit-on-error", "-d", restored, str(backup)],
            env=env,
            capture_output=True,
            text=True,
            timeout=WAIT_CEILING_SECONDS,
        )
        assert result.returncode == 0, result.stderr
        conninfo = psycopg.conninfo.make_conninfo(
            host=args[1], port=args[3], user=settings["USER"], password=settings["PASSWORD"] or None, dbname=restored
        )
        with psycopg.connect(conninfo) as copy:
            claim = copy.execute(
                "SELECT slug, status, version, verdict FROM claims_claim WHERE id = %s", [published_claim.pk]
            ).fetchone()
            restored_history = copy.execute(
                "SELECT history_id, version, status FROM claims_historicalclaim WHERE id = %s ORDER BY history_id",
                [published_claim.pk],
            ).fetchall()
            evidence = copy.execute("SELECT count(*) FROM claims_evidence WHERE claim_id = %s", [published_claim.pk])
            evidence_count = evidence.fetchone()[0]
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{restored}" WITH (FORCE)')

    assert claim == (published_claim.slug, "published", published_claim.version, published_claim.verdict)
    assert restored_history == history
    assert restored_history[-1][1] == published_claim.version
    assert evidence_count == published_claim.evidence.count()
