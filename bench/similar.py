"""Precision and recall at the top 3 of "already checked?" (``similar_claims``) on the paraphrase set, and
the time of a lookup.

    .venv/bin/python bench/similar.py                                    # SQLite (Python fallback)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/NAME .venv/bin/python bench/similar.py   # pg_trgm
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/NAME .venv/bin/python bench/similar.py --in-place --repeat 5

By default runs in a fresh test database (created and dropped like the test suite's, named after NAME with
``test_`` in front), loads the claims of ``tests/data/similar_claims.json`` as published verdicts and
asks for each pair's text. Prints the figures (recorded in docs/similar-claims.md and kept by
tests/api/test_similar.py) and every pair that missed or answered a wrong claim.

``--in-place`` loads the set into NAME itself instead (a million generated claims, say) inside a
transaction that is rolled back at the end: the same figures among every claim of NAME, and the time of
each lookup (every pair's text and the texts of ``TEXTS``, each ``--repeat`` times, in process, after one
lookup that reads the words' frequencies): median and 95th percentile in milliseconds, over all lookups
and per text of ``TEXTS``; and the same texts through the API endpoint. Prints JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import setup_databases, setup_test_environment, teardown_databases  # noqa: E402

# Texts timed besides the pairs': bench/search.py's three, and one that shares only common words with the
# generated claims and no claim of the set.
TEXTS = [
    "Harga beras naik 20 persen di Jakarta menurut data BPS",
    "Benarkah Indonesia mengakui kemerdekaan Ukraina tahun 1991?",
    "Ukraine wants to join ASEM as a member",
    "Pemerintah Indonesia menyatakan negara anggota NATO hadir di Bangkok",
]


def percentile(times: list[float], share: float) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def quality() -> None:
    from factcheck.claims.paraphrases import evaluate, load_claims, read_set

    data = read_set()
    figures = evaluate(data, load_claims(data))
    print(json.dumps({"database": connection.vendor, **figures.as_dict()}, indent=2))
    for text in figures.misses:
        print(f"missed: {text}")
    for line in figures.wrong:
        print(f"wrong answer: {line}")


class Rollback(Exception):
    pass


def in_place(repeat: int) -> None:
    from factcheck.claims.models import Claim
    from factcheck.claims.paraphrases import evaluate, load_claims, read_set
    from factcheck.claims.similar import similar_claims

    data = read_set()
    report: dict = {"database": connection.vendor, "claims": Claim.objects.count()}
    try:
        with transaction.atomic():
            started = time.perf_counter()
            similar_claims(text="beras")  # reads the words' frequencies (once in a while per process)
            report["first_lookup_ms"] = round((time.perf_counter() - started) * 1000, 1)
            claims = load_claims(data)
            figures = evaluate(data, claims)
            report.update(figures.as_dict())
            # Wrong answers: a claim of the set, or one of NAME's own ("-> None": the demo's claims repeat some of
            # the set's, and a generated claim may share its words); the latter only counted.
            report["misses"] = figures.misses
            report["wrong_in_set"] = [line for line in figures.wrong if not line.endswith("-> None")]
            report["wrong_outside_set"] = sum(line.endswith("-> None") for line in figures.wrong)
            texts = [pair["text"] for pair in data["pairs"]] + TEXTS
            times: dict[str, list[float]] = {text: [] for text in texts}
            answers: dict[str, int] = {}
            incomplete = 0
            for _ in range(repeat):
                for text in texts:
                    started = time.perf_counter()
                    found = similar_claims(text=text)
                    times[text].append((time.perf_counter() - started) * 1000)
                    answers[text] = len(found)
                    incomplete += not found.complete
            every = [t for ts in times.values() for t in ts]
            report["lookups"] = len(every)
            report["incomplete"] = incomplete
            report["all_p50_ms"] = round(statistics.median(every), 1)
            report["all_p95_ms"] = round(percentile(every, 0.95), 1)
            report["all_max_ms"] = round(max(every), 1)
            report["api"] = api_timing(repeat)
            report["texts"] = [
                {
                    "text": text,
                    "answers": answers[text],
                    "p50_ms": round(statistics.median(times[text]), 1),
                    "p95_ms": round(percentile(times[text], 0.95), 1),
                }
                for text in TEXTS
            ]
            raise Rollback
    except Rollback:
        pass
    print(json.dumps(report, indent=2, ensure_ascii=False))


def api_timing(repeat: int) -> dict:
    """``GET /api/v1/claims/similar/`` for each text of ``TEXTS``, ``repeat`` times (Django's test client, in
    process, throttles lifted): the endpoint's whole work, serializing and its ETag included."""
    from django.conf import settings
    from django.test import override_settings
    from rest_framework.test import APIClient

    client = APIClient()
    times = []
    with override_settings(API_THROTTLE_RATES=dict.fromkeys(settings.API_THROTTLE_RATES)):
        for _ in range(repeat):
            for text in TEXTS:
                started = time.perf_counter()
                response = client.get("/api/v1/claims/similar/", {"text": text, "language": "id"})
                times.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, response.status_code
    return {
        "requests": len(times),
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(percentile(times, 0.95), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--in-place", action="store_true", help="in DATABASE_URL's database, rolled back")
    parser.add_argument("--repeat", type=int, default=3, help="with --in-place: lookups of each text")
    args = parser.parse_args()
    if args.in_place:
        in_place(args.repeat)
        return
    setup_test_environment()
    names = setup_databases(verbosity=0, interactive=False, aliases={"default"})
    try:
        quality()
    finally:
        teardown_databases(names, verbosity=0)


if __name__ == "__main__":
    main()
