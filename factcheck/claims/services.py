"""Workflows that write: creating and editing claims, evidence, and every status transition.

The admin, the API and the management commands call these functions and
nothing else to change claims, so each rule exists once. Every function is
keyword-only, runs in one transaction, locks the claim row, checks the
version the caller read, and records history with the user and a reason.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from factcheck.lib.blank import is_blank

from . import events, gate
from .errors import InvalidInput, InvalidTransition, NeedsReview, NotAllowed, ServiceError, StaleEdit, VersionRequired
from .labels import choice_label
from .models import Article, Claim, Evidence, Rating

Status = Claim.Status

EDITABLE_FIELDS = frozenset(
    {
        "start",
        "end",
        "statement",
        "statement_en",
        "claimant",
        "checkable",
        "not_checkable_reason",
        "not_checkable_reason_en",
        "rating",
        "verdict",
        "verdict_en",
        "researcher",
        "slug",  # editable until readers see the claim (gate.FIXED_WHEN_SHOWN)
    }
)
EVIDENCE_FIELDS = frozenset(
    {"url", "title", "publisher", "published_on", "excerpt", "stance", "is_primary", "archived_url", "position"}
)

# The workflow before readers see a claim: which status may follow which. Publishing and dismissing
# (a not-checkable note is public too) are a reviewer's approval of someone else's work. After that,
# corrections and a retraction are reviewed revisions (revisions.py), not transitions.
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.DRAFT: frozenset({Status.RESEARCHING}),
    Status.RESEARCHING: frozenset({Status.IN_REVIEW, Status.DRAFT}),
    Status.IN_REVIEW: frozenset({Status.PUBLISHED, Status.DISMISSED, Status.RESEARCHING}),
    Status.PUBLISHED: frozenset(),
    Status.RETRACTED: frozenset(),
    # A dismissed claim's note is public: it changes through reviewed corrections, and is not taken down.
    Status.DISMISSED: frozenset(),
}
# Transitions that make content public or take it down: a reviewer's, under the four-eyes rule.
APPROVALS = frozenset({Status.PUBLISHED, Status.DISMISSED})


def user_label(user: AbstractBaseUser | None) -> str:
    if user is None:
        return "an unknown user"
    full_name = user.get_full_name() if hasattr(user, "get_full_name") else ""
    return full_name or user.get_username()


# --- helpers -----------------------------------------------------------------


def _require_perm(user: AbstractBaseUser, codename: str, action: str) -> None:
    if not user.is_active or not user.has_perm(f"claims.{codename}"):
        raise NotAllowed(
            _("{user} may not {action}: that needs the permission {permission}.").format(
                user=user_label(user), action=action, permission=f"claims.{codename}"
            )
        )


def _lock_claim(claim: Claim | int, expected_version: int | None) -> Claim:
    """Re-read the claim under a row lock and refuse a stale version."""
    pk = claim.pk if isinstance(claim, Claim) else claim
    try:
        locked = Claim.objects.select_for_update().get(pk=pk)
    except Claim.DoesNotExist:
        message = _("Claim {pk} does not exist.").format(pk=pk)
        raise InvalidInput(message, {"claim": [message]}) from None
    if expected_version is not None and locked.version != expected_version:
        raise StaleEdit(
            expected=expected_version,
            current=locked.version,
            # The latest revision's user: a status change by someone else does not set last_edited_by.
            changed_by=_last_history_user(locked),
            changed_at=locked.updated_at,
        )
    return locked


def _last_history_user(claim: Claim) -> str:
    record = claim.history.order_by("-history_date", "-history_id").select_related("history_user").first()
    return user_label(record.history_user) if record and record.history_user else _("another user")


def _validation_errors(exc: ValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {field: [str(m) for e in errors for m in e.messages] for field, errors in exc.error_dict.items()}
    return {"non_field_errors": list(exc.messages)}


def _full_clean(obj: Any, *, exclude: Iterable[str] = ()) -> None:
    try:
        obj.full_clean(exclude=list(exclude))
    except ValidationError as exc:
        errors = _validation_errors(exc)
        summary = "; ".join(f"{field}: {' '.join(messages)}" for field, messages in errors.items())
        raise InvalidInput(
            _("Invalid {model}: {summary}").format(model=obj._meta.verbose_name, summary=summary), errors
        ) from None


def _save_claim(claim: Claim, *, by: AbstractBaseUser, reason: str, edited: bool = False) -> Claim:
    claim.version += 1
    claim.updated_at = timezone.now()
    if edited:
        claim.last_edited_by = by
    claim._history_user = by
    claim._change_reason = reason
    claim.save()
    return claim


def _save_tracked(obj: Any, *, by: AbstractBaseUser | None, reason: str) -> None:
    obj._history_user = by
    obj._change_reason = reason
    obj.save()


def unique_slug(model, text: str, *, taken: set[str] | None = None, max_length: int = 80) -> str:
    """A slug for ``text`` not yet used by ``model`` (a model or a queryset; nor in ``taken``)."""
    queryset = model if isinstance(model, models.QuerySet) else model.objects.all()
    base = slugify(text)[:max_length].strip("-") or queryset.model._meta.model_name
    candidate, n = base, 2
    while (taken is not None and candidate in taken) or queryset.filter(slug=candidate).exists():
        candidate = f"{base}-{n}"
        n += 1
    if taken is not None:
        taken.add(candidate)
    return candidate


def _coerce_rating(value: Any) -> Rating | None:
    if value is None or value == "" or isinstance(value, Rating):
        return value or None
    try:
        return Rating.objects.get(key=value)
    except Rating.DoesNotExist:
        keys = ", ".join(Rating.objects.values_list("key", flat=True))
        raise InvalidInput(
            _("Unknown rating {value}.").format(value=repr(value)),
            {"rating": [_("Unknown rating {value}; choose one of: {keys}.").format(value=repr(value), keys=keys)]},
        ) from None


# --- claims ------------------------------------------------------------------


@transaction.atomic
def claim_create(
    *, article: Article, start: int, end: int, by: AbstractBaseUser, reason: str = "Claim created", **fields: Any
) -> Claim:
    """Create a draft claim for the span ``article.body[start:end]``."""
    _require_perm(by, "add_claim", _("create claims"))
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise InvalidInput(
            _("Unknown claim fields: {fields}.").format(fields=", ".join(sorted(unknown))),
            {name: [_("This field does not exist or cannot be set.")] for name in sorted(unknown)},
        )
    if "rating" in fields:
        fields["rating"] = _coerce_rating(fields["rating"])
    claim = Claim(article=article, start=start, end=end, status=Status.DRAFT, **fields)
    if claim.researcher_id is None:
        claim.researcher = None
    errors = claim.span_errors()
    if errors:
        raise InvalidInput(_("The claim's span does not fit the article body."), errors)
    claim.refresh_derived_fields()
    if not claim.slug:
        claim.slug = unique_slug(Claim, claim.statement_en or claim.statement or claim.quote)
    _full_clean(claim, exclude=["slug"])
    if Claim.objects.filter(slug=claim.slug).exists():
        raise InvalidInput(
            _("The address {slug} is taken.").format(slug=repr(claim.slug)),
            {"slug": [_("Another claim has this address.")]},
        )
    claim.last_edited_by = by
    claim.updated_at = timezone.now()
    _save_tracked(claim, by=by, reason=reason)
    return claim


@transaction.atomic
def claim_update(
    *,
    claim: Claim | int,
    by: AbstractBaseUser,
    expected_version: int | None,
    changes: dict[str, Any],
    reason: str = "",
) -> Claim:
    """Edit a claim that readers do not see yet.

    ``expected_version`` is the version the editor read; a stale one is refused. A change to
    what readers see of a public claim is refused here (``gate.claim_change_refusal``): it is
    proposed as a revision and approved by a second reviewer (``revisions.revision_propose``).
    """
    if expected_version is None:
        from .errors import VersionRequired

        raise VersionRequired(
            _("An edit must say which version of the claim it is based on."),
            {"version": [_("This field is required to edit a claim.")]},
        )
    claim = _lock_claim(claim, expected_version)
    _require_perm(by, "change_claim", _("edit claims"))
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise InvalidInput(
            _("Unknown claim fields: {fields}.").format(fields=", ".join(sorted(unknown))),
            {name: [_("This field does not exist or cannot be changed.")] for name in sorted(unknown)},
        )
    if "rating" in changes:
        changes["rating"] = _coerce_rating(changes["rating"])
    changed = {name: value for name, value in changes.items() if getattr(claim, name) != value}
    if not changed:
        return claim
    refusal = gate.claim_change_refusal(claim, changed)
    if refusal:
        raise NeedsReview(refusal, {name: [refusal] for name in sorted(changed)})
    slug_follows_text = "slug" not in changed and _slug_is_automatic(claim)
    for name, value in changed.items():
        setattr(claim, name, value)
    if slug_follows_text and {"statement", "statement_en"} & set(changed):
        # Made from the statement, not the raw quote, until someone sets it or readers see it.
        changed["slug"] = claim.slug = unique_slug(
            Claim.objects.exclude(pk=claim.pk), claim.statement_en or claim.statement or claim.quote
        )
    if "start" in changed or "end" in changed:
        errors = claim.span_errors()
        if errors:
            raise InvalidInput(_("The claim's span does not fit the article body."), errors)
        claim.refresh_derived_fields()
    _full_clean(claim)
    fields = ", ".join(sorted(changed))
    return _save_claim(claim, by=by, reason=reason or f"Edited {fields}", edited=True)


def _slug_is_automatic(claim: Claim) -> bool:
    """The claim's address was made from its text (the quote at import, or the statement), not chosen by hand."""
    base = re.sub(r"-\d+$", "", claim.slug)
    made_from = [claim.statement_en, claim.statement, claim.quote, f"{claim.article.slug[:40]} {claim.quote[:60]}"]
    return any(text and slugify(text)[:80].strip("-") == base for text in made_from)


