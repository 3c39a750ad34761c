"""ETag and Last-Modified on every GET, and 304 for a matching If-None-Match.

ETags come from what identifies a representation's state, never from hashing the body. A claim
shows its article and its rating, which change without the claim's version moving, so a claim's
tag carries them too: its ETag is its id and version, the newest revisions of its article and of
the rating scale, and the sitewide revision that changes to the scale and bulk changes raise as
they commit (``"claim-1-v3-a7-r2-s4"``). A page's is a hash of where it starts and ends, and of
each row's version, its article's ``updated_at`` and its rating's key, value and labels (rows the
page read anyway), with the scale's bounds where it shows them.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterable

from django.utils.cache import patch_vary_headers
from django.utils.http import http_date, quote_etag
from rest_framework.response import Response

from factcheck.caching import ClaimState, etag_matches
from factcheck.claims.models import Claim

# The representation depends on who asks (editors see drafts), so caches must key on these.
VARY = ("Authorization", "Cookie")


def claim_etag(state: ClaimState) -> str:
    """The claim's ETag; ``If-Match`` reads the version from it (see ``IF_MATCH_RE``)."""
    revisions = f"a{state.article_revision}-r{state.scale_revision}-s{state.sitewide_revision}"
    return quote_etag(f"claim-{state.id}-v{state.version}-{revisions}")


def claim_tag(claim: Claim, *, article: bool = True) -> str:
    """A claim row's part of a page's ETag: its version, its article's (``article=False`` where the
    page shows the article once, in its own part) and what it shows of its rating, which has none."""
    rating = claim.rating
    shown = "" if rating is None else f"{rating.key}:{rating.value}:{rating.label_id}:{rating.label_en}"
    edited = claim.article.updated_at.isoformat() if article else ""
    return f"{claim.pk}:{claim.version}:{edited}:{shown}"


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
        next_page = data.get("next") if isinstance(data, dict) else None
        if isinstance(next_page, str) and not response.has_header("Link"):
            response["Link"] = f'<{next_page}>; rel="next"'  # RFC 8288: the same page as ``next``
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified.timestamp())
    patch_vary_headers(response, VARY)
    return response


def newest(values) -> datetime.datetime | None:
    """The Last-Modified of what a response shows: the newest of its times (None when it has none)."""
    values = [v for v in values if v is not None]
    return max(values) if values else None
