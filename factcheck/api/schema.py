"""The OpenAPI schema's own parts: the API key authentication (drf-spectacular extensions, loaded by the app
config), anonymous reads, and the post-processing hooks that declare headers, limits and error answers."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from rest_framework.permissions import SAFE_METHODS


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = "factcheck.api.authentication.ApiKeyAuthentication"
    name = "ApiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": (
                "`Api-Key <key>`: a partner's key (read-only, webhooks) or an editor's or reviewer's own key."
            ),
        }


class QueryKeyScheme(OpenApiAuthenticationExtension):
    target_class = "factcheck.api.authentication.QueryKeyAuthentication"
    name = "GoogleApiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "query",
            "name": "key",
            "description": (
                "claims:search only: a partner's key as the `key` query parameter, where Google's client libraries "
                "send the API key. An invalid key is a 400 INVALID_ARGUMENT, as at Google."
            ),
        }


PATH_PARAMETERS = {
    "id": "The id of the {what}.",
    "evidence_pk": "The id of the evidence link (of this claim).",
    "delivery_pk": "The id of the delivery (of this endpoint), as the delivery log shows it.",
}


def describe_path_parameters(result, generator, request, public):
    """Name what each path id refers to (drf-spectacular leaves path parameters undescribed)."""
    for path, item in result.get("paths", {}).items():
        what = path.removeprefix("/api/v1/").split("/")[0].rstrip("s") or "object"
        what = {"claim": "claim", "article": "article", "webhook": "webhook endpoint"}.get(what, what)
        for operation in item.values():
            for parameter in operation.get("parameters", []):
                if parameter.get("description"):
                    continue
                if parameter["in"] == "path":
                    parameter["description"] = PATH_PARAMETERS.get(parameter["name"], "An id.").format(what=what)
                elif parameter["name"] == "format":
                    parameter["description"] = "jsonld (default) answers application/ld+json; json application/json."
    return result


def close_request_bodies(result, generator, request, public):
    """Request bodies refuse unknown fields (StrictSerializer): say so with additionalProperties: false.

    Without it the schema promised that any extra field is accepted, and generated clients (and the
    fuzzer) sent bodies the API refuses with 400.
    """
    for name, component in result.get("components", {}).get("schemas", {}).items():
        if name.endswith("Request") and component.get("type") == "object":
            component["additionalProperties"] = False
    return result


def document_body_limit(result, generator, request, public):
    """Every operation that takes a body may answer 413 when it is over DATA_UPLOAD_MAX_MEMORY_SIZE."""
    from django.conf import settings

    for item in result.get("paths", {}).values():
        for operation in item.values():
            if isinstance(operation, dict) and "requestBody" in operation:
                operation["responses"]["413"] = {
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                    "description": f"The request body is over {settings.DATA_UPLOAD_MAX_MEMORY_SIZE:,} bytes.",
                }
    return result


# --- anonymous reads ---------------------------------------------------------------------------------


class ApiAutoSchema(AutoSchema):
    """Reads open to everyone say so: ``security: [{}, {ApiKey: []}, {cookieAuth: []}]``.

    drf-spectacular adds ``{}`` (no credentials) only for its own AllowAny and IsAuthenticatedOrReadOnly; our
    ReadOnlyUnlessNewsroom lets anyone read too, so generated clients must not insist on a key for those.
    """

    def get_auth(self):
        from .permissions import ReadOnlyUnlessNewsroom

        auths = super().get_auth()
        public_read = self.method in SAFE_METHODS and any(
            isinstance(p, ReadOnlyUnlessNewsroom) for p in self.view.get_permissions()
        )
        if public_read:
            auths = [{}, *(a for a in auths if a != {})]
        return auths


# --- response headers, error answers, servers -----------------------------------------------------------

ERROR_REF = {"$ref": "#/components/schemas/Error"}
GOOGLE_ERROR_REF = {"$ref": "#/components/schemas/GoogleError"}


def header(description: str, schema: dict, *, required: bool = False) -> dict:
    return {"description": description, "required": required, "schema": schema}


INTEGER = {"type": "integer", "minimum": 0}
RATE_LIMIT_HEADERS = {
    "RateLimit-Limit": header(
        "Requests allowed in the current window (your key's, your user's or your address's).", INTEGER
    ),
    "RateLimit-Remaining": header("Requests left in the current window.", INTEGER),
    "RateLimit-Reset": header("Seconds until the window has room again.", INTEGER),
    "RateLimit-Policy": header("The limit and its window in seconds, e.g. `60;w=60`.", {"type": "string"}),
}
REQUEST_ID_HEADER = {
    "X-Request-ID": header(
        "The request's id: the one you sent (1 to 128 of A-Z a-z 0-9 - _ . : @ + = /) or a new one. Quote it "
        "when you report a problem.",
        {"type": "string", "minLength": 1, "maxLength": 128},
        required=True,
    )
}
RETRY_AFTER = {"Retry-After": header("Seconds to wait before sending it again.", INTEGER, required=True)}
ETAG = {
    "ETag": header("The representation's version; send it back as `If-None-Match`.", {"type": "string"}, required=True)
}
LAST_MODIFIED = {"Last-Modified": header("When what it shows last changed (HTTP date).", {"type": "string"})}
LINK = {
    "Link": header(
        'The next page, as `<url>; rel="next"` (RFC 8288), the same address as `next`; absent on the last page.',
        {"type": "string"},
    )
}
SERVER_ERROR_TEXT = "An unexpected error; nothing was changed by it (the body says no more)."
BUSY_TEXT = "The database was busy with other writes; nothing was saved. Send it again after `Retry-After` seconds."


def declare_conventions(result, generator, request, public):
    """What every answer of the API carries and what generated clients rely on, said in the schema:

    - ``servers``: the portal's public address (SITE_URL);
    - on every answer ``X-Request-ID`` and the rate-limit headers; ``Retry-After`` on 429 and 503;
    - on GET answers ``ETag`` (and ``Last-Modified``); on pages with a cursor, ``Link`` to the next;
    - 500 and 503 with the error body (Google's under /api/v1/factcheck/) on every operation.
    """
    from django.conf import settings

    result["servers"] = [{"url": settings.SITE_URL, "description": "This portal (SITE_URL)."}]
    for path, item in result.get("paths", {}).items():
        error = GOOGLE_ERROR_REF if path.startswith("/api/v1/factcheck/") else ERROR_REF
        for method, operation in item.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            responses.setdefault(
                "500", {"description": SERVER_ERROR_TEXT, "content": {"application/json": {"schema": error}}}
            )
            responses.setdefault("503", {"description": BUSY_TEXT, "content": {"application/json": {"schema": error}}})
            paged = any(p.get("name") in ("cursor", "pageToken") for p in operation.get("parameters", []))
            for status, response in responses.items():
                headers = response.setdefault("headers", {})
                headers.update(REQUEST_ID_HEADER)
                headers.update(RATE_LIMIT_HEADERS)
                if status in ("429", "503"):
                    headers.update(RETRY_AFTER)
                if method == "get" and status in ("200", "304"):
                    headers.update(ETAG)
                    headers.update(LAST_MODIFIED)
                if method == "get" and status == "200" and paged and not path.startswith("/api/v1/factcheck/"):
                    headers.update(LINK)
    return result


WEBHOOK_URL = {
    "format": "uri",
    "pattern": "^https?://",
    "maxLength": 1000,
    "description": (
        "https, on port 443 (or 80), to a host that resolves only to public addresses; one endpoint per URL "
        "(http://127.0.0.1 only in development)."
    ),
}


# Query parameters whose empty value (``?page_size=``) counts as not given, as django-filter and the cursor
# paging read them: ``allowEmptyValue`` says so, for clients that send every parameter of a form.
EMPTY_IS_ABSENT = {"cursor", "page_size"}


def empty_is_absent_in() -> dict[str, set[str]]:
    """Per operation, the query parameters whose empty value counts as not given: every filter of a list's
    filter set (django-filter reads ``?rating=`` as absent), and Google's parameters (proto3 has no "unset",
    so an empty one is the default)."""
    from . import articles, claims, datafeed, factchecktools

    return {
        "claims_list": set(claims.ClaimListView.filterset_class.base_filters),
        "articles_list": set(articles.ArticleListView.filterset_class.base_filters),
        "claimreview_feed": set(datafeed.FeedFilter.base_filters),
        "factcheck_claims_search": {*factchecktools.SEARCH_PARAMETERS, "fields"},
    }


MAX_INT = 2**31 - 1
NO_NUL = "^[^\\u0000]*$"
WEB_ADDRESS = "^(https?://[^\\u0000]*)?$"  # http or https (evidence may be empty where it is optional)
# A claim's ETag as the API sent it, or its short form; empty is as if not sent.
IF_MATCH_PATTERN = '^(\\*|(W/)?"claim-[0-9]+-v[0-9]+(-a[0-9]+-r[0-9]+-s[0-9]+)?")?$'


def declare_limits(result, generator, request, public):
    """Limits a client can check before sending: page sizes, ids, the webhook URL's form."""
    from django.conf import settings

    empty_is_absent = empty_is_absent_in()
    for item in result.get("paths", {}).values():
        for operation in item.values():
            if not isinstance(operation, dict):
                continue
            for parameter in operation.get("parameters", []):
                schema = parameter.setdefault("schema", {})
                if parameter["name"] == "page_size":
                    schema.update(minimum=1, maximum=settings.API_MAX_PAGE_SIZE)
                if parameter["name"] == "version" and parameter["in"] == "query":
                    schema.update(type="integer", minimum=1, maximum=MAX_INT)
                if parameter["name"] == "If-Match":
                    schema["pattern"] = IF_MATCH_PATTERN
                plain_text = schema.get("type") == "string" and not {"enum", "format", "pattern"} & set(schema)
                if parameter["in"] == "query" and plain_text:
                    schema["pattern"] = NO_NUL  # a NUL in a parameter is refused, naming it
                filters = empty_is_absent.get(operation.get("operationId"), set())
                if parameter["in"] == "query" and parameter["name"] in EMPTY_IS_ABSENT | filters:
                    parameter["allowEmptyValue"] = True
    schemas = result.get("components", {}).get("schemas", {})
    for name, component in schemas.items():
        if not name.endswith("Request"):
            continue
        for field, schema in component.get("properties", {}).items():
            if schema.get("type") == "string" and "enum" not in schema and "format" not in schema:
                schema["pattern"] = NO_NUL  # text fields refuse NUL: PostgreSQL cannot store it
            if field in ("url", "archived_url") and schema.get("type") == "string":
                schema["pattern"] = WEB_ADDRESS
                if schema.get("minLength", 0) >= 1:  # "" is no URI: only where it may not be left empty
                    schema["format"] = "uri"
    for name in ("WebhookEndpointRequest", "PatchedWebhookEndpointUpdateRequest", "WebhookEndpointUpdateRequest"):
        url = schemas.get(name, {}).get("properties", {}).get("url")
        if url is not None:
            url.update(WEBHOOK_URL)
    return result
