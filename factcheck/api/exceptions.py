"""One error format everywhere: ``{"detail": "...", "errors": {"field": ["..."]}}``.

DRF's own exceptions keep their status (and ``Retry-After`` on 429); the
services' errors map to 400 (invalid input), 403 (not allowed, four-eyes),
409 (invalid transition), 412 (stale version, with the current one) and 428
(version required).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler

from factcheck.claims.errors import (
    InvalidInput,
    InvalidTransition,
    NotAllowed,
    ServiceError,
    StaleEdit,
    VersionRequired,
)

SERVICE_STATUS: list[tuple[type[ServiceError], int]] = [
    (StaleEdit, status.HTTP_412_PRECONDITION_FAILED),
    (VersionRequired, status.HTTP_428_PRECONDITION_REQUIRED),
    (InvalidTransition, status.HTTP_409_CONFLICT),
    (NotAllowed, status.HTTP_403_FORBIDDEN),
    (InvalidInput, status.HTTP_400_BAD_REQUEST),
]


def error_body(detail: str, errors: dict[str, list[str]] | None = None, **extra: Any) -> dict:
    return {"detail": detail, "errors": errors or {}, **extra}


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
    return "Invalid input. " + " ".join(parts[:5]) + (" …" if len(parts) > 5 else "")


def api_exception_handler(exc: Exception, context: dict) -> Response | None:
    if isinstance(exc, RequestDataTooBig):
        # Django would answer with its HTML "Bad Request (400)" page.
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        return Response(
            error_body(f"The request body is too large: the API accepts at most {limit:,} bytes."),
            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    if isinstance(exc, ServiceError):
        code = next(code for cls, code in SERVICE_STATUS if isinstance(exc, cls))
        extra = {"current_version": exc.current} if isinstance(exc, StaleEdit) else {}
        return Response(error_body(exc.message, exc.errors, **extra), status=code)
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, ValidationError):
        errors = flatten_errors(exc.detail)
        response.data = error_body(validation_summary(errors), errors)
    else:
        detail = response.data.get("detail", "") if isinstance(response.data, dict) else response.data
        response.data = error_body(str(detail))
    return response


def server_error(request, *args, **kwargs):
    """``handler500``: under /api/ the error format (``{"detail": ..., "errors": {}}``), elsewhere the site's page.

    Django renders this after an unhandled exception; DRF's own handler never sees those.
    """
    from django.http import JsonResponse
    from django.views.defaults import server_error as page

    if request.path.startswith("/api/"):
        return JsonResponse(error_body("Internal server error; nothing more is known. Please try again."), status=500)
    return page(request, *args, **kwargs)
