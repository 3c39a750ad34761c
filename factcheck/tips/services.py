"""Every write to reader tips: a reader's submission, the newsroom's triage, and the retention clean-up."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from factcheck.claims.models import Claim

from .models import Tip

REFERENCE_ATTEMPTS = 5


def tip_submit(
    *, kind: str, text: str, link: str = "", contact: str = "", consent: bool, language: str, claim: Claim | None = None
) -> Tip:
    """Store a reader's tip under a new reference (drawn again in the unlikely case it is taken)."""
    for attempt in range(REFERENCE_ATTEMPTS):
        try:
            with transaction.atomic():
                return Tip.objects.create(
                    kind=kind,
                    claim=claim,
                    text=text,
                    link=link,
                    contact=contact,
                    consent=consent,
                    language=language,
                )
        except IntegrityError:
            if attempt == REFERENCE_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def tip_set_status(*, tip: Tip, status: str, by, note: str | None = None) -> Tip:
    """Triage: record the new status with who set it and when (only when the status really changes)."""
    if status not in Tip.Status.values:
        raise ValueError(f"status: must be one of {', '.join(Tip.Status.values)}, got {status!r}.")
    fields = []
    if status != tip.status:
        tip.status = status
        tip.status_changed_at = timezone.now()
        tip.status_changed_by = by
        fields += ["status", "status_changed_at", "status_changed_by"]
    if note is not None and note != tip.editor_note:
        tip.editor_note = note
        fields.append("editor_note")
    if fields:
        tip.save(update_fields=fields)
    return tip


def tips_retention_cutoff(now: datetime.datetime | None = None) -> datetime.datetime:
    return (now or timezone.now()) - datetime.timedelta(days=settings.TIP_RETENTION_DAYS)


def tips_anonymise(*, received_before: datetime.datetime) -> int:
    """Wipe what readers wrote (and the newsroom's notes on it) from tips received before the cut-off.

    The reference, kind, status, claim and dates stay, so the newsroom can still count and answer for them.
    Returns how many tips were anonymised now. ``Tip`` has no history table, so one UPDATE leaves no copy.
    """
    with transaction.atomic():
        return Tip.objects.filter(created_at__lt=received_before, anonymised_at__isnull=True).update(
            text="", link="", contact="", editor_note="", anonymised_at=timezone.now()
        )
