"""Content negotiation that answers an unknown ``?format=`` with a 400 naming the parameter.

DRF's default raises a bare 404 for ``?format=xml`` on any endpoint, which reads as "no such
claim"; the fuzzer found it (GET /api/v1/claimreview/?format=AAA).
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.negotiation import DefaultContentNegotiation


class StrictFormatNegotiation(DefaultContentNegotiation):
    def filter_renderers(self, renderers, format):
        matching = [renderer for renderer in renderers if renderer.format == format]
        if not matching:
            choices = ", ".join(sorted({renderer.format for renderer in renderers}))
            raise ValidationError(
                {self.settings.URL_FORMAT_OVERRIDE: [_("Choose one of: {choices}.").format(choices=choices)]}
            )
        return matching
