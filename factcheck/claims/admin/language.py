"""The admin in the language of its user, Indonesian or English.

The public site carries its language in the address (``/`` Indonesian, ``/en/`` English), so Django's
LocaleMiddleware gives every address without a prefix, the admin's included, the site's language
(``LANGUAGE_CODE``) whatever the browser asks for. The admin has one address for both languages: here
it follows the user's choice (the ``django_language`` cookie) or their browser's ``Accept-Language``,
and falls back to the site's language.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers


class AdminLanguageMiddleware:
    """Placed right after ``LocaleMiddleware``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.prefix = ""

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not self.prefix:
            self.prefix = reverse("admin:index")
        if not request.path_info.startswith(self.prefix):
            return self.get_response(request)
        language = translation.get_language_from_request(request, check_path=False)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        patch_vary_headers(response, ["Accept-Language", "Cookie"])
        response.headers.setdefault("Content-Language", language)
        return response
