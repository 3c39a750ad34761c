"""Anonymous API reads that a shared cache may keep: the claims, a claim, its ClaimReview, the feed.

A client without credentials gets the same representation as every other one, so its answer says
``Cache-Control: public`` (with ``s-maxage``; factcheck/caching.py) and names its surrogate keys: the HTTP
cache in front keeps it until a change purges it. Such answers are read from the primary database (a
purge is followed at once by refills, which a lagging replica would answer with what was purged).
Partners and the newsroom get ``private`` answers, which may come from a replica.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

from factcheck import surrogate
from factcheck.caching import is_personal, is_personal_request, patch_public_cache_control
from factcheck.routing import primary_reads


def claim_keys(pk: int) -> tuple[str, ...]:
    """A claim's representations show it and the scale (the view adds its article's key)."""
    return surrogate.claim_key(pk), surrogate.SCALE


def list_keys() -> tuple[str, ...]:
    return surrogate.LISTS, surrogate.SCALE


def public_read(keys: Callable[..., Iterable[str]]) -> Callable:
    """A GET that anyone without credentials gets the same answer to: public for them, private for the rest."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            surrogate.add_keys(request, *keys(**kwargs))
            if request.method not in ("GET", "HEAD"):
                return view(request, *args, **kwargs)
            if is_personal_request(request):
                response = view(request, *args, **kwargs)
                patch_cache_control(response, private=True)
                return response
            with primary_reads():
                response = view(request, *args, **kwargs)
            if response.status_code in (200, 304) and not is_personal(response):
                patch_public_cache_control(response)
            return response

        return wrapper

    return decorator


claim_read = public_read(claim_keys)
list_read = public_read(list_keys)
