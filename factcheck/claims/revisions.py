"""Corrections and retractions as reviewed revisions: propose, approve, reject, withdraw.

A change to a claim readers see (``gate.REVIEWED_STATUSES``) is never applied where it is
written. It is proposed as a ``Revision`` holding the whole new version (the claim fields that
change, the proposed list of sources, the public note in both languages) while the live claim
stays public and unchanged. A reviewer who wrote none of it approves it, and only then it goes
live, in one transaction, as a ``Correction`` with its note, its diff, the approver and a webhook
event. Rejecting keeps the live version and records why.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from factcheck.lib.blank import is_blank

from . import events, gate
from .errors import InvalidInput, InvalidTransition, NotAllowed
from .labels import choice_label
from .models import Article, Claim, Correction, Evidence, Rating, Revision
from .services import (
    _coerce_rating,
    _full_clean,
    _lock_claim,
    _require_perm,
    _save_claim,
    _save_tracked,
    user_label,
)

Status = Claim.Status
Kind = Revision.Kind

# Fields whose change on approval makes the English verdict outdated unless it changes too.
ENGLISH_FOLLOWS = frozenset({"rating", "verdict"})


def _plain(value: Any) -> Any:
    """A field value as stored in a revision's JSON (ratings by key, dates as ISO text)."""
    if isinstance(value, Rating):
        return value.key
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _evidence_entry(evidence: Evidence) -> dict[str, Any]:
    return {"id": evidence.pk, **{name: _plain(getattr(evidence, name)) for name in gate.public_evidence_fields()}}


def _clean_changes(claim: Claim, changes: dict[str, Any]) -> dict[str, Any]:
    """The proposed claim fields that really change, validated on a copy of the live claim."""
    public = set(gate.public_claim_fields())
    unknown = sorted(set(changes) - public)
    if unknown:
        fixed = [name for name in unknown if name in gate.FIXED_WHEN_SHOWN]
        message = (
            _("{fields}: part of the public record, cannot change.").format(fields=", ".join(fixed))
            if fixed
            else _("Not a field readers see, or not one a revision changes: {fields}.").format(
                fields=", ".join(unknown)
            )
        )
        raise InvalidInput(message, {name: [_("A revision cannot change this field.")] for name in unknown})
    if "rating" in changes:
        changes = {**changes, "rating": _coerce_rating(changes["rating"])}
    changed = {name: value for name, value in changes.items() if getattr(claim, name) != value}
    candidate = Claim.objects.get(pk=claim.pk)
    for name, value in changed.items():
        setattr(candidate, name, value)
    errors = candidate.span_errors()
    if errors:
        raise InvalidInput(_("The claim's span does not fit the article body."), errors)
    candidate.refresh_derived_fields()
    _full_clean(candidate)
    if candidate.status == Status.PUBLISHED:
        missing = [name for name in ("statement", "verdict") if is_blank(getattr(candidate, name))]
        if missing or candidate.rating_id is None:
            raise InvalidInput(
                _("A published verdict keeps its statement, rating and verdict summary."),
                {name: [_("This field is required on a published verdict.")] for name in missing or ["rating"]},
            )
    if candidate.status == Status.DISMISSED and is_blank(candidate.not_checkable_reason):
        raise InvalidInput(
            _("A dismissed claim keeps the reason it is not checkable."),
            {"not_checkable_reason": [_("This field is required on a dismissed claim.")]},
        )
    return {name: _plain(value) for name, value in changed.items()}


