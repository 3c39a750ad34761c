"""Time search and "already checked?" on the database of DATABASE_URL (filled by `manage.py generate_claims`).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/NAME .venv/bin/python bench/search.py --repeat 20

For each query: the matches counted by the page, the time of one page of ranked results as the search
page reads it (`ranked_search` under `fetch_search`), of the page before ranking (the newest matches,
`claim_search`, as the search read until issue 17), and of a whole search page rendered by the view
on a cache miss (Django's test client, in process). Then `similar_claims` for a few texts. Each figure
is the median and the 95th percentile of --repeat runs, in milliseconds. Prints Markdown.
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from factcheck.claims.models import Claim  # noqa: E402
from factcheck.claims.search import ranked_search  # noqa: E402
from factcheck.claims.selectors import claim_public_list, claim_search, fetch_search  # noqa: E402
from factcheck.claims.similar import similar_claims  # noqa: E402

QUERIES = [
    ("Bangkok", "a fifth of the generated claims"),
    ("sintetis", "every generated claim (its verdict and headline)"),
    ("Ukraina", "rare: the demo's claims"),
    ("pengakuan", "rare, found by its stem (mengakui)"),
    ("ASEM Bangkok", "two common words, together"),
    ("Bangkok NATO", "two common words, never together"),
    ("ASEM anggota", "common words, together only in the demo"),
]
TEXTS = [
    "Harga beras naik 20 persen di Jakarta menurut data BPS",
    "Benarkah Indonesia mengakui kemerdekaan Ukraina tahun 1991?",
    "Ukraine wants to join ASEM as a member",
]


def timed(function, repeat: int) -> tuple[float, float, object]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return statistics.median(times), p95, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = ["*"]
    public = Claim.objects.public().count()
    print(f"{connection.vendor}, {public:,} public claims, {args.repeat} runs each\n")
    print(
        "| query | what | matches (ranked) | ranked page p50 / p95 ms | newest page p50 / p95 ms "
        "| page (miss) p50 / p95 ms |"
    )
    print("|---|---|---:|---:|---:|---:|")
    client = Client()
    for query, what in QUERIES:
        listed = claim_public_list()

        def ranked(query=query, listed=listed):
            return fetch_search(
                lambda: ranked_search(queryset=listed, query=query, language="id", offset=0, limit=21),
                query=query,
                using=listed.db,
            )

        def newest(query=query, listed=listed):
            return fetch_search(
                lambda: list(claim_search(queryset=listed, query=query)[:21]), query=query, using=listed.db
            )

        counter = iter(range(10**9))
        run = secrets.token_hex(4)  # new to the cache in every run of this script, not only the first

        def page(query=query, counter=counter, run=run):
            response = client.get("/search/", {"q": query, "miss": f"{run}-{next(counter)}"})
            assert response.status_code == 200, response.status_code
            return response

        r50, r95, found = timed(ranked, args.repeat)
        n50, n95, _ = timed(newest, args.repeat)
        p50, p95, _ = timed(page, args.repeat)
        count = f"{'> ' if found.more else ''}{found.count:,}"
        print(f"| {query} | {what} | {count} | {r50:.1f} / {r95:.1f} | {n50:.1f} / {n95:.1f} | {p50:.1f} / {p95:.1f} |")
    print("\n| already checked? text | answers | p50 / p95 ms |")
    print("|---|---:|---:|")
    for text in TEXTS:
        s50, s95, answers = timed(lambda text=text: similar_claims(text=text), args.repeat)
        print(f"| {text} | {len(answers)} | {s50:.1f} / {s95:.1f} |")


if __name__ == "__main__":
    main()
