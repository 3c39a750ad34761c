"""The reader pages: thin views that call the claim selectors and render templates.

Only public claims (published, corrected, retracted) are shown to readers; a
draft's address is a 404 for them. Staff may preview with a banner, never cached.
"""

from __future__ import annotations

import re
from functools import wraps

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.templatetags.static import static
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import get_language, gettext
from django.views.decorators.http import require_safe

from factcheck import surrogate
from factcheck.caching import article_page_shown, claim_page_shown, content_shown, public_page, shown_object
from factcheck.claims.gate import has_own_page
from factcheck.claims.history import claim_public_history
from factcheck.claims.models import Claim, Rating
from factcheck.claims.search import ranked_search
from factcheck.claims.selectors import (
    article_annotated_list,
    article_page_article,
    article_reader_claims,
    articles_with_public_claims,
    claim_evidence,
    claim_page_claims,
    claim_public_list,
    claim_related_list,
    correction_public_list,
    fetch_search,
    rating_scale,
)
from factcheck.people.models import public_name

from . import pagination
from .annotate import Highlight, annotate
from .cards import share_card_png
from .claimreview import claim_review
from .colours import text_colour_on
from .links import absolute_url, claim_anchor, claim_path
from .pagination import Page, page_number, page_of
from .sharing import card_path, share_description, share_title

SEARCH_QUERY_MAX = 200
SEARCH_ARTICLE_CHOICES = 50  # the newest articles offered in the search filter; any other still filters by its slug
LIST_KEYS = (surrogate.LISTS, surrogate.SCALE)
SAFE_KEY = re.compile(r"[A-Za-z0-9_-]+")
SAFE_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
QUOTE_CONTEXT = 280  # characters of the paragraph shown on each side of a quote


def _is_staff(request: HttpRequest) -> bool:
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        # Nobody signed in. Asking request.user would read the session and add "Vary: Cookie" to the 404,
        # which a slug that does not exist answers without: a hidden claim would be told from a missing one.
        return False
    return bool(request.user.is_authenticated and request.user.is_staff)


def _rating_by_key(ratings: list[Rating], key: str | None) -> Rating | None:
    return next((r for r in ratings if r.key == key), None) if key else None


@require_safe
@public_page(content_shown, keys=lambda: LIST_KEYS)
def home(request: HttpRequest) -> HttpResponse:
    ratings = list(rating_scale())
    selected = _rating_by_key(ratings, request.GET.get("rating"))
    page = page_of(claim_public_list(rating=selected), request.GET.get("page"))
    articles = article_annotated_list() if page.number == 1 and selected is None else []
    context = {"ratings": ratings, "selected_rating": selected, "page": page, "articles": articles}
    return render(request, "pages/home.html", context)


@require_safe
@public_page(content_shown, keys=lambda: LIST_KEYS)
def search(request: HttpRequest) -> HttpResponse:
    query = " ".join(request.GET.get("q", "").split())[:SEARCH_QUERY_MAX]
    ratings = list(rating_scale())
    readable = articles_with_public_claims().only("slug", "headline")
    articles = list(readable[:SEARCH_ARTICLE_CHOICES])
    rating = _rating_by_key(ratings, request.GET.get("rating"))
    slug = request.GET.get("article")
    article = next((a for a in articles if a.slug == slug), None)
    if article is None and slug:
        article = readable.filter(slug=slug).first()
        articles += [article] if article else []
    listed = claim_public_list(rating=rating, article=article)
    found = None
    if query:
        # Ranked by relevance (statement first, then quote, verdict, headline), counted, each with a marked excerpt.
        number, per_page = page_number(request.GET.get("page")), pagination.PER_PAGE
        found = fetch_search(
            lambda: ranked_search(
                queryset=listed,
                query=query,
                language=get_language(),
                offset=(number - 1) * per_page,
                limit=per_page + 1,
            ),
            query=query,
            using=listed.db,
        )
        if number > 1 and not found.items:
            raise Http404("There is no such page.")
        page = Page(items=found.items[:per_page], number=number, has_next=len(found.items) > per_page)
    else:
        page = page_of(listed, request.GET.get("page"))
    context = {
        "query": query,
        "ratings": ratings,
        "articles": articles,
        "selected_rating": rating,
        "selected_article": article,
        "page": page,
        "found": found,
        "searched": bool(query or rating or article),
    }
    return render(request, "pages/search.html", context)


