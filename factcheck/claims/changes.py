"""One "changed at" for everything a claim's representation shows, and the change feed's sequence.

A claim's representation (the API, its ClaimReview, the webhook payload) shows the claim's own fields,
its evidence, its article's details and its rating's labels (and the scale's bounds). Whenever any of
these changes, each claim showing it gets

- ``updated_at``: the time of the change (``claims/?updated_since=``, ClaimReview ``dateModified``,
  ``Last-Modified``), and
- ``change_seq``: the next number of the change sequence (``claims/?since=``, the DataFeed's order).

The claim's own changes and its evidence's go through ``Claim.save`` (the services save the claim after
each evidence change); an article's details and a rating's labels change through ``Article.save`` and
``Rating.save``, which call ``article_changed`` and ``rating_changed`` below in their transaction.

Why a number and not the time: ``updated_at`` is taken when the row is written, and a transaction that
commits later than another can carry the older time, so a partner whose cursor is past that time never
sees it. The number is taken from one counter row (``ChangeSequence``) with an UPDATE, which holds the
row's lock until the transaction ends: the next writer waits for it, so numbers become visible in
increasing order and a cursor over them has no gaps. Claim rows are locked before the counter, the order
the services take them in (they lock the claim, then save it), so two writers cannot deadlock on the pair.
"""

from __future__ import annotations

import datetime

from django.db import connections, transaction
from django.db.models import Max, QuerySet
from django.utils import timezone

from .events import claim_event
from .models import Article, ChangeSequence, Claim, Rating


def next_change_number(using: str = "default") -> int:
    """The next change number; call inside the changing transaction, which then holds the counter's lock."""
    table = ChangeSequence._meta.db_table
    with connections[using].cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET last = last + 1 WHERE id = 1 RETURNING last", [])
        row = cursor.fetchone()
    if row is not None:
        return row[0]
    # No counter yet (a new or restored database): start after the highest number the claims carry.
    start = Claim.objects.using(using).aggregate(top=Max("change_seq"))["top"] or 0
    ChangeSequence.objects.using(using).bulk_create([ChangeSequence(pk=1, last=start)], ignore_conflicts=True)
    return next_change_number(using)


def claims_changed(claims: QuerySet[Claim], using: str, *, at: datetime.datetime | None = None) -> list[int]:
    """Mark ``claims`` changed now: a new change number and ``updated_at``. Returns their ids.

    Their rows are locked first, then the counter (see above). The claims' versions stay: an edit based on
    a version read before is not stale because the article or the scale changed.
    """
    claims = claims.using(using)
    with transaction.atomic(using=using):
        ids = list(claims.select_for_update().order_by("pk").values_list("pk", flat=True))
        if ids:
            number = next_change_number(using)
            claims.update(change_seq=number, updated_at=at or timezone.now())
    return ids


def article_changed(article: Article, using: str) -> None:
    """The details of ``article`` that its claims show changed: its claims changed, and partners hear of it.

    Each public claim gets a ``claim.updated`` webhook event, unless the caller announces the change
    itself (an approved correction of the article sends ``claim.corrected`` for each claim).
    """
    ids = claims_changed(Claim.objects.filter(article_id=article.pk), using)
    if not ids or getattr(article, "_claims_announced", False):
        return
    for claim in Claim.objects.using(using).filter(pk__in=ids, status__in=Claim.PUBLIC_STATUSES).order_by("pk"):
        claim_event(claim=claim, type="claim.updated")


def rating_changed(rating: Rating, using: str, *, scale: bool) -> None:
    """A rating's key, labels, definition or colour changed: the claims rated with it changed. A changed
    value may move the scale's bounds, which every claim's ClaimReview shows: then every claim changed.

    The change feed carries them; no webhook event is sent per claim for a change of the scale.
    """
    claims = Claim.objects.all() if scale else Claim.objects.filter(rating_id=rating.pk)
    claims_changed(claims, using)
