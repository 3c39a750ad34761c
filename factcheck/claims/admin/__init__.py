"""The Django admin: the newsroom's tool for editors and reviewers.

Every write goes through ``factcheck.claims.services`` or
``factcheck.claims.importing``; the admin parses input and shows results.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy

from ..labels import choice_label
from ..models import Correction, Rating
from ..services import user_label
from .articles import ArticleAdmin
from .choices import TranslatedChoicesFilter
from .claims import ClaimAdmin
from .history import ReadableHistoryAdmin

__all__ = ["ArticleAdmin", "ClaimAdmin", "CorrectionAdmin", "RatingAdmin"]

# The newsroom's admin, branded; its home page (templates/admin/index.html) leads to the desk's daily work.
admin.site.site_header = admin.site.site_title = "Cek Fakta — Redaksi"
admin.site.index_title = gettext_lazy("Newsroom desk")


@admin.register(Rating)
class RatingAdmin(ReadableHistoryAdmin):
    list_display = ["key", "value", "label_id", "label_en", "colour", "position"]

    def get_readonly_fields(self, request, obj=None):
        # A rating's key names it to partners (the API), to stylesheets (rating-<key>) and in pending corrections,
        # which are approved later: renaming one would make them mean another rating. It is fixed once given.
        readonly = list(super().get_readonly_fields(request, obj))
        return [*readonly, "key"] if obj is not None else readonly


@admin.register(Correction)
class CorrectionAdmin(ReadableHistoryAdmin):
    """Corrections and retractions are written by the services only; here they are read."""

    list_display = ["claim", "kind_shown", "claim_version", "created_at", "created_by_name"]
    list_filter = [("kind", TranslatedChoicesFilter)]
    list_select_related = ["claim", "created_by"]
    search_fields = ["note"]

    @admin.display(description=gettext_lazy("kind"), ordering="kind")
    def kind_shown(self, correction: Correction) -> str:
        return choice_label(correction.get_kind_display())

    @admin.display(description=gettext_lazy("created by"), ordering="created_by__first_name")
    def created_by_name(self, correction: Correction) -> str:
        return user_label(correction.created_by) if correction.created_by_id else "—"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # Deleting a published claim (superusers only) takes its corrections with it.
        return request.user.is_superuser
