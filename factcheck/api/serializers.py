"""What the API sends and accepts. Thin: validation of types here, business rules in the services.

Output serializers expect their querysets prepared by the views
(``select_related`` article and rating, ``prefetch_related`` evidence) and the
rating scale's bounds in the context, so a page costs the same few queries
whatever its size.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from factcheck.claims.models import Article, Claim, Evidence, Language, Rating
from factcheck.claims.selectors import rating_scale_bounds
from factcheck.partners.models import SUBSCRIBABLE_EVENTS, WebhookDelivery, WebhookEventType
from factcheck.web.links import claim_url

from .exceptions import ERROR_CODES

API_ROOT = "/api/v1"
MAX_INT = 2**31 - 1


def api_url(path: str) -> str:
    return f"{settings.SITE_URL}{API_ROOT}/{path}"


def utc_iso(value: datetime.datetime | None) -> str | None:
    """ISO 8601 in UTC with a Z, whatever the portal's time zone."""
    if value is None:
        return None
    return value.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")


class UTCDateTimeField(serializers.DateTimeField):
    """ISO 8601 in UTC with a Z, whatever the portal's time zone."""

    def to_representation(self, value: datetime.datetime | None) -> str | None:
        return utc_iso(value)


def json_type_error(field: serializers.Field, value) -> str | None:
    """What is wrong with the JSON type of ``value`` for ``field``, or None.

    DRF reads ``5`` as the text "5", ``"5"`` as the number 5 and ``"yes"`` as true; the schema promises
    JSON types, so a body of another type is refused (as generated clients and validators expect).
    """
    if value is None:
        return None  # allow_null decides
    if isinstance(field, serializers.BooleanField):
        return None if isinstance(value, bool) else gettext("Must be a valid boolean.")
    if isinstance(field, serializers.IntegerField):
        whole = isinstance(value, int) or (isinstance(value, float) and value.is_integer())
        return None if whole and not isinstance(value, bool) else gettext("A valid integer is required.")
    if isinstance(field, (serializers.CharField, serializers.ChoiceField, serializers.DateField)):
        return None if isinstance(value, str) else gettext("Not a valid string.")
    return None


