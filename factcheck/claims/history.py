"""What changed: readable differences between revisions, for editors and for readers.

Editors see every revision of every field (admin). Readers see the public
versions of a claim: its first publication, each correction and a
retraction, with the note and the field changes (claim page and API).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import OuterRef, QuerySet, Subquery

from factcheck.lib.compiled import compiled_read
from factcheck.lib.diffing import Segment, word_diff, words_added, words_removed

from .models import Claim, Correction, Evidence, Rating, history_model

LONG_TEXT_FIELDS = {
    "statement",
    "statement_en",
    "verdict",
    "verdict_en",
    "quote",
    "not_checkable_reason",
    "not_checkable_reason_en",
    "public_note",
    "body",
    "excerpt",
}


@dataclass
class FieldChange:
    """One change readers are shown: a field of the claim, or a source added, removed or changed."""

    field: str
    label: str
    old: str
    new: str
    segments: list[Segment] = field(default_factory=list)
    # For a source: "added", "removed" or "changed", and the source (title, publisher, url).
    action: str = ""
    source: dict | None = None

    @property
    def added(self) -> list[str]:
        return words_added(self.segments)

    @property
    def removed(self) -> list[str]:
        return words_removed(self.segments)

    def as_dict(self) -> dict:
        data = {
            "field": self.field,
            "old": self.old,
            "new": self.new,
            "words_added": self.added,
            "words_removed": self.removed,
        }
        if self.source is not None:
            data.update(action=self.action, source=self.source)
        return data


@dataclass
class PublicVersion:
    version: int
    date: datetime.datetime
    kind: str  # "published", "correction" or "retraction"
    note: str
    changes: list[FieldChange]
    note_en: str = ""

    def note_in(self, language: str) -> str:
        return (self.note_en if language == "en" else "") or self.note

    def as_dict(self) -> dict:
        return {
            "version": self.version,
            "date": self.date,
            "kind": self.kind,
            "note": self.note,
            "note_en": self.note_en,
            "changes": [c.as_dict() for c in self.changes],
        }


def field_change(name: str, label: str, old: object, new: object) -> FieldChange:
    old_text = "" if old is None else str(old)
    new_text = "" if new is None else str(new)
    segments = word_diff(old_text, new_text) if name in LONG_TEXT_FIELDS else []
    return FieldChange(field=name, label=label, old=old_text, new=new_text, segments=segments)


def revision_changes(record, previous) -> list[FieldChange]:
    """Field changes between two historical records of the same object (admin history)."""
    if previous is None:
        return []
    delta = record.diff_against(previous)
    model = record.instance_type
    changes = []
    for change in delta.changes:
        try:
            label = str(model._meta.get_field(change.field).verbose_name)
        except Exception:  # a field that no longer exists on the model
            label = change.field
        changes.append(field_change(change.field, label, change.old, change.new))
    return changes


def _rating_labels() -> dict[str, str]:
    return {r.key: f"{r.label_id} / {r.label_en}" for r in Rating.objects.all()}


def _label(model, name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)
    except Exception:  # a field that no longer exists on the model
        return name


def correction_changes(entries: list[dict], ratings: dict[str, str]) -> list[FieldChange]:
    """The readable changes of a Correction's stored diff (``revisions.revision_diff``)."""
    changes = []
    for entry in entries:
        kind = entry.get("kind", "field")
        if kind == "field":
            name = entry["field"]
            old, new = entry.get("old"), entry.get("new")
            if name == "rating":
                old, new = ratings.get(old, old or ""), ratings.get(new, new or "")
            field_name = "quote" if name in ("start", "end") else name
            changes.append(field_change(field_name, _label(Claim, name), old, new))
            continue
        source = {key: entry.get(key, "") for key in ("title", "publisher", "url")}
        action = kind.removeprefix("source_")
        name = entry.get("field", "")
        change = field_change(name, _label(Evidence, name), entry.get("old"), entry.get("new")) if name else None
        changes.append(
            FieldChange(
                field=f"evidence.{name}" if name else "evidence",
                label=change.label if change else "source",
                old=change.old if change else "",
                new=change.new if change else entry.get("stance", ""),
                segments=change.segments if change else [],
                action=action,
                source=source,
            )
        )
    return changes


def _public_rows(claim_id) -> QuerySet:
    """The claim's history rows while readers could see it, oldest first: the first is its publication."""
    # Not claim.history, whose manager class is built anew on each read.
    rows = history_model(Claim).objects.filter(id=claim_id, status__in=Claim.PUBLIC_STATUSES)
    return rows.order_by("history_date", "history_id")


def with_first_publication(claims: QuerySet[Claim]) -> QuerySet[Claim]:
    """Claims annotated with the version and date of their first publication, which ``claim_public_history``
    then reads from the claim instead of a query of its own (None for a claim never public)."""
    first = _public_rows(OuterRef("pk"))
    return claims.annotate(
        first_public_version=Subquery(first.values("version")[:1]),
        first_public_at=Subquery(first.values("history_date")[:1]),
    )


@compiled_read(claim_id=int)
def _corrections_of(claim_id: int) -> QuerySet[Correction]:
    return Correction.objects.filter(claim_id=claim_id).order_by("created_at", "id")


def claim_public_history(claim: Claim) -> list[PublicVersion]:
    """The versions readers saw, oldest first: publication, then each correction and a retraction.

    Three queries whatever the number of revisions: the first public history row (none where the claim
    was read ``with_first_publication``), the corrections (each with its note in both languages and its
    diff, sources included) and the rating scale.
    """
    if hasattr(claim, "first_public_at"):  # read with the claim (with_first_publication)
        version, date = claim.first_public_version, claim.first_public_at
    else:
        row = _public_rows(claim.pk).only("history_date", "version").first()
        version, date = (row.version, row.history_date) if row else (None, None)
    if date is None:
        return []
    versions = [PublicVersion(version, date, "published", "", [])]
    corrections = list(_corrections_of(claim_id=claim.pk))
    ratings = _rating_labels() if corrections else {}
    for correction in corrections:
        versions.append(
            PublicVersion(
                correction.claim_version,
                correction.created_at,
                correction.kind,
                correction.note,
                correction_changes(correction.changes, ratings),
                correction.note_en,
            )
        )
    return versions
