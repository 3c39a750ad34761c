"""The partner API, v1. Thin views: parse, call a selector or a service, render.

Each GET answers with an ``ETag`` (and ``Last-Modified`` where a time applies)
and a matching ``If-None-Match`` gets 304. Writes on a claim need the version
the client read (``If-Match`` with the claim's ETag, or ``version``), and go
through factcheck.claims.services, as in the admin.
"""

from __future__ import annotations

import datetime
import re

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.settings import api_settings

from factcheck import surrogate
from factcheck.caching import ClaimState, cache_key, claim_state_of, content_stamp, one_snapshot, with_claim_state
from factcheck.claims import services
from factcheck.claims.errors import VersionRequired
from factcheck.claims.history import claim_public_history
from factcheck.claims.models import Article, Claim, Evidence, Language, Rating
from factcheck.claims.selectors import fetch_search, rating_scale_bounds
from factcheck.partners import services as partner_services
from factcheck.partners.models import WebhookDelivery, WebhookEndpoint
from factcheck.web.claimreview import claim_review

from . import serializers as s
from .authentication import request_partner
from .caching import public_claim_state
from .conditional import claim_etag, claim_tag, conditional_response, digest_etag, etag_matches
from .filters import MAX_ID, ArticleFilter, ClaimFilter
from .pagination import KeysetPaginator
from .permissions import PartnerOnly, is_newsroom
from .throttles import WebhookToolsThrottle

Status = Claim.Status

# --- documentation helpers -------------------------------------------------------------------------

ERROR_TEXT = {
    400: "Invalid input: `errors` names each field and the rule it broke.",
    401: "No credentials where they are needed, or an invalid, revoked or expired API key.",
    403: "Not allowed: a partner key writing, a user without the role, or the four-eyes rule.",
    404: "No such object, or not visible to you (drafts are visible to editors and reviewers only).",
    409: "The claim's status does not allow this change.",
    412: "The version you sent is stale: `current_version` says the claim's version now.",
    428: "The version you read is required: send `If-Match` with the claim's ETag, or `version`.",
    429: "Too many requests: wait the number of seconds in `Retry-After`.",
}


def errors(*codes: int) -> dict:
    return {
        code: OpenApiResponse(
            s.StaleErrorSerializer if code == 412 else s.ErrorSerializer, description=ERROR_TEXT[code]
        )
        for code in (*codes, 429)
    }


IF_NONE_MATCH = OpenApiParameter(
    "If-None-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="An ETag you have; 304 Not Modified when it is still current.",
)
IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="The claim's ETag as you read it (or send `version` in the body).",
)
NOT_MODIFIED = {304: OpenApiResponse(description="Not modified: your copy (If-None-Match) is current.")}
CURSOR = OpenApiParameter("cursor", OpenApiTypes.STR, description="Where the page starts: the `next` of the last page.")
PAGE_SIZE = OpenApiParameter("page_size", OpenApiTypes.INT, description="Rows per page, 1 to 100 (default 50).")
LANGUAGE = OpenApiParameter(
    "language", OpenApiTypes.STR, enum=Language.values, description="id (Bahasa Indonesia, default) or en."
)
# The claims list's filters (factcheck/api/filters.py: ClaimFilter), declared so generated clients can send them.
CLAIM_FILTERS = [
    OpenApiParameter(
        "since",
        {"type": "integer", "minimum": 0, "maximum": MAX_ID},
        description="Claims changed after this change number (the largest `change_seq` you stored): the gap-free "
        "incremental sync (docs/api.md).",
    ),
    OpenApiParameter(
        "updated_since",
        OpenApiTypes.DATETIME,
        description="Claims changed at or after this ISO 8601 time (UTC when no offset is given): the incremental "
        "sync. A date alone (2026-01-31) means its midnight, UTC.",
    ),
    OpenApiParameter(
        "rating",
        {"type": "string", "pattern": r"^[-a-zA-Z0-9_]{1,32}$"},
        description="A rating key from ratings/ (e.g. `false`); a key the scale does not have is a 400.",
    ),
    OpenApiParameter(
        "article", {"type": "integer", "minimum": 1, "maximum": MAX_ID}, description="An article id: only its claims."
    ),
    OpenApiParameter(
        "language",
        OpenApiTypes.STR,
        enum=Language.values,
        description="Claims with a statement written in this language (id: Indonesian, en: English).",
    ),
    OpenApiParameter(
        "status",
        OpenApiTypes.STR,
        enum=Status.values,
        description="Editors and reviewers: any status. Others see only published (including corrected) and "
        "retracted claims, and may filter by those two (another status is a 400).",
    ),
    OpenApiParameter(
        "q",
        {"type": "string", "maxLength": 500, "pattern": "^[^\\u0000]*$"},
        description="Full-text search over the claims.",
    ),
]


