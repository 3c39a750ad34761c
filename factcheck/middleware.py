"""Refuse a NUL character in the query string before any view or admin filter sees it.

PostgreSQL text cannot hold NUL, so a filter value such as ``?status__exact=%00`` in the admin or
``?q=%00`` on the public search reached the database and failed with a 500. No address of this site
needs one. The API names the offending parameter itself (its filters refuse NUL), so it is left alone.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest


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
