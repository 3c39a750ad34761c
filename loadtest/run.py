#!/usr/bin/env python
"""A bounded load test: 64 concurrent clients for 60 seconds against gunicorn with production settings.

It builds a PostgreSQL database with the demo (plus generated claims if asked), collects the static
files, starts gunicorn on 127.0.0.1 with DJANGO_ENV=production, PostgreSQL and Redis (the throttles
lifted: every client comes from one address), and runs Locust headless, in this process, over the
pages readers and partners use: the home page, claim pages (both languages), the article page,
search, and the API's claim list, claim detail and ClaimReview. It prints the requests, errors,
5xx answers and p50/p95/p99 latency per kind of request and in all, and exits non-zero on any error
or 5xx.

    .venv/bin/python loadtest/run.py                          # 64 clients, 60 s, the demo's 17 claims
    .venv/bin/python loadtest/run.py --users 16 --duration 10 --claims 1000

Needs: PostgreSQL on 127.0.0.1:5432 (user postgres) and Redis on 127.0.0.1:6379. Sends traffic only to
127.0.0.1. Not part of the unit suite.
"""

# Locust runs its clients on gevent, which patches the standard library: it must come first.
from gevent import monkey

monkey.patch_all()

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections import defaultdict  # noqa: E402
from pathlib import Path  # noqa: E402

import gevent  # noqa: E402
from locust import FastHttpUser, constant, task  # noqa: E402
from locust.env import Environment  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import base_env, gunicorn, manage, psql, sh  # noqa: E402

DATABASE = "factcheck_loadtest"
DISCOVER = r"""
import json
from factcheck.claims.models import Claim
claims = list(Claim.objects.public().select_related("article").order_by("pk"))
print("DISCOVER " + json.dumps({
    "claims": [{"id": c.pk, "slug": c.slug} for c in claims],
    "articles": sorted({c.article.slug for c in claims}),
    "published": [c.pk for c in claims if c.status == "published"],
}))
"""
SEARCHES = ["Bangkok", "ASEM", "Ukraina", "1996", "Indonesia", "Asia Eropa", "negara mitra", "tidak ada hasilnya"]

TARGETS: dict = {}  # filled in before the clients start


class Reader(FastHttpUser):
    """A reader or a partner's client: no think time, so each of them keeps one request in flight."""

    wait_time = constant(0)
    network_timeout = 30.0
    connection_timeout = 10.0

    def get(self, path: str, name: str) -> None:
        self.client.get(path, name=name)

    @task(2)
    def home(self) -> None:
        self.get(random.choice(["/", "/en/"]), "home page")

    @task(4)
    def claim_page(self) -> None:
        claim = random.choice(TARGETS["claims"])
        self.get(random.choice(["", "/en"]) + f"/claims/{claim['slug']}/", "claim page")

    @task(1)
    def article_page(self) -> None:
        self.get(f"/articles/{random.choice(TARGETS['articles'])}/", "article page")

    @task(2)
    def search(self) -> None:
        self.get(f"/search/?q={random.choice(SEARCHES)}", "search")

    @task(2)
    def api_list(self) -> None:
        self.get(random.choice(["/api/v1/claims/", "/api/v1/claims/?page_size=100"]), "API claim list")

    @task(3)
    def api_detail(self) -> None:
        self.get(f"/api/v1/claims/{random.choice(TARGETS['claims'])['id']}/", "API claim detail")

    @task(2)
    def api_claimreview(self) -> None:
        if random.random() < 0.5:
            self.get("/api/v1/claimreview/", "API ClaimReview feed")
        else:
            self.get(f"/api/v1/claims/{random.choice(TARGETS['published'])}/claimreview/", "API ClaimReview")