# --- helpers ---------------------------------------------------------------------------------------


def visible_claims(user):
    """Editors and reviewers see every claim; everyone else the published (and corrected) and retracted ones."""
    claims = Claim.objects.all() if is_newsroom(user) else Claim.objects.public()
    return claims.select_related("article", "rating")


def with_evidence(claims):
    return claims.prefetch_related(Prefetch("evidence", queryset=Evidence.objects.order_by("position", "id")))


# What object_or_404's messages call each object, in the request's language.
LABELS = {
    "Claim": gettext_lazy("Claim"),
    "Article": gettext_lazy("Article"),
    "Evidence": gettext_lazy("Evidence"),
    "Endpoint": gettext_lazy("Endpoint"),
    "Delivery": gettext_lazy("Delivery"),
    "Revision": gettext_lazy("Revision"),
}


def object_or_404(queryset, pk: int, label: str):
    name = LABELS.get(label, label)
    if not 1 <= pk <= MAX_ID:
        raise Http404(_("{label} {pk} does not exist.").format(label=name, pk=pk))
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise Http404(_("{label} {pk} does not exist or is not visible to you.").format(label=name, pk=pk))
    return found


def request_language(request) -> str:
    language = request.query_params.get("language", Language.INDONESIAN)
    if language not in Language.values:
        raise ValidationError({"language": [_("Choose one of: {choices}.").format(choices=", ".join(Language.values))]})
    return language


# The claim's ETag; the revisions after the version (its article's, the scale's, the sitewide one) do not
# matter to an edit of the claim, and may be left out ("claim-1-v3").
IF_MATCH_RE = re.compile(r'^(?:W/)?"claim-(\d+)-v(\d+)(?:-a\d+-r\d+-s\d+)?"$')


def expected_version(request, claim_id: int, body_version: int | None) -> int:
    """The version the client read: from If-Match (the claim's ETag) or the ``version`` field."""
    header = request.headers.get("If-Match", "").strip()
    header_version = None
    if header:
        if header == "*":
            raise VersionRequired(
                _("If-Match: * does not say which version you read; send the claim's ETag."),
                {"If-Match": [_('Send the claim\'s ETag, e.g. "claim-1-v3".')]},
            )
        match = IF_MATCH_RE.match(header)
        if not match:
            raise ValidationError({"If-Match": [_('Send the claim\'s ETag as you received it, e.g. "claim-1-v3".')]})
        if int(match.group(1)) != claim_id:
            raise ValidationError(
                {
                    "If-Match": [
                        _("This ETag belongs to claim {other}, not {id}.").format(other=match.group(1), id=claim_id)
                    ]
                }
            )
        header_version = int(match.group(2))
    if header_version is not None and body_version is not None and header_version != body_version:
        raise ValidationError(
            {
                "version": [
                    _("version {body} disagrees with If-Match (v{header}).").format(
                        body=body_version, header=header_version
                    )
                ]
            }
        )
    version = header_version if header_version is not None else body_version
    if version is None:
        raise VersionRequired(
            _("An edit must say which version of the claim it is based on."),
            {"version": [_("Send If-Match with the claim's ETag, or the version field.")]},
        )
    return version


def public_claim_state_or_404(pk: int) -> ClaimState:
    state = public_claim_state(pk)
    if state is None:
        raise Http404(_("{label} {pk} does not exist or is not visible to you.").format(label=LABELS["Claim"], pk=pk))
    return state


def claim_read(claims, pk: int) -> Claim:
    """The claim with its article, rating, evidence, and every part of its ETag (``claim_state_of``).

    Two queries: the claim row with everything its ETag and the scale need (one query, so one moment), then
    its evidence, whose changes raise the claim's version. Read them in one snapshot (``one_snapshot``), or
    in the transaction that holds the claim's row lock.
    """
    return object_or_404(with_evidence(with_claim_state(claims.select_related("article", "rating"))), pk, "Claim")


