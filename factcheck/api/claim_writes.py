"""Writing a claim through the API: the version the client read, and the answer with the claim as written.

Every write on a claim (its fields, its workflow, its evidence, its revisions) sends the version it was
based on (``If-Match`` with the claim's ETag, or ``version``) and answers with the claim and its new ETag.
"""

from __future__ import annotations

import re

from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from factcheck.claims.errors import VersionRequired

from .claim_reads import claim_read, claim_response

# The claim's ETag; the revisions after the version (its article's, the scale's, its change number) do not
# matter to an edit of the claim, and may be left out ("claim-1-v3").
IF_MATCH_RE = re.compile(r'^(?:W/)?"claim-([0-9]+)-v([0-9]+)(?:-a[0-9]+-r[0-9]+-s[0-9]+)?"$')


def expected_version(request, claim_id: int, body_version: int | None) -> int:
    """The version the client read: from If-Match (the claim's ETag) or the ``version`` field."""
    header = request.headers.get("If-Match", "").strip()
    header_version = None
    if header:
        if header == "*":
            raise VersionRequired(
                _("If-Match: * does not say which version you read; send the claim's ETag."),
                {"If-Match": [_('Send the claim\'s ETag, e.g. "claim-1-v3".')]},
            )
        match = IF_MATCH_RE.match(header)
        if not match:
            raise ValidationError({"If-Match": [_('Send the claim\'s ETag as you received it, e.g. "claim-1-v3".')]})
        if int(match.group(1)) != claim_id:
            raise ValidationError(
                {
                    "If-Match": [
                        _("This ETag belongs to claim {other}, not {id}.").format(other=match.group(1), id=claim_id)
                    ]
                }
            )
        header_version = int(match.group(2))
    if header_version is not None and body_version is not None and header_version != body_version:
        raise ValidationError(
            {
                "version": [
                    _("version {body} disagrees with If-Match (v{header}).").format(
                        body=body_version, header=header_version
                    )
                ]
            }
        )
    version = header_version if header_version is not None else body_version
    if version is None:
        raise VersionRequired(
            _("An edit must say which version of the claim it is based on."),
            {"version": [_("Send If-Match with the claim's ETag, or the version field.")]},
        )
    return version


def written_claim_response(request, claim_id: int, write, *, status_code: int = 200) -> Response:
    """Run ``write`` (a service) and answer with the claim as that write left it.

    The claim is read in the write's transaction, while its row lock is held: no other write can commit in
    between, so the body and the ETag are those of the row this request wrote.
    """
    with transaction.atomic():
        write()
        claim = claim_read(claim_id, newsroom=True)
    return claim_response(request, claim, status_code=status_code)
