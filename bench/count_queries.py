"""Count the database queries of each benchmarked URL, in-process, on a warm cache.

Run by bench/run.py with the same environment as the server:  python bench/count_queries.py URL [URL ...]
Prints one JSON object {url: queries}.
"""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def main(urls: list[str]) -> None:
    client = Client(
        HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https", headers=json.loads(os.environ.get("BENCH_HEADERS", "{}"))
    )
    counts = {}
    for url in urls:
        client.get(url)  # warm the cache, as the load test does
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        counts[url] = {"queries": len(captured), "status": response.status_code}
    print(json.dumps(counts))


if __name__ == "__main__":
    main(sys.argv[1:])