def claim_data(claim: Claim) -> dict:
    """The body of a claim read by ``claim_read``: the scale's bounds come from the same row as its ETag."""
    return s.ClaimSerializer(claim, context={"scale": (claim.scale_best, claim.scale_worst)}).data


def claim_response(request, claim: Claim, *, status_code: int = 200) -> Response:
    """The claim's body and its ETag, both from the one read that loaded ``claim``."""
    return conditional_response(
        request,
        claim_data(claim),
        etag=claim_etag(claim_state_of(claim)),
        last_modified=claim.updated_at,
        status=status_code,
    )


def written_claim_response(request, claim_id: int, write, *, status_code: int = 200) -> Response:
    """Run ``write`` (a service) and answer with the claim as that write left it.

    The claim is read in the write's transaction, while its row lock is held: no other write can commit in
    between, so the body and the ETag are those of the row this request wrote.
    """
    with transaction.atomic():
        write()
        claim = claim_read(Claim.objects.all(), claim_id)
    return claim_response(request, claim, status_code=status_code)


def newest(values) -> datetime.datetime | None:
    values = [v for v in values if v is not None]
    return max(values) if values else None


class JsonLdRenderer(JSONRenderer):
    media_type = "application/ld+json"
    format = "jsonld"


# --- claims ----------------------------------------------------------------------------------------


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
        if is_newsroom(request.user):
            data, etag, last_modified = self.page(request)
        else:
            key = cache_key("api-claims", request.get_full_path(), content_stamp())
            data, etag, last_modified = cache.get_or_set(key, lambda: self.page(request), settings.PAGE_CACHE_SECONDS)
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
            claim = claim_read(Claim.objects.all(), claim.pk)
        response = claim_response(request, claim, status_code=status.HTTP_201_CREATED)
        response["Location"] = s.api_url(f"claims/{claim.pk}/")
        return response


class ClaimDetailView(GenericAPIView):
    serializer_class = s.ClaimSerializer

    def read_claim(self, pk: int) -> Claim:
        """The claim and its ETag's parts, in one snapshot (see ``claim_read``)."""
        claims = visible_claims(self.request.user)
        with one_snapshot(claims.db):
            return claim_read(claims, pk)

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
    def get(self, request, pk: int):
        if is_newsroom(request.user):  # editors see drafts and their own edits at once: never cached
            # The body and the ETag from the same read: an ETag read after the body would let a write
            # committing in between pair the old body with the new version, and an edit of that body
            # sent with that ETag would silently undo the write.
            return claim_response(request, self.read_claim(pk))
        state = public_claim_state_or_404(pk)
        etag = claim_etag(state)
        if etag_matches(request.headers.get("If-None-Match"), etag):
            return conditional_response(request, None, etag=etag, last_modified=state.updated_at)
        data = cache.get(cache_key("api-claim", state.stamp))
        if data is None:  # read it, and answer with the state it was read in (it may have moved on since)
            claim = self.read_claim(pk)
            data, state = claim_data(claim), claim_state_of(claim)
            cache.set(cache_key("api-claim", state.stamp), data, settings.PAGE_CACHE_SECONDS)
        surrogate.add_keys(request, surrogate.article_key(data["article"]["id"]))  # it shows its article's headline
        return conditional_response(request, data, etag=claim_etag(state), last_modified=state.updated_at)

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


# The DataFeed of every ClaimReview: datafeed.py.


# --- evidence --------------------------------------------------------------------------------------


class EvidenceListView(GenericAPIView):
    serializer_class = s.EvidenceWriteSerializer

    @extend_schema(
        operation_id="evidence_create",
        summary="Add evidence to a claim (editors and reviewers)",
        description="Raises the claim's version. Send the claim's version (If-Match or `version`).",
        parameters=[IF_MATCH],
        request=s.EvidenceWriteSerializer,
        responses={
            201: OpenApiResponse(s.ClaimSerializer, description="The claim with the new evidence, with its new ETag."),
            **errors(400, 401, 403, 404, 409, 412, 428),
        },
    )
    def post(self, request, pk: int):
        claim = object_or_404(visible_claims(request.user), pk, "Claim")
        serializer = s.EvidenceWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        version = expected_version(request, claim.pk, fields.pop("version", None))
        return written_claim_response(
            request,
            claim.pk,
            lambda: services.evidence_add(claim=claim.pk, by=request.user, expected_version=version, **fields),
            status_code=status.HTTP_201_CREATED,
        )


