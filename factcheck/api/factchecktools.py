"""Google Fact Check Tools API compatibility: ``claims:search`` as Google's own clients call it.

Google's client libraries are generated from its discovery document (``factchecktools v1alpha1``):
they join the method's path, ``v1alpha1/claims:search``, to the base URL they are given and add the
API key as ``key=`` and ``alt=json``. So the search answers at ``/api/v1/factcheck/v1alpha1/claims:search``
(a client given the documented base URL ``/api/v1/factcheck/``) and at ``/api/v1/factcheck/claims:search``
(code that had ``…/v1alpha1/`` in its own base URL), takes every parameter the discovery document
lists for the method, answers in its response shape (empty fields left out, as Google does) and every
error in Google's shape: ``{"error": {"code": 400, "message": "...", "status": "INVALID_ARGUMENT"}}``.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import Q
from django.http import Http404, QueryDict
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.settings import api_settings

from factcheck.claims.models import Claim, Language
from factcheck.claims.selectors import claim_search, fetch_search
from factcheck.web.links import claim_url

from . import serializers as s
from .authentication import QueryKeyAuthentication
from .conditional import claim_tag, conditional_response, digest_etag
from .exceptions import api_exception_handler
from .pagination import KeysetPaginator

# --- errors in Google's shape ----------------------------------------------------------------------

# google.rpc.Code names by HTTP status, as Google's APIs answer them.
GOOGLE_STATUS = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    405: "UNIMPLEMENTED",
    409: "ABORTED",
    412: "FAILED_PRECONDITION",
    413: "INVALID_ARGUMENT",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    503: "UNAVAILABLE",
    504: "DEADLINE_EXCEEDED",
}


def google_status(code: int) -> str:
    return GOOGLE_STATUS.get(code, "INVALID_ARGUMENT" if code < 500 else "INTERNAL")


def google_error_body(code: int, message: str, errors: dict[str, list[str]] | None = None) -> dict:
    error: dict = {"code": code, "message": message, "status": google_status(code)}
    if errors:
        violations = [{"field": field, "description": " ".join(texts)} for field, texts in errors.items()]
        error["details"] = [{"@type": "type.googleapis.com/google.rpc.BadRequest", "fieldViolations": violations}]
    return {"error": error}


def google_exception_handler(exc: Exception, context: dict) -> Response | None:
    """The API's own handler decides the status and headers (``Retry-After``, ``WWW-Authenticate``);
    the body becomes Google's."""
    response = api_exception_handler(exc, context)
    if response is None:
        return None
    data = response.data if isinstance(response.data, dict) else {"detail": str(response.data)}
    errors = data.get("errors") or {}
    message = "; ".join(f"{field}: {' '.join(texts)}" for field, texts in errors.items()) or data.get("detail", "")
    response.data = google_error_body(response.status_code, message, errors)
    return response


class GoogleErrorStatusSerializer(serializers.Serializer):
    code = serializers.IntegerField(help_text="The HTTP status.")
    message = serializers.CharField(help_text="What went wrong, for a person.")
    status = serializers.CharField(help_text="The google.rpc.Code name: INVALID_ARGUMENT, NOT_FOUND…")
    details = serializers.ListField(
        child=serializers.DictField(), required=False, help_text="For invalid input: a BadRequest naming each field."
    )


class GoogleErrorSerializer(serializers.Serializer):
    error = GoogleErrorStatusSerializer()


GOOGLE_ERROR_TEXT = {
    400: "INVALID_ARGUMENT: a parameter is invalid (the message names it), or the `key` is not a valid API key.",
    401: "UNAUTHENTICATED: an invalid, revoked or expired key in the Authorization header.",
    403: "PERMISSION_DENIED.",
    405: "UNIMPLEMENTED: claims:search is read with GET.",
    429: "RESOURCE_EXHAUSTED: too many requests; wait the number of seconds in `Retry-After`.",
}


# --- the request -----------------------------------------------------------------------------------

