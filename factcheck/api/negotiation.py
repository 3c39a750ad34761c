"""Content negotiation: an unknown ``?format=`` is a 400 naming the parameter, and a representation is
chosen by its renderer alone.

DRF's default raises a bare 404 for ``?format=xml`` on any endpoint, which reads as "no such
claim"; the fuzzer found it (GET /api/v1/claimreview/?format=AAA).

DRF's default also hands the client's media-type parameters to the renderer (``Accept:
application/json; indent=4`` indents the body), so one address and one ETag would have as many bodies as
there are ``Accept`` values, which a shared cache cannot tell apart. Here the renderer's own media type is
the one accepted: a representation is the renderer (``conditional.py`` folds it into the ETag and ``Vary``
where a view offers more than one).
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

    def select_renderer(self, request, renderers, format_suffix=None):
        renderer, _accepted = super().select_renderer(request, renderers, format_suffix)
        return renderer, renderer.media_type
