"""The ClaimReview DataFeed, in the shape of the fact-check feeds Google's Data Commons publishes.

A schema.org ``DataFeed`` whose every ``dataFeedElement`` is a ``DataFeedItem``::

    {"@type": "DataFeedItem", "dateCreated": <published>, "dateModified": <changed>,
     "item": [{"@type": "ClaimReview", "@id": <claim page>, ...}]}

A retracted review is not dropped: its item is a tombstone, with schema.org's ``dateDeleted`` (when it
was retracted) and the ClaimReview as readers now see it, whose rating says "Dicabut" ("Retracted"),
so an importer that deletes on ``dateDeleted`` and one that only upserts both stop showing the verdict.
Elements are ordered by the change sequence (factcheck.claims.changes), so ``?since=`` is a gap-free
incremental sync and ``?updated_since=`` a time-based one; the next page is in the ``Link`` header.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Max
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.generics import GenericAPIView

from factcheck.claims.models import Claim, Correction
from factcheck.claims.selectors import rating_scale_bounds
from factcheck.routing import one_snapshot
from factcheck.web.claimreview import _organization, claim_review

from . import serializers as s
from .conditional import claim_tag, conditional_response, digest_etag
from .docs import CURSOR, IF_NONE_MATCH, LANGUAGE, NOT_MODIFIED, PAGE_SIZE, errors
from .filters import ChangesSinceFilter
from .lookups import request_language
from .pagination import KeysetPaginator
from .renderers import JsonLdRenderer, JSONRenderer

# A ClaimReview inside the feed: the feed's @context applies; its @id is its page, as its url.
FEED_CLAIMREVIEW_SCHEMA = {
    **s.CLAIMREVIEW_SCHEMA,
    "required": ["@id", *(name for name in s.CLAIMREVIEW_SCHEMA["required"] if name != "@context")],
    "properties": {
        "@id": {"type": "string", "format": "uri", "description": "The review's page, as its url."},
        **{name: value for name, value in s.CLAIMREVIEW_SCHEMA["properties"].items() if name != "@context"},
    },
}
DATAFEED_ITEM_SCHEMA = {
    "type": "object",
    "required": ["@type", "dateCreated", "dateModified", "item"],
    "properties": {
        "@type": {"type": "string", "const": "DataFeedItem"},
        "dateCreated": {"type": "string", "format": "date-time", "description": "When the review was published."},
        "dateModified": {"type": "string", "format": "date-time", "description": "When it last changed."},
        "dateDeleted": {
            "type": "string",
            "format": "date-time",
            "description": "Only for a retracted review (a tombstone): when it was retracted. Remove it from "
            "your copy; its item's rating says that it was retracted.",
        },
        "item": {"type": "array", "minItems": 1, "maxItems": 1, "items": FEED_CLAIMREVIEW_SCHEMA},
    },
}
DATAFEED_SCHEMA = {
    "type": "object",
    "required": ["@context", "@type", "name", "publisher", "dataFeedElement"],
    "properties": {
        "@context": {"type": "string", "const": "https://schema.org"},
        "@type": {"type": "string", "const": "DataFeed"},
        "name": {"type": "string"},
        "url": {"type": "string", "format": "uri"},
        "inLanguage": {"type": "string"},
        "publisher": {"type": "object"},
        "dateModified": {
            "type": "string",
            "format": "date-time",
            "description": "When any review of the feed last changed.",
        },
        "dataFeedElement": {"type": "array", "items": DATAFEED_ITEM_SCHEMA},
    },
}


class FeedFilter(ChangesSinceFilter):
    """The feed's reviews changed since a time or a change number (the same sync as claims/)."""


def iso(value: datetime.datetime | None) -> str | None:
    return None if value is None else value.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")


