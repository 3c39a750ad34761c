"""The one gate for what the public sees: which fields are public, when a change needs a second person.

Every rule of the editorial promise is one predicate here, and every write path
(services, and through them the admin, the API and the commands) asks it:

- ``public_claim_fields()`` / ``public_evidence_fields()`` / ``public_article_fields()``: what
  readers and partners see, derived from the models. A new model field is public unless it is
  named in one of the ``*_NOT_SHOWN`` sets below, so a field cannot escape the gate by being new.
- ``change_needs_review(claim, fields)``: a change to a claim whose content is public is a
  correction, proposed as a pending revision and approved by another reviewer.
- ``content_authors(claim)``: who wrote the content being made public since the last approved
  version, computed from history (never from an assignable field).
- ``four_eyes_refusal(claim, user)``: why ``user`` may not make that content public, or "".
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.utils.translation import gettext as _

from .labels import choice_label
from .models import Article, Claim, Evidence

Status = Claim.Status

# Claim fields that readers never see as content: workflow, bookkeeping and derived fields.
# ``quote`` is derived from ``start``/``end`` (which are public); ``checkable`` follows the status.
CLAIM_FIELDS_NOT_SHOWN = frozenset(
    {
        "id",
        "article",
        "slug",
        "quote",
        "checkable",
        "status",
        "researcher",
        "reviewer",
        "last_edited_by",
        "public_note",
        "search_text",
        "version",
        "created_at",
        "published_at",
        "updated_at",
        "change_seq",
        "byline_changed_at",
        "english_pending",
    }
)
EVIDENCE_FIELDS_NOT_SHOWN = frozenset({"id", "claim", "created_at"})
# The body cannot change once claims point into it (Article.clean); the rest is bookkeeping.
ARTICLE_FIELDS_NOT_SHOWN = frozenset({"id", "slug", "body", "original", "body_hash", "created_at", "updated_at"})

# The statuses whose content readers see (claim page, article page, feeds, API). A change to what
# they show is a reviewed revision; a retracted verdict is frozen as it was retracted.
SHOWN_STATUSES = frozenset(Claim.SHOWN_STATUSES)
FROZEN_STATUSES = frozenset({Status.RETRACTED})
REVIEWED_STATUSES = SHOWN_STATUSES - FROZEN_STATUSES

# Fields that are part of a public claim's record and never change once it is shown.
FIXED_WHEN_SHOWN = frozenset({"researcher", "checkable", "slug"})

# The statuses that mark an approved version: content up to here was checked by a second person.
APPROVED_STATUSES = frozenset({Status.PUBLISHED, Status.DISMISSED, Status.RETRACTED})


def _shown_fields(model, not_shown: frozenset[str]) -> list[str]:
    return [field.name for field in model._meta.concrete_fields if field.name not in not_shown]


def public_claim_fields() -> list[str]:
    """The claim fields a reader or partner sees, in model order."""
    return _shown_fields(Claim, CLAIM_FIELDS_NOT_SHOWN)


def public_evidence_fields() -> list[str]:
    """The evidence fields a reader or partner sees, in model order."""
    return _shown_fields(Evidence, EVIDENCE_FIELDS_NOT_SHOWN)


def public_article_fields() -> list[str]:
    """The article fields shown with its claims, in model order."""
    return _shown_fields(Article, ARTICLE_FIELDS_NOT_SHOWN)


def is_shown(claim: Claim) -> bool:
    """Readers see this claim's content (a verdict, a retraction, or a not-checkable note)."""
    return claim.status in SHOWN_STATUSES


def change_needs_review(claim: Claim, fields) -> bool:
    """A change to these fields of this claim must be a reviewed revision (a correction)."""
    return claim.status in REVIEWED_STATUSES and bool(set(fields) & set(public_claim_fields()))


def claim_change_refusal(claim: Claim, fields) -> str:
    """Why these fields of this claim cannot be changed directly, or '' when they can."""
    fields = set(fields)
    if claim.status in FROZEN_STATUSES and fields:
        return _("A retracted claim cannot change; its verdict stays as it was retracted.")
    fixed = sorted(fields & FIXED_WHEN_SHOWN) if is_shown(claim) else []
    if fixed:
        return _("The {fields} of a {status} claim is part of its public record and cannot change.").format(
            fields=", ".join(fixed), status=choice_label(claim.get_status_display()).lower()
        )
    if change_needs_review(claim, fields):
        return needs_review_message(claim)
    return ""


def evidence_change_refusal(claim: Claim) -> str:
    """Why the evidence of this claim cannot be changed directly, or '' when it can."""
    if claim.status in FROZEN_STATUSES:
        return _("Evidence of a retracted claim cannot change.")
    if claim.status in REVIEWED_STATUSES:
        return needs_review_message(claim)
    return ""