def _check_four_eyes(claim: Claim, by: AbstractBaseUser, action: str) -> None:
    refusal = gate.four_eyes_refusal(claim, by, action)
    if refusal:
        raise NotAllowed(refusal)


def _check_transition(claim: Claim, target: str) -> None:
    if target not in TRANSITIONS.get(claim.status, frozenset()):
        allowed = ", ".join(sorted(TRANSITIONS.get(claim.status, ()))) or _("none")
        raise InvalidTransition(
            _("A claim cannot go from {current} to {target} (allowed from {current}: {allowed}).").format(
                current=claim.status, target=target, allowed=allowed
            ),
            {"status": [_("Cannot go from {current} to {target}.").format(current=claim.status, target=target)]},
        )


def _require_ready_for_review(claim: Claim) -> None:
    """A verdict, or for a claim marked not checkable, the reason readers will see."""
    if claim.checkable:
        _require_ready_for_verdict(claim)
        return
    errors: dict[str, list[str]] = {}
    if is_blank(claim.statement):
        errors["statement"] = [_("A not-checkable claim is shown with its statement (Indonesian).")]
    if is_blank(claim.not_checkable_reason):
        errors["not_checkable_reason"] = [_("Say why the claim is not checkable (an opinion, a forecast, too vague…).")]
    if errors:
        raise InvalidInput(
            _("The claim is not ready: {problems}").format(problems=" ".join(m for ms in errors.values() for m in ms)),
            errors,
        )


