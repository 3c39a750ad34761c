"""What readers send us: claims to check and requests to correct a fact-check.

A tip holds reader data (their text, a link, perhaps a way to reach them), so it is kept apart from the
public content: no public page, feed, sitemap or API answer reads this table, and after
``settings.TIP_RETENTION_DAYS`` the reader's fields are wiped (``services.tips_anonymise``). For the same
reason a tip has no ``HistoricalRecords()``: a history table would keep the reader's words after the
retention period. Who triaged a tip, and when, is kept on the row itself.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# Letters and digits a reader cannot confuse when reading a reference out (no 0/O, 1/I/L).
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
REFERENCE_LENGTH = 8

TEXT_MAX = 2000
LINK_MAX = 500
CONTACT_MAX = 200


def new_reference() -> str:
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))


class TipQuerySet(models.QuerySet):
    def new(self) -> TipQuerySet:
        return self.filter(status=Tip.Status.NEW)


class Tip(models.Model):
    class Kind(models.TextChoices):
        CLAIM = "claim", _("Claim to check")
        CORRECTION = "correction", _("Correction request")

    class Status(models.TextChoices):
        NEW = "new", _("New")
        ACCEPTED = "accepted", _("Accepted as a candidate claim")
        ANSWERED = "answered", _("Answered")
        REJECTED = "rejected", _("Rejected")

    reference = models.CharField(_("reference"), max_length=16, unique=True, default=new_reference, editable=False)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.CLAIM)
    claim = models.ForeignKey(
        "claims.Claim",
        verbose_name=_("claim"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The fact-check a correction request is about."),
    )
    text = models.TextField(_("text"), max_length=TEXT_MAX)
    link = models.URLField(_("link"), max_length=LINK_MAX, blank=True)
    contact = models.CharField(_("contact"), max_length=CONTACT_MAX, blank=True)
    consent = models.BooleanField(_("consent given"), default=False)
    language = models.CharField(_("language"), max_length=8, blank=True)
    created_at = models.DateTimeField(_("received"), auto_now_add=True, db_index=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.NEW)
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("status changed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    editor_note = models.TextField(_("editor's note"), blank=True, help_text=_("For the newsroom only."))
    anonymised_at = models.DateTimeField(_("reader data removed at"), null=True, blank=True)

    objects = TipQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("reader tip")
        verbose_name_plural = _("reader tips")
        indexes = [
            # The admin home's count of new tips and the triage list filtered by status.
            models.Index(fields=["status", "-created_at"], name="tip_status_created"),
        ]

    def __str__(self) -> str:
        return self.reference