def _clean_evidence(claim: Claim, evidence: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The proposed list of sources, each validated as a source of this claim."""
    current = {item.pk: item for item in claim.evidence.all()}
    shown = set(gate.public_evidence_fields())
    cleaned, urls = [], set()
    for index, entry in enumerate(evidence):
        entry = dict(entry)
        pk = entry.pop("id", None)
        unknown = sorted(set(entry) - shown)
        if unknown:
            raise InvalidInput(
                _("Source {number}: unknown fields {fields}.").format(number=index + 1, fields=", ".join(unknown)),
                {f"evidence.{index}.{name}": [_("This field does not exist.")] for name in unknown},
            )
        if pk is not None and pk not in current:
            raise InvalidInput(
                _("Source {number}: evidence {pk} is not a source of this claim.").format(number=index + 1, pk=pk),
                {
                    f"evidence.{index}.id": [
                        _("Evidence {pk} is not a source of claim {claim}.").format(pk=pk, claim=claim.pk)
                    ]
                },
            )
        base = {name: getattr(current[pk], name) for name in shown} if pk is not None else {}
        item = Evidence(claim=claim, **{**base, **entry})
        if pk is None and "position" not in entry:
            item.position = index
        try:
            _full_clean(item, exclude=["claim"])
        except InvalidInput as error:
            raise InvalidInput(
                _("Source {number}: {problem}").format(number=index + 1, problem=error.message),
                {f"evidence.{index}.{name}": messages for name, messages in error.errors.items()},
            ) from None
        if item.url in urls:
            raise InvalidInput(
                _("Source {number}: the same URL is listed twice.").format(number=index + 1),
                {f"evidence.{index}.url": [_("Each source of a claim has its own URL.")]},
            )
        urls.add(item.url)
        cleaned.append({"id": pk, **{name: _plain(getattr(item, name)) for name in shown}})
    if claim.status == Status.PUBLISHED and not cleaned:
        raise InvalidInput(
            _("A published verdict needs at least one evidence link."),
            {"evidence": [_("A published verdict needs at least one evidence link.")]},
        )
    return cleaned


def revision_diff(claim: Claim, changes: dict[str, Any], evidence: list[dict] | None) -> list[dict[str, Any]]:
    """What the revision changes, readable: fields, then sources added, changed and removed."""
    diff: list[dict[str, Any]] = []
    for name in gate.public_claim_fields():
        if name in changes:
            old = _plain(getattr(claim, name))
            diff.append({"kind": "field", "field": name, "old": "" if old is None else old, "new": changes[name]})
    if evidence is None:
        return diff
    current = {item.pk: _evidence_entry(item) for item in claim.evidence.all()}
    proposed_ids = {entry["id"] for entry in evidence if entry["id"] is not None}
    for entry in evidence:
        source = {"title": entry["title"], "publisher": entry["publisher"], "url": entry["url"]}
        if entry["id"] is None:
            diff.append({"kind": "source_added", **source, "stance": entry["stance"]})
            continue
        before = current[entry["id"]]
        for name in gate.public_evidence_fields():
            if name != "position" and before[name] != entry[name]:
                diff.append(
                    {"kind": "source_changed", **source, "field": name, "old": before[name], "new": entry[name]}
                )
    for pk, before in current.items():
        if pk not in proposed_ids:
            diff.append(
                {
                    "kind": "source_removed",
                    "title": before["title"],
                    "publisher": before["publisher"],
                    "url": before["url"],
                }
            )
    return diff


def _pending(claim: Claim) -> Revision | None:
    return claim.revisions.filter(state=Revision.State.PENDING).select_related("proposed_by").first()


def _refuse_second_proposal(revisions, target: str) -> None:
    """One pending revision at a time per claim or article: a second waits for the first to be decided."""
    pending = revisions.filter(state=Revision.State.PENDING).select_related("proposed_by").first()
    if pending is not None:
        raise InvalidTransition(
            _(
                "A {kind} proposed by {user} is already waiting for review: approve, reject or withdraw it first."
            ).format(kind=choice_label(pending.get_kind_display()).lower(), user=user_label(pending.proposed_by)),
            {
                target: [
                    _("Another revision of this claim is pending.")
                    if target == "claim"
                    else _("Another revision of this article is pending.")
                ]
            },
        )


def _require_note(note: str) -> None:
    if is_blank(note):
        raise InvalidInput(
            _("A correction or retraction needs a public note saying what changed and why."),
            {"note": [_("Readers see this note; it is required.")]},
        )


@transaction.atomic
def revision_propose(
    *,
    claim: Claim | int,
    by: AbstractBaseUser,
    expected_version: int | None,
    note: str,
    note_en: str = "",
    changes: dict[str, Any] | None = None,
    evidence: list[dict[str, Any]] | None = None,
    kind: str = Kind.CORRECTION,
) -> Revision:
    """Propose a correction (new field values and/or a new list of sources) or a retraction.

    Nothing readers see changes: the revision waits for ``revision_approve`` by another reviewer.
    """
    claim = _lock_claim(claim, expected_version)
    if kind not in Kind.values:
        raise InvalidInput(
            _("Unknown revision kind {kind}.").format(kind=repr(kind)),
            {"kind": [_("Choose one of: {choices}.").format(choices=", ".join(Kind.values))]},
        )
    if kind == Kind.RETRACTION:
        _require_perm(by, "retract_claim", _("propose a retraction"))
        if claim.status != Status.PUBLISHED:
            raise InvalidTransition(
                _("Only a published verdict can be retracted; this claim is {status}.").format(
                    status=choice_label(claim.get_status_display()).lower()
                ),
                {"kind": [_("Only a published verdict can be retracted.")]},
            )
        if changes or evidence is not None:
            raise InvalidInput(
                _("A retraction withdraws the verdict as it stands; propose a correction to change it."),
                {"changes": [_("A retraction changes nothing but the status.")]},
            )
    else:
        _require_perm(by, "change_claim", _("propose corrections"))
    if claim.status not in gate.REVIEWED_STATUSES:
        raise InvalidTransition(
            gate.claim_change_refusal(claim, {"status"})
            or _("Claim {pk} is {status} and not public yet: edit it directly.").format(
                pk=claim.pk, status=choice_label(claim.get_status_display()).lower()
            ),
            {"claim": [_("Only a claim readers see gets revisions.")]},
        )
    _refuse_second_proposal(claim.revisions, "claim")
    _require_note(note)
    cleaned = _clean_changes(claim, dict(changes or {}))
    cleaned_evidence = _clean_evidence(claim, evidence) if evidence is not None else None
    if kind == Kind.CORRECTION and not revision_diff(claim, cleaned, cleaned_evidence):
        raise InvalidInput(
            _("The proposed revision changes nothing readers see."), {"changes": [_("Nothing would change.")]}
        )
    revision = Revision(
        claim=claim,
        kind=kind,
        base_version=claim.version,
        changes=cleaned,
        evidence=cleaned_evidence,
        note=note.strip(),
        note_en=note_en.strip(),
        proposed_by=by,
    )
    _full_clean(revision)
    _save_tracked(revision, by=by, reason=f"{revision.get_kind_display()} proposed")
    return revision


def _lock_pending(revision: Revision | int) -> tuple[Revision, Claim | None]:
    pk = revision.pk if isinstance(revision, Revision) else revision
    try:
        revision = Revision.objects.select_for_update(of=("self",)).select_related("proposed_by").get(pk=pk)
    except Revision.DoesNotExist:
        raise InvalidInput(_("Revision {pk} does not exist.").format(pk=pk), {"revision": [_("Not found.")]}) from None
    claim = _lock_claim(revision.claim_id, None) if revision.claim_id else None
    if revision.state != Revision.State.PENDING:
        raise InvalidTransition(
            _("This revision is already {state}.").format(state=choice_label(revision.get_state_display()).lower()),
            {"revision": [_("The revision is {state}.").format(state=revision.state)]},
        )
    return revision, claim


def _apply_evidence(claim: Claim, proposed: list[dict[str, Any]], by: AbstractBaseUser, reason: str) -> None:
    current = {item.pk: item for item in claim.evidence.all()}
    keep = {entry["id"] for entry in proposed if entry["id"] is not None}
    for pk, item in current.items():
        if pk not in keep:
            item._history_user = by
            item._change_reason = reason
            item.delete()
    for entry in proposed:
        fields = {name: value for name, value in entry.items() if name != "id"}
        item = current[entry["id"]] if entry["id"] is not None else Evidence(claim=claim)
        for name, value in fields.items():
            setattr(item, name, value)
        _full_clean(item, exclude=["claim"])
        _save_tracked(item, by=by, reason=reason)


@transaction.atomic
def revision_approve(*, revision: Revision | int, by: AbstractBaseUser, note: str = "") -> Claim | Article:
    """A reviewer who wrote none of it makes the revision live: a correction or a retraction."""
    revision, claim = _lock_pending(revision)
    if claim is None:
        return _approve_article_revision(revision, by, note)
    codename = "retract_claim" if revision.kind == Kind.RETRACTION else "correct_claim"
    _require_perm(
        by, codename, _("approve a retraction") if revision.kind == Kind.RETRACTION else _("approve a correction")
    )
    refusal = gate.revision_four_eyes_refusal(revision, by)
    if refusal:
        raise NotAllowed(refusal)
    if claim.version != revision.base_version:
        raise InvalidTransition(
            _(
                "The live claim changed since this revision was proposed (version {base}, now "
                "{current}); reject it and propose it again on the current version."
            ).format(base=revision.base_version, current=claim.version),
            {"revision": [_("Proposed on an older version of the claim.")]},
        )
    diff = revision_diff(claim, revision.changes, revision.evidence)
    proposer = user_label(revision.proposed_by)
    reason = f"{revision.get_kind_display()} proposed by {proposer}, approved by {user_label(by)}: {revision.note}"
    for name, value in revision.changes.items():
        setattr(claim, name, _coerce_rating(value) if name == "rating" else value)
    if ENGLISH_FOLLOWS & revision.changes.keys() and "verdict_en" not in revision.changes and claim.verdict_en:
        claim.english_pending = True
    elif "verdict_en" in revision.changes:
        claim.english_pending = False
    claim.refresh_derived_fields()
    if revision.evidence is not None:
        _apply_evidence(claim, revision.evidence, by, reason)
    if revision.kind == Kind.RETRACTION:
        claim.status = Status.RETRACTED
        diff.append({"kind": "field", "field": "status", "old": Status.PUBLISHED, "new": Status.RETRACTED})
    claim.public_note = revision.note
    _full_clean(claim)
    _save_claim(claim, by=by, reason=reason, edited=True)
    Correction.objects.create(
        claim=claim,
        kind=revision.kind,
        note=revision.note,
        note_en=revision.note_en,
        changes=diff,
        claim_version=claim.version,
        created_by=revision.proposed_by,
        approved_by=by,
    )
    revision.state = Revision.State.APPROVED
    revision.decided_by, revision.decided_at, revision.decision_note = by, timezone.now(), note.strip()
    _save_tracked(revision, by=by, reason="Approved")
    if claim.status in Claim.PUBLIC_STATUSES:
        event = "claim.retracted" if revision.kind == Kind.RETRACTION else "claim.corrected"
        events.claim_event(claim=claim, type=event)
    return claim


@transaction.atomic
def revision_reject(*, revision: Revision | int, by: AbstractBaseUser, note: str) -> Revision:
    """A reviewer turns the proposal down, saying why; the live version stays as it is."""
    revision, _claim = _lock_pending(revision)
    _require_perm(by, "publish_claim", _("reject revisions"))
    if is_blank(note):
        raise InvalidInput(
            _("Rejecting a revision needs a note for its author."), {"note": [_("This field is required.")]}
        )
    revision.state = Revision.State.REJECTED
    revision.decided_by, revision.decided_at, revision.decision_note = by, timezone.now(), note.strip()
    _save_tracked(revision, by=by, reason=f"Rejected: {note.strip()}")
    return revision


@transaction.atomic
def revision_withdraw(*, revision: Revision | int, by: AbstractBaseUser, note: str = "") -> Revision:
    """Its author takes a proposal back before it is decided."""
    revision, _claim = _lock_pending(revision)
    if revision.proposed_by_id != by.pk:
        raise NotAllowed(_("Only the author of a revision can withdraw it; a reviewer rejects it instead."))
    revision.state = Revision.State.WITHDRAWN
    revision.decided_by, revision.decided_at, revision.decision_note = by, timezone.now(), note.strip()
    _save_tracked(revision, by=by, reason="Withdrawn")
    return revision


def revision_pending(*, claim: Claim) -> Revision | None:
    """The revision of ``claim`` waiting for review, if any (the newsroom's banner)."""
    return _pending(claim)


# --- the details of an article shown with its claims ---------------------------------------------------


def _shown_claims_of(article: Article):
    return article.claims.filter(status__in=gate.SHOWN_STATUSES)


@transaction.atomic
def revision_propose_article(
    *, article: Article | int, by: AbstractBaseUser, changes: dict[str, Any], note: str, note_en: str = ""
) -> Revision:
    """Propose a correction of an article's shown details (headline, outlet, author, address, date, language).

    While its claims are shown, the article's details change only this way: every page and feed
    showing one of its claims is corrected, with the note, when another reviewer approves it.
    """
    pk = article.pk if isinstance(article, Article) else article
    article = Article.objects.select_for_update().get(pk=pk)
    _require_perm(by, "change_article", _("propose corrections of articles"))
    if not _shown_claims_of(article).exists():
        raise InvalidTransition(
            _("No claim of this article is shown to readers yet: edit its details directly."),
            {"article": [_("Only an article shown with its claims gets revisions.")]},
        )
    _refuse_second_proposal(article.revisions, "article")
    _require_note(note)
    shown = set(gate.public_article_fields())
    unknown = sorted(set(changes) - shown)
    if unknown:
        raise InvalidInput(
            _("Not a detail readers see, or one that cannot change: {fields}.").format(fields=", ".join(unknown)),
            {name: [_("A revision cannot change this field.")] for name in unknown},
        )
    candidate = Article.objects.get(pk=article.pk)
    for name, value in changes.items():
        setattr(candidate, name, value)
    _full_clean(candidate)
    changed = {
        name: _plain(getattr(candidate, name))
        for name in changes
        if _plain(getattr(candidate, name)) != _plain(getattr(article, name))
    }
    if not changed:
        raise InvalidInput(
            _("The proposed revision changes nothing readers see."), {"changes": [_("Nothing would change.")]}
        )
    revision = Revision(
        article=article, base_version=1, changes=changed, note=note.strip(), note_en=note_en.strip(), proposed_by=by
    )
    _full_clean(revision)
    _save_tracked(revision, by=by, reason="Correction of the article proposed")
    return revision


def article_revision_diff(article: Article, changes: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {"kind": "field", "field": f"article.{name}", "old": _plain(getattr(article, name)) or "", "new": new}
        for name, new in changes.items()
    ]


def _approve_article_revision(revision: Revision, by: AbstractBaseUser, note: str) -> Article:
    """The article's details change, and each claim readers see is corrected with the note (one transaction)."""
    article = Article.objects.select_for_update().get(pk=revision.article_id)
    _require_perm(by, "correct_claim", _("approve a correction"))
    refusal = gate.revision_four_eyes_refusal(revision, by)
    if refusal:
        raise NotAllowed(refusal)
    diff = article_revision_diff(article, revision.changes)
    proposer = user_label(revision.proposed_by)
    reason = f"Correction proposed by {proposer}, approved by {user_label(by)}: {revision.note}"
    for name, value in revision.changes.items():
        setattr(article, name, value)
    _full_clean(article)
    article._claims_announced = True  # each claim's correction below is its webhook event
    _save_tracked(article, by=by, reason=reason)
    for claim in _shown_claims_of(article).select_for_update():
        claim.article = article
        claim.public_note = revision.note
        _save_claim(claim, by=by, reason=reason)
        Correction.objects.create(
            claim=claim,
            kind=Correction.Kind.CORRECTION,
            note=revision.note,
            note_en=revision.note_en,
            changes=diff,
            claim_version=claim.version,
            created_by=revision.proposed_by,
            approved_by=by,
        )
        if claim.status == Status.PUBLISHED:
            events.claim_event(claim=claim, type="claim.corrected")
    revision.state = Revision.State.APPROVED
    revision.decided_by, revision.decided_at, revision.decision_note = by, timezone.now(), note.strip()
    _save_tracked(revision, by=by, reason="Approved")
    return article