def _require_ready_for_verdict(claim: Claim) -> None:
    errors: dict[str, list[str]] = {}
    if not claim.checkable:
        errors["checkable"] = [_("A claim marked not checkable is dismissed, not given a verdict.")]
    if is_blank(claim.statement):
        errors["statement"] = [_("A verdict needs the claim restated as a statement (Indonesian).")]
    if claim.rating_id is None:
        errors["rating"] = [_("A verdict needs a rating from the scale (use 'unproven' when it cannot be settled).")]
    if is_blank(claim.verdict):
        errors["verdict"] = [_("A verdict needs a verdict summary (Indonesian).")]
    if not claim.evidence.exists():
        errors["evidence"] = [_("A verdict needs at least one evidence link, an unproven one too.")]
    if errors:
        raise InvalidInput(
            _("The claim is not ready: {problems}").format(problems=" ".join(m for ms in errors.values() for m in ms)),
            errors,
        )


@transaction.atomic
def claim_start_research(
    *, claim: Claim | int, by: AbstractBaseUser, expected_version: int | None = None, note: str = ""
) -> Claim:
    claim = _lock_claim(claim, expected_version)
    _require_perm(by, "change_claim", _("research claims"))
    _check_transition(claim, Status.RESEARCHING)
    claim.status = Status.RESEARCHING
    if claim.researcher_id is None:
        claim.researcher = by
    return _save_claim(claim, by=by, reason=note or "Research started")


@transaction.atomic
def claim_return_to_draft(
    *, claim: Claim | int, by: AbstractBaseUser, expected_version: int | None = None, note: str = ""
) -> Claim:
    claim = _lock_claim(claim, expected_version)
    _require_perm(by, "change_claim", _("move claims back to draft"))
    _check_transition(claim, Status.DRAFT)
    claim.status = Status.DRAFT
    return _save_claim(claim, by=by, reason=note or "Moved back to draft")


