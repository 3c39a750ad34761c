"""Rate limits, counted in the default cache (Redis when REDIS_URL is set, so they hold across processes).

Anonymous clients are counted per IP address, partners per key, signed-in users per user. The rates
come from settings.API_THROTTLE_RATES, read on each request so tests and deployments can change them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from .authentication import request_partner


@dataclass(frozen=True)
class RateLimitState:
    """Where a request left the limit that counted it: for the ``RateLimit-*`` headers."""

    limit: int
    remaining: int
    reset: int  # seconds until the window has room again
    window: int  # the window's length in seconds


def record_state(request, state: RateLimitState) -> None:
    """Keep the tightest limit that counted this request on the Django request, for the headers."""
    django_request = getattr(request, "_request", request)
    known = getattr(django_request, "rate_limit", None)
    if known is None or state.remaining < known.remaining:
        django_request.rate_limit = state


class _SettingsRateThrottle(SimpleRateThrottle):
    def get_rate(self) -> str:
        return settings.API_THROTTLE_RATES[self.scope]

    def allow_request(self, request, view) -> bool:
        allowed = super().allow_request(request, view)
        history = getattr(self, "history", None)
        if history is not None and self.num_requests:  # a limit applied to this request (and counted it)
            oldest = history[-1] if history else self.now
            record_state(
                request,
                RateLimitState(
                    limit=self.num_requests,
                    remaining=max(self.num_requests - len(history), 0),
                    reset=max(math.ceil(oldest + self.duration - self.now), 0),
                    window=self.duration,
                ),
            )
        return allowed


class AnonymousThrottle(_SettingsRateThrottle):
    scope = "anonymous"

    def get_cache_key(self, request, view) -> str | None:
        if request.user and request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class PartnerThrottle(_SettingsRateThrottle):
    scope = "partner"

    def get_cache_key(self, request, view) -> str | None:
        if not request_partner(request):
            return None
        return self.cache_format % {"scope": self.scope, "ident": f"key-{request.auth.pk}"}


class UserThrottle(_SettingsRateThrottle):
    scope = "user"

    def get_cache_key(self, request, view) -> str | None:
        if not request.user or not request.user.is_authenticated or request_partner(request):
            return None
        return self.cache_format % {"scope": self.scope, "ident": f"user-{request.user.pk}"}


class WebhookToolsThrottle(_SettingsRateThrottle):
    """Ping, redelivery and secret rotation, per partner key: a ping holds a web worker while it connects."""

    scope = "webhook_tools"

    def get_cache_key(self, request, view) -> str | None:
        if not request_partner(request):
            return None
        return self.cache_format % {"scope": self.scope, "ident": f"key-{request.auth.pk}"}