def retraction_times(claims: list[Claim]) -> dict[int, datetime.datetime]:
    """When each retracted claim of ``claims`` was retracted: one query, none without a retracted claim."""
    retracted = [claim.pk for claim in claims if claim.status == Claim.Status.RETRACTED]
    if not retracted:
        return {}
    rows = Correction.objects.filter(claim_id__in=retracted, kind=Correction.Kind.RETRACTION).order_by("created_at")
    return dict(rows.values_list("claim_id", "created_at"))


def feed_item(claim: Claim, *, language: str, bounds, deleted: datetime.datetime | None) -> dict:
    """A claim's DataFeedItem: its ClaimReview as the one item, and for a retracted one ``dateDeleted``."""
    review = dict(claim_review(claim, language=language, bounds=bounds))
    review.pop("@context", None)  # the feed's
    review = {"@type": review.pop("@type"), "@id": review["url"], **review}
    element = {
        "@type": "DataFeedItem",
        "dateCreated": iso(claim.published_at or claim.created_at),
        "dateModified": iso(claim.updated_at),
    }
    if claim.status == Claim.Status.RETRACTED:
        element["dateDeleted"] = iso(deleted or claim.updated_at)
    element["item"] = [review]
    return element


class ClaimReviewFeedView(GenericAPIView):
    renderer_classes = [JsonLdRenderer, JSONRenderer]
    filterset_class = FeedFilter

    def get_queryset(self):
        return Claim.objects.public().select_related("article", "rating")

    @extend_schema(
        operation_id="claimreview_feed",
        summary="Every public ClaimReview, as a schema.org DataFeed (Data Commons shape)",
        description=(
            "Each `dataFeedElement` is a `DataFeedItem` with `dateCreated`, `dateModified` and an `item` list "
            "holding one ClaimReview. A retracted review stays in the feed as a tombstone: its element has "
            "`dateDeleted`, and its rating says that the verdict was retracted. Ordered by the change sequence; "
            'the next page is in the `Link` header (`rel="next"`).'
        ),
        filters=True,
        parameters=[LANGUAGE, CURSOR, PAGE_SIZE, IF_NONE_MATCH],
        responses={
            (200, "application/ld+json"): OpenApiResponse(DATAFEED_SCHEMA, description="A page of the feed."),
            (200, "application/json"): OpenApiResponse(DATAFEED_SCHEMA, description="A page of the feed."),
            **NOT_MODIFIED,
            **errors(400, 401),
        },
    )
    def get(self, request):
        language = request_language(request)
        claims = self.filter_queryset(self.get_queryset())  # a bad filter is a 400 before any work
        data, etag, last_modified, next_url = self.page(request, claims, language)
        headers = {"Link": f'<{next_url}>; rel="next"'} if next_url else None
        return conditional_response(request, data, etag=etag, last_modified=last_modified, headers=headers)

    def page(self, request, claims, language: str) -> tuple[dict, str, datetime.datetime | None, str | None]:
        paginator = KeysetPaginator(("change_seq", "id"))
        with one_snapshot(claims.db):  # the rows (whose versions make the ETag), the scale and the times
            rows = paginator.paginate(claims, request)
            scale = rating_scale_bounds()
            deleted = retraction_times(rows)
            modified = Claim.objects.public().aggregate(newest=Max("updated_at"))["newest"]
        data = {
            "@context": "https://schema.org",
            "@type": "DataFeed",
            "name": f"{settings.PUBLISHER_NAME}: ClaimReview",
            "url": settings.SITE_URL + request.path,
            "inLanguage": language,
            "publisher": _organization(),
            "dateModified": iso(modified),
            "dataFeedElement": [
                feed_item(claim, language=language, bounds=scale, deleted=deleted.get(claim.pk)) for claim in rows
            ],
        }
        if modified is None:
            del data["dateModified"]
        etag = digest_etag(
            "claimreviews", [request.get_full_path(), paginator.next_cursor, scale, modified, *map(claim_tag, rows)]
        )
        return data, etag, modified, paginator.next_url()
