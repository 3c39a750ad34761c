"""What every resource's views read from a request: the object a path names, and the language asked for.

``object_or_404`` words its 404 the same for each kind of object, in the request's language.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework.exceptions import ValidationError

from factcheck.claims.models import Language

from .filters import MAX_ID

# What object_or_404's messages call each object, in the request's language.
LABELS = {
    "Claim": gettext_lazy("Claim"),
    "Article": gettext_lazy("Article"),
    "Evidence": gettext_lazy("Evidence"),
    "Endpoint": gettext_lazy("Endpoint"),
    "Delivery": gettext_lazy("Delivery"),
    "Revision": gettext_lazy("Revision"),
}


def object_or_404(queryset, pk: int, label: str):
    return read_or_404(lambda pk: queryset.filter(pk=pk).first(), pk, label)


def read_or_404(read: Callable[[int], Any], pk: int, label: str):
    """``read(pk)``'s object, or a 404 for an id out of range (not read) or one the read does not find."""
    name = LABELS.get(label, label)
    if not 1 <= pk <= MAX_ID:
        raise Http404(_("{label} {pk} does not exist.").format(label=name, pk=pk))
    found = read(pk)
    if found is None:
        raise Http404(_("{label} {pk} does not exist or is not visible to you.").format(label=name, pk=pk))
    return found


def request_language(request) -> str:
    language = request.query_params.get("language", Language.INDONESIAN)
    if language not in Language.values:
        raise ValidationError({"language": [_("Choose one of: {choices}.").format(choices=", ".join(Language.values))]})
    return language
