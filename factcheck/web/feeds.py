"""RSS and Atom feeds of published verdicts and of corrections, in the reader's language."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import get_language, gettext

from factcheck.claims.models import Claim, Correction
from factcheck.claims.selectors import claim_public_list, correction_public_list

from .links import absolute_url, claim_url
from .sharing import verdict_label

FEED_SIZE = 50


class VerdictsFeed(Feed):
    """The latest public verdicts, newest publication first."""

    def title(self) -> str:
        return gettext("%(site)s: latest verdicts") % {"site": settings.PUBLISHER_NAME}

    def link(self) -> str:
        return absolute_url(reverse("web:home"))

    def feed_url(self) -> str:
        return absolute_url(reverse("web:feed_verdicts_rss"))

    def description(self) -> str:
        return gettext("Fact-check verdicts: the claim, its rating and why.")

    def items(self) -> list[Claim]:
        return list(claim_public_list()[:FEED_SIZE])

    def item_title(self, item: Claim) -> str:
        # A retracted verdict is withdrawn: the title says so, never the withdrawn rating (sharing.verdict_label).
        return f"[{verdict_label(item, get_language())}] {item.statement_in(get_language())}"

    def item_description(self, item: Claim) -> str:
        # Readers render a description as HTML (Atom even says type="html"): the plain-text verdict is escaped.
        if item.status == Claim.Status.RETRACTED:
            # The note is stored in Indonesian on the claim (its English one is on the correction, in the
            # corrections feed): English readers get the retraction without it.
            note = item.public_note if get_language() == "id" else ""
            return escape(f"{gettext('This verdict has been retracted.')} {note}".strip())
        return escape(item.verdict_in(get_language()))

    def item_link(self, item: Claim) -> str:
        return claim_url(item, get_language())

    def item_pubdate(self, item: Claim) -> datetime.datetime | None:
        return item.published_at

    def item_updateddate(self, item: Claim) -> datetime.datetime:
        return item.updated_at

    def item_author_name(self, item: Claim) -> str:
        return settings.PUBLISHER_NAME

    def item_categories(self, item: Claim) -> list[str]:
        return [verdict_label(item, get_language())]


class VerdictsAtomFeed(VerdictsFeed):
    feed_type = Atom1Feed
    subtitle = VerdictsFeed.description

    def feed_url(self) -> str:
        return absolute_url(reverse("web:feed_verdicts_atom"))


class CorrectionsFeed(Feed):
    """Every public correction and retraction, newest first."""

    def title(self) -> str:
        return gettext("%(site)s: corrections and retractions") % {"site": settings.PUBLISHER_NAME}

    def link(self) -> str:
        return absolute_url(reverse("web:corrections"))

    def feed_url(self) -> str:
        return absolute_url(reverse("web:feed_corrections_rss"))

    def description(self) -> str:
        return gettext("What we corrected or retracted, and why.")

    def items(self) -> list[Correction]:
        return list(correction_public_list()[:FEED_SIZE])

    def item_title(self, item: Correction) -> str:
        kind = gettext("Retraction") if item.kind == Correction.Kind.RETRACTION else gettext("Correction")
        return f"{kind}: {item.claim.statement_in(get_language())}"

    def item_description(self, item: Correction) -> str:
        return escape(item.note)

    def item_link(self, item: Correction) -> str:
        return f"{claim_url(item.claim, get_language())}#version-{item.claim_version}"

    item_guid_is_permalink = False

    def item_guid(self, item: Correction) -> str:
        return f"{claim_url(item.claim, get_language())}#correction-{item.pk}"

    def item_pubdate(self, item: Correction) -> datetime.datetime:
        return item.created_at

    def item_updateddate(self, item: Correction) -> datetime.datetime:
        return item.created_at

    def item_author_name(self, item: Correction) -> str:
        return settings.PUBLISHER_NAME


class CorrectionsAtomFeed(CorrectionsFeed):
    feed_type = Atom1Feed
    subtitle = CorrectionsFeed.description

    def feed_url(self) -> str:
        return absolute_url(reverse("web:feed_corrections_atom"))
