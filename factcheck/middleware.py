"""Answers the whole site gives the same way: tracking parameters, a NUL in the address, a busy database.

Tracking parameters (``utm_*``, ``fbclid``, ...) are dropped from a GET's query string and the rest sorted.

Refuse a NUL character in the query string before any view or admin filter sees it.
PostgreSQL text cannot hold NUL, so a filter value such as ``?status__exact=%00`` in the admin or
``?q=%00`` on the public search reached the database and failed with a 500. No address of this site
needs one. The API names the offending parameter itself (its filters refuse NUL), so it is left alone.

A write that found the database locked for longer than it may wait answers 503 with Retry-After.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from urllib.parse import unquote_plus

from django.db import OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext, gettext_noop

logger = logging.getLogger(__name__)


# Parameters that say where a reader came from, not what to show (deploy/varnish/factcheck.vcl.in drops the
# same ones, filled in from here by ``manage.py varnish_vcl``).
TRACKING_PREFIXES = ("utm_",)
TRACKING_PARAMETERS = frozenset(
    {
        "fbclid", "gclid", "gclsrc", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid", "ttclid",
        "igshid", "mc_cid", "mc_eid", "_ga", "_gl", "_hsenc", "_hsmi", "mkt_tok", "ref_src", "li_fat_id",
    }
)  # fmt: skip


def is_tracking_parameter(name: str) -> bool:
    name = name.lower()
    return name.startswith(TRACKING_PREFIXES) or name in TRACKING_PARAMETERS


def normal_query_string(query: str) -> str:
    """The query string without tracking parameters, its parameters sorted (as Varnish's std.querysort)."""
    kept = [part for part in query.split("&") if part and not is_tracking_parameter(unquote_plus(part.split("=")[0]))]
    return "&".join(sorted(kept))


class StripTrackingParametersMiddleware:
    """A GET or HEAD is answered as if its tracking parameters were not there and the rest were sorted.

    So ``/?utm_source=x`` and ``/`` are one page: one entry in the answer cache (a random ``utm_source``
    no longer adds an entry per request), the same links in it, one ETag. Varnish in front does the same.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        query = request.META.get("QUERY_STRING", "")
        if query and request.method in ("GET", "HEAD"):
            normal = normal_query_string(query)
            if normal != query:
                request.META["QUERY_STRING"] = normal
                request.__dict__.pop("GET", None)  # read again from the new query string
        return self.get_response(request)


class RejectNulInQueryMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "%00" in request.META.get("QUERY_STRING", "") and not request.path.startswith("/api/"):
            names = sorted({name for name, values in request.GET.lists() if any("\x00" in v for v in [name, *values])})
            return HttpResponseBadRequest(
                f"A NUL character is not allowed in the address (parameter {', '.join(names) or 'name'}).",
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)


# PostgreSQL's "try again" errors: lock_timeout ran out, a serializable transaction lost, a deadlock was broken.
RETRYABLE_SQLSTATES = frozenset({"55P03", "40001", "40P01"})
BUSY_RETRY_AFTER_SECONDS = 2
BUSY_MESSAGE = gettext_noop(
    "The database is busy with other changes; nothing was saved. Please send it again in a moment."
)


def database_busy(exc: BaseException) -> bool:
    """Whether ``exc`` says the database was too busy to take this write now, rather than that it is broken."""
    if not isinstance(exc, OperationalError):
        return False
    if getattr(exc.__cause__, "sqlstate", None) in RETRYABLE_SQLSTATES:
        return True
    message = str(exc).lower()  # SQLite: "database is locked", "database table is locked", "... busy"
    return "locked" in message or "busy" in message


class DatabaseBusyMiddleware:
    """A write that waited its whole busy timeout for a lock answers 503 with ``Retry-After``, never 500.

    SQLite lets one writer at a time (others wait up to ``SQLITE_BUSY_TIMEOUT_SECONDS``); PostgreSQL may
    give up on a lock or a serializable transaction. Nothing was written, and the same request sent again
    later will do: the API says so in its error format, the site and the admin with a page.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not database_busy(exception):
            return None
        logger.warning("Database busy, answered 503: %s %s (%s)", request.method, request.path, exception)
        if request.path.startswith("/api/v1/factcheck/"):  # Google's clients read Google's error shape
            error = {"code": 503, "message": gettext(BUSY_MESSAGE), "status": "UNAVAILABLE"}
            response: HttpResponse = JsonResponse({"error": error}, status=503)
        elif request.path.startswith("/api/"):
            detail = gettext(BUSY_MESSAGE)
            response = JsonResponse({"detail": detail, "code": "database_busy", "errors": {}}, status=503)
        else:
            response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = str(BUSY_RETRY_AFTER_SECONDS)
        add_never_cache_headers(response)
        return response