class StrictSerializer(serializers.Serializer):
    """Refuses fields it does not know, naming them, instead of ignoring them silently, and values of
    another JSON type than the schema says (see ``json_type_error``)."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            writable = {name for name, field in self.fields.items() if not field.read_only}
            unknown = sorted(set(data) - writable)
            if unknown:
                raise serializers.ValidationError(
                    {name: [gettext("Unknown field; it cannot be set here.")] for name in unknown}
                )
            wrong = {
                name: [error]
                for name, value in data.items()
                if (error := json_type_error(self.fields[name], value)) is not None
            }
            if wrong:
                raise serializers.ValidationError(wrong)
        return super().to_internal_value(data)


# --- output --------------------------------------------------------------------------------------


class TranslatedSerializer(serializers.Serializer):
    id = serializers.CharField(help_text="Bahasa Indonesia.")
    en = serializers.CharField(help_text="English; empty when there is no English version.")


def translated(obj, field: str) -> dict:
    return {"id": getattr(obj, field), "en": getattr(obj, f"{field}_en")}


class RatingSerializer(serializers.Serializer):
    key = serializers.CharField()
    value = serializers.IntegerField(allow_null=True, help_text="Higher means truer; null for unproven.")
    label = serializers.SerializerMethodField()
    best = serializers.SerializerMethodField(help_text="The best value on the scale.")
    worst = serializers.SerializerMethodField(help_text="The worst value on the scale.")

    @extend_schema_field(TranslatedSerializer)
    def get_label(self, rating: Rating) -> dict:
        return {"id": rating.label_id, "en": rating.label_en}

    def get_best(self, rating: Rating) -> int:
        return self.context["scale"][0]

    def get_worst(self, rating: Rating) -> int:
        return self.context["scale"][1]


class RatingScaleSerializer(RatingSerializer):
    definition = serializers.SerializerMethodField()
    colour = serializers.CharField()
    position = serializers.IntegerField()

    @extend_schema_field(TranslatedSerializer)
    def get_definition(self, rating: Rating) -> dict:
        return {"id": rating.definition_id, "en": rating.definition_en}


class ArticleBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    api_url = serializers.SerializerMethodField()
    headline = serializers.CharField()
    outlet = serializers.CharField()
    url = serializers.CharField(help_text="Where the article was published.")
    published_on = serializers.DateField(allow_null=True)

    def get_api_url(self, article: Article) -> str:
        return api_url(f"articles/{article.pk}/")


class EvidenceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.CharField()
    title = serializers.CharField()
    publisher = serializers.CharField()
    published_on = serializers.DateField(allow_null=True)
    excerpt = serializers.CharField()
    stance = serializers.ChoiceField(choices=Evidence.Stance.choices)
    is_primary = serializers.BooleanField()
    archived_url = serializers.CharField()
    position = serializers.IntegerField()


class SpanSerializer(serializers.Serializer):
    start = serializers.IntegerField()
    end = serializers.IntegerField()


class PublicUrlSerializer(serializers.Serializer):
    id = serializers.CharField()
    en = serializers.CharField()


class ClaimSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    api_url = serializers.SerializerMethodField()
    public_url = serializers.SerializerMethodField()
    slug = serializers.CharField()
    statement = serializers.SerializerMethodField()
    quote = serializers.CharField(help_text="Always the article body from span.start to span.end.")
    span = serializers.SerializerMethodField()
    claimant = serializers.CharField()
    checkable = serializers.BooleanField()
    not_checkable_reason = serializers.SerializerMethodField()
    status = serializers.ChoiceField(choices=Claim.Status.choices)
    corrected = serializers.SerializerMethodField(help_text="Published, with at least one public correction.")
    # A nested field, bound once per serializer: building a RatingSerializer per claim cost a copy of its fields
    # for each of a page's claims.
    rating = RatingSerializer(allow_null=True, read_only=True)
    verdict = serializers.SerializerMethodField()
    public_note = serializers.CharField(help_text="The note of the latest correction or retraction.")
    article = ArticleBriefSerializer()
    evidence = EvidenceSerializer(many=True, source="evidence.all")
    published_at = UTCDateTimeField(allow_null=True)
    updated_at = UTCDateTimeField()
    version = serializers.IntegerField(help_text="Raised by every change; send it back (or If-Match) to edit.")
    change_seq = serializers.IntegerField(
        help_text="The change number of the claim's last change, in commit order: store the largest you saw and "
        "sync with `claims/?since=` (it also moves when its article's details or its rating's labels change)."
    )

    def get_api_url(self, claim: Claim) -> str:
        return api_url(f"claims/{claim.pk}/")

    @extend_schema_field(PublicUrlSerializer)
    def get_public_url(self, claim: Claim) -> dict:
        return {language: claim_url(claim, language) for language in Language.values}

    @extend_schema_field(TranslatedSerializer)
    def get_statement(self, claim: Claim) -> dict:
        return translated(claim, "statement")

    @extend_schema_field(SpanSerializer)
    def get_span(self, claim: Claim) -> dict:
        return {"start": claim.start, "end": claim.end}

    @extend_schema_field(TranslatedSerializer)
    def get_not_checkable_reason(self, claim: Claim) -> dict:
        return translated(claim, "not_checkable_reason")

    def get_corrected(self, claim: Claim) -> bool:
        return claim.status == Claim.Status.PUBLISHED and bool(claim.public_note)

    @extend_schema_field(TranslatedSerializer)
    def get_verdict(self, claim: Claim) -> dict:
        """The English verdict is left out while its translation of a corrected verdict is pending."""
        verdict = translated(claim, "verdict")
        return {**verdict, "en": ""} if claim.english_pending else verdict

    def to_representation(self, claim: Claim) -> dict:
        """The fields declared above (which the schema reads), written out: DRF's field-by-field machinery
        cost more than half of a page of 50 claims. tests/api/test_representation.py holds this to what
        the declared fields give."""
        scale = self.context["scale"]
        article, rating = claim.article, claim.rating
        return {
            "id": claim.pk,
            "api_url": self.get_api_url(claim),
            "public_url": self.get_public_url(claim),
            "slug": claim.slug,
            "statement": translated(claim, "statement"),
            "quote": claim.quote,
            "span": {"start": claim.start, "end": claim.end},
            "claimant": claim.claimant,
            "checkable": claim.checkable,
            "not_checkable_reason": translated(claim, "not_checkable_reason"),
            "status": claim.status,
            "corrected": self.get_corrected(claim),
            "rating": None if rating is None else rating_data(rating, scale),
            "verdict": self.get_verdict(claim),
            "public_note": claim.public_note,
            "article": {
                "id": article.pk,
                "api_url": api_url(f"articles/{article.pk}/"),
                "headline": article.headline,
                "outlet": article.outlet,
                "url": article.url,
                "published_on": _iso_date(article.published_on),
            },
            "evidence": [evidence_data(item) for item in claim.evidence.all()],
            "published_at": utc_iso(claim.published_at),
            "updated_at": utc_iso(claim.updated_at),
            "version": claim.version,
            "change_seq": claim.change_seq,
        }


def _iso_date(value: datetime.date | str | None) -> str | None:
    """As DRF's DateField: ISO 8601, a text as it is (an unsaved value), nothing as None."""
    if not value:
        return None
    return value if isinstance(value, str) else value.isoformat()