class EvidenceDetailView(GenericAPIView):
    serializer_class = s.EvidenceSerializer

    def get_evidence(self, pk: int, evidence_pk: int) -> Evidence:
        claim = object_or_404(visible_claims(self.request.user), pk, "Claim")
        return object_or_404(Evidence.objects.filter(claim=claim), evidence_pk, "Evidence")

    @extend_schema(
        operation_id="evidence_retrieve",
        summary="One evidence link of a claim",
        parameters=[IF_NONE_MATCH],
        responses={
            200: OpenApiResponse(s.EvidenceSerializer, description="The evidence link."),
            **NOT_MODIFIED,
            **errors(401, 404),
        },
    )
    def get(self, request, pk: int, evidence_pk: int):
        evidence = self.get_evidence(pk, evidence_pk)
        data = s.EvidenceSerializer(evidence).data
        return conditional_response(request, data, etag=digest_etag("evidence", [*data.values()]))

    @extend_schema(
        operation_id="evidence_partial_update",
        summary="Edit evidence (editors and reviewers)",
        description="Raises the claim's version. Send the claim's version (If-Match or `version`).",
        parameters=[IF_MATCH],
        request=s.EvidenceUpdateSerializer,
        responses={
            200: OpenApiResponse(
                s.ClaimSerializer, description="The claim with the edited evidence, with its new ETag."
            ),
            **errors(400, 401, 403, 404, 409, 412, 428),
        },
    )
    def patch(self, request, pk: int, evidence_pk: int):
        evidence = self.get_evidence(pk, evidence_pk)
        serializer = s.EvidenceUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        version = expected_version(request, evidence.claim_id, changes.pop("version", None))
        return written_claim_response(
            request,
            evidence.claim_id,
            lambda: services.evidence_update(
                evidence=evidence.pk, by=request.user, expected_version=version, changes=changes
            ),
        )

    @extend_schema(
        operation_id="evidence_destroy",
        summary="Remove evidence (editors and reviewers)",
        description="Raises the claim's version. Send the claim's version as If-Match or `?version=`.",
        parameters=[IF_MATCH, OpenApiParameter("version", OpenApiTypes.INT, description="The claim's version.")],
        responses={
            200: OpenApiResponse(
                s.ClaimSerializer, description="The claim without the removed evidence, with its new ETag."
            ),
            **errors(400, 401, 403, 404, 409, 412, 428),
        },
    )
    def delete(self, request, pk: int, evidence_pk: int):
        evidence = self.get_evidence(pk, evidence_pk)
        raw = request.query_params.get("version")
        if raw is not None and not (raw.isdigit() and 1 <= int(raw) <= s.MAX_INT):
            raise ValidationError({"version": [_("A valid integer is required.")]})
        version = expected_version(request, evidence.claim_id, int(raw) if raw else None)
        return written_claim_response(
            request,
            evidence.claim_id,
            lambda: services.evidence_remove(evidence=evidence.pk, by=request.user, expected_version=version),
        )


# --- articles and ratings --------------------------------------------------------------------------


def visible_articles(user):
    if is_newsroom(user):
        return Article.objects.all()
    return Article.objects.filter(Exists(Claim.objects.public().filter(article=OuterRef("pk"))))


