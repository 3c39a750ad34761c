"""The OpenAPI documentation the API's views share: the error responses, the conditional-request headers,
the paging and language parameters, and the claims list's filters.

Declared once so every operation describes a 404, a 304 or ``If-Match`` in the same words.
"""

from __future__ import annotations

from django.views import View
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerSplitView

from factcheck.claims.models import Claim, Language

from . import serializers as s
from .filters import MAX_ID

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
        enum=Claim.Status.values,
        description="Editors and reviewers: any status. Others see only published (including corrected) and "
        "retracted claims, and may filter by those two (another status is a 400).",
    ),
    OpenApiParameter(
        "q",
        {"type": "string", "maxLength": 500, "pattern": "^[^\\u0000]*$"},
        description="Full-text search over the claims.",
    ),
]


class PageOptions:
    """OPTIONS on an HTML page of the API's reference: Django's answer (200, ``Allow``, no body). DRF's would
    describe the view in the page's HTML renderer, which has no template for that: a 500."""

    def options(self, request, *args, **kwargs):
        return View.options(self, request, *args, **kwargs)


class SwaggerPage(PageOptions, SpectacularSwaggerSplitView):
    pass


class RedocPage(PageOptions, SpectacularRedocView):
    pass
