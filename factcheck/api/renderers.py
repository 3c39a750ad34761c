"""The API's renderers: DRF's JSON, safe for any text a client sent, and JSON-LD for the ClaimReview documents (one
claim's and the feed)."""

from __future__ import annotations

from rest_framework import renderers


class JSONRenderer(renderers.JSONRenderer):
    """DRF's: UTF-8, except where the data holds text that is no Unicode characters, such as a lone surrogate
    (``"\\ud800"``) a client sent and an error quotes back ("… is not a valid choice"). UTF-8 cannot encode it,
    and DRF's renderer failed outside Django (a bare 500); JSON's ``\\u`` escapes can, so then those are used."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        try:
            return super().render(data, accepted_media_type, renderer_context)
        except UnicodeEncodeError:
            self.ensure_ascii = True  # this response's renderer only: DRF makes one per request
            return super().render(data, accepted_media_type, renderer_context)


class JsonLdRenderer(JSONRenderer):
    media_type = "application/ld+json"
    format = "jsonld"
