from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Article, Claim, Correction, Evidence, Rating


@admin.register(Rating)
class RatingAdmin(SimpleHistoryAdmin):
    list_display = ["key", "value", "label_id", "label_en", "colour", "position"]


@admin.register(Article)
class ArticleAdmin(SimpleHistoryAdmin):
    list_display = ["headline", "outlet", "author", "published_on", "language"]
    search_fields = ["headline", "outlet", "author"]
    readonly_fields = ["body_hash", "created_at", "updated_at"]
    exclude = ["original"]


class EvidenceInline(admin.StackedInline):
    model = Evidence
    extra = 0


@admin.register(Claim)
class ClaimAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "status", "rating", "article", "researcher", "updated_at"]
    list_filter = ["status", "rating", "article"]
    search_fields = ["statement", "statement_en", "quote"]
    list_select_related = ["article", "rating", "researcher"]
    readonly_fields = ["quote", "version", "created_at", "published_at", "updated_at"]
    inlines = [EvidenceInline]


@admin.register(Correction)
class CorrectionAdmin(SimpleHistoryAdmin):
    list_display = ["claim", "kind", "created_at", "created_by"]
    list_filter = ["kind"]
