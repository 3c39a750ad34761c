"""Triage of reader tips: editors and reviewers read them and set a status; who and when are recorded."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Tip
from .services import tip_set_status

READER_FIELDS = ["reference", "kind", "claim", "text", "link", "contact", "consent", "language", "created_at"]


@admin.register(Tip)
class TipAdmin(admin.ModelAdmin):
    list_display = ["reference", "kind", "status", "claim", "created_at", "status_changed_by", "status_changed_at"]
    list_filter = ["status", "kind"]
    list_select_related = ["claim", "status_changed_by"]
    search_fields = ["reference", "text"]
    date_hierarchy = "created_at"
    readonly_fields = [*READER_FIELDS, "status_changed_by", "status_changed_at", "anonymised_at"]
    fieldsets = [
        (_("What the reader sent"), {"fields": READER_FIELDS}),
        (_("Triage"), {"fields": ["status", "editor_note", "status_changed_by", "status_changed_at", "anonymised_at"]}),
    ]

    def has_add_permission(self, request):
        # Tips come from readers only.
        return False

    def save_model(self, request, obj, form, change):
        original = Tip.objects.get(pk=obj.pk)
        tip_set_status(
            tip=original, status=form.cleaned_data["status"], by=request.user, note=form.cleaned_data["editor_note"]
        )
        obj.__dict__.update(
            {field: getattr(original, field) for field in ("status_changed_at", "status_changed_by_id")}
        )
