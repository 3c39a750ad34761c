"""Anonymous API reads served from the cache before DRF runs.

A client without credentials gets the same representation as every other one, so
its answer is cached as bytes (see factcheck.caching) and served without
authentication, throttling, content negotiation or rendering: one cache round
trip while nothing has changed, one stamp query after a change. Such answers
do not count against the anonymous rate limit, as they would not behind a
caching proxy; the limit guards the work a miss does.
Partners and the newsroom go through DRF as before.
"""

from __future__ import annotations

from factcheck import surrogate
from factcheck.caching import ClaimState, Freshness, cached_response, claim_state, content_freshness

from .conditional import VARY, claim_etag
from .filters import MAX_ID


def public_claim_state(pk: int) -> ClaimState | None:
    """The state of a claim readers may see, in one query; None for any other id."""
    state = claim_state(pk=pk) if 1 <= pk <= MAX_ID else None
    return state if state is not None and state.is_public else None


def public_claim_freshness(pk: int) -> Freshness | None:
    """A public claim's stamp, ETag and time; None (so the view answers 404) for any other id."""
    state = public_claim_state(pk)
    if state is None:
        return None
    return Freshness(state.stamp, etag=claim_etag(state), last_modified=state.updated_at, changes=state.changes)


def public_claim_stamp(pk: int) -> Freshness | None:
    """As above, for representations of the claim whose ETag the view computes (ClaimReview)."""
    fresh = public_claim_freshness(pk)
    return None if fresh is None else Freshness(fresh.stamp, changes=fresh.changes)


def all_content(**kwargs) -> Freshness:
    return content_freshness()


def claim_keys(pk: int) -> tuple[str, ...]:
    """A claim's representations show it and the scale (the view adds its article's key)."""
    return surrogate.claim_key(pk), surrogate.SCALE


def list_keys() -> tuple[str, ...]:
    return surrogate.LISTS, surrogate.SCALE


claim_cached = cached_response(public_claim_freshness, kind="api-claim", vary=VARY, key_on_accept=True, keys=claim_keys)
claim_representation_cached = cached_response(
    public_claim_stamp, kind="api-claim-rep", vary=VARY, key_on_accept=True, keys=claim_keys
)
list_cached = cached_response(all_content, kind="api-list", vary=VARY, key_on_accept=True, keys=list_keys)
