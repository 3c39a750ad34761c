"""The claim store: articles, their claims, the evidence behind verdicts and the rating scale.

Single-row invariants live here (choices, ``clean()``, database constraints);
workflows that touch several rows live in ``services.py``.
"""

from __future__ import annotations

import functools
import hashlib
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import RegexValidator, URLValidator
from django.db import models, router, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from simple_history.models import HistoricalRecords

from factcheck.lib.blank import is_blank
from factcheck.lib.stemming import ENGLISH, INDONESIAN, SIMPLE, stem_document

from .labels import choice_label


class HttpURLValidator(URLValidator):
    """http and https only, on a port a server can listen on (1–65535): Django's ``URLValidator`` takes any
    digits after the host (``http://host:99999/``), which no reader could open."""

    def __call__(self, value) -> None:
        super().__call__(value)
        try:
            port = urlsplit(value).port
        except ValueError:  # more than 65535
            port = -1
        if port is not None and not 1 <= port <= 65535:
            raise ValidationError(self.message, code=self.code, params={"value": value})


http_url_validator = HttpURLValidator(schemes=["http", "https"], message="Enter a valid http:// or https:// URL.")


class HttpURLFormField(forms.URLField):
    """A form URL field that accepts only http and https, with one clear message."""

    default_validators = [http_url_validator]
    default_error_messages = {"invalid": http_url_validator.message}

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("assume_scheme", "https")
        super().__init__(**kwargs)


class HttpURLField(models.URLField):
    """A URL field that accepts only http and https (no javascript:, data: or file:)."""

    default_validators = [http_url_validator]

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": HttpURLFormField, **kwargs})


# How much text a claim holds. Its search vector (statement, quote, verdicts, headline) must stay under
# PostgreSQL's 1 MB for a tsvector, and none of these is ever more than a page: a claim's span is a sentence or a
# paragraph of its article, a verdict or a reason a few paragraphs.
QUOTE_MAX = 5_000
LONG_TEXT_MAX = 10_000
LONG_TEXT_FIELDS = ("verdict", "verdict_en", "not_checkable_reason", "not_checkable_reason_en")


class Language(models.TextChoices):
    INDONESIAN = "id", "Bahasa Indonesia"
    ENGLISH = "en", "English"


