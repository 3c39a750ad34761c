""" "Already checked?" on the desk: published verdicts that say nearly the same as a claim or a candidate.

One rule for the claim form and the import preview (issue 17): the editor links to an existing verdict
instead of checking it twice. Both render ``admin/claims/includes/already_checked.html``; the matching
itself is ``similar.similar_claims``, one lookup per text (one query on SQLite; on PostgreSQL one query
under its statement timeout). A lookup that gave up says so (``complete`` False): an empty list is never
shown as "nothing checked" unless the lookup finished.
"""

from __future__ import annotations

import time

from django.conf import settings

from ..models import Claim
from ..similar import SimilarResults, similar_claims

SHOWN = 5  # verdicts listed under a claim or a candidate


def already_checked(*, text: str, language: str | None = None, exclude: Claim | None = None) -> SimilarResults:
    """The published claims most similar to ``text``, best first, never ``exclude`` (the claim itself)."""
    if not text.strip():
        return SimilarResults()
    found = similar_claims(text=text, language=language, limit=SHOWN + 1)
    kept = [item for item in found if exclude is None or item.claim.pk != exclude.pk][:SHOWN]
    return SimilarResults(kept, complete=found.complete)


def already_checked_each(texts: list[str], *, language: str | None = None) -> list[SimilarResults]:
    """``already_checked`` for each of ``texts`` (the import preview's candidates), within one statement
    timeout's time in all (``SIMILAR_TIMEOUT_MS``): at a million claims a lookup may take a second or more,
    and a page of ten candidates must not take ten. Texts left when the time is spent are not looked up and
    say so (``complete`` False)."""
    deadline = time.monotonic() + settings.SIMILAR_TIMEOUT_MS / 1000
    found = []
    for text in texts:
        if time.monotonic() >= deadline:
            found.append(SimilarResults(complete=False))
        else:
            found.append(already_checked(text=text, language=language))
    return found


def already_checked_for_claim(claim: Claim) -> SimilarResults:
    """For the claim form: by its statement (else its English statement, else its quote)."""
    return already_checked(text=claim.statement or claim.statement_en or claim.quote, exclude=claim)
