"""The tip forms' rate limit per client address, counted in the default cache.

DRF's throttle does the counting (a sliding window of timestamps in the cache) and finds the client's
address (``REMOTE_ADDR``, or ``X-Forwarded-For`` behind ``API_NUM_PROXIES`` proxies). With Redis down the
cache answers a miss (factcheck/redis_cache.py), so the limit fails open, as the rest of the site does.
Only a hash of the address is used as the cache key; the address itself is stored nowhere.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle


class TipThrottle(SimpleRateThrottle):
    scope = "tips"

    def get_rate(self) -> str:
        return settings.TIP_RATE

    def get_cache_key(self, request, view) -> str:
        ident = hashlib.sha256(self.get_ident(request).encode()).hexdigest()[:32]
        return self.cache_format % {"scope": self.scope, "ident": ident}
