"""``Authorization: Api-Key <key>``: a partner's key (read-only) or a newsroom user's own key.

``Authorization: Bearer <key>`` is the same key under the scheme most HTTP clients send a token with: a
revoked, expired or unknown one is a 401 either way, never an anonymous read.

On Google's ``claims:search`` only, a partner's key may also come as ``?key=``, where Google's clients put it.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext, gettext_lazy
from rest_framework import status
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import APIException, AuthenticationFailed

from factcheck.partners.models import ApiKey, Partner
from factcheck.partners.services import KeyRejected, key_authenticate

KEYWORD = "Api-Key"
# The schemes a key may come under (compared without regard to case).
KEYWORDS = {KEYWORD.lower().encode(), b"bearer"}


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
        if not header or header[0].lower() not in KEYWORDS:
            return None
        if len(header) != 2:
            raise AuthenticationFailed(
                gettext("Malformed Authorization header; send '{keyword} <key>'.").format(keyword=KEYWORD),
                code="api_key_invalid",
            )
        try:
            raw = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise AuthenticationFailed(gettext("Invalid API key."), code="api_key_invalid") from None
        try:
            key = key_authenticate(raw=raw)
        except KeyRejected as exc:
            raise AuthenticationFailed(str(exc), code=exc.code) from None
        if key.user_id:
            return key.user, key
        return PartnerUser(key.partner), key

    def authenticate_header(self, request) -> str:
        return f'{KEYWORD} realm="api"'


class InvalidQueryKey(APIException):
    """Google answers a bad ``key=`` with 400 INVALID_ARGUMENT, not 401."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = gettext_lazy("API key not valid. Please pass a valid API key.")
    default_code = "api_key_invalid"


class QueryKeyAuthentication(BaseAuthentication):
    """A partner's key as the ``key`` query parameter, as Google's client libraries send theirs.

    Only for the Google-compatible search (its view lists this class). Newsroom keys, which may write,
    are refused here: a key in an address ends up in logs and browser histories.
    """

    def authenticate(self, request):
        raw = request.query_params.get("key", "").strip()
        if not raw:
            return None
        try:
            key = key_authenticate(raw=raw)
        except KeyRejected as exc:
            reason = "" if exc.code == "api_key_invalid" else f" {exc}"
            raise InvalidQueryKey(f"{InvalidQueryKey.default_detail}{reason}", code=exc.code) from None
        if not key.partner_id:
            raise InvalidQueryKey(
                f"{InvalidQueryKey.default_detail} "
                + gettext(
                    "Only a partner's key may be sent as key=; send a newsroom key in the Authorization header "
                    "('{keyword} <key>')."
                ).format(keyword=KEYWORD)
            )
        return PartnerUser(key.partner), key
