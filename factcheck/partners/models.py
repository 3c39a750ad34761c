"""Partners of the API, their keys, their webhook endpoints, and the outbox of events sent to them.

Keys are stored as SHA-256 digests: the key itself is shown once, when it is
created. Webhook events are written in the same transaction as the change
that causes them (an outbox); each endpoint subscribed to the event gets one
delivery, and every attempt to deliver it is logged.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Partner(models.Model):
    """A newsroom, platform or researcher that reads the API and receives webhooks."""

    name = models.CharField(max_length=200, unique=True)
    contact_email = models.EmailField(blank=True)
    notes = models.TextField(blank=True)
    is_active = models.BooleanField(default=True, help_text="An inactive partner's keys stop working.")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ApiKeyQuerySet(models.QuerySet):
    def usable(self) -> ApiKeyQuerySet:
        """Keys that authenticate now: not revoked, not expired, their owner active."""
        now = timezone.now()
        return self.filter(revoked_at__isnull=True).filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))


class ApiKey(models.Model):
    """A secret that authenticates a partner (read-only) or a newsroom user (with their own permissions)."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, null=True, blank=True, related_name="keys")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="api_keys"
    )
    name = models.CharField(max_length=100, blank=True, help_text="What the key is for, e.g. 'production sync'.")
    prefix = models.CharField(max_length=16, editable=False, help_text="The first characters, to recognise the key.")
    # The authentication query: WHERE digest = sha256(presented key).
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField(null=True, blank=True, help_text="Empty: the key does not expire.")
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ApiKeyQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "API key"
        constraints = [
            models.CheckConstraint(
                condition=(Q(partner__isnull=False) & Q(user__isnull=True))
                | (Q(partner__isnull=True) & Q(user__isnull=False)),
                name="api_key_has_one_owner",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.owner_label})"

    @property
    def owner_label(self) -> str:
        return f"partner {self.partner}" if self.partner_id else f"user {self.user}"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()


class WebhookEventType(models.TextChoices):
    CLAIM_PUBLISHED = "claim.published", "A verdict was published"
    CLAIM_CORRECTED = "claim.corrected", "A published verdict was corrected"
    CLAIM_RETRACTED = "claim.retracted", "A published verdict was retracted"
    CLAIM_UPDATED = "claim.updated", "What a public verdict shows changed: its article's details"
    PING = "ping", "A test delivery asked for by the partner"


# The events an endpoint subscribes to; a ping goes only to the endpoint it was asked for.
SUBSCRIBABLE_EVENTS = [
    WebhookEventType.CLAIM_PUBLISHED,
    WebhookEventType.CLAIM_CORRECTED,
    WebhookEventType.CLAIM_RETRACTED,
    WebhookEventType.CLAIM_UPDATED,
]


class WebhookEndpoint(models.Model):
    """A URL of a partner that receives the events it subscribed to, signed with its secret."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="webhook_endpoints")
    url = models.URLField(max_length=1000)
    events = models.JSONField(default=list, help_text="The event types sent to this URL.")
    secret = models.CharField(max_length=100, editable=False, help_text="Signs each delivery (HMAC-SHA256).")
    previous_secret = models.CharField(
        max_length=100, blank=True, editable=False, help_text="The secret before the last rotation, still signing."
    )
    previous_secret_expires_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="Until when deliveries are also signed with the old secret."
    )
    description = models.CharField(max_length=200, blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["partner_id", "id"]
        constraints = [
            # Two copies of one URL would get every event twice, under different secrets.
            models.UniqueConstraint(fields=["partner", "url"], name="webhook_endpoint_url_once_per_partner"),
        ]

    def __str__(self) -> str:
        return f"{self.partner}: {self.url}"

    def signing_secrets(self) -> list[str]:
        """The current secret, then the previous one while its overlap lasts."""
        secrets = [self.secret]
        expires = self.previous_secret_expires_at
        if self.previous_secret and expires is not None and expires > timezone.now():
            secrets.append(self.previous_secret)
        return secrets


class WebhookEvent(models.Model):
    """One change partners are told about; its id is stable across every retry (for de-duplication)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    type = models.CharField(max_length=32, choices=WebhookEventType.choices)
    claim = models.ForeignKey(
        "claims.Claim", on_delete=models.SET_NULL, null=True, blank=True, related_name="webhook_events"
    )
    claim_version = models.PositiveIntegerField()
    payload = models.JSONField(help_text="The body sent, as of the change.")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.type} of claim {self.claim_id} v{self.claim_version} ({self.id})"


class WebhookDelivery(models.Model):
    """The delivery of one event to one endpoint, retried until it succeeds or gives up."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SUCCEEDED = "succeeded", "Delivered"
        FAILED = "failed", "Gave up"

    event = models.ForeignKey(WebhookEvent, on_delete=models.CASCADE, related_name="deliveries")
    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    attempt_count = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "webhook deliveries"
        constraints = [
            models.UniqueConstraint(fields=["event", "endpoint"], name="webhook_delivery_once_per_endpoint"),
        ]
        indexes = [
            # The partner's delivery log: WHERE endpoint_id = ... ORDER BY created_at DESC, id DESC.
            models.Index(fields=["endpoint", "-created_at", "-id"], name="webhook_delivery_endpoint"),
        ]

    def __str__(self) -> str:
        return f"{self.event.type} → {self.endpoint.url} ({self.status})"


class WebhookAttempt(models.Model):
    """One HTTP POST of a delivery: when, how long, what came back."""

    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="attempts")
    number = models.PositiveSmallIntegerField()
    started_at = models.DateTimeField()
    duration_ms = models.PositiveIntegerField()
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    succeeded = models.BooleanField(default=False)

    class Meta:
        ordering = ["delivery_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["delivery", "number"], name="webhook_attempt_number_unique"),
        ]

    def __str__(self) -> str:
        outcome = self.status_code if self.status_code is not None else self.error[:60]
        return f"Attempt {self.number}: {outcome}"
