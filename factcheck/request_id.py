"""``X-Request-ID``: every request has an id, echoed in the answer and written in every log record.

A client (or the proxy in front) may send its own: one of 1 to 128 letters, digits and ``-_.:@+=/``
is kept, so a partner can quote it and find the request in our logs. Anything else (too long, spaces,
control characters) is replaced by a new id, as is a missing one. The id is held in a context variable
for the request, and ``RequestIdLogFilter`` puts it on each log record as ``request_id`` ("-" outside a
request).
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Callable
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponse

HEADER = "X-Request-ID"
META_KEY = "HTTP_X_REQUEST_ID"
SANE_ID = re.compile(r"^[A-Za-z0-9\-_.:@+=/]{1,128}$")

current_request_id: ContextVar[str | None] = ContextVar("current_request_id", default=None)


def request_id_from(raw: str | None) -> str:
    """The client's id when it is sane, else a new one (32 hex digits)."""
    if raw and SANE_ID.match(raw):
        return raw
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """First in the stack, so every answer carries the id, cached ones and errors included."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request_id_from(request.META.get(META_KEY))
        request.request_id = request_id
        token = current_request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            current_request_id.reset(token)
        response[HEADER] = request_id
        return response


class RequestIdLogFilter(logging.Filter):
    """Adds ``request_id`` to every record (for formatters: ``%(request_id)s``)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            # Django logs a 4xx/5xx answer after the middleware returned, with the request on the record.
            from_request = getattr(getattr(record, "request", None), "request_id", None)
            record.request_id = from_request or current_request_id.get() or "-"
        return True
