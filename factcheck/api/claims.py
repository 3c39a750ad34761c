"""The claims: the change feed and creating a draft, a claim (read, edit), its workflow transitions, its
public history and its single ClaimReview (JSON-LD); the DataFeed of every ClaimReview is datafeed.py.

Thin views: parse, call a selector or a service, render. Each GET answers with an ``ETag`` (and
``Last-Modified`` where a time applies) and a matching ``If-None-Match`` gets 304. Writes need the
version the client read (claim_writes.py) and go through factcheck.claims.services, as in the admin.
"""

from __future__ import annotations

import datetime

from django.db import router, transaction
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView

from factcheck import surrogate
from factcheck.claims import services
from factcheck.claims.history import claim_public_history
from factcheck.claims.models import Article, Claim
from factcheck.claims.selectors import fetch_search, rating_scale_bounds
from factcheck.lib.prepared import prepared_reads
from factcheck.routing import one_snapshot
from factcheck.web.claimreview import claim_review

from . import serializers as s
from .claim_reads import (
    claim_read,
    claim_response,
    public_claim_state_or_404,
    raise_not_visible,
    visible_claims,
    with_evidence,
)
from .claim_writes import expected_version, written_claim_response
from .conditional import (
    claim_etag,
    claim_tag,
    conditional_response,
    digest_etag,
    has_preconditions,
    newest,
    not_modified,
)
from .docs import CLAIM_FILTERS, CURSOR, IF_MATCH, IF_NONE_MATCH, LANGUAGE, NOT_MODIFIED, PAGE_SIZE, errors
from .filters import MAX_ID, ClaimFilter
from .lookups import object_or_404, request_language
from .pagination import KeysetPaginator
from .permissions import is_newsroom
from .renderers import JsonLdRenderer, JSONRenderer


class ClaimListView(GenericAPIView):
    serializer_class = s.ClaimSerializer
    filterset_class = ClaimFilter

    def get_queryset(self):
        return with_evidence(visible_claims(self.request.user))

    @extend_schema(
        operation_id="claims_list",
        summary="List claims (the change feed)",
        description=(
            "Ordered by `change_seq`, the order in which changes committed. For a gap-free incremental sync, "
            "pass `since` (the largest `change_seq` you stored) and follow `next` until it is null; "
            "`updated_since` selects by time instead. Retracted claims stay in the feed (`status: retracted`)."
        ),
        parameters=[*CLAIM_FILTERS, CURSOR, PAGE_SIZE, IF_NONE_MATCH],
        responses={
            200: OpenApiResponse(s.ClaimListSerializer, description="A page of claims and the link to the next."),
            **NOT_MODIFIED,
            **errors(400, 401),
        },
    )
    def get(self, request):
        data, etag, last_modified = self.page(request)
        return conditional_response(request, data, etag=etag, last_modified=last_modified)

    def page(self, request) -> tuple[dict, str, datetime.datetime | None]:
        claims = self.filter_queryset(self.get_queryset())
        paginator = KeysetPaginator(("change_seq", "id"))
        search = request.query_params.get("q", "")
        with one_snapshot(claims.db):  # the rows (whose versions make the ETag), their evidence and the scale
            rows = fetch_search(lambda: paginator.paginate(claims, request), query=search, using=claims.db)
            scale = rating_scale_bounds()
        data = {
            "next": paginator.next_url(),
            "results": s.ClaimSerializer(rows, many=True, context={"scale": scale}).data,
        }
        etag = digest_etag("claims", [request.get_full_path(), paginator.next_cursor, scale, *map(claim_tag, rows)])
        return data, etag, newest(c.updated_at for c in rows)

    @extend_schema(
        operation_id="claims_create",
        summary="Create a draft claim (editors)",
        description="The span must fit the article body; the quote is taken from it.",
        request=s.ClaimCreateSerializer,
        responses={
            201: OpenApiResponse(s.ClaimSerializer, description="The new draft claim, with its ETag."),
            **errors(400, 401, 403),
        },
    )
    def post(self, request):
        serializer = s.ClaimCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        article = Article.objects.filter(pk=fields.pop("article")).first()
        if article is None:
            raise ValidationError({"article": [_("No article with this id.")]})
        with transaction.atomic():
            claim = services.claim_create(
                article=article, start=fields.pop("start"), end=fields.pop("end"), by=request.user, **fields
            )
            claim = claim_read(claim.pk, newsroom=True)
        response = claim_response(request, claim, status_code=status.HTTP_201_CREATED)
        response["Location"] = s.api_url(f"claims/{claim.pk}/")
        return response


