"""Importing an article: decode, repair, store with its original bytes, propose candidate claims.

The import_article command and the admin's import page both call
:func:`article_preview` and :func:`article_import`.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from factcheck.lib.blank import is_blank
from factcheck.lib.candidates import Candidate, find_candidates, split_sentences
from factcheck.lib.text_repair import UndecodableText, decode_text, repair_text

from .changes import next_change_number
from .errors import InvalidInput, NotAllowed
from .events import content_changed
from .forms import ArticleMetadataForm
from .models import QUOTE_MAX, Article, Claim, text_hash
from .services import unique_slug, user_label

ACCEPT_ALL = "all"


@dataclass
class ArticleMetadata:
    headline: str = ""
    outlet: str = ""
    author: str = ""
    url: str = ""
    published_on: datetime.date | None = None
    language: str = "id"

    @classmethod
    def from_data(cls, data: dict) -> ArticleMetadata:
        """Validate raw metadata (strings) with the shared form; errors name the field."""
        form = ArticleMetadataForm(data={k: v for k, v in data.items() if v is not None})
        if not form.is_valid():
            errors = {name: [str(e) for e in messages] for name, messages in form.errors.items()}
            summary = "; ".join(f"{name}: {' '.join(messages)}" for name, messages in errors.items())
            raise InvalidInput(_("Invalid article metadata: {summary}").format(summary=summary), errors)
        return cls(**form.cleaned_data)


@dataclass
class Preview:
    text: str
    candidates: list[Candidate]

    def as_dict(self) -> dict:
        return {"text": self.text, "candidates": [c.as_dict() for c in self.candidates]}


@dataclass
class ImportResult:
    article: Article
    created: bool
    candidates: list[Candidate]
    claims: list[Claim] = field(default_factory=list)


def article_preview(*, data: bytes) -> Preview:
    """Decode and repair ``data`` and propose candidates, touching no database."""
    try:
        text = repair_text(decode_text(data))
    except UndecodableText as exc:
        raise InvalidInput(str(exc), {"text": [str(exc)]}) from None
    if is_blank(text):
        raise InvalidInput(_("The text is empty after repair."), {"text": [_("The text is empty.")]})
    return Preview(text=text, candidates=find_candidates(text))


def _default_headline(text: str) -> str:
    sentences = split_sentences(text)
    first = sentences[0].text if sentences else text.strip()
    return first if len(first) <= 120 else first[:119].rsplit(" ", 1)[0] + "…"


@transaction.atomic
def article_import(
    *,
    data: bytes,
    metadata: ArticleMetadata,
    by: AbstractBaseUser | None,
    accept: str | Iterable[tuple[int, int]] | None = None,
    reason: str = "Imported",
) -> ImportResult:
    """Store the article (once per repaired text) and, if asked, its candidates as draft claims.

    ``accept`` is ``"all"`` for every candidate, a list of ``(start, end)``
    spans for chosen ones, or ``None`` to only list them.
    """
    if by is not None and not by.has_perm("claims.add_article"):
        raise NotAllowed(
            _("{user} may not import articles: that needs the permission claims.add_article.").format(
                user=user_label(by)
            )
        )
    preview = article_preview(data=data)
    existing = Article.objects.filter(body_hash=text_hash(preview.text)).first()
    if existing is not None:
        return ImportResult(article=existing, created=False, candidates=preview.candidates)
    article = Article(
        slug=unique_slug(Article, metadata.headline or _default_headline(preview.text)),
        headline=metadata.headline or _default_headline(preview.text),
        outlet=metadata.outlet,
        author=metadata.author,
        url=metadata.url,
        published_on=metadata.published_on,
        language=metadata.language,
        body=preview.text,
        original=bytes(data),
    )
    article._history_user = by
    article._change_reason = reason
    article.save()
    claims = _create_draft_claims(article, preview.candidates, accept, by=by, reason=reason)
    return ImportResult(article=article, created=True, candidates=preview.candidates, claims=claims)


def chosen_spans(text: str, candidates: list[Candidate], spans: Iterable[tuple[int, int]]) -> list[Candidate]:
    """The spans an editor kept: detected candidates, or spans they selected, added, split or trimmed themselves.

    Any span of the text will do, as long as it holds more than white space; each comes back once, in the
    order given.
    """
    by_span = {(c.start, c.end): c for c in candidates}
    chosen, wrong = [], []
    for start, end in dict.fromkeys(spans):
        if not (0 <= start < end <= len(text)) or end - start > QUOTE_MAX or is_blank(text[start:end]):
            wrong.append(f"{start}–{end}")
            continue
        chosen.append(by_span.get((start, end)) or Candidate(start, end, text[start:end], ["chosen by the editor"]))
    if wrong:
        listed = ", ".join(wrong)
        message = _(
            "These spans do not fit the text (0 to {length} characters, at most {most} each, more than white "
            "space): {spans}."
        ).format(length=len(text), most=QUOTE_MAX, spans=listed)
        raise InvalidInput(message, {"accept": [message]})
    return chosen


def _create_draft_claims(
    article: Article,
    candidates: list[Candidate],
    accept: str | Iterable[tuple[int, int]] | None,
    *,
    by: AbstractBaseUser | None,
    reason: str,
) -> list[Claim]:
    if accept is None:
        return []
    if accept == ACCEPT_ALL:
        chosen = candidates
    else:
        chosen = chosen_spans(article.body, candidates, accept)
    taken: set[str] = set()
    now = timezone.now()
    change = next_change_number()  # the new claims are one change of the feed (claims.changes)
    claims = []
    for candidate in chosen:
        claim = Claim(
            article=article,
            start=candidate.start,
            end=candidate.end,
            status=Claim.Status.DRAFT,
            # Blank: the article's author is usually the reporter or the fact-checker, not who made the claim.
            claimant="",
            last_edited_by=by,
            updated_at=now,
            created_at=now,
            change_seq=change,
        )
        claim.refresh_derived_fields()
        claim.slug = unique_slug(Claim, f"{article.slug[:40]} {candidate.quote[:60]}", taken=taken)
        claims.append(claim)
    created = bulk_create_with_history(
        claims,
        Claim,
        default_user=by,
        default_change_reason=f"{reason}: candidate accepted",
        default_date=now,
    )
    content_changed(sitewide=False)  # bulk inserts send no signals; new rows only: no other page shows them
    return created
