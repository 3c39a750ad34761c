"""Reusable reads: search and the public claim lists."""

from __future__ import annotations

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import Q

from .models import Claim, ClaimQuerySet

# The text search configuration: "simple" treats Indonesian and English alike
# (no stemming), and must match the expression of the GIN index in migration 0003.
SEARCH_CONFIG = "simple"


def search_vector() -> SearchVector:
    return SearchVector("search_text", config=SEARCH_CONFIG)


def claim_search(*, queryset: ClaimQuerySet | None = None, query: str) -> ClaimQuerySet:
    """Claims whose statement, quote, verdict or article headline match ``query``.

    On PostgreSQL this is full-text search served by the index on
    ``to_tsvector('simple', search_text)``; elsewhere every word must occur
    in the text (case-insensitive).
    """
    queryset = Claim.objects.all() if queryset is None else queryset
    query = query.strip()
    if not query:
        return queryset
    if connection.vendor == "postgresql":
        return queryset.annotate(search=search_vector()).filter(
            search=SearchQuery(query, config=SEARCH_CONFIG, search_type="websearch")
        )
    condition = Q()
    for word in query.split():
        condition &= Q(search_text__icontains=word.strip('"'))
    return queryset.filter(condition)


def claim_list_awaiting_review(*, user, queryset: ClaimQuerySet | None = None) -> ClaimQuerySet:
    """Claims in review that ``user`` may publish: the four-eyes rule of ``services.claim_publish`` as a filter.

    Nothing for a user without the publish permission; never a claim the user
    researched or last edited.
    """
    queryset = Claim.objects.all() if queryset is None else queryset
    if not user.is_active or not user.has_perm("claims.publish_claim"):
        return queryset.none()
    return (
        queryset.filter(status=Claim.Status.IN_REVIEW).exclude(researcher_id=user.pk).exclude(last_edited_by_id=user.pk)
    )