class Rating(models.Model):
    """One step of the rating scale. The scale is data, seeded by a migration."""

    key = models.SlugField(max_length=32, unique=True)
    value = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        unique=True,
        help_text="Higher means truer; empty for a verdict off the scale (unproven).",
    )
    label_id = models.CharField("label (Indonesian)", max_length=64)
    label_en = models.CharField("label (English)", max_length=64)
    definition_id = models.TextField("definition (Indonesian)")
    definition_en = models.TextField("definition (English)")
    colour = models.CharField(
        max_length=7, validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$", "Enter a colour as #rrggbb.")]
    )
    position = models.PositiveSmallIntegerField(default=0, help_text="Order on the methodology page.")

    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

    class Meta:
        ordering = ["position"]
        constraints = [
            models.CheckConstraint(condition=Q(value__isnull=True) | Q(value__gte=1), name="rating_value_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.label_id} / {self.label_en}"

    def save(self, *args, **kwargs) -> None:
        using = kwargs.get("using") or router.db_for_write(Rating, instance=self)
        with transaction.atomic(using=using):
            stored = None if self._state.adding else stored_fields(self, using)
            super().save(*args, **kwargs)
            if stored is not None and stored != shown_fields(self):
                from .changes import rating_changed

                rating_changed(self, using, scale=stored["value"] != self.value)

    def label(self, language: str) -> str:
        return self.label_en if language == Language.ENGLISH else self.label_id

    def definition(self, language: str) -> str:
        return self.definition_en if language == Language.ENGLISH else self.definition_id


# What a claim's representation shows of its rating (the value also sets the bounds of the whole scale).
RATING_FIELDS_SHOWN = ("key", "value", "label_id", "label_en", "definition_id", "definition_en", "colour")


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Article(models.Model):
    """A source text as published, with its repaired body and the bytes as received."""

    slug = models.SlugField(max_length=120, unique=True)
    headline = models.CharField(max_length=300)
    outlet = models.CharField("publisher / outlet", max_length=200, blank=True)
    author = models.CharField(max_length=200, blank=True)
    url = HttpURLField(max_length=1000, blank=True)
    published_on = models.DateField(null=True, blank=True)
    language = models.CharField(max_length=8, choices=Language.choices, default=Language.INDONESIAN)
    body = models.TextField(help_text="The repaired text. Claim spans index into it.")
    original = models.BinaryField(help_text="The bytes exactly as received, never thrown away.")
    body_hash = models.CharField(max_length=64, unique=True, editable=False, help_text="SHA-256 of the repaired body.")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["original"], history_change_reason_field=models.TextField(null=True))

    class Meta:
        ordering = ["-published_on", "-id"]

    def __str__(self) -> str:
        return self.headline

    def save(self, *args, **kwargs) -> None:
        self.body_hash = text_hash(self.body)
        using = kwargs.get("using") or router.db_for_write(Article, instance=self)
        with transaction.atomic(using=using):
            stored = None if self._state.adding else stored_fields(self, using)
            super().save(*args, **kwargs)
            if stored is not None and stored["headline"] != self.headline:
                self.refresh_claims_search_text(using)
            if stored is not None and any(stored[name] != value for name, value in shown_fields(self).items()):
                from .changes import article_changed

                # Every claim shows these details: its representation changed (factcheck.claims.changes).
                article_changed(self, using)

    def refresh_claims_search_text(self, using: str) -> None:
        """Claims are found by their article's headline too: keep their search text in step with it."""
        claims = list(self.claims.using(using).defer("search_text"))
        for claim in claims:
            claim.article = self
            claim.refresh_derived_fields()
        Claim.objects.using(using).bulk_update(claims, ["search_text"], batch_size=500)

    def clean(self) -> None:
        if is_blank(self.body):
            raise ValidationError({"body": "The article body must not be empty."})
        # The text's hash is unique, but no form has it as a field, so Django's unique check leaves it out.
        twin = Article.objects.filter(body_hash=text_hash(self.body)).exclude(pk=self.pk).only("headline").first()
        if twin is not None:
            raise ValidationError({"body": f"Another article has exactly this text: “{twin.headline}” (id {twin.pk})."})
        if self.pk:
            previous = Article.objects.filter(pk=self.pk).values_list("body", flat=True).first()
            if previous is not None and previous != self.body and self.claims.exists():
                raise ValidationError(
                    {"body": "The body cannot change once claims point into it: their spans would no longer match."}
                )


# What a claim's representations in lists and the API never show: read only where they are (a claim's page
# quotes its article's body).
LISTING_DEFERRED = ("article__body", "article__original", "search_text")


class ClaimQuerySet(models.QuerySet):
    def public(self) -> ClaimQuerySet:
        """Claims readers may see: published (including corrected) and retracted ones."""
        return self.filter(status__in=Claim.PUBLIC_STATUSES)

    def for_listing(self) -> ClaimQuerySet:
        """With article and rating, without the texts a list never shows (the article's body and original, a
        claim's search text: about 10 KB a row)."""
        return self.select_related("article", "rating").defer(*LISTING_DEFERRED)


# Claims readers may see (Claim.PUBLIC_STATUSES), as a condition for the constraints and partial indexes below.
PUBLIC_CLAIM = Q(status__in=["published", "retracted"])


class Claim(models.Model):
    """One checkable statement of an article; its quote is always ``article.body[start:end]``."""

    class Status(models.TextChoices):
        """Where a claim is in the workflow: the one list of statuses, with every name they are shown by.

        The label is the newsroom's word, kept in English because the services write it into history
        reasons and refusals; the admin shows it translated (``labels.choice_label``) on a badge coloured
        by the value (``.claim-status-<value>`` in ``static/css/admin_claims.css``). Readers (a staff
        preview's banner, a claim page's history of changes) see ``reader_label``.
        """

        DRAFT = "draft", "Draft"
        RESEARCHING = "researching", "Researching"
        IN_REVIEW = "in_review", "In review"
        PUBLISHED = "published", "Published"
        RETRACTED = "retracted", "Retracted"
        DISMISSED = "dismissed", "Dismissed (not checkable)"

        @property
        def reader_label(self) -> str:
            """The status in the reader's language and words: a dismissed claim is "not checkable" to
            readers, as its page says; the newsroom's "dismissed" is a decision readers were not part of."""
            if self is type(self).DISMISSED:
                return gettext("Not checkable")
            return choice_label(self.label)

    # Claims with a page of their own for readers and partners: published (corrected too) and retracted.
    PUBLIC_STATUSES = (Status.PUBLISHED, Status.RETRACTED)
    # Claims whose content readers see anywhere: also the not-checkable ones, on their article's page.
    SHOWN_STATUSES = (*PUBLIC_STATUSES, Status.DISMISSED)

    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="claims")
    slug = models.SlugField(max_length=120, unique=True)
    start = models.PositiveIntegerField(help_text="Offset of the first character of the quote in the article body.")
    end = models.PositiveIntegerField(help_text="Offset just past the last character of the quote.")
    quote = models.TextField(editable=False, help_text="Always article.body[start:end]; set on save.")
    statement = models.CharField("statement (Indonesian)", max_length=300, blank=True)
    statement_en = models.CharField("statement (English)", max_length=300, blank=True)
    claimant = models.CharField(max_length=200, blank=True)
    checkable = models.BooleanField(default=True)
    not_checkable_reason = models.TextField("why not checkable (Indonesian)", blank=True)
    not_checkable_reason_en = models.TextField("why not checkable (English)", blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True)
    rating = models.ForeignKey(Rating, on_delete=models.PROTECT, null=True, blank=True, related_name="claims")
    verdict = models.TextField("verdict summary (Indonesian)", blank=True)
    verdict_en = models.TextField("verdict summary (English)", blank=True)
    researcher = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="researched_claims"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="reviewed_claims"
    )
    last_edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    public_note = models.TextField(
        blank=True, help_text="The public note of the latest correction or retraction, shown to readers."
    )
    english_pending = models.BooleanField(
        "English translation pending",
        default=False,
        help_text="A correction changed the rating or the Indonesian text and not the English verdict: English "
        "pages show the Indonesian verdict, marked as such, until a reviewed revision updates the English one.",
    )
    search_text = models.TextField(
        editable=False,
        blank=True,
        help_text="The stems of statement, quote, claimant, verdict and headline (search on SQLite).",
    )
    # PostgreSQL also has a column search_vector, the weighted tsvector that search reads (statement A, quote
    # and claimant B, verdict C, headline D), set by the trigger of migration 0009 on every insert and update.
    # It is not declared here, so that no read of a claim loads it (search.SearchVectorColumn reads it).
    version = models.PositiveIntegerField(default=1, help_text="Raised by every save; guards against stale edits.")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    published_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(
        default=timezone.now,
        db_index=True,
        help_text="When anything the claim's representation shows last changed: the claim, its evidence, its "
        "article's details or its rating's labels (factcheck.claims.changes).",
    )
    change_seq = models.BigIntegerField(
        default=0,
        editable=False,
        help_text="The change sequence number of the claim's last change, in commit order (ChangeSequence).",
    )
    byline_changed_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When the byline of the claim's page (its researcher's or reviewer's public name) last changed "
        "without the claim changing: a new display name or full name, or a deleted account (factcheck.people).",
    )

    history = HistoricalRecords(
        excluded_fields=["search_text", "change_seq", "byline_changed_at"],
        history_change_reason_field=models.TextField(null=True),
    )
    objects = ClaimQuerySet.as_manager()
    # The marked excerpt of a claim a search found (search.ranked_search sets it). A default here, because a
    # template asking for an attribute an object lacks pays for an exception and a dir() of the object: on
    # each card of a list that is not a search.
    search_excerpt = ""

    class Meta:
        ordering = ["article_id", "start", "end"]
        permissions = [
            ("publish_claim", "Can publish a verdict"),
            ("correct_claim", "Can correct a published verdict"),
            ("retract_claim", "Can retract a published verdict"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="claim_span_not_empty"),
            models.UniqueConstraint(fields=["article", "start", "end"], name="claim_span_unique_per_article"),
            models.CheckConstraint(
                condition=~PUBLIC_CLAIM | Q(rating__isnull=False),
                name="claim_public_has_rating",
            ),
            models.CheckConstraint(
                condition=Q(checkable=True) | Q(rating__isnull=True), name="claim_not_checkable_has_no_rating"
            ),
        ]
        indexes = [
            # The newsroom's lists by status: WHERE status = ... ORDER BY updated_at, id.
            models.Index(fields=["status", "updated_at", "id"], name="claim_status_updated"),
            # Public claims in the order readers and partners page through them: read in order, each page
            # costs the same at any table size. (An index led by status cannot give one order for the two
            # public statuses: the database would sort every public claim.)
            models.Index(fields=["updated_at", "id"], condition=PUBLIC_CLAIM, name="claim_public_updated"),
            models.Index(fields=["-published_at", "-id"], condition=PUBLIC_CLAIM, name="claim_public_published"),
            # The change feed (claims/?since=, the DataFeed) in the order changes committed, for the newsroom
            # and for the public claims.
            models.Index(fields=["change_seq", "id"], name="claim_changes"),
            models.Index(fields=["change_seq", "id"], condition=PUBLIC_CLAIM, name="claim_public_changes"),
        ]

    def __str__(self) -> str:
        return self.statement or self.statement_en or self.quote[:80]

    def save(self, *args, **kwargs) -> None:
        from .changes import next_change_number

        self.refresh_derived_fields()
        using = kwargs.get("using") or router.db_for_write(Claim, instance=self)
        with transaction.atomic(using=using):
            # Taken in the saving transaction and held until it commits: see ChangeSequence.
            self.change_seq = next_change_number(using)
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "change_seq"}
            super().save(*args, **kwargs)

    @property
    def is_public(self) -> bool:
        return self.status in self.PUBLIC_STATUSES

    def statement_in(self, language: str) -> str:
        return (self.statement_en if language == Language.ENGLISH else "") or self.statement or self.statement_en

    def verdict_in(self, language: str) -> str:
        """The verdict readers of ``language`` get: while its translation is pending, the Indonesian one."""
        english = self.verdict_en if language == Language.ENGLISH and not self.english_pending else ""
        return english or self.verdict or self.verdict_en

    def verdict_language(self, language: str) -> str:
        """The language of ``verdict_in(language)``, for its ``lang`` attribute."""
        if language == Language.ENGLISH and self.verdict_en and not self.english_pending:
            return Language.ENGLISH
        return Language.INDONESIAN if self.verdict else Language.ENGLISH

    def not_checkable_reason_in(self, language: str) -> str:
        english = self.not_checkable_reason_en if language == Language.ENGLISH else ""
        return english or self.not_checkable_reason or self.not_checkable_reason_en

    def span_errors(self) -> dict[str, list[str]]:
        """What is wrong with the span against the article body, by field."""
        errors: dict[str, list[str]] = {}
        body_length = len(self.article.body)
        if self.start is None or self.start < 0:
            errors.setdefault("start", []).append("The start must be 0 or more.")
        elif self.start > body_length:
            errors.setdefault("start", []).append(
                f"The start must be at most {body_length}, the length of the article body."
            )
        if self.end is None or self.end > body_length:
            errors.setdefault("end", []).append(
                f"The end must be at most {body_length}, the length of the article body."
            )
        if self.start is not None and self.end is not None and self.end <= self.start:
            errors.setdefault("end", []).append("The end must be greater than the start.")
        if not errors and is_blank(self.article.body[self.start : self.end]):
            errors.setdefault("start", []).append("The span covers only white space.")
        if not errors and self.end - self.start > QUOTE_MAX:
            errors["end"] = [
                f"A claim covers at most {QUOTE_MAX} characters of its article (a long paragraph); this span "
                f"covers {self.end - self.start}."
            ]
        return errors

    def refresh_derived_fields(self) -> None:
        """Set the fields derived from others; called by save() and before bulk inserts."""
        self.quote = self.article.body[self.start : self.end]
        self.search_text = stem_document((text, config) for text, config, _weight in self.search_fields())

    def search_fields(self) -> list[tuple[str, str, str]]:
        """The searchable texts with their text search configuration and weight, as the trigger of
        migration 0009 reads them on PostgreSQL: statement A, quote and claimant B, verdict C, headline D.
        The quote and headline are read in their article's language."""
        source = ENGLISH if self.article.language == Language.ENGLISH else INDONESIAN
        return [
            (self.statement, INDONESIAN, "A"),
            (self.statement_en, ENGLISH, "A"),
            (self.quote, source, "B"),
            (self.claimant, SIMPLE, "B"),
            (self.verdict, INDONESIAN, "C"),
            (self.verdict_en, ENGLISH, "C"),
            (self.article.headline, source, "D"),
        ]

    def clean(self) -> None:
        errors = self.span_errors() if self.article_id else {}
        if not errors and self.article_id:
            clash = Claim.objects.filter(article_id=self.article_id, start=self.start, end=self.end).exclude(pk=self.pk)
            if clash.exists():  # named on both ends: a client that moved either one made the clash
                message = f"Another claim of this article already covers exactly characters {self.start}–{self.end}."
                errors["start"], errors["end"] = [message], [message]
        if not self.checkable and self.rating_id:
            errors.setdefault("rating", []).append("A claim that is not checkable carries no rating.")
        for name in LONG_TEXT_FIELDS:
            if (length := len(getattr(self, name))) > LONG_TEXT_MAX:
                errors.setdefault(name, []).append(
                    f"Ensure this field has no more than {LONG_TEXT_MAX} characters (it has {length})."
                )
        if errors:
            raise ValidationError(errors)