class ClaimDetailView(GenericAPIView):
    serializer_class = s.ClaimSerializer

    def read_claim(self, pk: int) -> Claim:
        """The claim and its ETag's parts, in one snapshot (see ``claim_read``)."""
        newsroom = is_newsroom(self.request.user)
        with one_snapshot(router.db_for_read(Claim)):
            return claim_read(pk, newsroom=newsroom)

    @extend_schema(
        operation_id="claims_retrieve",
        summary="A claim",
        parameters=[IF_NONE_MATCH],
        responses={
            200: OpenApiResponse(
                s.ClaimSerializer,
                description="The claim, with its ETag (its version, then the revisions of what it shows).",
            ),
            **NOT_MODIFIED,
            **errors(401, 404),
        },
    )
    @prepared_reads()  # reads by id: one plan fits every claim
    def get(self, request, pk: int):
        if is_newsroom(request.user):  # editors see drafts and their own edits at once: never cached
            # The body and the ETag from the same read: an ETag read after the body would let a write
            # committing in between pair the old body with the new version, and an edit of that body
            # sent with that ETag would silently undo the write.
            return claim_response(request, self.read_claim(pk))
        if has_preconditions(request):  # a revalidation: one query, and nothing read or rendered if it holds
            state = public_claim_state_or_404(pk)
            etag = claim_etag(state)
            if not_modified(request, etag=etag, last_modified=state.last_modified):
                return conditional_response(request, None, etag=etag, last_modified=state.last_modified)
        elif not 1 <= pk <= MAX_ID:
            raise_not_visible(pk)  # the same 404 as the state's
        claim = self.read_claim(pk)  # answered with the state it was read in (it may have moved on since)
        surrogate.add_keys(request, surrogate.article_key(claim.article_id))  # it shows its article's headline
        return claim_response(request, claim)

    @extend_schema(
        operation_id="claims_partial_update",
        summary="Edit a claim (editors and reviewers)",
        description=(
            "Send only the fields that change, and the version you read (If-Match or `version`). A claim readers "
            "see (published or dismissed) is not edited here (409): a change to it is a correction, proposed at "
            "`claims/{id}/revisions/` and approved by a reviewer who wrote none of it."
        ),
        request=s.ClaimUpdateSerializer,
        parameters=[IF_MATCH],
        responses={
            200: OpenApiResponse(s.ClaimSerializer, description="The claim as it is now, with its new ETag."),
            **errors(400, 401, 403, 404, 409, 412, 428),
        },
    )
    def patch(self, request, pk: int):
        claim = object_or_404(visible_claims(request.user), pk, "Claim")
        serializer = s.ClaimUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        # The version the client read is checked by the service, against the row it has locked.
        version = expected_version(request, claim.pk, changes.pop("version", None))
        reason = changes.pop("reason", "")
        return written_claim_response(
            request,
            claim.pk,
            lambda: services.claim_update(
                claim=claim.pk, by=request.user, expected_version=version, changes=changes, reason=reason
            ),
        )


