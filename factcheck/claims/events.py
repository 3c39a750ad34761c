"""What the claims app tells the rest of the portal, without knowing who listens.

The layers point inward (``lib`` <- ``claims`` <- ``partners`` <- ``api``, ``web``; pyproject.toml's import-linter
contracts keep it so): the claims app imports neither the cache nor the partners' webhooks. It sends these
Django signals, synchronously, inside the caller's transaction, and an exception in a receiver fails the
change: a webhook event is recorded with the claim's change or not at all.

- ``content_changed`` (``using``, ``sitewide``, ``row``): what readers see may have changed. ``factcheck.surrogate``
  listens (connected by the web app) and purges what it touched from the HTTP cache in front, once per
  transaction after it commits.
- ``claim_event`` (``claim``, ``type``): a claim was published, corrected or retracted. The partners app
  listens and records the webhook event and its deliveries.
- ``portal_restored``: a backup was loaded into this database. The partners app queues its pending
  deliveries again (the task queue does not travel) and answers how many.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.dispatch import Signal

if TYPE_CHECKING:
    from .models import Claim

content_changed_signal = Signal()
claim_event_signal = Signal()
portal_restored_signal = Signal()


def content_changed(using: str = "default", *, sitewide: bool = True, row=None) -> None:
    """Call after any change to what readers see (the claims app's own model signals do; bulk writers must).

    ``sitewide=False`` only where the change is a row's own (its version or history says so) or adds new
    rows only: then the pages of other claims and articles stay cached. ``row``: the one row saved or deleted,
    where there is one (an HTTP cache in front purges what shows it); without it, everything of its kind.
    """
    content_changed_signal.send(sender=None, using=using, sitewide=sitewide, row=row)


def claim_event(*, claim: Claim, type: str) -> None:
    """Tell partners that ``claim`` was published, corrected or retracted; inside the change's transaction."""
    claim_event_signal.send(sender=None, claim=claim, type=type)


def portal_restored() -> int:
    """Tell the other apps that a backup was loaded; returns how many webhook deliveries were queued again."""
    return sum(response or 0 for _, response in portal_restored_signal.send(sender=None))
