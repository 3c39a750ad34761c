"""Rate limits, counted in the default cache (Redis when REDIS_URL is set, so they hold across processes).

Anonymous clients are counted per IP address, partners per key, signed-in users per user. The rates
come from settings.API_THROTTLE_RATES, read on each request so tests and deployments can change them.
"""

from __future__ import annotations

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from .authentication import request_partner


class _SettingsRateThrottle(SimpleRateThrottle):
    def get_rate(self) -> str:
        return settings.API_THROTTLE_RATES[self.scope]


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
