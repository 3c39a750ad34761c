"""What a claim says where it travels: titles and descriptions that lead with the verdict.

One place for the page's <title>, OpenGraph and Twitter tags, the share card and the feeds, so that
a retracted claim never shows its withdrawn rating as the current one anywhere.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation
from django.utils.text import Truncator
from django.utils.translation import gettext

from factcheck.claims.models import Claim

DESCRIPTION_MAX = 200


def verdict_label(claim: Claim, language: str) -> str:
    """The claim's state as readers should take it: its rating, "Retracted" or "Not checkable"."""
    with translation.override(language):
        if claim.status == Claim.Status.RETRACTED:
            return gettext("Retracted")
        if claim.status == Claim.Status.DISMISSED or claim.rating is None:
            return gettext("Not checkable")
        return claim.rating.label(language)


def share_title(claim: Claim, language: str) -> str:
    """ "[KELIRU] Najwa Shihab…": the verdict first, then the claim."""
    return f"[{verdict_label(claim, language).upper()}] {claim.statement_in(language)}"


def share_description(claim: Claim, language: str, *, retraction_note: str = "") -> str:
    """The verdict summary; for a retracted claim, that it was retracted and why; for a not-checkable one, why."""
    with translation.override(language):
        if claim.status == Claim.Status.RETRACTED:
            text = gettext("This verdict has been retracted.")
            if retraction_note:
                text = f"{text} {retraction_note}"
        elif claim.status == Claim.Status.DISMISSED:
            text = claim.not_checkable_reason_in(language)
        else:
            text = claim.verdict_in(language)
    return Truncator(" ".join(text.split())).chars(DESCRIPTION_MAX)


def card_path(claim: Claim, language: str) -> str:
    """The share card's address: it names the claim's version, so a correction gives it a new one."""
    with translation.override(language):
        return reverse("web:claim_card", kwargs={"slug": claim.slug, "version": claim.version})