def rating_data(rating: Rating, scale: tuple[int | None, int | None]) -> dict:
    """What ``RatingSerializer`` gives for ``rating`` on a scale with these bounds."""
    return {
        "key": rating.key,
        "value": rating.value,
        "label": {"id": rating.label_id, "en": rating.label_en},
        "best": scale[0],
        "worst": scale[1],
    }


def evidence_data(item: Evidence) -> dict:
    """What ``EvidenceSerializer`` gives for ``item``."""
    return {
        "id": item.pk,
        "url": item.url,
        "title": item.title,
        "publisher": item.publisher,
        "published_on": _iso_date(item.published_on),
        "excerpt": item.excerpt,
        "stance": item.stance,
        "is_primary": item.is_primary,
        "archived_url": item.archived_url,
        "position": item.position,
    }


def claim_representation(claim: Claim, *, scale: tuple[int, int] | None = None) -> dict:
    """A claim as the API and the webhooks send it (outside a request, e.g. in an event payload)."""
    if scale is None:
        scale = rating_scale_bounds()
    return dict(ClaimSerializer(claim, context={"scale": scale}).data)


class ClaimListSerializer(serializers.Serializer):
    next = serializers.CharField(allow_null=True, help_text="The next page, or null on the last page.")
    results = ClaimSerializer(many=True)


class SourceRefSerializer(serializers.Serializer):
    title = serializers.CharField()
    publisher = serializers.CharField()
    url = serializers.CharField()


class FieldChangeSerializer(serializers.Serializer):
    field = serializers.CharField()
    old = serializers.CharField()
    new = serializers.CharField()
    words_added = serializers.ListField(child=serializers.CharField())
    words_removed = serializers.ListField(child=serializers.CharField())
    action = serializers.ChoiceField(
        choices=["added", "removed", "changed"], required=False, help_text="For a source: what happened to it."
    )
    source = SourceRefSerializer(required=False, help_text="For a source: which one.")


class PublicVersionSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    date = UTCDateTimeField()
    kind = serializers.ChoiceField(choices=["published", "correction", "retraction"])
    note = serializers.CharField(help_text="The public note (Indonesian).")
    note_en = serializers.CharField(help_text="The public note in English; empty while its translation is pending.")
    changes = FieldChangeSerializer(many=True)


class ClaimHistorySerializer(serializers.Serializer):
    claim = serializers.IntegerField()
    versions = PublicVersionSerializer(many=True)


class ArticleClaimSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    api_url = serializers.SerializerMethodField()
    span = serializers.SerializerMethodField()
    statement = serializers.SerializerMethodField()
    status = serializers.ChoiceField(choices=Claim.Status.choices)
    rating = RatingSerializer(allow_null=True, read_only=True)  # as ClaimSerializer's

    def get_api_url(self, claim: Claim) -> str:
        return api_url(f"claims/{claim.pk}/")

    @extend_schema_field(SpanSerializer)
    def get_span(self, claim: Claim) -> dict:
        return {"start": claim.start, "end": claim.end}

    @extend_schema_field(TranslatedSerializer)
    def get_statement(self, claim: Claim) -> dict:
        return translated(claim, "statement")