class ArticleListView(GenericAPIView):
    serializer_class = s.ArticleSerializer
    filterset_class = ArticleFilter

    @extend_schema(
        operation_id="articles_list",
        summary="Articles with public claims",
        description="Ordered by `updated_at`, then `id`; editors and reviewers see every article. "
        "`updated_since` gives the articles changed since then.",
        parameters=[
            OpenApiParameter(
                "updated_since",
                OpenApiTypes.DATETIME,
                description="Articles changed, or shown for the first time (a claim of theirs published), at or "
                "after this ISO 8601 time (UTC when no offset is given).",
            ),
            CURSOR,
            PAGE_SIZE,
            IF_NONE_MATCH,
        ],
        responses={
            200: OpenApiResponse(s.ArticleListSerializer, description="A page of articles and the link to the next."),
            **NOT_MODIFIED,
            **errors(400, 401),
        },
    )
    def get(self, request):
        articles = self.filter_queryset(visible_articles(request.user).defer("body", "original"))
        paginator = KeysetPaginator(("updated_at", "id"))
        rows = paginator.paginate(articles, request)
        data = {"next": paginator.next_url(), "results": s.ArticleSerializer(rows, many=True).data}
        etag = digest_etag(
            "articles", [request.get_full_path(), paginator.next_cursor, *(f"{a.pk}:{a.updated_at}" for a in rows)]
        )
        return conditional_response(request, data, etag=etag, last_modified=newest(a.updated_at for a in rows))


class ArticleDetailView(GenericAPIView):
    serializer_class = s.ArticleDetailSerializer

    @extend_schema(
        operation_id="articles_retrieve",
        summary="An article, its body, and its claims' spans and ratings",
        parameters=[IF_NONE_MATCH],
        responses={
            200: OpenApiResponse(s.ArticleDetailSerializer, description="The article with its body and its claims."),
            **NOT_MODIFIED,
            **errors(401, 404),
        },
    )
    def get(self, request, pk: int):
        claims = visible_claims(request.user).select_related(None).select_related("rating").order_by("start", "end")
        articles = visible_articles(request.user).defer("original")
        articles = articles.prefetch_related(Prefetch("claims", queryset=claims, to_attr="visible_claims"))
        with one_snapshot(articles.db):  # the article, its claims (whose versions make the ETag) and the scale
            article = object_or_404(articles, pk, "Article")
            scale = rating_scale_bounds()
        data = s.ArticleDetailSerializer(article, context={"scale": scale}).data
        tags = (claim_tag(c, article=False) for c in article.visible_claims)
        etag = digest_etag("article", [article.pk, article.updated_at, scale, *tags])
        last_modified = newest([article.updated_at, *(c.updated_at for c in article.visible_claims)])
        return conditional_response(request, data, etag=etag, last_modified=last_modified)


class RatingListView(GenericAPIView):
    serializer_class = s.RatingScaleSerializer

    @extend_schema(
        operation_id="ratings_list",
        summary="The rating scale",
        description="Each rating's key, value (higher means truer; null for unproven), labels and definition.",
        parameters=[IF_NONE_MATCH],
        responses={
            200: OpenApiResponse(s.RatingListSerializer, description="The rating scale, best first."),
            **NOT_MODIFIED,
            **errors(401),
        },
    )
    def get(self, request):
        ratings = list(Rating.objects.all())
        scale = rating_scale_bounds(ratings)
        data = {"results": s.RatingScaleSerializer(ratings, many=True, context={"scale": scale}).data}
        etag = digest_etag("ratings", [value for rating in data["results"] for value in rating.values()])
        return conditional_response(request, data, etag=etag)


# --- webhooks (partners) ---------------------------------------------------------------------------


def endpoint_data(endpoint: WebhookEndpoint) -> dict:
    return dict(s.WebhookEndpointSerializer(endpoint).data)


class WebhookEndpointListView(GenericAPIView):
    permission_classes = [PartnerOnly]
    serializer_class = s.WebhookEndpointSerializer

    @extend_schema(
        operation_id="webhooks_list",
        summary="Your webhook endpoints (partner key)",
        parameters=[IF_NONE_MATCH],
        responses={
            200: OpenApiResponse(s.WebhookEndpointListSerializer, description="Your endpoints."),
            **NOT_MODIFIED,
            **errors(401, 403),
        },
    )
    def get(self, request):
        endpoints = WebhookEndpoint.objects.filter(partner=request_partner(request))
        data = {"results": [endpoint_data(e) for e in endpoints]}
        return conditional_response(
            request, data, etag=digest_etag("webhooks", [v for e in data["results"] for v in e.values()])
        )

    @extend_schema(
        operation_id="webhooks_create",
        summary="Register a webhook endpoint (partner key)",
        description="The response carries the endpoint's signing `secret`, shown only this once.",
        request=s.WebhookEndpointSerializer,
        responses={
            201: OpenApiResponse(
                s.WebhookEndpointCreatedSerializer,
                description="The new endpoint and its signing secret (shown only now).",
            ),
            **errors(400, 401, 403),
        },
    )
    def post(self, request):
        serializer = s.WebhookEndpointSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        endpoint = partner_services.webhook_endpoint_create(
            partner=request_partner(request),
            url=data["url"],
            events=data["events"],
            description=data.get("description", ""),
        )
        if data.get("is_active") is False:
            endpoint = partner_services.webhook_endpoint_update(endpoint=endpoint, changes={"is_active": False})
        body = {**endpoint_data(endpoint), "secret": endpoint.secret}
        return Response(
            body, status=status.HTTP_201_CREATED, headers={"Location": s.api_url(f"webhooks/{endpoint.pk}/")}
        )


