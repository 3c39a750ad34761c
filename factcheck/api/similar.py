"""``GET /api/v1/claims/similar/``: "has this been checked?" for platforms and partners holding a viral post.

Published verdicts that say nearly the same as a text, best first, each with its score, rating,
verdict and addresses (``factcheck.claims.similar.similar_claims``). Public and throttled like the
other reads, search included (the default throttles: per address, per partner key, per user).
"""

from __future__ import annotations

import json

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView

from factcheck.claims.models import Language
from factcheck.claims.selectors import rating_scale_bounds
from factcheck.claims.similar import SIMILAR_LIMIT, SIMILAR_MIN_SCORE, TEXT_MAX, SimilarClaim, similar_claims
from factcheck.web.links import claim_url

from . import serializers as s
from .conditional import conditional_response, digest_etag
from .docs import errors

TEXT_MIN = 3


class SimilarQuerySerializer(serializers.Serializer):
    text = serializers.CharField(
        trim_whitespace=False,  # as declared (minLength counts spaces); similar_claims collapses white space
        min_length=TEXT_MIN,
        max_length=TEXT_MAX,
        help_text=f"The text to look for: a claim or a post, {TEXT_MIN} to {TEXT_MAX} characters.",
    )
    language = serializers.ChoiceField(
        choices=Language.choices,
        required=False,
        help_text="The language of the text (id or en); both languages' statements are compared either way.",
    )
    limit = serializers.IntegerField(
        min_value=1, max_value=SIMILAR_LIMIT, required=False, help_text=f"At most this many claims (1–{SIMILAR_LIMIT})."
    )


class SimilarClaimSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="claim.pk")
    score = serializers.FloatField(
        help_text=f"How nearly the claim says the same as the text, 0 to 1 (only {SIMILAR_MIN_SCORE} and above)."
    )
    statement = serializers.SerializerMethodField()
    rating = serializers.SerializerMethodField()
    verdict = serializers.SerializerMethodField()
    api_url = serializers.SerializerMethodField()
    public_url = serializers.SerializerMethodField()
    published_at = s.UTCDateTimeField(source="claim.published_at", allow_null=True)

    @extend_schema_field(s.TranslatedSerializer)
    def get_statement(self, item: SimilarClaim) -> dict:
        return s.translated(item.claim, "statement")

    @extend_schema_field(s.RatingSerializer)
    def get_rating(self, item: SimilarClaim) -> dict:
        return s.RatingSerializer(item.claim.rating, context=self.context).data

    @extend_schema_field(s.TranslatedSerializer)
    def get_verdict(self, item: SimilarClaim) -> dict:
        verdict = s.translated(item.claim, "verdict")
        return {**verdict, "en": ""} if item.claim.english_pending else verdict

    def get_api_url(self, item: SimilarClaim) -> str:
        return s.api_url(f"claims/{item.claim.pk}/")

    @extend_schema_field(s.PublicUrlSerializer)
    def get_public_url(self, item: SimilarClaim) -> dict:
        return {language: claim_url(item.claim, language) for language in Language.values}


class SimilarResponseSerializer(serializers.Serializer):
    text = serializers.CharField(help_text="The text as compared (white space collapsed).")
    complete = serializers.BooleanField(
        help_text="False when the search gave up under load: an empty list then does not mean never checked."
    )
    results = SimilarClaimSerializer(many=True)


class SimilarClaimsView(GenericAPIView):
    serializer_class = SimilarResponseSerializer

    @extend_schema(
        operation_id="claims_similar",
        summary="Already checked? Published verdicts that say nearly the same as a text",
        description=(
            "For a post or a claim, the published verdicts (ours, in Indonesian and English) that say nearly the "
            "same, best first: trigram similarity of the statements combined with the full-text rank of the "
            'stemmed words. A claim about other figures than the text\'s ("naik 10 persen" against "naik 30 '
            'persen") is not returned. Throttled like the other reads.'
        ),
        parameters=[
            OpenApiParameter(
                "text",
                {"type": "string", "minLength": TEXT_MIN, "maxLength": TEXT_MAX, "pattern": "^[^\\u0000]*$"},
                required=True,
                description=SimilarQuerySerializer().fields["text"].help_text,
            ),
            OpenApiParameter(
                "language",
                OpenApiTypes.STR,
                enum=list(Language.values),
                description=SimilarQuerySerializer().fields["language"].help_text,
            ),
            OpenApiParameter(
                "limit",
                {"type": "integer", "minimum": 1, "maximum": SIMILAR_LIMIT},
                description=SimilarQuerySerializer().fields["limit"].help_text,
            ),
        ],
        responses={
            200: OpenApiResponse(SimilarResponseSerializer, description="The similar verdicts; none is an empty list."),
            **errors(400, 401),
        },
    )
    def get(self, request):
        unknown = sorted(set(request.query_params) - {"text", "language", "limit", "format"})
        if unknown:
            raise ValidationError({name: ["Unknown parameter."] for name in unknown})
        query = SimilarQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        text = " ".join(query.validated_data["text"].split())
        found = similar_claims(
            text=text,
            language=query.validated_data.get("language"),
            limit=query.validated_data.get("limit", SIMILAR_LIMIT),
        )
        context = {**self.get_serializer_context(), "scale": rating_scale_bounds()}
        data = SimilarResponseSerializer({"text": text, "complete": found.complete, "results": found}, context=context)
        data = data.data
        # The answer's own digest: a client asking again with If-None-Match gets a 304 while nothing changed.
        etag = digest_etag("similar", [request.get_full_path(), json.dumps(data, sort_keys=True, default=str)])
        return conditional_response(request, data, etag=etag)
