"""Staff manage partners and keys, and see every webhook delivery with its attempts."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from factcheck.claims.errors import ServiceError

from . import services
from .models import ApiKey, Partner, WebhookAttempt, WebhookDelivery, WebhookEndpoint, WebhookEvent


class ApiKeyInline(admin.TabularInline):
    model = ApiKey
    fields = ["prefix", "name", "created_at", "expires_at", "revoked_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class WebhookEndpointInline(admin.TabularInline):
    model = WebhookEndpoint
    fields = ["url", "events", "description", "is_active", "created_at"]
    readonly_fields = ["url", "events", "created_at"]
    extra = 0
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "contact_email", "is_active", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["name", "contact_email"]
    inlines = [ApiKeyInline, WebhookEndpointInline]
    actions = ["create_key"]

    @admin.action(description="Create a new API key (shown once)")
    def create_key(self, request: HttpRequest, queryset: QuerySet[Partner]) -> None:
        for partner in queryset:
            _, raw = services.key_create(partner=partner, name="created in the admin")
            self.message_user(
                request, f"New key for {partner}: {raw} — copy it now, it is not shown again.", messages.WARNING
            )


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ["prefix", "owner_label", "name", "created_at", "expires_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["prefix", "name", "partner__name", "user__username"]
    fields = ["partner", "user", "name", "expires_at", "prefix", "created_at", "revoked_at"]
    readonly_fields = ["prefix", "created_at", "revoked_at"]
    actions = ["revoke"]

    def get_readonly_fields(self, request, obj=None):
        # A key's owner never changes; its expiry may.
        return [*self.readonly_fields, "partner", "user"] if obj else self.readonly_fields

    def save_model(self, request, obj: ApiKey, form, change: bool) -> None:
        if change:
            obj.save(update_fields=["name", "expires_at"])
            return
        try:
            key, raw = services.key_create(partner=obj.partner, user=obj.user, name=obj.name, expires_at=obj.expires_at)
        except ServiceError as exc:
            self.message_user(request, exc.message, messages.ERROR)
            return
        obj.pk = key.pk
        self.message_user(request, f"The new key is {raw} — copy it now, it is not shown again.", messages.WARNING)

    @admin.action(description="Revoke the selected keys")
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiKey]) -> None:
        for key in queryset:
            services.key_revoke(key=key)
        self.message_user(request, f"{queryset.count()} key(s) revoked.")


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    list_display = ["url", "partner", "is_active", "created_at"]
    list_filter = ["is_active", "partner"]
    fields = ["partner", "url", "events", "description", "is_active", "created_at", "previous_secret_expires_at"]
    # The URL is read-only here: it is set only through the API, where the address rules are checked.
    readonly_fields = ["partner", "url", "events", "created_at", "previous_secret_expires_at"]

    def has_add_permission(self, request) -> bool:
        # Partners register endpoints through the API, where the secret is shown to them.
        return False


class WebhookAttemptInline(admin.TabularInline):
    model = WebhookAttempt
    fields = ["number", "started_at", "duration_ms", "status_code", "error", "succeeded"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ["event", "endpoint", "status", "attempt_count", "next_attempt_at", "delivered_at"]
    list_filter = ["status", "event__type", "endpoint__partner"]
    list_select_related = ["event", "endpoint__partner"]
    readonly_fields = ["event", "endpoint", "status", "attempt_count", "next_attempt_at", "delivered_at", "created_at"]
    inlines = [WebhookAttemptInline]
    actions = ["redeliver"]

    def has_add_permission(self, request) -> bool:
        return False

    @admin.action(description="Deliver again (same event id)")
    def redeliver(self, request: HttpRequest, queryset: QuerySet[WebhookDelivery]) -> None:
        queued = 0
        for delivery in queryset:
            try:
                services.webhook_redeliver(delivery=delivery)
            except ServiceError as exc:
                self.message_user(request, f"{delivery}: {exc.message}", messages.WARNING)
            else:
                queued += 1
        self.message_user(request, f"{queued} delivery(ies) queued again.")


@admin.register(WebhookEvent)
class WebhookEventAdmin(admin.ModelAdmin):
    list_display = ["id", "type", "claim", "claim_version", "created_at"]
    list_filter = ["type"]
    readonly_fields = ["id", "type", "claim", "claim_version", "payload", "created_at"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