def quote_in_context(body: str, start: int, end: int, *, margin: int = QUOTE_CONTEXT) -> tuple[str, str]:
    """The text of the quote's paragraph before and after it, cut at words with an ellipsis."""
    paragraph_start = body.rfind("\n", 0, start) + 1
    paragraph_end = body.find("\n", end)
    paragraph_end = len(body) if paragraph_end < 0 else paragraph_end
    before = body[max(paragraph_start, start - margin) : start]
    if start - margin > paragraph_start:
        before = "…" + before.split(" ", 1)[-1]
    after = body[end : min(paragraph_end, end + margin)]
    if end + margin < paragraph_end:
        after = after.rsplit(" ", 1)[0] + "…"
    return before.lstrip(), after.rstrip()


def _reader_claim(request: HttpRequest, slug: str) -> tuple[Claim, bool]:
    """The claim at ``slug`` and whether this is a staff preview; 404 where readers may not see it. The claim
    the page's validators were read with where they were (one read of it), else read here."""
    claim = shown_object(request) or get_object_or_404(claim_page_claims(), slug=slug)
    preview = not has_own_page(claim)
    if preview and not _is_staff(request):
        raise Http404("No public claim here.")
    return claim, preview


@require_safe
@public_page(claim_page_shown)
def claim_detail(request: HttpRequest, slug: str) -> HttpResponse:
    claim, preview = _reader_claim(request, slug)
    # The page quotes its article and lists the article's other claims with their ratings.
    surrogate.add_keys(
        request,
        surrogate.claim_key(claim.pk),
        surrogate.article_key(claim.article_id),
        surrogate.article_claims_key(claim.article_id),
        surrogate.SCALE,
        # Its byline names the researcher and the reviewer.
        *(surrogate.person_key(pk) for pk in (claim.researcher_id, claim.reviewer_id) if pk is not None),
    )
    language = get_language()
    before, after = quote_in_context(claim.article.body, claim.start, claim.end)
    versions = list(reversed(claim_public_history(claim)))
    latest = versions[0] if versions and versions[0].kind in ("correction", "retraction") else None
    same_article, similar = claim_related_list(claim=claim) if not preview else ([], [])
    # It quotes the statements of the similar claims it lists (a correction to one of them purges it too),
    # found among all public claims (a claim published or restated anywhere may join them).
    if not preview:
        surrogate.add_keys(request, surrogate.SIMILAR, *(surrogate.claim_key(other.pk) for other in similar))
    context = {
        "claim": claim,
        "article": claim.article,
        "preview": preview,
        "evidence": list(claim_evidence(claim_id=claim.pk)),
        "versions": versions,
        "latest_change": latest,
        "quote_before": before,
        "quote_after": after,
        "share_title": share_title(claim, language),
        "share_description": share_description(
            claim, language, retraction_note=latest.note_in(language) if latest and latest.kind == "retraction" else ""
        ),
        "card_url": absolute_url(card_path(claim, language)),
        "researcher_name": public_name(claim.researcher),
        "reviewer_name": public_name(claim.reviewer),
        "related_same_article": same_article,
        "related_similar": similar,
        "claim_review": claim_review(claim, language=language, bounds=(claim.scale_best, claim.scale_worst))
        if claim.is_public
        else None,
    }
    response = render(request, "claims/detail.html", context)
    if preview:
        add_never_cache_headers(response)
    return response


CARD_MAX_AGE_SECONDS = 86400  # a card's address names the claim's version: a correction gives it a new one


@require_safe
@public_page(lambda slug, version: claim_page_shown(slug))
def claim_card(request: HttpRequest, slug: str, version: int) -> HttpResponse:
    """The claim's share card (cards.py). An address naming an older version sends to the current card."""
    claim, preview = _reader_claim(request, slug)
    surrogate.add_keys(request, surrogate.claim_key(claim.pk), surrogate.SCALE)
    language = get_language()
    if version != claim.version:
        response = HttpResponseRedirect(card_path(claim, language))
        add_never_cache_headers(response)
        return response
    response = HttpResponse(share_card_png(claim, language), content_type="image/png")
    if preview:
        add_never_cache_headers(response)
    return response