class ArticleSerializer(ArticleBriefSerializer):
    author = serializers.CharField()
    language = serializers.ChoiceField(choices=Language.choices)
    updated_at = UTCDateTimeField()


class ArticleDetailSerializer(ArticleSerializer):
    body = serializers.CharField(help_text="The text the claims' spans index into.")
    claims = ArticleClaimSerializer(many=True, source="visible_claims")


class ArticleListSerializer(serializers.Serializer):
    next = serializers.CharField(allow_null=True)
    results = ArticleSerializer(many=True)


class RatingListSerializer(serializers.Serializer):
    results = RatingScaleSerializer(many=True)


# --- claims:search (Google Fact Check Tools shape) -------------------------------------------------


class SearchPublisherSerializer(serializers.Serializer):
    name = serializers.CharField()
    site = serializers.CharField()


class SearchReviewSerializer(serializers.Serializer):
    publisher = SearchPublisherSerializer()
    url = serializers.CharField()
    title = serializers.CharField()
    reviewDate = serializers.CharField()
    textualRating = serializers.CharField()
    languageCode = serializers.CharField()


class SearchClaimSerializer(serializers.Serializer):
    text = serializers.CharField()
    claimant = serializers.CharField(required=False, help_text="Absent when unknown.")
    claimDate = serializers.CharField(required=False, help_text="Absent when the article has no date.")
    claimReview = SearchReviewSerializer(many=True)


class SearchResponseSerializer(serializers.Serializer):
    """Google's ``FactCheckedClaimSearchResponse``: like Google, ``{}`` when nothing matches."""

    claims = SearchClaimSerializer(many=True, required=False, help_text="Absent when nothing matches.")
    nextPageToken = serializers.CharField(required=False, help_text="Absent on the last page.")


# --- ClaimReview -----------------------------------------------------------------------------------


THING = {"type": "object", "properties": {"@type": {"type": "string"}, "name": {"type": "string"}}}
CLAIMREVIEW_SCHEMA = {
    "type": "object",
    "description": "A schema.org ClaimReview (JSON-LD).",
    "required": ["@context", "@type", "url", "claimReviewed", "reviewRating", "author", "itemReviewed", "inLanguage"],
    "properties": {
        "@context": {"type": "string", "const": "https://schema.org"},
        "@type": {"type": "string", "const": "ClaimReview"},
        "url": {"type": "string", "description": "The claim's page in this language."},
        "claimReviewed": {"type": "string", "maxLength": 74},
        "reviewRating": {
            "type": "object",
            "required": ["@type", "alternateName"],
            "properties": {
                "@type": {"type": "string", "const": "Rating"},
                "ratingValue": {"type": "integer", "description": "Absent for an unproven verdict."},
                "bestRating": {"type": "integer"},
                "worstRating": {"type": "integer"},
                "alternateName": {"type": "string", "description": "The rating's label in this language."},
            },
        },
        "author": THING,
        "datePublished": {"type": "string", "format": "date-time", "description": "When the verdict was published."},
        "dateModified": {"type": "string", "format": "date-time", "description": "When it last changed."},
        "itemReviewed": {
            "type": "object",
            "properties": {
                "@type": {"type": "string", "const": "Claim"},
                "author": THING,
                "datePublished": {"type": "string", "format": "date"},
                "appearance": {
                    "type": "object",
                    "description": "The article the claim appeared in (a NewsArticle).",
                    "properties": {
                        "@type": {"type": "string"},
                        "url": {"type": "string"},
                        "headline": {"type": "string"},
                        "inLanguage": {"type": "string"},
                        "datePublished": {"type": "string", "format": "date"},
                        "author": THING,
                        "publisher": THING,
                    },
                },
            },
        },
        "inLanguage": {"type": "string", "enum": Language.values},
    },
}
# --- errors ----------------------------------------------------------------------------------------


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What went wrong, for a person, in the language asked for.")
    code = serializers.CharField(
        help_text="What went wrong, for a program: never translated. One of "
        + ", ".join(f"`{code}`" for code in ERROR_CODES)
        + " (see the documentation's list of errors)."
    )
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="By field: the rules each broke. Empty when no field is at fault.",
    )