@transaction.atomic
def claim_send_to_review(
    *, claim: Claim | int, by: AbstractBaseUser, expected_version: int | None = None, note: str = ""
) -> Claim:
    claim = _lock_claim(claim, expected_version)
    _require_perm(by, "change_claim", _("send claims to review"))
    _check_transition(claim, Status.IN_REVIEW)
    _require_ready_for_review(claim)
    claim.status = Status.IN_REVIEW
    return _save_claim(claim, by=by, reason=note or "Sent to review")


@transaction.atomic
def claim_send_back(
    *, claim: Claim | int, by: AbstractBaseUser, note: str, expected_version: int | None = None
) -> Claim:
    """A reviewer returns a claim to research, saying what is missing."""
    claim = _lock_claim(claim, expected_version)
    _require_perm(by, "publish_claim", _("send claims back to research"))
    _check_transition(claim, Status.RESEARCHING)
    if is_blank(note):
        raise InvalidInput(
            _("Sending a claim back needs a note for the researcher."), {"note": [_("This field is required.")]}
        )
    claim.status = Status.RESEARCHING
    return _save_claim(claim, by=by, reason=f"Sent back to research: {note.strip()}")


@transaction.atomic
def claim_publish(
    *, claim: Claim | int, by: AbstractBaseUser, expected_version: int | None = None, note: str = ""
) -> Claim:
    """A reviewer publishes a verdict that someone else researched and last edited."""
    claim = _lock_claim(claim, expected_version)
    _require_perm(by, "publish_claim", _("publish verdicts"))
    _check_transition(claim, Status.PUBLISHED)
    _check_four_eyes(claim, by, "publish")
    _require_ready_for_verdict(claim)
    claim.status = Status.PUBLISHED
    claim.reviewer = by
    claim.published_at = timezone.now()
    _save_claim(claim, by=by, reason=f"Published: {note}" if note else "Published")
    events.claim_event(claim=claim, type="claim.published")
    return claim


@transaction.atomic
def claim_dismiss(
    *, claim: Claim | int, by: AbstractBaseUser, note: str = "", expected_version: int | None = None
) -> Claim:
    """A reviewer approves a claim marked not checkable: its statement and reason become public.

    The editor writes the reason (``not_checkable_reason``) and sends the claim to review; the
    reviewer, who wrote none of it (four-eyes rule), dismisses it. ``note`` is for the history.
    """
    claim = _lock_claim(claim, expected_version)
    _require_perm(by, "publish_claim", _("dismiss claims as not checkable"))
    _check_transition(claim, Status.DISMISSED)
    if claim.checkable:
        raise InvalidInput(
            _("Only a claim marked not checkable, with the reason readers will see, is dismissed."),
            {"checkable": [_("Mark the claim not checkable and say why before it is sent to review.")]},
        )
    _check_four_eyes(claim, by, "dismiss")
    _require_ready_for_review(claim)
    claim.status = Status.DISMISSED
    claim.rating = None
    claim.reviewer = by
    return _save_claim(
        claim, by=by, reason=f"Dismissed as not checkable: {note}" if note else "Dismissed as not checkable"
    )


TRANSITION_SERVICES: dict[str, Callable[..., Claim]] = {
    Status.RESEARCHING: claim_start_research,
    Status.IN_REVIEW: claim_send_to_review,
    Status.PUBLISHED: claim_publish,
    Status.DISMISSED: claim_dismiss,
    Status.DRAFT: claim_return_to_draft,
}


def claim_transition(
    *, claim: Claim | int, to: str, by: AbstractBaseUser, note: str = "", expected_version: int | None = None
) -> Claim:
    """Move a claim to status ``to`` through the one service for that transition."""
    if to not in Status.values:
        raise InvalidInput(
            _("Unknown status {status}.").format(status=repr(to)),
            {
                "status": [
                    _("Unknown status {status}; choose one of: {choices}.").format(
                        status=repr(to), choices=", ".join(Status.values)
                    )
                ]
            },
        )
    if to == Status.RESEARCHING:
        current = Claim.objects.filter(pk=claim.pk if isinstance(claim, Claim) else claim).values_list(
            "status", flat=True
        )
        if current.first() == Status.IN_REVIEW:
            return claim_send_back(claim=claim, by=by, note=note, expected_version=expected_version)
    if to not in TRANSITION_SERVICES:
        message = _(
            "A verdict is retracted through a reviewed revision: propose the retraction with its public note, "
            "and a reviewer who did not propose it approves it."
        )
        raise InvalidTransition(message, {"status": [message]})
    return TRANSITION_SERVICES[to](claim=claim, by=by, note=note, expected_version=expected_version)