SEARCH_PARAMETERS = {
    "query",
    "languageCode",
    "maxAgeDays",
    "offset",
    "pageSize",
    "pageToken",
    "reviewPublisherSiteFilter",
}
# Parameters every Google API method takes. ``key`` is read by QueryKeyAuthentication; ``alt`` must be json;
# ``fields`` selects a partial response; the rest (output format, JSONP, OAuth, quota, upload protocol) mean
# nothing here and are ignored.
STANDARD_PARAMETERS = {
    "$.xgafv",
    "access_token",
    "alt",
    "callback",
    "fields",
    "key",
    "oauth_token",
    "prettyPrint",
    "quotaUser",
    "upload_protocol",
    "uploadType",
}
DEFAULT_PAGE_SIZE = 10
INT32_MAX = 2**31 - 1
MAX_QUERY_LENGTH = 500
MAX_FIELDS_LENGTH = 500
# A BCP-47 tag: its primary language subtag, then any subtags (region, script…), which Google does not consider.
BCP47 = re.compile(r"^([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]{1,8})*$")
LEGACY_LANGUAGES = {"in": Language.INDONESIAN}  # the old ISO 639 code for Bahasa Indonesia
# Beyond this an age is no limit (and a cut-off date before year 1 would overflow).
MAX_AGE_DAYS_LIMIT = 365 * 1000


@dataclass(frozen=True)
class SearchRequest:
    query: str
    language: str | None
    max_age_days: int
    page_size: int
    offset: int
    site: str
    fields: dict


FIELD_NAME = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*|\*")


def fields_tree(spec: str) -> dict:
    """Google's partial-response selector as a tree: ``claims(text,claimReview/url),nextPageToken`` is
    ``{"claims": {"text": {}, "claimReview": {"url": {}}}, "nextPageToken": {}}``; ``{}`` keeps all below."""
    spec = "".join(spec.split())
    if not spec:
        return {}
    if len(spec) > MAX_FIELDS_LENGTH:  # and so nested no deeper than Python's recursion allows
        raise ValueError(f"The field selection is longer than {MAX_FIELDS_LENGTH} characters.")
    tree, end = _selection(spec, 0)
    if end != len(spec):
        raise ValueError(f"Invalid field selection {spec!r} at character {end + 1}.")
    return tree


def _selection(spec: str, i: int) -> tuple[dict, int]:
    tree: dict = {}
    while True:
        node = tree
        while True:  # a path: claims/claimReview/url
            match = FIELD_NAME.match(spec, i)
            if not match:
                raise ValueError(f"Invalid field selection {spec!r} at character {i + 1}.")
            node = node.setdefault(match.group(), {})
            i = match.end()
            if not spec.startswith("/", i):
                break
            i += 1
        if spec.startswith("(", i):  # a sub-selection: claimReview(url,title)
            below, i = _selection(spec, i + 1)
            if not spec.startswith(")", i):
                raise ValueError(f"Invalid field selection {spec!r}: a ( is not closed.")
            node.update(below)
            i += 1
        if not spec.startswith(",", i):
            return tree, i
        i += 1


def partial_response(data, tree: dict):
    """``data`` with only the fields ``tree`` selects (in lists, in each item)."""
    if not tree or "*" in tree:
        return data
    if isinstance(data, list):
        return [partial_response(item, tree) for item in data]
    if isinstance(data, dict):
        return {name: partial_response(data[name], below) for name, below in tree.items() if name in data}
    return data


def int32(params: QueryDict, name: str, errors: dict[str, list[str]]) -> int:
    """An int32 parameter as Google reads it: absent, empty and 0 are all 0 (proto3 has no "unset")."""
    raw = params.get(name, "").strip()
    if not raw:
        return 0
    if not re.fullmatch(r"[+-]?[0-9]{1,10}", raw) or not -(2**31) <= int(raw) <= INT32_MAX:
        errors[name] = [f"Invalid value at '{name}' (TYPE_INT32), \"{raw}\"."]
        return 0
    if int(raw) < 0:
        errors[name] = [f"{name} must not be negative."]
        return 0
    return int(raw)


