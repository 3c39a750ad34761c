"""ETag and Last-Modified on every GET, and 304 for a matching If-None-Match or If-Modified-Since.

ETags come from what identifies a representation's state, never from hashing the body. A claim
shows its article and its rating, which change without the claim's version moving, so a claim's
tag carries them too: its ETag is its id and version, the newest revisions of its article and of
the rating scale, and its change number, which anything its representation shows moves in the
order the changes commit (factcheck/claims/changes.py; ``"claim-1-v3-a7-r2-s4"``). Its
Last-Modified is the newest of its own, its article's and the scale's change times. A page's ETag
is a hash of where it starts and ends, and of each row's version, its article's ``updated_at`` and
its rating's key, value and labels (rows the page read anyway), with the scale's bounds where it
shows them. Where a view offers more than one representation (JSON-LD and JSON), the chosen one's
format ends its ETag and ``Vary`` names ``Accept``. The preconditions are Django's
(``get_conditional_response``): If-None-Match, compared weakly, wins over If-Modified-Since.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import F, OuterRef, QuerySet, Subquery
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date, quote_etag
from rest_framework.response import Response

from factcheck.claims.models import Article, Claim, Rating, history_model
from factcheck.claims.selectors import with_scale_bounds
from factcheck.lib.compiled import compiled_read
from factcheck.lib.querysets import query_shape

# The representation depends on who asks (editors see drafts), so caches must key on these.
VARY = ("Authorization", "Cookie")


@dataclass(frozen=True)
class ClaimState:
    """What a claim's representations depend on, read in one query (``with_claim_state``)."""

    id: int
    version: int
    status: str
    change_seq: int
    article_revision: int
    scale_revision: int
    last_modified: datetime.datetime

    @property
    def is_public(self) -> bool:
        return self.status in Claim.PUBLIC_STATUSES


def with_claim_state(claims: QuerySet[Claim]) -> QuerySet[Claim]:
    """Claims annotated with the rest of their state and the scale's bounds, so that a claim's representation
    and its validators come from one query: one row, one moment (``claim_state_of``)."""
    article_history = history_model(Article).objects.filter(id=OuterRef("article_id")).order_by("-history_id")
    scale_history = history_model(Rating).objects.order_by("-history_id")
    return with_scale_bounds(claims).annotate(
        article_revision=Subquery(article_history.values("history_id")[:1]),
        article_updated_at=F("article__updated_at"),
        scale_revision=Subquery(scale_history.values("history_id")[:1]),
        scale_changed_at=Subquery(scale_history.values("history_date")[:1]),
    )


# The columns and annotations of ``with_claim_state`` that a claim's state is made of.
STATE_FIELDS = ("pk", "version", "status", "change_seq", "updated_at")
STATE_FIELDS += ("article_revision", "article_updated_at", "scale_revision", "scale_changed_at")


def _state(row: dict) -> ClaimState:
    times = [row["updated_at"], row["article_updated_at"], row["scale_changed_at"]]
    return ClaimState(
        row["pk"],
        row["version"],
        row["status"],
        row["change_seq"],
        row["article_revision"] or 0,
        row["scale_revision"] or 0,
        max(time for time in times if time is not None),
    )


def claim_state_of(claim: Claim) -> ClaimState:
    """The state of a claim read through ``with_claim_state``: every part from that same row."""
    return _state({name: getattr(claim, name) for name in STATE_FIELDS})


@query_shape
def _states() -> QuerySet:
    return with_claim_state(Claim.objects.all()).values(*STATE_FIELDS)


@compiled_read(pk=int)
def _state_row(pk: int) -> QuerySet:
    return _states().filter(pk=pk)[:1]


def claim_state(pk: int) -> ClaimState | None:
    """A claim's state in one query, without its text; None if there is no such claim."""
    row = _state_row.first(pk=pk)
    return None if row is None else _state(row)


def claim_etag(state: ClaimState) -> str:
    """The claim's ETag; ``If-Match`` reads the version from it (see ``IF_MATCH_RE``)."""
    revisions = f"a{state.article_revision}-r{state.scale_revision}-s{state.change_seq}"
    return quote_etag(f"claim-{state.id}-v{state.version}-{revisions}")


def claim_tag(claim: Claim, *, article: bool = True) -> str:
    """A claim row's part of a page's ETag: its version, its article's (``article=False`` where the
    page shows the article once, in its own part) and what it shows of its rating, which has none."""
    rating = claim.rating
    shown = "" if rating is None else f"{rating.key}:{rating.value}:{rating.label_id}:{rating.label_en}"
    edited = claim.article.updated_at.isoformat() if article else ""
    return f"{claim.pk}:{claim.version}:{edited}:{shown}"


def has_preconditions(request) -> bool:
    """Whether the client holds a representation it may be answered 304 for (If-None-Match, If-Modified-Since).
    Without one, reading a resource's validators ahead of it is a query for nothing."""
    return "HTTP_IF_NONE_MATCH" in request.META or "HTTP_IF_MODIFIED_SINCE" in request.META


def not_modified(request, *, etag: str, last_modified: datetime.datetime | None = None) -> bool:
    """Whether the client holds this representation (If-None-Match, else If-Modified-Since): Django's rules."""
    seconds = None if last_modified is None else int(last_modified.timestamp())
    found = get_conditional_response(request, etag=etag, last_modified=seconds)
    return found is not None and found.status_code == 304


def digest_etag(kind: str, parts: Iterable[object]) -> str:
    digest = hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()[:32]
    return quote_etag(f"{kind}-{digest}")


def offers_representations(request) -> bool:
    """Whether the view answering ``request`` offers more than one representation (JSON-LD and JSON): then
    ``Accept`` chooses the body, and the ETag and ``Vary`` say which one it is."""
    view = (getattr(request, "parser_context", None) or {}).get("view")
    return len(getattr(view, "renderer_classes", ())) > 1


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
    negotiated = offers_representations(request)
    if negotiated:
        etag = quote_etag(etag.strip('"') + "-" + request.accepted_renderer.format)
    if request.method in ("GET", "HEAD") and not_modified(request, etag=etag, last_modified=last_modified):
        response = Response(status=304)
    else:
        response = Response(data, status=status, content_type=content_type, headers=headers)
        next_page = data.get("next") if isinstance(data, dict) else None
        if isinstance(next_page, str) and not response.has_header("Link"):
            response["Link"] = f'<{next_page}>; rel="next"'  # RFC 8288: the same page as ``next``
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified.timestamp())
    patch_vary_headers(response, (*VARY, "Accept") if negotiated else VARY)
    return response


def newest(values) -> datetime.datetime | None:
    """The Last-Modified of what a response shows: the newest of its times (None when it has none)."""
    values = [v for v in values if v is not None]
    return max(values) if values else None