def allowed_transitions(claim: Claim, user: AbstractBaseUser) -> list[str]:
    """The statuses ``user`` may move ``claim`` to now (for showing only the buttons that work)."""
    allowed = []
    for target in TRANSITIONS.get(claim.status, ()):
        if target in APPROVALS:
            if target == Status.PUBLISHED and not claim.checkable or target == Status.DISMISSED and claim.checkable:
                continue
            if not user.has_perm("claims.publish_claim") or gate.four_eyes_refusal(claim, user):
                continue
        elif target == Status.RESEARCHING and claim.status == Status.IN_REVIEW:
            if not user.has_perm("claims.publish_claim"):
                continue
        elif not user.has_perm("claims.change_claim"):
            continue
        allowed.append(target)
    return sorted(allowed, key=Status.values.index)


BULK_VERSION_MISSING = gettext_lazy(
    "The list did not say which version of this claim you saw; reload the list and select it again."
)


@dataclass
class BulkOutcome:
    """What happened to one claim of a bulk action: done, or refused and why (``error``: the service's refusal)."""

    claim: Claim
    done: bool
    message: str = ""
    error: ServiceError | None = None


def claim_transition_bulk(
    *, claims: Iterable[Claim], to: str, by: AbstractBaseUser, versions: Mapping[int, int | None], note: str = ""
) -> list[BulkOutcome]:
    """Move each claim to ``to`` through the same service, checks and history as a single move.

    ``versions`` maps each claim's id to the version the user saw when selecting it (the list on their
    screen): a claim changed since is refused like a stale single move, and one without a version too, so a
    bulk action never publishes a verdict its reviewer has not seen. Each claim is its own transaction: a
    refused claim (stale, four-eyes, not ready, wrong status) is reported with the reason and does not undo
    the others.
    """
    outcomes = []
    for claim in claims:
        try:
            version = versions.get(claim.pk)
            if version is None:
                missing = str(BULK_VERSION_MISSING)
                raise VersionRequired(missing, {"version": [missing]})
            moved = claim_transition(claim=claim, to=to, by=by, note=note, expected_version=version)
        except ServiceError as exc:
            outcomes.append(BulkOutcome(claim=claim, done=False, message=exc.message, error=exc))
        else:
            outcomes.append(BulkOutcome(claim=moved, done=True))
    return outcomes


@transaction.atomic
def claim_assign_researcher(
    *,
    claim: Claim | int,
    researcher: AbstractBaseUser | None,
    by: AbstractBaseUser,
    expected_version: int | None = None,
) -> Claim:
    """Make ``researcher`` responsible for a claim still being worked on (None leaves it unassigned)."""
    claim = _lock_claim(claim, expected_version)
    _require_perm(by, "change_claim", _("assign researchers"))
    refusal = gate.claim_change_refusal(claim, {"researcher"})
    if refusal:
        raise InvalidTransition(refusal, {"researcher": [refusal]})
    if researcher is not None and (not researcher.is_active or not researcher.has_perm("claims.change_claim")):
        raise InvalidInput(
            _(
                "{user} cannot research claims: that needs an active account with the permission claims.change_claim."
            ).format(user=user_label(researcher)),
            {"researcher": [_("Choose an editor or a reviewer.")]},
        )
    if claim.researcher_id == (researcher.pk if researcher else None):
        return claim
    claim.researcher = researcher
    label = user_label(researcher) if researcher else "nobody"
    return _save_claim(claim, by=by, reason=f"Researcher assigned: {label}")


@transaction.atomic
def claim_delete(*, claim: Claim | int, by: AbstractBaseUser) -> None:
    """Delete a claim readers do not see. History keeps it.

    A claim readers see is never deleted (retract it instead, through a reviewed revision).
    """
    claim = _lock_claim(claim, None)
    _require_perm(by, "delete_claim", _("delete claims"))
    if gate.is_shown(claim):
        raise NeedsReview(
            _(
                "A {status} claim is part of the public record and is never deleted; propose its retraction instead."
            ).format(status=choice_label(claim.get_status_display()).lower())
        )
    claim._history_user = by
    claim._change_reason = "Deleted"
    for evidence in claim.evidence.all():
        evidence._history_user = by
        evidence._change_reason = "Deleted with its claim"
        evidence.delete()
    claim.delete()


