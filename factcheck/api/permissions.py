"""Who may do what: everyone reads public data; only editors and reviewers write; partners manage their webhooks."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework.exceptions import NotAuthenticated, PermissionDenied
from rest_framework.permissions import SAFE_METHODS, BasePermission

from .authentication import request_partner


def is_newsroom(user) -> bool:
    """Editors, reviewers and superusers: they see every status and may write (within their permissions)."""
    return bool(user and user.is_authenticated and user.is_active and user.has_perm("claims.view_claim"))


class ReadOnlyUnlessNewsroom(BasePermission):
    """Reads are public (throttled); writes need an editor's or reviewer's session or key.

    The services then apply the finer rules (who may publish, four-eyes), exactly as in the admin.
    """

    def has_permission(self, request, view) -> bool:
        if request.method in SAFE_METHODS:
            return True
        if not request.user or not request.user.is_authenticated:
            raise NotAuthenticated(_("Writing needs an editor's or reviewer's API key or session."))
        if request_partner(request):
            raise PermissionDenied(_("Partner keys are read-only."))
        if not is_newsroom(request.user):
            raise PermissionDenied(_("Only editors and reviewers may write."))
        return True


class PartnerOnly(BasePermission):
    """A partner's own resources (webhook endpoints and their deliveries): only with that partner's key."""

    def has_permission(self, request, view) -> bool:
        if request_partner(request):
            return True
        if not request.user or not request.user.is_authenticated:
            raise NotAuthenticated(_("Webhooks are managed with a partner's API key."))
        raise PermissionDenied(_("Webhooks are managed with a partner's API key; staff use the admin."))
