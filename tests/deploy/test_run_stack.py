"""`make run-stack` (deploy/run-stack.sh) starts the production shape, and it works end to end: Varnish caches
a reader's page, a correction committed by another process purges it at once, and Ctrl-C stops every process.

Runs in CI's PostgreSQL run only (the stack needs PostgreSQL, and it is the slowest test of its kind: a new
database migrated, static files collected, the demo loaded); skipped, with the reason, elsewhere.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import WAIT_CEILING_SECONDS
from tests.edge.conftest import VARNISHD, free_port, xkey_vmod_present

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow

# Run by the stack's own settings, in a process of its own: a correction as the newsroom makes it (one reviewer
# proposes, another approves), which purges the claim's keys in Varnish after its commit.
CORRECT = """
from django.contrib.auth import get_user_model
from factcheck.claims import revisions
from factcheck.claims.models import Claim
from factcheck.claims.roles import REVIEWERS, ensure_roles
claim = Claim.objects.get(slug={slug!r})
people = []
for name in ("stack-reviewer-1", "stack-reviewer-2"):
    user = get_user_model().objects.create_user(name, first_name=name, is_staff=True)
    user.groups.add(ensure_roles()[REVIEWERS])
    people.append(user)
revision = revisions.revision_propose(
    claim=claim, by=people[0], expected_version=claim.version, changes={{"verdict": {verdict!r}}}, note="Diperbaiki."
)
revisions.revision_approve(revision=revision, by=people[1])
"""


def get(url: str) -> tuple[int, dict[str, str], str]:
    try:
        with urllib.request.urlopen(url, timeout=60) as answer:
            return answer.status, dict(answer.headers), answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode(errors="replace")


def psql(server: str, sql: str) -> None:
    subprocess.run(["psql", f"{server}/postgres", "-qc", sql], check=True, capture_output=True)


@pytest.fixture
def stack(tmp_path):
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith("postgres"):
        pytest.skip("the stack needs PostgreSQL: runs in CI's PostgreSQL run (DATABASE_URL=postgres://…)")
    if VARNISHD is None or not xkey_vmod_present():
        pytest.skip("varnishd with the xkey vmod is not installed (apt-get install varnish varnish-modules)")
    if shutil.which("psql") is None:
        pytest.skip("psql is not installed")
    server = database_url.rsplit("/", 1)[0]
    database = f"factcheck_stack_test_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
    psql(server, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    port, origin = free_port(), free_port()
    env = {
        **os.environ,
        "PY": sys.executable,
        "STACK_PORT": str(port),
        "ORIGIN_PORT": str(origin),
        "STACK_DIR": str(tmp_path / "stack"),
        "DATABASE_URL": f"{server}/{database}",
        "WEB_CONCURRENCY": "2",
        "VARNISH_MEMORY": "32m",
    }
    env.pop("DATABASE_REPLICA_URL", None)
    log = (tmp_path / "stack.log").open("w")
    process = subprocess.Popen(
        ["bash", "deploy/run-stack.sh"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + WAIT_CEILING_SECONDS
        while True:
            if process.poll() is not None:
                pytest.fail(f"run-stack stopped: {(tmp_path / 'stack.log').read_text()[-3000:]}")
            try:
                if get(f"{base}/healthz/live")[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("run-stack did not answer through Varnish within the ceiling")
            time.sleep(0.5)
        yield base, origin, env, process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGINT)  # Ctrl-C
            try:
                process.wait(timeout=WAIT_CEILING_SECONDS)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        log.close()
        psql(server, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def stack_processes(process_group: int) -> list[str]:
    found = subprocess.run(["ps", "-o", "pid=,args=", "-g", str(process_group)], capture_output=True, text=True)
    return [line for line in found.stdout.splitlines() if line.strip()]


def test_run_stack_caches_pages_purges_a_correction_and_stops_on_ctrl_c(stack):
    base, origin, env, process = stack
    claims = json.loads(get(f"{base}/api/v1/claims/?page_size=1")[2])
    slug = claims["results"][0]["slug"]
    page = f"{base}/claims/{slug}/"

    assert get(page)[0] == 200
    status, headers, _ = get(page)
    assert status == 200 and headers["X-Cache"] == "HIT"  # Varnish answered
    assert get(f"http://127.0.0.1:{origin}/claims/{slug}/")[0] == 200  # gunicorn behind it
    # Everything it writes stays in its own directory, an absolute STACK_DIR included (the static files
    # once went to the checkout's "tmp/…", which a commit then took in).
    assert Path(env["STACK_DIR"], "static", "staticfiles.json").is_file()

    verdict = "Dikoreksi lewat tumpukan produksi."
    settings = {**env, "DJANGO_ENV": "production", "SECRET_KEY": Path(env["STACK_DIR"], "secret_key").read_text()}
    settings.update(PURGE_BACKEND="varnish", VARNISH_PURGE_URLS=f"{base}/", SECURE_SSL_REDIRECT="0")
    settings.update(ALLOWED_HOSTS="127.0.0.1,localhost", SITE_URL=base)
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", CORRECT.format(slug=slug, verdict=verdict)],
        cwd=ROOT,
        env=settings,
        check=True,
        capture_output=True,
    )
    status, headers, body = get(page)  # at once: the purge came after the commit, before the shell exited
    assert status == 200 and headers["X-Cache"] == "MISS" and verdict in body

    os.killpg(process.pid, signal.SIGINT)
    process.wait(timeout=WAIT_CEILING_SECONDS)
    deadline = time.monotonic() + WAIT_CEILING_SECONDS
    while stack_processes(process.pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert stack_processes(process.pid) == []  # gunicorn, the worker and varnishd are gone