def language_from(code: str) -> str:
    """``en-US`` → ``en``, ``id-ID`` → ``id``: the region is ignored, as Google says it does."""
    match = BCP47.match(code.strip())
    if not match:
        raise ValueError(f'"{code}" is not a BCP-47 language code such as "id", "en" or "en-US".')
    primary = match.group(1).lower()
    language = LEGACY_LANGUAGES.get(primary, primary)
    if language not in Language.values:
        raise ValueError(f'No reviews in "{code}": they are in {" and ".join(Language.values)} only.')
    return language


def search_request(params: QueryDict) -> SearchRequest:
    errors: dict[str, list[str]] = {}
    unknown = sorted(set(params) - SEARCH_PARAMETERS - STANDARD_PARAMETERS)
    for name in unknown:
        errors[name] = [
            f'Invalid JSON payload received. Unknown name "{name}": Cannot bind query parameter. '
            f"Field '{name}' could not be found in request message."
        ]
    for name, values in params.lists():
        if any("\x00" in value for value in values):
            errors[name] = ["A NUL character is not allowed."]
    if params.get("alt", "json") != "json":
        errors["alt"] = [f"alt={params['alt']} is not supported: the answers are JSON (alt=json)."]
    query = params.get("query", "").strip()
    if len(query) > MAX_QUERY_LENGTH:
        errors["query"] = [f"The query is longer than {MAX_QUERY_LENGTH} characters."]
    language = None
    if params.get("languageCode", "").strip():
        try:
            language = language_from(params["languageCode"])
        except ValueError as exc:
            errors["languageCode"] = [str(exc)]
    max_age_days, page_size, offset = (int32(params, name, errors) for name in ("maxAgeDays", "pageSize", "offset"))
    selection: dict = {}
    try:
        selection = fields_tree(params.get("fields", ""))
    except ValueError as exc:
        errors["fields"] = [str(exc)]
    if errors:
        raise ValidationError(errors)
    return SearchRequest(
        query=query,
        language=language,
        max_age_days=max_age_days if max_age_days < MAX_AGE_DAYS_LIMIT else 0,
        # Google returns "up to that many results": a larger page size is served as the largest page.
        page_size=min(page_size or DEFAULT_PAGE_SIZE, settings.API_MAX_PAGE_SIZE),
        offset=offset,
        site=params.get("reviewPublisherSiteFilter", "").strip(),
        fields=selection,
    )


def bare_host(host: str) -> str:
    return host.lower().rstrip(".").removeprefix("www.")


def publisher_site_matches(site: str) -> bool:
    """Whether ``site`` names our site: the same host, with or without ``www.``, in any case; a port, a
    scheme or a path may be given (only the port is compared). ``example.org`` is not ``notexample.org``."""
    ours = urlsplit(settings.SITE_URL)
    try:  # urlsplit refuses a bracketed host that is not an IP address ("[x]"), .port one out of range
        given = urlsplit(site if "//" in site else f"//{site}")
        port = given.port
    except ValueError:
        return False
    if not given.hostname or bare_host(given.hostname) != bare_host(ours.hostname or ""):
        return False
    return port is None or port == (ours.port or {"http": 80, "https": 443}.get(ours.scheme))


def reviewed_or_claimed_since(days: int) -> Q:
    """Google's age is that of the claim's date or the review's, whichever is newer."""
    cutoff = timezone.now() - datetime.timedelta(days=days)
    # A claim's date is its article's publication day, at midnight UTC.
    cutoff_utc = cutoff.astimezone(datetime.UTC)
    first_day = cutoff_utc.date() + datetime.timedelta(days=0 if cutoff_utc.time() == datetime.time() else 1)
    return Q(published_at__gte=cutoff) | Q(article__published_on__gte=first_day)


# --- the response ----------------------------------------------------------------------------------


