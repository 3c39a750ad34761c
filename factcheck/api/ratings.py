"""The rating scale, best first: each rating's key, value, labels and definition."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.generics import GenericAPIView

from factcheck.claims.models import Rating
from factcheck.claims.selectors import rating_scale_bounds

from . import serializers as s
from .conditional import conditional_response, digest_etag
from .docs import IF_NONE_MATCH, NOT_MODIFIED, errors


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