class ClaimTransitionView(GenericAPIView):
    serializer_class = s.TransitionSerializer

    @extend_schema(
        operation_id="claims_transition",
        summary="Move a claim through the workflow (editors and reviewers)",
        description=(
            "draft → researching → in_review → published, or dismissed for a claim marked not checkable. "
            "Publishing and dismissing need a reviewer who wrote none of the content (four-eyes, from the "
            "history). Sending back to research needs a `note`. Retraction is a reviewed revision "
            "(`claims/{id}/revisions/` with `kind: retraction`)."
        ),
        parameters=[IF_MATCH],
        request=s.TransitionSerializer,
        responses={
            200: OpenApiResponse(s.ClaimSerializer, description="The claim in its new status, with its new ETag."),
            **errors(400, 401, 403, 404, 409, 412, 428),
        },
    )
    def post(self, request, pk: int):
        claim = object_or_404(visible_claims(request.user), pk, "Claim")
        serializer = s.TransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        version = expected_version(request, claim.pk, data.get("version"))
        return written_claim_response(
            request,
            claim.pk,
            lambda: services.claim_transition(
                claim=claim.pk, to=data["status"], by=request.user, note=data["note"], expected_version=version
            ),
        )


def rating_labels_shown(versions) -> list[str]:
    return [f"{c.old}>{c.new}" for v in versions for c in v.changes if c.field == "rating"]


class ClaimHistoryView(GenericAPIView):
    serializer_class = s.ClaimHistorySerializer

    @extend_schema(
        operation_id="claims_history",
        summary="The public versions of a claim",
        description="Its publication, each correction and a retraction: date, note and what changed.",
        parameters=[IF_NONE_MATCH],
        responses={
            200: OpenApiResponse(s.ClaimHistorySerializer, description="Its public versions, oldest first."),
            **NOT_MODIFIED,
            **errors(401, 404),
        },
    )
    def get(self, request, pk: int):
        claims = Claim.objects.all() if is_newsroom(request.user) else Claim.objects.public()
        with one_snapshot(claims.db):  # the version in the ETag and the history rows from one moment
            claim = object_or_404(claims, pk, "Claim")
            versions = claim_public_history(claim)
        data = s.ClaimHistorySerializer({"claim": claim.pk, "versions": [v.as_dict() for v in versions]}).data
        return conditional_response(
            request,
            data,
            # The scale's labels, shown where a rating changed, have no version: the ones shown are part of the tag.
            etag=digest_etag("history", [claim.pk, claim.version, *rating_labels_shown(versions)]),
            last_modified=newest(v.date for v in versions),
        )


class ClaimReviewView(GenericAPIView):
    renderer_classes = [JsonLdRenderer, JSONRenderer]

    @extend_schema(
        operation_id="claims_claimreview",
        summary="The claim's schema.org ClaimReview (JSON-LD)",
        description=(
            "Exactly what the claim page embeds, for a published (or corrected) claim and for a retracted "
            "one, whose rating then only says that the verdict was retracted."
        ),
        parameters=[LANGUAGE, IF_NONE_MATCH],
        responses={
            (200, "application/ld+json"): OpenApiResponse(s.CLAIMREVIEW_SCHEMA, description="A ClaimReview."),
            # The same document with ?format=json (or Accept: application/json).
            (200, "application/json"): OpenApiResponse(s.CLAIMREVIEW_SCHEMA, description="A ClaimReview."),
            **NOT_MODIFIED,
            **errors(400, 401, 404),
        },
    )
    def get(self, request, pk: int):
        language = request_language(request)
        claims = visible_claims(request.user)
        with one_snapshot(claims.db):  # the claim, the scale and what the review reads from one moment
            claim = object_or_404(claims, pk, "Claim")
            if not claim.is_public:
                raise Http404(_("Claim {pk} is not published; it has no ClaimReview yet.").format(pk=pk))
            scale = rating_scale_bounds()
            data = claim_review(claim, language=language, bounds=scale)
        surrogate.add_keys(request, surrogate.article_key(claim.article_id))
        return conditional_response(
            request,
            data,
            etag=digest_etag("claimreview", [claim_tag(claim), scale, language]),
            last_modified=claim.updated_at,
        )
