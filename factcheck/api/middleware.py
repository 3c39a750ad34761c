"""The API's language: English unless the client asks for another one with Accept-Language.

Answers say ``Vary: Accept-Language``. The public site takes its language from the URL prefix (Indonesian by default);
partners are international and read error messages in English unless they ask.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers

API_PREFIX = "/api/"
API_DEFAULT_LANGUAGE = "en"


class ApiLanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        if request.META.get("HTTP_ACCEPT_LANGUAGE"):
            language = translation.get_language_from_request(request, check_path=False)
        else:
            language = API_DEFAULT_LANGUAGE
        with translation.override(language):
            request.LANGUAGE_CODE = language
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Accept-Language",))  # a shared cache keeps one answer per language
        return response


class RateLimitHeadersMiddleware:
    """``RateLimit-Limit``, ``-Remaining``, ``-Reset`` and ``-Policy`` on API answers that a limit counted.

    The throttles leave their state on the request (``throttles.record_state``). They describe the request
    that was counted, not the answer: the HTTP cache in front drops them (with ``X-Request-ID``) from what it
    stores (deploy/varnish/), so anonymous answers served from it carry none and count against no limit
    (see docs/api.md).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        state = getattr(request, "rate_limit", None)
        if state is not None and request.path.startswith(API_PREFIX):
            response["RateLimit-Limit"] = str(state.limit)
            response["RateLimit-Remaining"] = str(state.remaining)
            response["RateLimit-Reset"] = str(state.reset)
            response["RateLimit-Policy"] = f"{state.limit};w={state.window}"
        return response