@wraps(claim_card)
def claim_card_view(request: HttpRequest, slug: str, version: int) -> HttpResponse:
    """The card, which browsers and crawlers may keep longer than a page (its address names the version)."""
    response = claim_card(request, slug=slug, version=version)
    if "public" in response.get("Cache-Control", ""):
        response["Cache-Control"] = f"public, max-age={CARD_MAX_AGE_SECONDS}"
    return response


def _highlight(claim: Claim, language: str) -> Highlight:
    chip_lang = language if language != claim.article.language else ""
    if claim.status == Claim.Status.DISMISSED:
        return Highlight(
            start=claim.start,
            end=claim.end,
            anchor=claim_anchor(claim),
            css_class="not-checkable",
            chip_label=gettext("Not checkable"),
            chip_prefix=gettext("Claim:"),
            chip_href=f"#note-{claim.slug}",
            chip_title=claim.not_checkable_reason_in(language),
            chip_lang=chip_lang,
        )
    label = claim.rating.label(language)
    if claim.status == Claim.Status.RETRACTED:
        label = gettext("Retracted: %(rating)s") % {"rating": label}
    return Highlight(
        start=claim.start,
        end=claim.end,
        anchor=claim_anchor(claim),
        css_class=f"rating-{claim.rating.key}" + (" is-retracted" if claim.status == Claim.Status.RETRACTED else ""),
        chip_label=label,
        chip_prefix=gettext("Verdict:"),
        chip_href=claim_path(claim, language),
        chip_title=claim.statement_in(language),
        chip_lang=chip_lang,
    )


@require_safe
@public_page(article_page_shown)
def article_detail(request: HttpRequest, slug: str) -> HttpResponse:
    article = article_page_article.first(slug=slug)
    if article is None:
        raise Http404("No article here.")
    claims = article_reader_claims(article=article)
    preview = not any(claim.is_public for claim in claims)
    if preview and not _is_staff(request):
        raise Http404("No public verdict on this article.")
    keys = (surrogate.article_key(article.pk), surrogate.article_claims_key(article.pk), surrogate.SCALE)
    surrogate.add_keys(request, *keys)
    language = get_language()
    paragraphs = annotate(article.body, [_highlight(claim, language) for claim in claims])
    context = {
        "article": article,
        "claims": claims,
        "paragraphs": paragraphs,
        "preview": preview,
        "verdict_count": sum(1 for claim in claims if claim.is_public),
        "not_checkable_count": sum(1 for claim in claims if claim.status == Claim.Status.DISMISSED),
    }
    response = render(request, "articles/detail.html", context)
    if preview:
        add_never_cache_headers(response)
    return response


@require_safe
@public_page(content_shown, keys=lambda: [surrogate.SCALE])
def methodology(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/methodology.html", {"ratings": list(rating_scale())})


@require_safe
@public_page(content_shown, keys=lambda: LIST_KEYS)
def corrections(request: HttpRequest) -> HttpResponse:
    page = page_of(correction_public_list(), request.GET.get("page"))
    return render(request, "pages/corrections.html", {"page": page})


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /api/",
        "Disallow: /search/",
        "Disallow: /en/search/",
        "",
        f"Sitemap: {settings.SITE_URL}/sitemap.xml",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico where a page names no icon (a feed, for one)."""
    response = HttpResponsePermanentRedirect(static("img/favicon.svg"))
    patch_cache_control(response, public=True, max_age=86400)
    return response


@require_safe
def ratings_css(request: HttpRequest) -> HttpResponse:
    """The rating scale's colours as CSS classes, so templates need no inline styles."""
    rules = [
        f".rating-{rating.key} {{ --rating: {rating.colour}; --on-rating: {text_colour_on(rating.colour)}; }}"
        for rating in Rating.objects.all()
        if SAFE_KEY.fullmatch(rating.key) and SAFE_COLOUR.fullmatch(rating.colour)
    ]
    response = HttpResponse("\n".join(rules) + "\n", content_type="text/css; charset=utf-8")
    patch_cache_control(response, public=True, max_age=300)
    surrogate.add_keys(request, surrogate.SCALE)
    return response