def shown_fields(instance: models.Model) -> dict:
    """The fields of an article or a rating that the representations of their claims show."""
    from .gate import public_article_fields

    names = public_article_fields() if isinstance(instance, Article) else RATING_FIELDS_SHOWN
    return {name: getattr(instance, name) for name in names}


def stored_fields(instance: models.Model, using: str) -> dict | None:
    """The stored values of ``shown_fields(instance)`` (one query); None for a row not stored."""
    names = list(shown_fields(instance))
    return type(instance).objects.using(using).filter(pk=instance.pk).values(*names).first()


class Correction(models.Model):
    """A public note attached to a published verdict: a correction or a retraction."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", "Correction"
        RETRACTION = "retraction", "Retraction"

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="corrections")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    note = models.TextField("note (Indonesian)")
    note_en = models.TextField("note (English)", blank=True)
    changes = models.JSONField(
        default=list, blank=True, help_text="What changed, field by field and source by source (history.py)."
    )
    claim_version = models.PositiveIntegerField(help_text="The claim's version that this note introduced.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", help_text="Who proposed it."
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(note=""), name="correction_note_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of claim {self.claim_id} (v{self.claim_version})"

    def note_in(self, language: str) -> str:
        return (self.note_en if language == Language.ENGLISH else "") or self.note


class Revision(models.Model):
    """A proposed change to a claim readers can see: a correction or a retraction, pending review.

    The live claim stays as it is until a reviewer who wrote none of the proposal approves it
    (``revisions.revision_approve``); then it goes live at once as a Correction with its note and diff.
    ``changes`` holds the new values of the claim fields that change (the rating by its key);
    ``evidence`` the whole proposed list of sources (each with the ``id`` of the source it replaces,
    or none for a new one), or null when the sources stay as they are.
    """

    class Kind(models.TextChoices):
        CORRECTION = "correction", "Correction"
        RETRACTION = "retraction", "Retraction"

    class State(models.TextChoices):
        PENDING = "pending", "Pending review"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        WITHDRAWN = "withdrawn", "Withdrawn"

    # A revision corrects one claim, or the details of an article shown with its claims.
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, null=True, blank=True, related_name="revisions")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, null=True, blank=True, related_name="revisions")
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.CORRECTION)
    state = models.CharField(max_length=16, choices=State.choices, default=State.PENDING, db_index=True)
    base_version = models.PositiveIntegerField(help_text="The live claim's version this revision was proposed on.")
    changes = models.JSONField(default=dict, blank=True)
    evidence = models.JSONField(null=True, blank=True)
    note = models.TextField("public note (Indonesian)")
    note_en = models.TextField("public note (English)", blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="proposed_revisions"
    )
    proposed_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True, help_text="Why it was rejected or withdrawn.")

    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

    class Meta:
        ordering = ["-proposed_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(note=""), name="revision_note_not_empty"),
            # One pending revision per claim: a second proposal waits for the first to be decided.
            models.CheckConstraint(
                condition=Q(claim__isnull=False, article__isnull=True) | Q(claim__isnull=True, article__isnull=False),
                name="revision_of_a_claim_or_an_article",
            ),
            models.UniqueConstraint(
                fields=["claim"], condition=Q(state="pending"), name="revision_one_pending_per_claim"
            ),
            models.UniqueConstraint(
                fields=["article"], condition=Q(state="pending"), name="revision_one_pending_per_article"
            ),
        ]

    def __str__(self) -> str:
        target = f"claim {self.claim_id}" if self.claim_id else f"article {self.article_id}"
        return f"{self.get_kind_display()} of {target} ({self.get_state_display().lower()})"


class Evidence(models.Model):
    """A source behind a verdict."""

    class Stance(models.TextChoices):
        SUPPORTS = "supports", "Supports the claim"
        REFUTES = "refutes", "Refutes the claim"
        CONTEXT = "context", "Context"

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="evidence")
    url = HttpURLField(max_length=1000)
    title = models.CharField(max_length=400)
    publisher = models.CharField(max_length=200)
    published_on = models.DateField(null=True, blank=True)
    excerpt = models.TextField("excerpt / what it says", blank=True)
    stance = models.CharField(max_length=16, choices=Stance.choices, default=Stance.CONTEXT)
    is_primary = models.BooleanField("primary source", default=False)
    archived_url = HttpURLField("archived copy", max_length=1000, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

    class Meta:
        ordering = ["claim_id", "position", "id"]
        verbose_name_plural = "evidence"
        constraints = [
            models.UniqueConstraint(fields=["claim", "url"], name="evidence_url_unique_per_claim"),
        ]

    def __str__(self) -> str:
        return f"{self.publisher}: {self.title}"

    def validate_constraints(self, exclude=None) -> None:
        """As Django's, with the one-source-per-claim rule named on ``url``, the field a client sent (Django
        names a rule over two fields on none)."""
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError as invalid:
            errors = invalid.update_error_dict({})
            general = errors.pop(NON_FIELD_ERRORS, [])
            duplicate = [error for error in general if getattr(error, "code", None) == "unique_together"]
            if duplicate:
                errors.setdefault("url", []).append(
                    ValidationError("This claim already lists this source.", code="unique")
                )
            rest = [error for error in general if error not in duplicate]
            if rest:
                errors[NON_FIELD_ERRORS] = rest
            raise ValidationError(errors) from None


class ChangeSequence(models.Model):
    """The change feed's counter (one row): every change to a claim's representation takes the next number.

    The number is taken with ``UPDATE ... SET last = last + 1`` in the changing transaction, which locks
    this row until that transaction commits or rolls back: a second change waits for the first to end
    before it gets its number, so changes commit in the order of their numbers. A partner that has read
    every claim up to number N can never later find a claim committed with a number at or below N (as
    a late-committing transaction with an older ``updated_at`` could slip behind a time cursor). SQLite
    serialises writers anyway. Numbers of rolled-back transactions are reused, not skipped.
    """

    last = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "change sequence"

    def __str__(self) -> str:
        return f"change sequence at {self.last}"


@functools.cache
def history_model(model: type[models.Model]) -> type[models.Model]:
    """The model of ``model``'s history table (django-simple-history).

    Reading ``model.history`` builds a new manager class every time (the library's descriptor calls
    ``Manager.from_queryset``, which inspects the queryset class: about 0.35 ms). A claim's validators
    read two history tables on every request, so look the model up once.
    """
    return model.history.model
