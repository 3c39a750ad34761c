"""Query parameters of the list endpoints, validated like any input (a bad value is a 400 naming it)."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext, gettext_lazy
from rest_framework.exceptions import ValidationError

from factcheck.claims.models import Article, Claim, Language, Rating
from factcheck.claims.selectors import claim_search
from factcheck.lib.isotime import utc_datetime

from .pagination import WHOLE_NUMBER
from .permissions import is_newsroom

MAX_ID = 2**63 - 1


class IsoDateTimeUTCField(forms.Field):
    """ISO 8601 date or date-time; without an offset it is read as UTC."""

    default_error_messages = {
        "invalid": gettext_lazy(
            "Enter an ISO 8601 date-time such as 2026-01-31T08:00:00Z (or a date such as 2026-01-31)."
        ),
    }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        # In UTC: PostgreSQL refuses offsets beyond ±15:59 that Python and ISO 8601 allow (-17:10 was a 500).
        parsed = utc_datetime(str(value).strip(), dates=True)
        if parsed is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return parsed


class IsoDateTimeUTCFilter(django_filters.Filter):
    field_class = IsoDateTimeUTCField


class WholeNumberField(forms.IntegerField):
    """An integer written as ``WHOLE_NUMBER`` says (with a sign, which the range then refuses)."""

    def to_python(self, value):
        if value not in self.empty_values and not WHOLE_NUMBER.fullmatch(str(value).strip().lstrip("+-")):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class IdFilter(django_filters.NumberFilter):
    field_class = WholeNumberField

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class ChangesSinceFilter(django_filters.FilterSet):
    """The incremental sync of anything made of claims (claims/, the ClaimReview feed): by time or change number."""

    updated_since = IsoDateTimeUTCFilter(
        field_name="updated_at",
        lookup_expr="gte",
        help_text="Changed at or after this ISO 8601 time (UTC when no offset is given): the incremental sync.",
    )
    since = IdFilter(
        field_name="change_seq",
        lookup_expr="gt",
        min_value=0,
        help_text="Changed after this change number (the largest `change_seq` you stored): the gap-free "
        "incremental sync.",
    )

    class Meta:
        model = Claim
        fields: list[str] = []


class ClaimFilter(ChangesSinceFilter):
    rating = django_filters.ModelChoiceFilter(
        field_name="rating",
        to_field_name="key",
        queryset=Rating.objects.all(),
        help_text="A rating key from ratings/ (e.g. false).",
    )
    article = IdFilter(field_name="article_id", help_text="An article id: only its claims.")
    language = django_filters.ChoiceFilter(
        choices=Language.choices,
        method="filter_language",
        help_text="Claims with a statement written in this language (id: Indonesian, en: English).",
    )
    status = django_filters.ChoiceFilter(
        choices=Claim.Status.choices,
        method="filter_status",
        help_text="Editors and reviewers: any status. Others see only published (including corrected) "
        "and retracted claims, and may filter by those two.",
    )
    q = django_filters.CharFilter(method="filter_q", max_length=500, help_text="Full-text search.")

    class Meta:
        model = Claim
        fields: list[str] = []

    def filter_language(self, queryset, name, value):
        field = "statement_en" if value == Language.ENGLISH else "statement"
        return queryset.exclude(**{field: ""})

    def filter_status(self, queryset, name, value):
        if value not in Claim.PUBLIC_STATUSES and not is_newsroom(self.request.user):
            raise ValidationError(
                {"status": [gettext("Only editors and reviewers may list claims that are not public.")]}
            )
        return queryset.filter(status=value)

    def filter_q(self, queryset, name, value):
        return claim_search(queryset=queryset, query=value)


class ArticleFilter(django_filters.FilterSet):
    updated_since = IsoDateTimeUTCFilter(
        method="filter_updated_since",
        help_text="Articles changed, or shown for the first time (a claim of theirs published), at or after this "
        "ISO 8601 time (UTC when no offset is given).",
    )

    class Meta:
        model = Article
        fields: list[str] = []

    def filter_updated_since(self, queryset, name, value):
        published = Claim.objects.public().filter(article=OuterRef("pk"), published_at__gte=value)
        return queryset.filter(Q(updated_at__gte=value) | Exists(published))
