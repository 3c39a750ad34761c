"""One error format everywhere: ``{"detail": "...", "code": "...", "errors": {"field": ["..."]}}``.

DRF's own exceptions keep their status (and ``Retry-After`` on 429); the
services' errors map to 400 (invalid input), 403 (not allowed, four-eyes),
409 (invalid transition), 412 (stale version, with the current one) and 428
(version required). ``code`` is machine-readable and never translated (see
``ERROR_CODES``); ``detail`` and ``errors`` are in the request's language.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import BadRequest, RequestDataTooBig
from django.http import JsonResponse, UnreadablePostError
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext, gettext_lazy
from rest_framework import status
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler

from factcheck.claims.errors import (
    InvalidInput,
    InvalidTransition,
    NeedsReview,
    NotAllowed,
    ServiceError,
    StaleEdit,
    VersionRequired,
)

# The services' errors: status and code. The first class that matches wins (NeedsReview is an InvalidTransition).
SERVICE_STATUS: list[tuple[type[ServiceError], int, str]] = [
    (StaleEdit, status.HTTP_412_PRECONDITION_FAILED, "version_stale"),
    (VersionRequired, status.HTTP_428_PRECONDITION_REQUIRED, "version_required"),
    (NeedsReview, status.HTTP_409_CONFLICT, "needs_review"),
    (InvalidTransition, status.HTTP_409_CONFLICT, "invalid_transition"),
    (NotAllowed, status.HTTP_403_FORBIDDEN, "not_allowed"),
    (InvalidInput, status.HTTP_400_BAD_REQUEST, "invalid"),
]

# Every ``code`` an error body may carry, with what it means (the API documentation lists them).
ERROR_CODES = {
    "invalid": "A parameter, header or field is invalid: `errors` names each and the rule it broke.",
    "parse_error": "The body is not valid JSON.",
    "not_authenticated": "This needs credentials: an API key or a signed-in session.",
    "authentication_failed": "The credentials were refused (e.g. a session's CSRF check).",
    "api_key_invalid": "No such API key, or a malformed Authorization header.",
    "api_key_revoked": "The API key was revoked.",
    "api_key_expired": "The API key has expired.",
    "api_key_inactive": "The partner or user of the API key is inactive.",
    "permission_denied": "Not allowed for these credentials (partner keys are read-only; roles).",
    "not_allowed": "A rule of the newsroom forbids it (role, four-eyes rule).",
    "not_found": "No such address or object, or not visible to you.",
    "method_not_allowed": "The method is not allowed here (`Allow` lists those that are).",
    "not_acceptable": "None of the media types in `Accept` can be served.",
    "unsupported_media_type": "The body's Content-Type is not JSON.",
    "invalid_transition": "The claim's status does not allow this change.",
    "needs_review": "A change to what readers see must be proposed as a revision.",
    "version_stale": "The version you sent is stale (`current_version` says the current one).",
    "version_required": "Send the version you read (`If-Match` or `version`).",
    "request_too_large": "The request body is too large.",
    "throttled": "Too many requests: wait `Retry-After` seconds.",
    "server_error": "An unexpected error; nothing more is known.",
    "database_busy": "The database was busy; nothing was saved. Send it again after `Retry-After` seconds.",
}


def error_body(detail: str, errors: dict[str, list[str]] | None = None, *, code: str, **extra: Any) -> dict:
    return {"detail": detail, "code": code, "errors": errors or {}, **extra}


DJANGO_CODES = {404: "not_found", 403: "permission_denied"}


def exception_code(exc: APIException) -> str:
    """The machine-readable code of a DRF exception: the one it was raised with, else its class's default."""
    code = getattr(exc.detail, "code", None) or exc.default_code
    return code if code in ERROR_CODES else exc.default_code if exc.default_code in ERROR_CODES else "invalid"