class StaleErrorSerializer(ErrorSerializer):
    current_version = serializers.IntegerField(help_text="The claim's version now; reload it before editing.")


# --- writes ----------------------------------------------------------------------------------------


class ClaimFieldsSerializer(StrictSerializer):
    statement = serializers.CharField(required=False, allow_blank=True, max_length=300)
    statement_en = serializers.CharField(required=False, allow_blank=True, max_length=300)
    claimant = serializers.CharField(required=False, allow_blank=True, max_length=200)
    checkable = serializers.BooleanField(required=False)
    not_checkable_reason = serializers.CharField(required=False, allow_blank=True)
    not_checkable_reason_en = serializers.CharField(required=False, allow_blank=True)
    rating = serializers.CharField(
        required=False, allow_null=True, allow_blank=True, help_text="A rating key from ratings/, or null."
    )
    verdict = serializers.CharField(required=False, allow_blank=True)
    verdict_en = serializers.CharField(required=False, allow_blank=True)


class ClaimCreateSerializer(ClaimFieldsSerializer):
    article = serializers.IntegerField(min_value=1, max_value=MAX_INT, help_text="The article's id.")
    start = serializers.IntegerField(min_value=0, max_value=MAX_INT)
    end = serializers.IntegerField(min_value=0, max_value=MAX_INT)


class ClaimUpdateSerializer(ClaimFieldsSerializer):
    start = serializers.IntegerField(required=False, min_value=0, max_value=MAX_INT)
    end = serializers.IntegerField(required=False, min_value=0, max_value=MAX_INT)
    version = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_INT, help_text="The version you read (or send If-Match)."
    )
    reason = serializers.CharField(required=False, allow_blank=True, max_length=500, help_text="For the history.")


class TransitionSerializer(StrictSerializer):
    status = serializers.ChoiceField(choices=Claim.Status.choices, help_text="The status to move to.")
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Required to send back to research; otherwise a note for the history.",
    )
    version = serializers.IntegerField(required=False, min_value=1, max_value=MAX_INT)


class EvidenceWriteSerializer(StrictSerializer):
    url = serializers.CharField(max_length=1000)
    title = serializers.CharField(max_length=400)
    publisher = serializers.CharField(max_length=200)
    published_on = serializers.DateField(required=False, allow_null=True)
    excerpt = serializers.CharField(required=False, allow_blank=True)
    stance = serializers.ChoiceField(choices=Evidence.Stance.choices, required=False)
    is_primary = serializers.BooleanField(required=False)
    archived_url = serializers.CharField(required=False, allow_blank=True, max_length=1000)
    position = serializers.IntegerField(required=False, min_value=0, max_value=32767)
    version = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_INT, help_text="The claim's version you read (or If-Match)."
    )


class EvidenceUpdateSerializer(EvidenceWriteSerializer):
    url = serializers.CharField(max_length=1000, required=False)
    title = serializers.CharField(max_length=400, required=False)
    publisher = serializers.CharField(max_length=200, required=False)


# --- revisions ----------------------------------------------------------------------------------------


class RevisionSourceSerializer(EvidenceUpdateSerializer):
    id = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, help_text="The source it replaces; omit for a new source."
    )
    version = None


class ClaimChangesSerializer(ClaimFieldsSerializer):
    start = serializers.IntegerField(required=False, min_value=0, max_value=MAX_INT)
    end = serializers.IntegerField(required=False, min_value=0, max_value=MAX_INT)
    checkable = None