class Tally:
    """Every request's outcome and time, for exact percentiles and a count of 5xx answers."""

    def __init__(self) -> None:
        self.times: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)
        self.server_errors: dict[str, int] = defaultdict(int)
        self.examples: list[str] = []

    def on_request(self, request_type, name, response_time, response_length, response=None, exception=None, **kw):
        self.times[name].append(response_time)
        status = getattr(response, "status_code", 0) or 0
        if status >= 500:
            self.server_errors[name] += 1
        if exception is not None or not (200 <= status < 300 or status == 304):
            self.errors[name] += 1
            if len(self.examples) < 10:
                url = getattr(getattr(response, "request", None), "url", "") or name
                self.examples.append(f"{name}: status {status} {url} {exception or ''}".strip())


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def report(tally: Tally, seconds: float) -> int:
    header = f"{'':<22} {'requests':>9} {'req/s':>7} {'errors':>7} {'5xx':>5} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}"
    print(header)
    rows = sorted(tally.times.items())
    every = [t for _, times in rows for t in times]
    for name, times in [*rows, ("all", every)]:
        errors = sum(tally.errors.values()) if name == "all" else tally.errors[name]
        server = sum(tally.server_errors.values()) if name == "all" else tally.server_errors[name]
        print(
            f"{name:<22} {len(times):>9} {len(times) / seconds:>7.1f} {errors:>7} {server:>5} "
            f"{percentile(times, 0.50):>8.1f} {percentile(times, 0.95):>8.1f} {percentile(times, 0.99):>8.1f}"
        )
    for example in tally.examples:
        print("  e.g. " + example)
    errors, server = sum(tally.errors.values()), sum(tally.server_errors.values())
    print(f"\nrequests {len(every)}, errors {errors}, 5xx {server}")
    return 1 if errors or server or not every else 0


def prepare(env: dict[str, str], claims: int) -> None:
    psql(f"DROP DATABASE IF EXISTS {DATABASE}")
    psql(f"CREATE DATABASE {DATABASE}")
    manage(env, "migrate", "--no-input")
    manage(env, "load_demo")
    if claims > 17:
        manage(env, "generate_claims", "--claims", str(claims - 17), "--evidence-per-claim", "2")
    sh(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", DATABASE, "-qc", "VACUUM ANALYZE"], env)
    manage(env, "collectstatic", "--no-input")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=64, help="Concurrent clients.")
    parser.add_argument("--duration", type=int, default=60, help="Seconds of load.")
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) * 2 + 1, help="Gunicorn processes.")
    parser.add_argument("--claims", type=int, default=17, help="Claims in the database (the demo has 17).")
    parser.add_argument("--keep-database", action="store_true", help=f"Leave the database {DATABASE} behind.")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="loadtest-static-") as static_root:
        env = base_env(DATABASE, Path(static_root))
        env.update(
            REDIS_URL=os.environ.get("LOADTEST_REDIS_URL", "redis://127.0.0.1:6379/9"),
            API_RATE_USER="100000000/minute",
        )
        print(f"Preparing {DATABASE} (demo, {args.claims} claims) and the static files …", flush=True)
        prepare(env, args.claims)
        out = manage(env, "shell", "-c", DISCOVER)
        TARGETS.update(json.loads(next(r for r in out.splitlines() if r.startswith("DISCOVER "))[len("DISCOVER ") :]))
        try:
            with gunicorn(env, args.workers) as base:
                print(
                    f"Load: {args.users} clients for {args.duration} s against {base} "
                    f"(gunicorn, {args.workers} workers, production settings, PostgreSQL, Redis)",
                    flush=True,
                )
                tally = Tally()
                environment = Environment(user_classes=[Reader], host=base)
                environment.events.request.add_listener(tally.on_request)
                runner = environment.create_local_runner()
                started = time.monotonic()
                runner.start(args.users, spawn_rate=args.users)
                gevent.spawn_later(args.duration, runner.quit)
                runner.greenlet.join()
                seconds = time.monotonic() - started
            print()
            return report(tally, seconds)
        finally:
            if not args.keep_database:
                psql(f"DROP DATABASE IF EXISTS {DATABASE}")


if __name__ == "__main__":
    sys.exit(main())
