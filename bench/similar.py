"""Precision and recall at the top 3 of "already checked?" (``similar_claims``) on the paraphrase set.

    .venv/bin/python bench/similar.py                                    # SQLite (Python fallback)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/NAME .venv/bin/python bench/similar.py   # pg_trgm

Runs in a fresh test database (created and dropped like the test suite's, named after NAME with
``test_`` in front), loads the claims of ``tests/data/similar_claims.json`` as published verdicts and
asks for each pair's text. Prints the figures (recorded in docs/similar-claims.md and kept by
tests/api/test_similar.py) and every pair that missed or answered a wrong claim.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_databases, setup_test_environment, teardown_databases  # noqa: E402


def main() -> None:
    setup_test_environment()
    names = setup_databases(verbosity=0, interactive=False, aliases={"default"})
    try:
        from factcheck.claims.paraphrases import evaluate, load_claims, read_set

        data = read_set()
        figures = evaluate(data, load_claims(data))
        print(json.dumps({"database": connection.vendor, **figures.as_dict()}, indent=2))
        for text in figures.misses:
            print(f"missed: {text}")
        for line in figures.wrong:
            print(f"wrong answer: {line}")
    finally:
        teardown_databases(names, verbosity=0)


if __name__ == "__main__":
    main()
