"""Any other path under /api/: a JSON 404 in the one error format, not Django's HTML page."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.generics import GenericAPIView


class NotFoundView(GenericAPIView):
    """A JSON 404 for any other path under /api/, in the one error format."""

    permission_classes: list = []

    @extend_schema(exclude=True)
    def get(self, request, path: str = ""):
        raise Http404(_("No API endpoint at /api/{path}. See /api/docs/.").format(path=path))

    post = put = patch = delete = options = get