class WebhookEndpointDetailView(GenericAPIView):
    permission_classes = [PartnerOnly]
    serializer_class = s.WebhookEndpointSerializer

    def get_endpoint(self, pk: int) -> WebhookEndpoint:
        return object_or_404(WebhookEndpoint.objects.filter(partner=request_partner(self.request)), pk, "Endpoint")

    @extend_schema(
        operation_id="webhooks_retrieve",
        summary="A webhook endpoint (partner key)",
        parameters=[IF_NONE_MATCH],
        responses={
            200: OpenApiResponse(s.WebhookEndpointSerializer, description="The endpoint."),
            **NOT_MODIFIED,
            **errors(401, 403, 404),
        },
    )
    def get(self, request, pk: int):
        data = endpoint_data(self.get_endpoint(pk))
        return conditional_response(request, data, etag=digest_etag("webhook", data.values()))

    @extend_schema(
        operation_id="webhooks_partial_update",
        summary="Change a webhook endpoint (partner key)",
        request=s.WebhookEndpointUpdateSerializer,
        responses={
            200: OpenApiResponse(s.WebhookEndpointSerializer, description="The endpoint as it is now."),
            **errors(400, 401, 403, 404),
        },
    )
    def patch(self, request, pk: int):
        endpoint = self.get_endpoint(pk)
        serializer = s.WebhookEndpointUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        endpoint = partner_services.webhook_endpoint_update(endpoint=endpoint, changes=dict(serializer.validated_data))
        return Response(endpoint_data(endpoint))

    @extend_schema(
        operation_id="webhooks_destroy",
        summary="Remove a webhook endpoint (partner key)",
        responses={204: OpenApiResponse(description="Removed, with its delivery log."), **errors(401, 403, 404)},
    )
    def delete(self, request, pk: int):
        partner_services.webhook_endpoint_delete(endpoint=self.get_endpoint(pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class WebhookDeliveryListView(GenericAPIView):
    permission_classes = [PartnerOnly]
    serializer_class = s.WebhookDeliverySerializer

    @extend_schema(
        operation_id="webhooks_deliveries",
        summary="The delivery log of an endpoint (partner key)",
        description="Newest first: each event sent, its status, and every attempt (status code, time, error).",
        parameters=[CURSOR, PAGE_SIZE, IF_NONE_MATCH],
        responses={
            200: OpenApiResponse(
                s.WebhookDeliveryListSerializer, description="A page of deliveries, newest first, with their attempts."
            ),
            **NOT_MODIFIED,
            **errors(400, 401, 403, 404),
        },
    )
    def get(self, request, pk: int):
        endpoint = object_or_404(WebhookEndpoint.objects.filter(partner=request_partner(request)), pk, "Endpoint")
        deliveries = (
            WebhookDelivery.objects.filter(endpoint=endpoint).select_related("event").prefetch_related("attempts")
        )
        deliveries = deliveries.defer("event__payload")
        paginator = KeysetPaginator(("created_at", "id"), descending=True)
        rows = paginator.paginate(deliveries, request)
        data = {"next": paginator.next_url(), "results": s.WebhookDeliverySerializer(rows, many=True).data}
        etag = digest_etag(
            "deliveries",
            [request.get_full_path(), paginator.next_cursor, *(f"{d.pk}:{d.status}:{d.attempt_count}" for d in rows)],
        )
        return conditional_response(request, data, etag=etag)


# The partner's own limit, and a tighter one for these three: a ping connects out while the request waits.
WEBHOOK_TOOLS_THROTTLES = [*api_settings.DEFAULT_THROTTLE_CLASSES, WebhookToolsThrottle]


def delivery_data(delivery: WebhookDelivery) -> dict:
    return dict(s.WebhookDeliverySerializer(delivery).data)


class WebhookPingView(GenericAPIView):
    permission_classes = [PartnerOnly]
    throttle_classes = WEBHOOK_TOOLS_THROTTLES
    serializer_class = s.WebhookDeliverySerializer

    @extend_schema(
        operation_id="webhooks_ping",
        summary="Send a test event to an endpoint now (partner key)",
        description=(
            "Delivers a signed `ping` event to the endpoint at once (one attempt, no retries) and answers with "
            "the delivery and its attempt: whether your receiver answered 2xx, or what went wrong. The ping is "
            "also in the delivery log and can be redelivered."
        ),
        request=None,
        responses={
            200: OpenApiResponse(s.WebhookDeliverySerializer, description="The ping's delivery, with its attempt."),
            **errors(401, 403, 404),
        },
    )
    def post(self, request, pk: int):
        endpoint = object_or_404(WebhookEndpoint.objects.filter(partner=request_partner(request)), pk, "Endpoint")
        delivery = partner_services.webhook_ping(endpoint=endpoint)
        return Response(delivery_data(delivery))


class WebhookRedeliverView(GenericAPIView):
    permission_classes = [PartnerOnly]
    throttle_classes = WEBHOOK_TOOLS_THROTTLES
    serializer_class = s.WebhookDeliverySerializer

    @extend_schema(
        operation_id="webhooks_redeliver",
        summary="Send a delivery again (partner key)",
        description=(
            "Queues a delivery that succeeded or gave up once more, with the same event id and body (signed "
            "anew). A delivery still pending is refused with 409: its next attempt is already queued."
        ),
        request=None,
        responses={
            202: OpenApiResponse(s.WebhookDeliverySerializer, description="Queued; the worker sends it shortly."),
            **errors(401, 403, 404),
            409: OpenApiResponse(
                s.ErrorSerializer, description="The delivery is still pending: its next attempt is already queued."
            ),
        },
    )
    def post(self, request, pk: int, delivery_pk: int):
        endpoint = object_or_404(WebhookEndpoint.objects.filter(partner=request_partner(request)), pk, "Endpoint")
        delivery = object_or_404(WebhookDelivery.objects.filter(endpoint=endpoint), delivery_pk, "Delivery")
        delivery = partner_services.webhook_redeliver(delivery=delivery)
        delivery = WebhookDelivery.objects.select_related("event").prefetch_related("attempts").get(pk=delivery.pk)
        return Response(delivery_data(delivery), status=status.HTTP_202_ACCEPTED)


class WebhookRotateSecretView(GenericAPIView):
    permission_classes = [PartnerOnly]
    throttle_classes = WEBHOOK_TOOLS_THROTTLES
    serializer_class = s.WebhookSecretSerializer

    @extend_schema(
        operation_id="webhooks_rotate_secret",
        summary="Replace an endpoint's signing secret (partner key)",
        description=(
            "Returns the new secret, shown only in this response. Until `previous_secret_expires_at` (24 hours) "
            "each delivery is signed with both secrets, so your receiver can switch without losing an event."
        ),
        request=None,
        responses={
            200: OpenApiResponse(s.WebhookSecretSerializer, description="The new secret (shown only now)."),
            **errors(401, 403, 404),
        },
    )
    def post(self, request, pk: int):
        endpoint = object_or_404(WebhookEndpoint.objects.filter(partner=request_partner(request)), pk, "Endpoint")
        endpoint = partner_services.webhook_endpoint_rotate_secret(endpoint=endpoint)
        return Response(s.WebhookSecretSerializer(endpoint).data)


# --- anything else under /api/ ---------------------------------------------------------------------


class NotFoundView(GenericAPIView):
    """A JSON 404 for any other path under /api/, in the one error format."""

    permission_classes: list = []

    @extend_schema(exclude=True)
    def get(self, request, path: str = ""):
        raise Http404(_("No API endpoint at /api/{path}. See /api/docs/.").format(path=path))

    post = put = patch = delete = get