def rfc3339(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def search_entry(claim: Claim, language: str | None) -> dict:
    """One claim as Google's ``Claim``, with a ``ClaimReview`` per language it is reviewed in; empty fields
    are left out."""
    languages = [language] if language else [lang for lang in Language.values if lang == "id" or claim.statement_en]
    publisher = {"name": settings.PUBLISHER_NAME, "site": urlsplit(settings.SITE_URL).netloc}
    entry: dict = {"text": claim.statement_in(language or Language.INDONESIAN)}
    if claim.claimant:
        entry["claimant"] = claim.claimant
    if claim.article.published_on:
        entry["claimDate"] = rfc3339(
            datetime.datetime.combine(claim.article.published_on, datetime.time(), datetime.UTC)
        )
    entry["claimReview"] = [
        {
            "publisher": publisher,
            "url": claim_url(claim, lang),
            "title": claim.statement_in(lang),
            "reviewDate": rfc3339(claim.published_at),
            "textualRating": claim.rating.label(lang),
            "languageCode": lang,
        }
        for lang in languages
    ]
    return entry


# --- the views -------------------------------------------------------------------------------------


def parameter(name: str, kind, description: str, **extra) -> OpenApiParameter:
    return OpenApiParameter(name, kind, description=description, **extra)


# Google's int32 parameters: 0 (or empty, or absent) is the default, a negative number is refused.
INT32_PARAMETER = {"type": "integer", "minimum": 0, "maximum": INT32_MAX}


def _field_mask_pattern(depth: int = 3) -> str:
    """The selector grammar ``fields_tree`` reads, as a regular expression, nested ``depth`` levels deep
    (a regular expression cannot count parentheses; Google's documents nest two)."""
    name = r"(?:[A-Za-z_$][A-Za-z0-9_$]*|\*)"
    level = rf"{name}(?:/{name})*"
    for _ in range(depth):
        level = rf"{name}(?:/{name})*(?:\((?:{level})(?:,(?:{level}))*\))?"
    return rf"^(?:{level})(?:,(?:{level}))*$"


STANDARD_DOCS = [
    parameter("alt", OpenApiTypes.STR, "Response format: json only.", enum=["json"]),
    parameter(
        "fields",
        {"type": "string", "pattern": _field_mask_pattern()},
        "Google's partial-response selector: only these fields, e.g. `claims(text,claimReview(url)),nextPageToken`.",
    ),
    # Any value: it is ignored (Google's clients send true or false).
    parameter("prettyPrint", OpenApiTypes.STR, "Accepted and ignored (Google's clients send `true` or `false`)."),
    parameter("$.xgafv", OpenApiTypes.STR, "Google's error format version (1 or 2); accepted and ignored."),
    parameter("access_token", OpenApiTypes.STR, "OAuth access token; accepted and ignored."),
    parameter("oauth_token", OpenApiTypes.STR, "OAuth 2.0 token; accepted and ignored."),
    parameter("callback", OpenApiTypes.STR, "JSONP; accepted and ignored."),
    parameter("quotaUser", OpenApiTypes.STR, "Accepted and ignored."),
    parameter("upload_protocol", OpenApiTypes.STR, "Accepted and ignored."),
    parameter("uploadType", OpenApiTypes.STR, "Accepted and ignored."),
]


class GoogleErrorsMixin:
    def get_exception_handler(self):
        return google_exception_handler


class ClaimSearchView(GoogleErrorsMixin, GenericAPIView):
    serializer_class = s.SearchResponseSerializer
    authentication_classes = [*api_settings.DEFAULT_AUTHENTICATION_CLASSES, QueryKeyAuthentication]

    @extend_schema(
        operation_id="factcheck_claims_search",
        summary="Google Fact Check Tools compatible search (claims:search)",
        description=(
            "The parameters, response shape and error shape of Google's Fact Check Tools API `claims:search` "
            "(`factchecktools v1alpha1`), so a client written for it works when given the base URL "
            "`/api/v1/factcheck/` (it calls `/api/v1/factcheck/v1alpha1/claims:search`, the same search). "
            "Published verdicts only, newest first. Unknown parameters are refused, as Google refuses them."
        ),
        parameters=[
            parameter("query", OpenApiTypes.STR, "Full-text search over the claims."),
            parameter(
                "languageCode",
                # BCP-47 whose language is one we publish in (id, its old code in, or en); any region or script.
                {"type": "string", "pattern": "^\\s*([iI][dDnN]|[eE][nN])([-_][A-Za-z0-9]{1,8})*\\s*$"},
                "Reviews in this language only: a BCP-47 code (`id`, `en`, `en-US`; the region is ignored).",
            ),
            parameter(
                "maxAgeDays", INT32_PARAMETER, "Claims whose review or claim date is in the last N days (0: any)."
            ),
            parameter(
                "pageSize", INT32_PARAMETER, "Claims per page, up to 100 (default 10; 0 is the default; more is 100)."
            ),
            parameter("pageToken", OpenApiTypes.STR, "The `nextPageToken` of the last page."),
            parameter(
                "offset",
                INT32_PARAMETER,
                "Skip this many results first; as at Google, only without `pageToken` (the token holds the position).",
            ),
            parameter(
                "reviewPublisherSiteFilter",
                OpenApiTypes.STR,
                "Only reviews published by this site: our host, with or without `www.`; any other site has none.",
            ),
            *STANDARD_DOCS,
        ],
        responses={
            200: OpenApiResponse(
                s.SearchResponseSerializer,
                description="Matching claims in the Fact Check Tools shape; `{}` when none match.",
            ),
            304: OpenApiResponse(description="Not modified: your copy (If-None-Match) is current."),
            **{
                code: OpenApiResponse(GoogleErrorSerializer, description=text)
                for code, text in GOOGLE_ERROR_TEXT.items()
            },
        },
    )
    def get(self, request):
        search = search_request(request.query_params)
        claims = Claim.objects.filter(status=Claim.Status.PUBLISHED).select_related("article", "rating")
        if search.site and not publisher_site_matches(search.site):
            claims = claims.none()
        if search.query:
            claims = claim_search(queryset=claims, query=search.query)
        if search.language == Language.ENGLISH:
            claims = claims.exclude(statement_en="")
        if search.max_age_days:
            claims = claims.filter(reviewed_or_claimed_since(search.max_age_days))
        paginator = KeysetPaginator(("published_at", "id"), descending=True, cursor_param="pageToken")
        # As at Google, an offset counts only on a first page: a page token already holds the position, and
        # Google's clients keep every other parameter when they ask for the next page.
        offset = 0 if request.query_params.get("pageToken") else search.offset
        rows = fetch_search(
            lambda: paginator.paginate(claims, request, size=search.page_size, offset=offset),
            query=search.query,
            using=claims.db,
        )
        data: dict = {}
        if rows:
            data["claims"] = [search_entry(claim, search.language) for claim in rows]
        if paginator.next_cursor:
            data["nextPageToken"] = paginator.next_cursor
        data = partial_response(data, search.fields)
        etag = digest_etag("search", [request.get_full_path(), paginator.next_cursor, *map(claim_tag, rows)])
        updated = [claim.updated_at for claim in rows]
        return conditional_response(request, data, etag=etag, last_modified=max(updated, default=None))


class ClaimSearchV1alpha1View(ClaimSearchView):
    """The same search where Google's clients call it, given the base URL ``/api/v1/factcheck/``."""

    @extend_schema(exclude=True)
    def get(self, request):
        return super().get(request)


class MethodNotFoundView(GoogleErrorsMixin, GenericAPIView):
    """Any other address under ``/api/v1/factcheck/``: Google's 404."""

    permission_classes: list = []

    @extend_schema(exclude=True)
    def get(self, request, path: str = ""):
        raise Http404(
            f"No method at /api/v1/factcheck/{path}. Google Fact Check Tools clients call claims:search "
            "with the base URL /api/v1/factcheck/."
        )

    post = put = patch = delete = options = get
