"""``Authorization: Api-Key <key>``: a partner's key (read-only) or a newsroom user's own key."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from factcheck.partners.models import ApiKey, Partner
from factcheck.partners.services import KeyRejected, key_authenticate

KEYWORD = "Api-Key"


class PartnerUser(AnonymousUser):
    """The principal of a partner's key: authenticated, but with no permission on the claim store."""

    def __init__(self, partner: Partner) -> None:
        self.partner = partner

    @property
    def is_anonymous(self) -> bool:
        return False

    @property
    def is_authenticated(self) -> bool:
        return True

    def __str__(self) -> str:
        return f"partner {self.partner.name}"


def request_partner(request) -> Partner | None:
    """The partner whose key authenticated ``request``, if any."""
    auth = getattr(request, "auth", None)
    return auth.partner if isinstance(auth, ApiKey) and auth.partner_id else None


class ApiKeyAuthentication(BaseAuthentication):
    def authenticate(self, request):
        header = get_authorization_header(request).split()
        if not header or header[0].lower() != KEYWORD.lower().encode():
            return None
        if len(header) != 2:
            raise AuthenticationFailed(f"Malformed Authorization header; send '{KEYWORD} <key>'.")
        try:
            raw = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise AuthenticationFailed("Invalid API key.") from None
        try:
            key = key_authenticate(raw=raw)
        except KeyRejected as exc:
            raise AuthenticationFailed(str(exc)) from None
        if key.user_id:
            return key.user, key
        return PartnerUser(key.partner), key

    def authenticate_header(self, request) -> str:
        return f'{KEYWORD} realm="api"'
