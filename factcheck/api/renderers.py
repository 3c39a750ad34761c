"""The API's renderers beyond DRF's JSON: JSON-LD, for the ClaimReview documents (one claim's and the feed)."""

from __future__ import annotations

from rest_framework.renderers import JSONRenderer


class JsonLdRenderer(JSONRenderer):
    media_type = "application/ld+json"
    format = "jsonld"
