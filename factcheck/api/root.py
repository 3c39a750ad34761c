"""``GET /api/v1/``: where everything is, so a client can start from one address."""

from __future__ import annotations

from django.conf import settings
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.generics import GenericAPIView

from .conditional import conditional_response, digest_etag
from .docs import IF_NONE_MATCH, NOT_MODIFIED, errors
from .serializers import api_url

# Name: (address under /api/v1/, what it is). Ids in braces are filled in by the client.
ENDPOINTS = {
    "claims": ("claims/", "Claims, the change feed (filters: updated_since, rating, article, language, status, q)."),
    "claim": ("claims/{id}/", "A claim."),
    "claim_history": ("claims/{id}/history/", "A claim's public versions."),
    "claim_claimreview": ("claims/{id}/claimreview/", "A claim's ClaimReview (JSON-LD)."),
    "claimreview": ("claimreview/", "Every published ClaimReview, as a schema.org DataFeed."),
    "articles": ("articles/", "Articles with public claims."),
    "article": ("articles/{id}/", "An article, its body and its claims."),
    "ratings": ("ratings/", "The rating scale."),
    "webhooks": ("webhooks/", "Your webhook endpoints (partner key)."),
    "factcheck_claims_search": ("factcheck/v1alpha1/claims:search", "Google Fact Check Tools compatible search."),
}


def root_data() -> dict:
    site = settings.SITE_URL
    return {
        "version": "v1",
        "endpoints": {name: {"url": api_url(path), "description": text} for name, (path, text) in ENDPOINTS.items()},
        "schema": f"{site}/api/schema/",
        "documentation": f"{site}/api/docs/",
    }


class ApiRootView(GenericAPIView):
    @extend_schema(
        operation_id="api_root",
        summary="Where everything is",
        description="The API's endpoints (absolute addresses on the portal's public address), its schema and docs.",
        parameters=[IF_NONE_MATCH],
        responses={
            200: OpenApiResponse(
                inline_serializer(
                    "ApiRoot",
                    {
                        "version": serializers.CharField(),
                        "endpoints": serializers.DictField(
                            child=inline_serializer(
                                "ApiEndpoint", {"url": serializers.CharField(), "description": serializers.CharField()}
                            )
                        ),
                        "schema": serializers.CharField(),
                        "documentation": serializers.CharField(),
                    },
                ),
                description="The endpoints by name.",
            ),
            **NOT_MODIFIED,
            **errors(401),
        },
    )
    def get(self, request):
        data = root_data()
        return conditional_response(request, data, etag=digest_etag("root", [settings.SITE_URL]))
