"""What changed: readable differences between revisions, for editors and for readers.

Editors see every revision of every field (admin). Readers see the public
versions of a claim: its first publication, each correction and a
retraction, with the note and the field changes (claim page and API).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from factcheck.lib.diffing import Segment, word_diff, words_added, words_removed

from .models import Claim, Rating

# The fields readers see, in the order a change is listed.
PUBLIC_FIELDS = ["statement", "statement_en", "rating", "verdict", "verdict_en", "quote", "status"]
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
    field: str
    label: str
    old: str
    new: str
    segments: list[Segment] = field(default_factory=list)

    @property
    def added(self) -> list[str]:
        return words_added(self.segments)

    @property
    def removed(self) -> list[str]:
        return words_removed(self.segments)

    def as_dict(self) -> dict:
        return {
            "field": self.field,
            "old": self.old,
            "new": self.new,
            "words_added": self.added,
            "words_removed": self.removed,
        }


@dataclass
class PublicVersion:
    version: int
    date: datetime.datetime
    kind: str  # "published", "correction" or "retraction"
    note: str
    changes: list[FieldChange]

    def as_dict(self) -> dict:
        return {
            "version": self.version,
            "date": self.date,
            "kind": self.kind,
            "note": self.note,
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


def _rating_labels() -> dict[int, str]:
    return {r.pk: f"{r.label_id} / {r.label_en}" for r in Rating.objects.all()}


def claim_public_history(claim: Claim) -> list[PublicVersion]:
    """The versions readers saw, oldest first: publication, corrections, retraction.

    Two queries whatever the number of revisions: the claim's historical rows
    and the rating scale.
    """
    records = list(
        claim.history.filter(status__in=Claim.PUBLIC_STATUSES)
        .order_by("history_date", "history_id")
        .only(
            "history_date",
            "version",
            "status",
            "public_note",
            "rating_id",
            *[f for f in PUBLIC_FIELDS if f != "rating"],
        )
    )
    labels = _rating_labels() if records else {}
    versions: list[PublicVersion] = []
    previous: dict[str, str] | None = None
    for record in records:
        snapshot = {
            name: (labels.get(record.rating_id, "") if name == "rating" else getattr(record, name) or "")
            for name in PUBLIC_FIELDS
        }
        if snapshot == previous:
            continue
        if previous is None:
            kind, note, changes = "published", "", []
        else:
            kind = "retraction" if record.status == Claim.Status.RETRACTED else "correction"
            note = record.public_note
            changes = [
                field_change(name, str(Claim._meta.get_field(name).verbose_name), previous[name], snapshot[name])
                for name in PUBLIC_FIELDS
                if previous[name] != snapshot[name]
            ]
        versions.append(PublicVersion(record.version, record.history_date, kind, note, changes))
        previous = snapshot
    return versions
