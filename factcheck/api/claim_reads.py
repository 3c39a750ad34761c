"""Reading a claim for the API: which claims a user sees, and a claim read with every part of its ETag.

Shared by the claim, evidence and article views, and by the writes that answer with the claim they wrote.
"""

from __future__ import annotations

from typing import NoReturn

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework.response import Response

from factcheck.claims.models import Claim, Evidence
from factcheck.lib.compiled import compiled_read
from factcheck.lib.querysets import query_shape

from . import serializers as s
from .conditional import ClaimState, claim_etag, claim_state, claim_state_of, conditional_response, with_claim_state
from .filters import MAX_ID
from .lookups import LABELS, read_or_404
from .permissions import is_newsroom


def visible_claims(user):
    """Editors and reviewers see every claim; everyone else the published (and corrected) and retracted ones."""
    return _visible(newsroom=is_newsroom(user))


def _visible(*, newsroom: bool) -> QuerySet[Claim]:
    return (Claim.objects.all() if newsroom else Claim.objects.public()).for_listing()


def with_evidence(claims):
    return claims.prefetch_related(Prefetch("evidence", queryset=Evidence.objects.order_by("position", "id")))


def raise_not_visible(pk: int) -> NoReturn:
    """The 404 of a claim readers may not see, worded as for one that does not exist."""
    raise Http404(_("{label} {pk} does not exist or is not visible to you.").format(label=LABELS["Claim"], pk=pk))


def public_claim_state_or_404(pk: int) -> ClaimState:
    """The state of a claim readers may see, in one query; 404 for any other id."""
    state = claim_state(pk) if 1 <= pk <= MAX_ID else None
    if state is None or not state.is_public:
        raise_not_visible(pk)
    return state


@query_shape
def _public_reads() -> QuerySet[Claim]:
    return with_claim_state(_visible(newsroom=False))


@query_shape
def _newsroom_reads() -> QuerySet[Claim]:
    return with_claim_state(_visible(newsroom=True))


@compiled_read(pk=int)
def _public_claim(pk: int) -> QuerySet[Claim]:
    return with_evidence(_public_reads()).filter(pk=pk)[:1]


@compiled_read(pk=int)
def _newsroom_claim(pk: int) -> QuerySet[Claim]:
    return with_evidence(_newsroom_reads()).filter(pk=pk)[:1]


def claim_read(pk: int, *, newsroom: bool) -> Claim:
    """The claim ``pk`` as ``visible_claims`` shows it to the newsroom (every claim) or to everyone else
    (``newsroom=False``: public ones), with its evidence and every part of its ETag (``claim_state_of``);
    404 where there is none. Compiled once per thread (``compiled_read``).

    Two queries: the claim row with everything its ETag and the scale need (one query, so one moment), then
    its evidence, whose changes raise the claim's version. Read them in one snapshot (``one_snapshot``), or
    in the transaction that holds the claim's row lock.
    """
    read = _newsroom_claim if newsroom else _public_claim
    return read_or_404(lambda pk: read.first(pk=pk), pk, "Claim")


def claim_data(claim: Claim) -> dict:
    """The body of a claim read by ``claim_read``: the scale's bounds come from the same row as its ETag."""
    return s.ClaimSerializer(claim, context={"scale": (claim.scale_best, claim.scale_worst)}).data


def claim_response(request, claim: Claim, *, status_code: int = 200) -> Response:
    """The claim's body and its ETag, both from the one read that loaded ``claim``."""
    return conditional_response(
        request,
        claim_data(claim),
        etag=claim_etag(state := claim_state_of(claim)),
        last_modified=state.last_modified,
        status=status_code,
    )
