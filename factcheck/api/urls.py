from django.conf import settings
from django.urls import path, re_path
from django.utils.csp import CSP
from django.views.decorators.csp import csp_override
from drf_spectacular.views import SpectacularAPIView

from . import (
    articles,
    claims,
    datafeed,
    docs,
    evidence,
    factchecktools,
    not_found,
    ratings,
    revisions,
    root,
    similar,
    webhooks,
)
from .caching import claim_read, list_read

app_name = "api"

urlpatterns = [
    path("v1/", root.ApiRootView.as_view(), name="root"),
    path("v1/claims/", list_read(claims.ClaimListView.as_view()), name="claims"),
    path("v1/claims/similar/", similar.SimilarClaimsView.as_view(), name="claims-similar"),
    path("v1/claims/<int:pk>/", claim_read(claims.ClaimDetailView.as_view()), name="claim"),
    path("v1/claims/<int:pk>/history/", claims.ClaimHistoryView.as_view(), name="claim-history"),
    path(
        "v1/claims/<int:pk>/claimreview/",
        claim_read(claims.ClaimReviewView.as_view()),
        name="claim-claimreview",
    ),
    path("v1/claims/<int:pk>/transition/", claims.ClaimTransitionView.as_view(), name="claim-transition"),
    path("v1/claims/<int:pk>/evidence/", evidence.EvidenceListView.as_view(), name="claim-evidence"),
    path("v1/claims/<int:pk>/evidence/<int:evidence_pk>/", evidence.EvidenceDetailView.as_view(), name="evidence"),
    path("v1/claims/<int:pk>/revisions/", revisions.RevisionListView.as_view(), name="claim-revisions"),
    *[
        path(
            f"v1/claims/<int:pk>/revisions/<int:revision_pk>/{decision}/",
            revisions.decision_view(decision),
            {"decision": decision},
            name=f"claim-revision-{decision}",
        )
        for decision in revisions.DECISIONS
    ],
    path("v1/claimreview/", list_read(datafeed.ClaimReviewFeedView.as_view()), name="claimreview-feed"),
    path("v1/articles/", articles.ArticleListView.as_view(), name="articles"),
    path("v1/articles/<int:pk>/", articles.ArticleDetailView.as_view(), name="article"),
    path("v1/ratings/", ratings.RatingListView.as_view(), name="ratings"),
    path("v1/factcheck/claims:search", factchecktools.ClaimSearchView.as_view(), name="claims-search"),
    # Where Google's client libraries call it when given the base URL /api/v1/factcheck/.
    path(
        "v1/factcheck/v1alpha1/claims:search",
        factchecktools.ClaimSearchV1alpha1View.as_view(),
        name="claims-search-v1alpha1",
    ),
    re_path(
        r"^v1/factcheck/(?P<path>(?s:.*))$", factchecktools.MethodNotFoundView.as_view(), name="factcheck-not-found"
    ),
    path("v1/webhooks/", webhooks.WebhookEndpointListView.as_view(), name="webhooks"),
    path("v1/webhooks/<int:pk>/", webhooks.WebhookEndpointDetailView.as_view(), name="webhook"),
    path("v1/webhooks/<int:pk>/deliveries/", webhooks.WebhookDeliveryListView.as_view(), name="webhook-deliveries"),
    path(
        "v1/webhooks/<int:pk>/deliveries/<int:delivery_pk>/redeliver/",
        webhooks.WebhookRedeliverView.as_view(),
        name="webhook-redeliver",
    ),
    path("v1/webhooks/<int:pk>/ping/", webhooks.WebhookPingView.as_view(), name="webhook-ping"),
    path(
        "v1/webhooks/<int:pk>/rotate-secret/", webhooks.WebhookRotateSecretView.as_view(), name="webhook-rotate-secret"
    ),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up script from this address instead of inline, so the
    # Content-Security-Policy (script-src 'self') lets it run.
    path("docs/", docs.SwaggerPage.as_view(url_name="api:schema"), name="docs"),
    # Redoc builds its search index in a worker it starts from a blob: URL.
    path(
        "redoc/",
        csp_override({**settings.SECURE_CSP, "worker-src": [CSP.SELF, "blob:"]})(
            docs.RedocPage.as_view(url_name="api:schema", template_name="api/redoc.html")
        ),
        name="redoc",
    ),
    # (?s:…): a path with an encoded newline (claims/a%0Ab/) is an API path too, not Django's HTML 404.
    re_path(r"^(?P<path>(?s:.*))$", not_found.NotFoundView.as_view(), name="not-found"),
]
