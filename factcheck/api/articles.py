"""The articles: those with public claims (editors see all), and one article with its body and its claims."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Prefetch
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.generics import GenericAPIView

from factcheck.claims.models import Article, Claim
from factcheck.claims.selectors import rating_scale_bounds
from factcheck.routing import one_snapshot

from . import serializers as s
from .claim_reads import visible_claims
from .conditional import claim_tag, conditional_response, digest_etag, newest
from .docs import CURSOR, IF_NONE_MATCH, NOT_MODIFIED, PAGE_SIZE, errors
from .filters import ArticleFilter
from .lookups import object_or_404
from .pagination import KeysetPaginator
from .permissions import is_newsroom


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