def needs_review_message(claim: Claim) -> str:
    return _(
        "Claim {pk} is {status}: what readers see changes only through a "
        "correction, proposed as a revision with a public note and approved by a reviewer who wrote none of it "
        "(propose it in the admin, or POST /api/v1/claims/{pk}/revisions/)."
    ).format(pk=claim.pk, status=choice_label(claim.get_status_display()).lower())


def article_change_needs_review(article: Article, fields) -> bool:
    """A change to the article's shown metadata while any of its claims is shown."""
    if not set(fields) & set(public_article_fields()):
        return False
    return article.pk is not None and article.claims.filter(status__in=SHOWN_STATUSES).exists()


# --- four eyes, by authorship ---------------------------------------------------


def _public_attnames() -> list[str]:
    """The public claim fields as stored on a row (``rating_id``, not the rating: no query per row)."""
    return [Claim._meta.get_field(name).attname for name in public_claim_fields()]


def _changed_public_fields(record, previous, attnames: list[str]) -> bool:
    if previous is None:
        return any(getattr(record, name, None) not in (None, "") for name in attnames)
    return any(getattr(record, name, None) != getattr(previous, name, None) for name in attnames)


def content_authors_of(claims) -> dict[int, set[int]]:
    """Ids of the users who wrote content of each claim since its last approved version. Two queries.

    From history: a claim revision that changed a public field, and every evidence revision, count;
    a status change or a researcher assignment does not. Content of an approved revision counts
    for its proposer (``Revision.proposed_by``), which ``revision_approve`` checks itself.
    """
    ids = [claim.pk for claim in claims]
    attnames = _public_attnames()
    rows: dict[int, list] = {pk: [] for pk in ids}
    history = Claim.history.filter(id__in=ids).only(
        *attnames, "id", "history_date", "history_id", "history_user_id", "status"
    )
    for record in history.order_by("history_date", "history_id"):
        rows[record.id].append(record)
    authors: dict[int, set[int]] = {pk: set() for pk in ids}
    boundaries = {}
    for pk, records in rows.items():
        boundary = None
        for index, record in enumerate(records):
            if record.status in APPROVED_STATUSES:
                boundary = index
        boundaries[pk] = records[boundary].history_date if boundary is not None else None
        previous = None
        for index, record in enumerate(records):
            after = boundary is None or index > boundary
            if after and record.history_user_id and _changed_public_fields(record, previous, attnames):
                authors[pk].add(record.history_user_id)
            previous = record
    evidence = Evidence.history.filter(claim_id__in=ids).exclude(history_user=None)
    for claim_id, user_id, when in evidence.values_list("claim_id", "history_user_id", "history_date"):
        if boundaries.get(claim_id) is None or when > boundaries[claim_id]:
            authors[claim_id].add(user_id)
    return authors


def content_authors(claim: Claim) -> set[int]:
    """Ids of the users who wrote content of ``claim`` since its last approved version (two queries)."""
    return content_authors_of([claim])[claim.pk]


def four_eyes_refusal(claim: Claim, user: AbstractBaseUser, action: str = "publish") -> str:
    """Why ``user`` may not approve the content of ``claim`` (publish or dismiss it), or '' when they may."""
    authors = claim._content_authors if hasattr(claim, "_content_authors") else content_authors(claim)
    if user.pk in authors:
        if action == "dismiss":
            return _(
                "Four-eyes rule: you wrote part of what would be made public (history since the last approved "
                "version), so another reviewer must dismiss it."
            )
        if action == "publish":
            return _(
                "Four-eyes rule: you wrote part of what would be made public (history since the last approved "
                "version), so another reviewer must publish it."
            )
        return _(
            "Four-eyes rule: you wrote part of what would be made public (history since the last approved "
            "version), so another reviewer must {action} it."
        ).format(action=action)
    return ""


def revision_four_eyes_refusal(revision, user: AbstractBaseUser) -> str:
    """Why ``user`` may not approve this proposed revision, or '' when they may."""
    if revision.proposed_by_id == user.pk:
        return _("Four-eyes rule: you proposed this revision, so another reviewer must approve it.")
    return ""


def has_own_page(claim: Claim) -> bool:
    """Readers may open this claim's own page: a public verdict, or a claim dismissed as not checkable whose
    article readers can open (its article page shows it already). A dismissed claim of an article without a
    public verdict stays hidden, answering like a missing one. One query for a dismissed claim, else none."""
    if claim.status in Claim.PUBLIC_STATUSES:
        return True
    if claim.status != Status.DISMISSED:
        return False
    return Claim.objects.filter(article_id=claim.article_id, status__in=Claim.PUBLIC_STATUSES).exists()