def flatten_errors(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error details as ``{"field": [...], "field.sub": [...], "events.0": [...]}``."""
    if isinstance(detail, dict):
        flat: dict[str, list[str]] = {}
        for key, value in detail.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            flat.update(flatten_errors(value, name))
        return flat
    if isinstance(detail, list):
        if all(not isinstance(item, (dict, list)) for item in detail):
            return {prefix or "non_field_errors": [str(item) for item in detail]}
        flat = {}
        for index, item in enumerate(detail):
            if item:
                flat.update(flatten_errors(item, f"{prefix}.{index}" if prefix else str(index)))
        return flat
    return {prefix or "non_field_errors": [str(detail)]}


def validation_summary(errors: dict[str, list[str]]) -> str:
    parts = [f"{field}: {' '.join(messages)}" for field, messages in errors.items()]
    return gettext("Invalid input.") + " " + " ".join(parts[:5]) + (" …" if len(parts) > 5 else "")


TOO_LARGE = gettext_lazy("The request body is too large: the API accepts at most {limit} bytes.")
SERVER_ERROR = gettext_lazy("Internal server error; nothing more is known. Please try again.")


def api_exception_handler(exc: Exception, context: dict) -> Response | None:
    if isinstance(exc, RequestDataTooBig):
        # Django would answer with its HTML "Bad Request (400)" page.
        limit = f"{settings.DATA_UPLOAD_MAX_MEMORY_SIZE:,}"
        return Response(
            error_body(str(TOO_LARGE).format(limit=limit), code="request_too_large"),
            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    if isinstance(exc, ServiceError):
        status_code, code = next((st, code) for cls, st, code in SERVICE_STATUS if isinstance(exc, cls))
        extra = {"current_version": exc.current} if isinstance(exc, StaleEdit) else {}
        return Response(error_body(exc.message, exc.errors, code=code, **extra), status=status_code)
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, ValidationError):
        errors = flatten_errors(exc.detail)
        response.data = error_body(validation_summary(errors), errors, code="invalid")
    else:
        detail = response.data.get("detail", "") if isinstance(response.data, dict) else response.data
        # Django's Http404 and PermissionDenied, which DRF's handler turned into its own answers.
        code = (
            exception_code(exc) if isinstance(exc, APIException) else DJANGO_CODES.get(response.status_code, "invalid")
        )
        response.data = error_body(str(detail), code=code)
    return response


def json_error(request, status_code: int, detail: str, code: str) -> JsonResponse:
    return JsonResponse(error_body(detail, code=code), status=status_code)


def body_read_once(request) -> None:
    """Django's error pages run the CSRF check (``requires_csrf_token``), which reads the request's form.
    Where reading it is what failed (a form declaring another charset than UTF-8 is a ``BadRequest`` when
    read), it would fail again inside the error page, and the 400 page's error inside the 500 page's would
    reach the server. So an unreadable form is read as empty, as Django itself does after a broken upload
    (``_mark_post_parse_error``)."""
    if request.method != "POST":
        return
    try:
        request.POST  # noqa: B018 (reading it is the point)
    except (BadRequest, UnreadablePostError, MultiPartParserError):
        request._mark_post_parse_error()


def server_error(request, *args, **kwargs):
    """``handler500``: under /api/ the error format, elsewhere the site's page.

    Django renders this after an unhandled exception; DRF's own handler never sees those.
    """
    from django.views.defaults import server_error as page

    if request.path.startswith("/api/v1/factcheck/"):  # Google's clients read Google's error shape
        return JsonResponse({"error": {"code": 500, "message": str(SERVER_ERROR), "status": "INTERNAL"}}, status=500)
    if request.path.startswith("/api/"):
        return json_error(request, 500, str(SERVER_ERROR), "server_error")
    body_read_once(request)
    return page(request, *args, **kwargs)


def not_found(request, exception=None, *args, **kwargs):
    """``handler404`` (without DEBUG): under /api/ the error format; the API's own catch-all route answers
    first for every path under /api/, so this is the net beneath it."""
    from django.views.defaults import page_not_found

    if request.path.startswith("/api/"):
        return json_error(request, 404, gettext("No API endpoint at this address. See /api/docs/."), "not_found")
    body_read_once(request)
    return page_not_found(request, exception, *args, **kwargs)


def bad_request(request, exception=None, *args, **kwargs):
    """``handler400``: a request Django refused before any view (e.g. a suspicious header)."""
    from django.views.defaults import bad_request as page

    if request.path.startswith("/api/"):
        return json_error(request, 400, gettext("Bad request."), "invalid")
    body_read_once(request)
    return page(request, exception, *args, **kwargs)


def permission_denied(request, exception=None, *args, **kwargs):
    """``handler403``."""
    from django.views.defaults import permission_denied as page

    if request.path.startswith("/api/"):
        return json_error(
            request, 403, gettext("You do not have permission to perform this action."), "permission_denied"
        )
    body_read_once(request)
    return page(request, exception, *args, **kwargs)
