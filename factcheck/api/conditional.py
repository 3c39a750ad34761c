"""ETag and Last-Modified on every GET, and 304 for a matching If-None-Match.

ETags come from what identifies a representation's state: a claim's id and
version, or for a page the ids and versions of its rows and where it ends;
never from hashing the body.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterable

from django.utils.cache import patch_vary_headers
from django.utils.http import http_date, quote_etag
from rest_framework.response import Response

from factcheck.caching import etag_matches

# The representation depends on who asks (editors see drafts), so caches must key on these.
VARY = ("Authorization", "Cookie")


def claim_etag(claim_id: int, version: int) -> str:
    return quote_etag(f"claim-{claim_id}-v{version}")


def digest_etag(kind: str, parts: Iterable[object]) -> str:
    digest = hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()[:32]
    return quote_etag(f"{kind}-{digest}")


def conditional_response(
    request,
    data,
    *,
    etag: str,
    last_modified: datetime.datetime | None = None,
    status: int = 200,
    content_type: str | None = None,
    headers: dict | None = None,
) -> Response:
    if request.method in ("GET", "HEAD") and etag_matches(request.headers.get("If-None-Match"), etag):
        response = Response(status=304)
    else:
        response = Response(data, status=status, content_type=content_type, headers=headers)
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified.timestamp())
    patch_vary_headers(response, VARY)
    return response
