"""Errors raised by the services; the admin, the API and the commands render them.

Each carries a human message and, where a field is at fault, the errors by
field, so every interface can say which field broke which rule.
"""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext as _


class ServiceError(Exception):
    """Base class: something the caller asked for was refused."""

    def __init__(self, message: str, errors: dict[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.errors = errors or {}


class InvalidInput(ServiceError):
    """The request itself is malformed or breaks a rule of the data (HTTP 400)."""


class NotAllowed(ServiceError):
    """The user's role, or the four-eyes rule, forbids this (HTTP 403)."""


class InvalidTransition(ServiceError):
    """The claim's current status does not allow the requested change (HTTP 409)."""


class StaleEdit(ServiceError):
    """The claim changed since the caller read it (HTTP 412)."""

    def __init__(self, *, expected: int, current: int, changed_by: str, changed_at: datetime | None) -> None:
        when = changed_at.strftime("%Y-%m-%d %H:%M:%S %Z") if changed_at else _("an unknown time")
        super().__init__(
            _(
                "This claim was changed by {user} at {when} since you opened it "
                "(you edited version {expected}, it is now at version {current}). "
                "Reload it to see their change, then apply yours again."
            ).format(user=changed_by, when=when, expected=expected, current=current),
            {
                "version": [
                    _("Version {expected} is stale; the current version is {current}.").format(
                        expected=expected, current=current
                    )
                ]
            },
        )
        self.expected = expected
        self.current = current
        self.changed_by = changed_by
        self.changed_at = changed_at


class VersionRequired(ServiceError):
    """An edit arrived without the version it was based on (HTTP 428)."""


class NeedsReview(InvalidTransition):
    """A change to what readers see must be proposed as a revision and approved by a second person (HTTP 409)."""
