""" "Already checked?" on the desk: published verdicts that say nearly the same as a claim or a candidate.

One rule for the claim form and the import preview (issue 17): the editor links to an existing verdict
instead of checking it twice. Both render ``admin/claims/includes/already_checked.html``; the matching
itself is ``search.similar_claims``, one lookup per text (one query on SQLite; on PostgreSQL one query
under its statement timeout).
"""

from __future__ import annotations

from ..models import Claim
from ..search import SimilarClaim, similar_claims

SHOWN = 5  # verdicts listed under a claim or a candidate


def already_checked(*, text: str, language: str | None = None, exclude: Claim | None = None) -> list[SimilarClaim]:
    """The published claims most similar to ``text``, best first, never ``exclude`` (the claim itself)."""
    if not text.strip():
        return []
    found = similar_claims(text=text, language=language, limit=SHOWN + 1)
    return [item for item in found if exclude is None or item.claim.pk != exclude.pk][:SHOWN]


def already_checked_for_claim(claim: Claim) -> list[SimilarClaim]:
    """For the claim form: by its statement (else its English statement, else its quote)."""
    return already_checked(text=claim.statement or claim.statement_en or claim.quote, exclude=claim)
