"""Partners, their keys and webhooks: every write goes through these functions.

Keys: ``key_create`` returns the key once; only its SHA-256 digest is stored.
Webhooks: ``webhook_event_record`` runs inside the transaction of the claim
service that causes the event (an outbox) and queues one delivery task per
subscribed endpoint in that same transaction (the database task backend keeps
the task row in the same database), so a rolled-back change sends nothing.
``webhook_deliver`` makes one signed attempt, logs it and schedules the retry.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from factcheck.claims.errors import InvalidInput, InvalidTransition
from factcheck.claims.models import Claim

from .models import (
    SUBSCRIBABLE_EVENTS,
    ApiKey,
    Partner,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
    WebhookEventType,
)
from .network import TargetRefused, check_target, post

KEY_PREFIX = "fck_"
SIGNATURE_HEADER = "X-Factcheck-Signature"
TIMESTAMP_HEADER = "X-Factcheck-Timestamp"
EVENT_ID_HEADER = "X-Factcheck-Event-Id"
EVENT_TYPE_HEADER = "X-Factcheck-Event-Type"
ATTEMPT_HEADER = "X-Factcheck-Attempt"
ENDPOINT_HEADER = "X-Factcheck-Endpoint"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}


def key_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


# --- partners and keys --------------------------------------------------------


@transaction.atomic
def partner_create(*, name: str, contact_email: str = "", notes: str = "") -> Partner:
    name = name.strip()
    if not name:
        raise InvalidInput(gettext("A partner needs a name."), {"name": [gettext("This field is required.")]})
    if Partner.objects.filter(name=name).exists():
        raise InvalidInput(
            gettext("A partner named {name} already exists.").format(name=repr(name)),
            {"name": [gettext("This name is taken.")]},
        )
    partner = Partner(name=name, contact_email=contact_email, notes=notes)
    try:
        partner.full_clean()
    except ValidationError as exc:
        raise InvalidInput(gettext("Invalid partner: {problems}").format(problems=exc), exc.message_dict) from None
    partner.save()
    return partner


@transaction.atomic
def key_create(
    *,
    partner: Partner | None = None,
    user: AbstractBaseUser | None = None,
    name: str = "",
    expires_at: datetime | None = None,
) -> tuple[ApiKey, str]:
    """A new key for a partner (read-only) or a user (acting with their permissions).

    Returns the key row and the key itself, which is not stored and cannot be shown again.
    """
    if (partner is None) == (user is None):
        raise InvalidInput(
            gettext("A key belongs to exactly one partner or one user."),
            {"owner": [gettext("Give a partner or a user.")]},
        )
    if expires_at is not None and expires_at <= timezone.now():
        message = gettext("The expiry must be in the future.")
        raise InvalidInput(message, {"expires_at": [message]})
    raw = KEY_PREFIX + secrets.token_urlsafe(32)
    key = ApiKey.objects.create(
        partner=partner, user=user, name=name, prefix=raw[:12], digest=key_digest(raw), expires_at=expires_at
    )
    return key, raw


@transaction.atomic
def create_partner_with_key(
    *, name: str, contact_email: str = "", expires_at: datetime | None = None
) -> tuple[Partner, str]:
    """A partner and its first key, together or not at all; returns the key, which is shown once."""
    partner = partner_create(name=name, contact_email=contact_email)
    _, raw = key_create(partner=partner, name="first key", expires_at=expires_at)
    return partner, raw


@transaction.atomic
def key_revoke(*, key: ApiKey) -> ApiKey:
    """Revoke a key; it stops working at once. Revoking twice keeps the first date."""
    if key.revoked_at is None:
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at"])
    return key


class KeyRejected(Exception):
    """The presented key does not authenticate; the message says why, ``code`` the same for machines."""

    def __init__(self, message: str, code: str = "api_key_invalid") -> None:
        super().__init__(message)
        self.code = code


def key_authenticate(*, raw: str) -> ApiKey:
    """The key row for a presented key, or KeyRejected saying why not. One query."""
    key = ApiKey.objects.select_related("partner", "user").filter(digest=key_digest(raw.strip())).first()
    if key is None:
        raise KeyRejected(gettext("Invalid API key."))
    if key.is_revoked:
        raise KeyRejected(gettext("This API key was revoked."), "api_key_revoked")
    if key.is_expired:
        raise KeyRejected(gettext("This API key has expired."), "api_key_expired")
    if key.partner_id and not key.partner.is_active:
        raise KeyRejected(gettext("The partner of this API key is inactive."), "api_key_inactive")
    if key.user_id and not key.user.is_active:
        raise KeyRejected(gettext("The user of this API key is inactive."), "api_key_inactive")
    return key


# --- webhook endpoints --------------------------------------------------------


def webhook_url_errors(url: str) -> list[str]:
    """What is wrong with ``url`` as a webhook endpoint.

    https only (plain http to this machine in development), and the host must resolve to public
    addresses only, on an allowed port (see ``network.check_target``).
    """
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        return [gettext("Enter a valid URL.")]
    parts = urlsplit(url)
    if parts.username is not None or parts.password is not None:
        return [gettext("A webhook URL must not contain a user name or password.")]
    if parts.scheme != "https":
        if parts.hostname in LOCAL_HOSTS and not settings.WEBHOOK_ALLOW_LOCAL_HTTP:
            return [gettext("Plain http is accepted only for 127.0.0.1 or localhost in development; use https.")]
        if parts.hostname not in LOCAL_HOSTS:
            return [gettext("A webhook URL must use https.")]
    try:
        check_target(url)
    except TargetRefused as exc:
        return [str(exc)]
    return []


DEFAULT_PORTS = {"http": 80, "https": 443}


def webhook_url_normalize(url: str) -> str:
    """The URL with its scheme and host in lower case and without its scheme's default port, so one address
    cannot be registered twice by casing or by naming the port (``https://host:443/`` is ``https://host/``)."""
    parts = urlsplit(url.strip())
    scheme, netloc = parts.scheme.lower(), parts.netloc.rsplit("@", 1)[-1].lower()
    try:
        port = parts.port
    except ValueError:  # not a port: webhook_url_errors refuses the URL
        port = None
    if port is not None and port == DEFAULT_PORTS.get(scheme):
        netloc = netloc.rsplit(":", 1)[0]  # "host:443" and "[::1]:443" alike
    return parts._replace(scheme=scheme, netloc=netloc).geturl()


def webhook_events_errors(events: Any) -> list[str]:
    if not isinstance(events, list) or not events:
        return [gettext("Choose at least one event: {events}.").format(events=", ".join(WebhookEventType.values))]
    choices = [str(e) for e in SUBSCRIBABLE_EVENTS]
    unknown = [e for e in events if e not in choices]
    if unknown:
        return [
            gettext("Unknown event {event!r}; choose from: {choices}.").format(
                event=unknown[0], choices=", ".join(choices)
            )
        ]
    return []


DUPLICATE_URL = gettext_noop("You already have an endpoint for this URL (id {id}); change that one instead.")


def _check_endpoint(partner: Partner, url: str, events: Any, *, exclude_pk: int | None = None) -> None:
    errors = {}
    if url_errors := webhook_url_errors(url):
        errors["url"] = url_errors
    else:
        same = WebhookEndpoint.objects.filter(partner=partner, url=url).exclude(pk=exclude_pk).first()
        if same is not None:
            errors["url"] = [gettext(DUPLICATE_URL).format(id=same.pk)]
    if events_errors := webhook_events_errors(events):
        errors["events"] = events_errors
    if errors:
        raise InvalidInput(gettext("The webhook endpoint is invalid."), errors)


def _new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


def _save_endpoint(endpoint: WebhookEndpoint) -> None:
    """Save; a copy of the URL registered at the same moment by another request is refused like any duplicate."""
    try:
        with transaction.atomic():
            endpoint.save()
    except IntegrityError:
        same = WebhookEndpoint.objects.filter(partner=endpoint.partner, url=endpoint.url).first()
        if same is None:
            raise
        raise InvalidInput(
            gettext("The webhook endpoint is invalid."), {"url": [gettext(DUPLICATE_URL).format(id=same.pk)]}
        ) from None


@transaction.atomic
def webhook_endpoint_create(*, partner: Partner, url: str, events: list[str], description: str = "") -> WebhookEndpoint:
    """Register an endpoint; its signing secret is generated here and shown to the partner once."""
    url = webhook_url_normalize(url)
    _check_endpoint(partner, url, events)
    endpoint = WebhookEndpoint(
        partner=partner,
        url=url,
        events=sorted(set(events), key=WebhookEventType.values.index),
        description=description,
        secret=_new_secret(),
    )
    _save_endpoint(endpoint)
    return endpoint


@transaction.atomic
def webhook_endpoint_update(*, endpoint: WebhookEndpoint, changes: dict[str, Any]) -> WebhookEndpoint:
    allowed = {"url", "events", "description", "is_active"}
    unknown = set(changes) - allowed
    if unknown:
        raise InvalidInput(
            gettext("Unknown endpoint fields: {fields}.").format(fields=", ".join(sorted(unknown))),
            {name: [gettext("This field does not exist or cannot be changed.")] for name in sorted(unknown)},
        )
    if "url" in changes:
        changes = {**changes, "url": webhook_url_normalize(changes["url"])}
    url = changes.get("url", endpoint.url)
    events = changes.get("events", endpoint.events)
    _check_endpoint(endpoint.partner, url, events, exclude_pk=endpoint.pk)
    for name, value in changes.items():
        setattr(endpoint, name, value)
    endpoint.events = sorted(set(endpoint.events), key=WebhookEventType.values.index)
    _save_endpoint(endpoint)
    return endpoint


@transaction.atomic
def webhook_endpoint_rotate_secret(*, endpoint: WebhookEndpoint) -> WebhookEndpoint:
    """A new signing secret, returned once; the old one keeps signing too for ``WEBHOOK_SECRET_OVERLAP_HOURS``.

    Rotating again during the overlap drops the oldest secret: only the two newest ever sign.
    """
    endpoint.previous_secret = endpoint.secret
    endpoint.previous_secret_expires_at = timezone.now() + timedelta(hours=settings.WEBHOOK_SECRET_OVERLAP_HOURS)
    endpoint.secret = _new_secret()
    endpoint.save(update_fields=["secret", "previous_secret", "previous_secret_expires_at"])
    return endpoint


@transaction.atomic
def webhook_endpoint_delete(*, endpoint: WebhookEndpoint) -> None:
    endpoint.delete()


# --- events (the outbox) ------------------------------------------------------


# The claim as the partner API shows it, so that a webhook carries what GET /api/v1/claims/<id>/ answers.
# The API registers it when the portal starts (factcheck/api/apps.py): the partners layer sits below the API.
_claim_representation: Callable[[Claim], dict] | None = None


def claim_representation_register(representation: Callable[[Claim], dict]) -> None:
    global _claim_representation
    _claim_representation = representation


def claim_representation(claim: Claim) -> dict:
    if _claim_representation is None:
        raise ImproperlyConfigured(
            "No claim representation for webhook payloads: factcheck.api registers it (is it in INSTALLED_APPS?)."
        )
    return _claim_representation(claim)


def webhook_payload(*, event: WebhookEvent, claim: Claim) -> dict:
    return {
        "id": str(event.id),
        "type": event.type,
        "created_at": event.created_at.isoformat().replace("+00:00", "Z"),
        "data": {"claim": claim_representation(claim)},
    }


def webhook_event_record(*, claim: Claim, type: str) -> WebhookEvent:
    """Record that ``claim`` was published, corrected or retracted, and queue its deliveries.

    Called by the claim services inside their transaction; it must not be called outside one.
    """
    if type not in WebhookEventType.values:
        raise ValueError(f"Unknown webhook event type {type!r}.")
    event = WebhookEvent(type=type, claim=claim, claim_version=claim.version, created_at=timezone.now())
    fresh = Claim.objects.for_listing().prefetch_related("evidence").get(pk=claim.pk)
    event.payload = webhook_payload(event=event, claim=fresh)
    event.save()
    endpoints = [
        endpoint
        for endpoint in WebhookEndpoint.objects.filter(is_active=True, partner__is_active=True)
        if type in endpoint.events
    ]
    for endpoint in endpoints:
        delivery = WebhookDelivery.objects.create(event=event, endpoint=endpoint, next_attempt_at=event.created_at)
        _enqueue(delivery)
    return event


def on_claim_event(sender, *, claim: Claim, type: str, **kwargs) -> None:
    """factcheck.claims.events.claim_event: connected by the partners app (apps.py)."""
    webhook_event_record(claim=claim, type=type)


def on_portal_restored(sender, **kwargs) -> int:
    """factcheck.claims.events.portal_restored: connected by the partners app (apps.py)."""
    return webhook_pending_requeue()


# Sent for each delivery to queue (``delivery``, ``run_after``); factcheck/partners/tasks.py queues the task,
# so that this module and the tasks do not import each other. Inside the caller's transaction.
delivery_due = Signal()


def _enqueue(delivery: WebhookDelivery, run_after: datetime | None = None) -> None:
    if not delivery_due.send(sender=WebhookDelivery, delivery=delivery, run_after=run_after):
        raise ImproperlyConfigured(
            "Nothing queues webhook deliveries: factcheck.partners.tasks is not loaded (the partners app loads it)."
        )


# --- delivery -----------------------------------------------------------------


def webhook_signature(*, secret: str, timestamp: int | str, body: bytes) -> str:
    """``sha256=`` and the hex HMAC-SHA256 of ``"{timestamp}.{body}"`` under the endpoint's secret."""
    message = str(timestamp).encode("ascii") + b"." + body
    return "sha256=" + hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def webhook_signature_header(*, endpoint: WebhookEndpoint, timestamp: int | str, body: bytes) -> str:
    """One signature per signing secret, newest first, separated by commas.

    With one secret the header is exactly what it always was (``sha256=<hex>``); during the overlap
    after a rotation it is ``sha256=<new>,sha256=<old>``, and a receiver accepts either.
    """
    return ",".join(
        webhook_signature(secret=secret, timestamp=timestamp, body=body) for secret in endpoint.signing_secrets()
    )


def webhook_retry_delay(attempt_number: int) -> timedelta:
    """Exponential backoff after the ``attempt_number``-th failure, capped."""
    base = settings.WEBHOOK_RETRY_BASE_SECONDS
    seconds = min(base * 2 ** (attempt_number - 1), settings.WEBHOOK_RETRY_MAX_SECONDS)
    return timedelta(seconds=seconds)


def webhook_deliver(*, delivery_id: int, retry: bool = True) -> WebhookAttempt | None:
    """Make one attempt to deliver; log it; on failure schedule the next one (unless ``retry`` is off) or give up.

    Returns the attempt, or None when there was nothing to do (already
    delivered, given up, or the endpoint was switched off).
    """
    delivery = WebhookDelivery.objects.select_related("event", "endpoint__partner").filter(pk=delivery_id).first()
    if delivery is None or delivery.status != WebhookDelivery.Status.PENDING:
        return None
    endpoint = delivery.endpoint
    if not endpoint.is_active or not endpoint.partner.is_active:
        delivery.status = WebhookDelivery.Status.FAILED
        delivery.next_attempt_at = None
        delivery.save(update_fields=["status", "next_attempt_at"])
        return None
    number = delivery.attempt_count + 1
    body = json.dumps(delivery.event.payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "FactcheckWebhooks/1.0",
        EVENT_ID_HEADER: str(delivery.event_id),
        EVENT_TYPE_HEADER: delivery.event.type,
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: webhook_signature_header(endpoint=endpoint, timestamp=timestamp, body=body),
        ATTEMPT_HEADER: str(number),
        ENDPOINT_HEADER: str(endpoint.pk),
    }
    started_at = timezone.now()
    clock = time.monotonic()
    # The address is checked again here, and the connection made to the address checked.
    status_code, error = post(endpoint.url, body, headers)
    duration_ms = round((time.monotonic() - clock) * 1000)
    succeeded = status_code is not None and 200 <= status_code < 300
    with transaction.atomic():
        attempt = WebhookAttempt.objects.create(
            delivery=delivery,
            number=number,
            started_at=started_at,
            duration_ms=duration_ms,
            status_code=status_code,
            error=error[:2000],
            succeeded=succeeded,
        )
        delivery.attempt_count = number
        if succeeded:
            delivery.status = WebhookDelivery.Status.SUCCEEDED
            delivery.delivered_at = timezone.now()
            delivery.next_attempt_at = None
        elif number >= settings.WEBHOOK_MAX_ATTEMPTS or not retry:
            delivery.status = WebhookDelivery.Status.FAILED
            delivery.next_attempt_at = None
        else:
            delivery.next_attempt_at = timezone.now() + webhook_retry_delay(number)
            _enqueue(delivery, run_after=delivery.next_attempt_at)
        delivery.save(update_fields=["attempt_count", "status", "delivered_at", "next_attempt_at"])
    return attempt


@transaction.atomic
def webhook_redeliver(*, delivery: WebhookDelivery) -> WebhookDelivery:
    """Queue a delivery that gave up (or succeeded) once more, with the same event id.

    A delivery still pending already has its next attempt queued: it is refused, so it is not sent twice.
    """
    delivery = WebhookDelivery.objects.select_for_update().get(pk=delivery.pk)
    if delivery.status == WebhookDelivery.Status.PENDING:
        raise InvalidTransition(
            gettext("This delivery is still pending; its next attempt is already queued."),
            {"status": [gettext("Only a delivery that succeeded or gave up can be sent again.")]},
        )
    delivery.status = WebhookDelivery.Status.PENDING
    delivery.next_attempt_at = timezone.now()
    delivery.save(update_fields=["status", "next_attempt_at"])
    _enqueue(delivery)
    return delivery


def webhook_ping(*, endpoint: WebhookEndpoint) -> WebhookDelivery:
    """Send a ``ping`` event to ``endpoint`` now, once (no retries), and return its logged delivery.

    The ping is signed and logged like any event, so the partner can check its verification and
    see the outcome in the delivery log; it can be sent again with ``webhook_redeliver``.
    """
    with transaction.atomic():
        event = WebhookEvent(type=WebhookEventType.PING, claim=None, claim_version=0, created_at=timezone.now())
        event.payload = {
            "id": str(event.id),
            "type": event.type,
            "created_at": event.created_at.isoformat().replace("+00:00", "Z"),
            "data": {"endpoint": endpoint.pk},
        }
        event.save()
        delivery = WebhookDelivery.objects.create(event=event, endpoint=endpoint, next_attempt_at=event.created_at)
    webhook_deliver(delivery_id=delivery.pk, retry=False)
    return WebhookDelivery.objects.select_related("event").prefetch_related("attempts").get(pk=delivery.pk)


def webhook_pending_requeue() -> int:
    """Queue every pending delivery again, when it is due; for a restore (the task queue does not travel)."""
    pending = WebhookDelivery.objects.filter(status=WebhookDelivery.Status.PENDING).order_by("pk")
    count = 0
    for delivery in pending.iterator(chunk_size=500):
        _enqueue(delivery, run_after=delivery.next_attempt_at)
        count += 1
    return count
