"""Cache misses of two checkouts of the portal at once: this one and ``--base`` (e.g. an older commit
unpacked with ``git archive``), each under gunicorn with production settings, on the same database, their
requests interleaved one at a time (base, new, new, base, ...). On a shared machine whose load moves from
one minute to the next, the ratio of the two is what holds; each absolute figure moves with the load.

    git archive COMMIT | tar -x -C /tmp/base && ln -s "$PWD/.venv" /tmp/base/.venv
    BENCH_REDIS_URL=redis://127.0.0.1:6379/N .venv/bin/python bench/misses_ab.py --base /tmp/base \
        --database NAME --ports 8180,8181

Prints p50 and p25 in ms of each and the ratio of the p50s, for the pages of ``bench/misses.py``. The two
servers count their API throttles in Redis databases N and N+1.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import secrets
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run  # noqa: E402  (bench/run.py: the same environment, server and timing)
from misses import PAGES  # noqa: E402


def load_run(root: Path):
    """The other checkout's bench/run.py, so that its server runs its own code."""
    spec = importlib.util.spec_from_file_location("base_run", root / "bench" / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", type=Path, required=True, help="the other checkout (with its .venv or a link)")
    parser.add_argument("--database", required=True)
    parser.add_argument("--ports", default="0,0", help="gunicorn's ports, new then base (default: free ones)")
    parser.add_argument("--misses", type=int, default=60, help="misses of each checkout per page")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--pages", choices=("goals", "all"), default="goals")
    parser.add_argument(
        "--warmup", type=int, default=100, help="requests per page first (each thread's connection prepares its reads)"
    )
    args = parser.parse_args()
    new_port, base_port = (int(port) or run.free_port() for port in args.ports.split(","))
    base_run = load_run(args.base.resolve())
    servers = {}
    for name, module in (("new", run), ("base", base_run)):
        env = module.base_env(args.database, module.ROOT / "bench" / "results" / "static")
        if name == "base":
            redis, _, number = env["REDIS_URL"].rpartition("/")
            env["REDIS_URL"] = f"{redis}/{int(number) + 1}"  # its own throttle counters
        module.manage(env, "collectstatic", "--no-input")
        servers[name] = (module, env)
    out = run.manage(servers["new"][1], "shell", "-c", run.DISCOVER)
    info = json.loads(next(row for row in out.splitlines() if row.startswith("DISCOVER "))[len("DISCOVER ") :])
    targets = run.targets_for(info)
    print(f"{info['claims']:,} claims in {args.database}; {args.misses} misses of each, interleaved\n")
    print("| page | base p50 / p25 ms | new p50 / p25 ms | new ÷ base (p50) |\n|---|---:|---:|---:|")
    with (
        base_run.gunicorn(servers["base"][1], args.workers, base_port) as base,
        run.gunicorn(servers["new"][1], args.workers, new_port) as new,
    ):
        for page in PAGES if args.pages == "goals" else [name for name in targets if name != run.BASELINE]:
            path, headers = targets[page]["path"], {}
            separator = "&" if "?" in path else "?"
            if targets[page].get("conditional"):  # revalidates what it holds: a 304
                headers["If-None-Match"] = run.fetch(new + path)[1].get("ETag", "")
            for url in (base, new):
                # Each worker's first requests load code and templates; each thread's database connection prepares
                # a statement it ran more than DATABASE_PREPARE_THRESHOLD times and plans it once five runs later.
                for number in range(args.warmup):
                    run.fetch(f"{url}{path}{separator}bench-warm={number}", headers)
            ms: dict[str, list[float]] = {"base": [], "new": []}
            for number in range(args.misses):
                order = (("base", base), ("new", new)) if number % 2 == 0 else (("new", new), ("base", base))
                for name, url in order:
                    started = time.perf_counter()
                    run.fetch(f"{url}{path}{separator}bench-miss={secrets.token_hex(6)}{number}", headers)
                    ms[name].append((time.perf_counter() - started) * 1000)
            b, n = sorted(ms["base"]), sorted(ms["new"])
            half, quarter = args.misses // 2, args.misses // 4
            print(
                f"| {page} | {b[half]:.1f} / {b[quarter]:.1f} | {n[half]:.1f} / {n[quarter]:.1f} "
                f"| {n[half] / b[half]:.2f} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
