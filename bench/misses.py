"""Cache-miss latency of the origin on a database that already holds its claims (for instance a
million generated once and kept): gunicorn with production settings, one request at a time, each
address new to the cache, as `bench/run.py` times its "miss" columns, without regenerating the
data or running the wrk rounds.

    BENCH_REDIS_URL=redis://127.0.0.1:6379/N .venv/bin/python bench/misses.py --database NAME --port 8180

Prints p50 and p95 in ms for the home page, a claim page, the API claim detail and the API list of 50 (the
pages with a p50 goal in issue 15); with ``--pages all``, for every endpoint of ``bench/run.py`` (the article
page, both searches, the ClaimReview feed and a 304 too), whose p95 should grow at most 1.5× from 1,000 to
1,000,000 claims. With ``--speed-index``, the bare-Django baseline's throughput before and after: the same
figure bench/edge.py reports, so a run in a slow spell of this shared machine can be told from a slow page.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run  # noqa: E402  (bench/run.py: the same environment, server and timing)

PAGES = ["home page", "claim page", "API claim detail", "API claim list (50)"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", required=True)
    parser.add_argument("--port", type=int, default=0, help="gunicorn's port (default: a free one)")
    parser.add_argument("--misses", type=int, default=100)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--pages", choices=("goals", "all"), default="goals")
    parser.add_argument(
        "--speed-index",
        action="store_true",
        help="first and last, the bare-Django baseline's requests per second with wrk (as bench/edge.py measures "
        "it: 16 connections, 2 threads, 5 s, three rounds): how fast the machine is running at the time",
    )
    args = parser.parse_args()
    if args.port:
        run.free_port = lambda: args.port
    static_root = run.ROOT / "bench" / "results" / "static"
    env = run.base_env(args.database, static_root)
    run.manage(env, "collectstatic", "--no-input")
    out = run.manage(env, "shell", "-c", run.DISCOVER)
    info = json.loads(next(row for row in out.splitlines() if row.startswith("DISCOVER "))[len("DISCOVER ") :])
    targets = run.targets_for(info)
    names = PAGES if args.pages == "goals" else [name for name in targets if name != run.BASELINE]
    print(f"{info['claims']:,} claims in {args.database}; {args.misses} misses each, one at a time\n")
    with run.gunicorn(env, args.workers) as base:
        if args.speed_index:
            print_speed_index(base + targets[run.BASELINE]["path"], "before")
        print("| page | miss p50 ms | miss p95 ms |\n|---|---:|---:|")
        for name in names:
            path, headers = targets[name]["path"], {}
            if targets[name].get("conditional"):  # revalidates what it holds: a 304
                headers["If-None-Match"] = run.fetch(base + path)[1].get("ETag", "")
            # Each worker's first requests load code and templates; each thread's database connection prepares a
            # statement it ran more than DATABASE_PREPARE_THRESHOLD times and plans it once five runs later.
            for number in range(100):
                run.fetch(f"{base}{path}{'&' if '?' in path else '?'}bench-warm={number}", headers)
            figures = run.measure_misses(base, path, headers, args.misses)
            print(f"| {name} (`{path}`) | {figures['miss_p50_ms']:.1f} | {figures['miss_p95_ms']:.1f} |", flush=True)
        if args.speed_index:
            print_speed_index(base + targets[run.BASELINE]["path"], "after")


def print_speed_index(url: str, when: str) -> None:
    """The machine's speed at the time: this shared machine runs the same code two to three times slower in
    some spells than in others (docs/performance.md), so absolute figures are read beside it."""
    rounds = [run.run_wrk(url, {}, duration=5, connections=16, threads=2)["rps"] for _ in range(3)]
    print(
        f"speed index ({when}): the baseline at {sorted(rounds)[1]:.0f} requests/s "
        f"(rounds {', '.join(f'{r:.0f}' for r in rounds)})\n",
        flush=True,
    )


if __name__ == "__main__":
    main()