# --- articles ----------------------------------------------------------------


@transaction.atomic
def article_update(*, article: Article, by: AbstractBaseUser, changed: Iterable[str], reason: str = "") -> Article:
    """Save an article edited in memory; its shown details do not change while readers see its claims."""
    _require_perm(by, "change_article", _("edit articles"))
    changed = set(changed)
    stored = Article.objects.select_for_update().get(pk=article.pk)
    if gate.article_change_needs_review(stored, changed):
        fields = ", ".join(sorted(changed & set(gate.public_article_fields())))
        message = _(
            "The article is shown with verdicts readers see, so its {fields} cannot change on one person's word: "
            "propose a correction of the article (revisions.revision_propose_article) for a second reviewer."
        ).format(fields=fields)
        raise NeedsReview(message, {name: [message] for name in sorted(changed)})
    _full_clean(article)
    _save_tracked(article, by=by, reason=reason or "Edited in the admin")
    return article


# --- evidence ----------------------------------------------------------------


def _refuse_evidence_change(claim: Claim) -> None:
    refusal = gate.evidence_change_refusal(claim)
    if refusal:
        raise NeedsReview(refusal, {"evidence": [refusal]})


def _evidence_changed(claim: Claim, by: AbstractBaseUser, reason: str) -> Claim:
    """Evidence is part of the verdict: a change raises the claim's version and update time."""
    return _save_claim(claim, by=by, reason=reason, edited=True)


@transaction.atomic
def evidence_add(
    *, claim: Claim | int, by: AbstractBaseUser, expected_version: int | None = None, **fields: Any
) -> Evidence:
    claim = _lock_claim(claim, expected_version)
    _require_perm(by, "add_evidence", _("add evidence"))
    _refuse_evidence_change(claim)
    unknown = set(fields) - EVIDENCE_FIELDS
    if unknown:
        raise InvalidInput(
            _("Unknown evidence fields: {fields}.").format(fields=", ".join(sorted(unknown))),
            {name: [_("This field does not exist.")] for name in sorted(unknown)},
        )
    evidence = Evidence(claim=claim, **fields)
    if "position" not in fields:
        evidence.position = claim.evidence.count()
    _full_clean(evidence)
    _save_tracked(evidence, by=by, reason="Evidence added")
    _evidence_changed(claim, by, f"Evidence added: {evidence.publisher} — {evidence.title}")
    return evidence


@transaction.atomic
def evidence_update(
    *, evidence: Evidence | int, by: AbstractBaseUser, expected_version: int | None, changes: dict[str, Any]
) -> Evidence:
    evidence = Evidence.objects.get(pk=evidence.pk if isinstance(evidence, Evidence) else evidence)
    claim = _lock_claim(evidence.claim_id, expected_version)
    _require_perm(by, "change_evidence", _("edit evidence"))
    _refuse_evidence_change(claim)
    unknown = set(changes) - EVIDENCE_FIELDS
    if unknown:
        raise InvalidInput(
            _("Unknown evidence fields: {fields}.").format(fields=", ".join(sorted(unknown))),
            {name: [_("This field does not exist.")] for name in sorted(unknown)},
        )
    changed = {name: value for name, value in changes.items() if getattr(evidence, name) != value}
    if not changed:
        return evidence
    for name, value in changed.items():
        setattr(evidence, name, value)
    _full_clean(evidence)
    _save_tracked(evidence, by=by, reason=f"Evidence edited: {', '.join(sorted(changed))}")
    _evidence_changed(claim, by, f"Evidence edited: {evidence.publisher} — {evidence.title}")
    return evidence


@transaction.atomic
def evidence_remove(*, evidence: Evidence | int, by: AbstractBaseUser, expected_version: int | None) -> Claim:
    evidence = Evidence.objects.get(pk=evidence.pk if isinstance(evidence, Evidence) else evidence)
    claim = _lock_claim(evidence.claim_id, expected_version)
    _require_perm(by, "delete_evidence", _("remove evidence"))
    _refuse_evidence_change(claim)
    label = f"{evidence.publisher} — {evidence.title}"
    evidence._history_user = by
    evidence._change_reason = "Evidence removed"
    evidence.delete()
    return _evidence_changed(claim, by, f"Evidence removed: {label}")