class RevisionProposeSerializer(StrictSerializer):
    kind = serializers.ChoiceField(choices=["correction", "retraction"], default="correction")
    changes = ClaimChangesSerializer(required=False, help_text="The claim fields that change, with their new values.")
    evidence = serializers.ListField(
        child=RevisionSourceSerializer(),
        required=False,
        allow_empty=True,
        help_text="The whole proposed list of sources (omit to keep them as they are).",
    )
    note = serializers.CharField(max_length=5000, help_text="The public note (Indonesian): what changed and why.")
    note_en = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    version = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_INT, help_text="The claim's version you read (or If-Match)."
    )


class RevisionDecisionSerializer(StrictSerializer):
    note = serializers.CharField(
        max_length=5000, required=False, allow_blank=True, default="", help_text="Required to reject: why."
    )


class RevisionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    claim = serializers.IntegerField(source="claim_id")
    kind = serializers.CharField()
    state = serializers.CharField()
    base_version = serializers.IntegerField()
    changes = serializers.DictField(help_text="The claim fields (or article details) that change.")
    evidence = serializers.ListField(
        child=serializers.DictField(), allow_null=True, help_text="The proposed list of sources; null: unchanged."
    )
    note = serializers.CharField()
    note_en = serializers.CharField()
    proposed_by = serializers.CharField(source="proposed_by.get_username", default=None, allow_null=True)
    proposed_at = UTCDateTimeField()
    decided_by = serializers.CharField(source="decided_by.get_username", default=None, allow_null=True)
    decided_at = UTCDateTimeField(allow_null=True)
    decision_note = serializers.CharField()


class RevisionListSerializer(serializers.Serializer):
    results = RevisionSerializer(many=True)


# --- webhooks --------------------------------------------------------------------------------------


SUBSCRIBABLE_CHOICES = [(e.value, e.label) for e in SUBSCRIBABLE_EVENTS]


class WebhookEndpointSerializer(StrictSerializer):
    id = serializers.IntegerField(read_only=True)
    url = serializers.CharField(
        max_length=1000,
        help_text="https, on port 443 (or 80), to a host that resolves only to public addresses; "
        "one endpoint per URL (http://127.0.0.1 only in development).",
    )
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=SUBSCRIBABLE_CHOICES), min_length=1, max_length=3
    )
    description = serializers.CharField(required=False, allow_blank=True, max_length=200)
    is_active = serializers.BooleanField(required=False)
    created_at = UTCDateTimeField(read_only=True)


class WebhookEndpointCreatedSerializer(WebhookEndpointSerializer):
    secret = serializers.CharField(read_only=True, help_text="Signs every delivery. Shown only in this response.")


class WebhookEndpointUpdateSerializer(WebhookEndpointSerializer):
    url = serializers.CharField(max_length=1000, required=False)
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=SUBSCRIBABLE_CHOICES), min_length=1, max_length=3, required=False
    )


class WebhookSecretSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    secret = serializers.CharField(help_text="The new signing secret. Shown only in this response.")
    previous_secret_expires_at = UTCDateTimeField(
        help_text="Until then every delivery is signed with the old secret too (a second `sha256=` value)."
    )


class WebhookEndpointListSerializer(serializers.Serializer):
    results = WebhookEndpointSerializer(many=True)


class WebhookAttemptSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    started_at = UTCDateTimeField()
    duration_ms = serializers.IntegerField()
    status_code = serializers.IntegerField(allow_null=True, help_text="Null when no answer came (timeout, refused).")
    error = serializers.CharField()
    succeeded = serializers.BooleanField()


class WebhookDeliverySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    event_id = serializers.UUIDField(source="event.id")
    event_type = serializers.ChoiceField(source="event.type", choices=WebhookEventType.choices)
    claim = serializers.IntegerField(source="event.claim_id", allow_null=True)
    claim_version = serializers.IntegerField(source="event.claim_version")
    status = serializers.ChoiceField(choices=WebhookDelivery.Status.choices)
    attempt_count = serializers.IntegerField()
    next_attempt_at = UTCDateTimeField(allow_null=True)
    delivered_at = UTCDateTimeField(allow_null=True)
    created_at = UTCDateTimeField()
    attempts = WebhookAttemptSerializer(many=True, source="attempts.all")


class WebhookDeliveryListSerializer(serializers.Serializer):
    next = serializers.CharField(allow_null=True)
    results = WebhookDeliverySerializer(many=True)
