"""The claim admin: the newsroom's desk for researching, reviewing and publishing verdicts.

Thin by design: every write goes through ``factcheck.claims.services`` (the
same functions the API and the commands call); a refusal is shown as the
service's message, next to the field at fault where there is one.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import display_for_value, unquote
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from factcheck.lib.blank import is_blank
from factcheck.lib.candidates import split_sentences
from factcheck.lib.digits import is_ascii_digits

from .. import gate, revisions, services
from ..errors import InvalidInput, ServiceError, StaleEdit, VersionRequired
from ..labels import choice_label
from ..models import Claim, Evidence, Revision
from ..selectors import claim_list_awaiting_review, review_notes, revision_list_awaiting_review
from .already_checked import already_checked_for_claim
from .choices import TranslatedChoicesFilter, TranslatedChoicesMixin
from .forms import (
    AssignResearcherForm,
    ClaimAddForm,
    ClaimChangeForm,
    PersonChoiceField,
    RevisionDecisionForm,
    TransitionForm,
    researcher_choices,
    span_picker_labels,
)
from .history import ReadableHistoryAdmin
from .revision_decisions import RevisionDecisionsMixin

Status = Claim.Status
# The name of a workflow button that submits the change form: save first, then move (ClaimAdmin.save_related).
WORKFLOW_FIELD = "_workflow"


class Refused(Exception):
    """A service refused a write of the change form; the transaction is rolled back and the form shown again."""

    def __init__(self, error: ServiceError) -> None:
        super().__init__(error.message)
        self.error = error


# --- the workflow buttons ------------------------------------------------------


@dataclass
class WorkflowAction:
    target: str
    label: str
    note_label: str = ""
    note_required: bool = False
    danger: bool = False


def workflow_action(claim: Claim, target: str) -> WorkflowAction:
    if target == Status.RESEARCHING and claim.status == Status.IN_REVIEW:
        return WorkflowAction(target, _("Send back to research"), _("What is missing (for the researcher)"), True)
    if target == Status.RESEARCHING:
        return WorkflowAction(target, _("Start research"), _("Note for the history (optional)"))
    if target == Status.IN_REVIEW:
        return WorkflowAction(target, _("Send to review"), _("Note for the reviewer (optional)"))
    if target == Status.PUBLISHED:
        return WorkflowAction(target, _("Publish"), _("Note for the history (optional)"))
    if target == Status.DISMISSED:
        return WorkflowAction(
            target, _("Approve as not checkable (dismiss)"), _("Note for the history (optional)"), danger=True
        )
    return WorkflowAction(target, _("Back to draft"), _("Note for the history (optional)"))


def four_eyes_reason(claim: Claim, user) -> str:
    """Why ``user`` may not publish this verdict themselves (``gate.four_eyes_refusal``), or ''."""
    if claim.status != Status.IN_REVIEW or not user.has_perm("claims.publish_claim"):
        return ""
    return gate.four_eyes_refusal(claim, user, "publish" if claim.checkable else "dismiss")


# --- the versions a list showed ------------------------------------------------------


def version_field(pk: int) -> str:
    """The name of the hidden input that carries, with a row's checkbox, the version the list showed."""
    return f"_version_{pk}"


def versions_shown(request, claims) -> dict[int, int | None]:
    """The version of each selected claim as the submitted list showed it; None where it did not say."""
    shown = {}
    for claim in claims:
        raw = request.POST.get(version_field(claim.pk), "")
        shown[claim.pk] = int(raw) if is_ascii_digits(raw) else None
    return shown


def refusal_text(outcome: services.BulkOutcome) -> str:
    """Why a bulk action left this claim as it was; a stale one says who changed it, and when, since the list."""
    error = outcome.error
    if isinstance(error, StaleEdit):
        return _(
            "«%(claim)s» was refused: it was changed by %(who)s at %(when)s since the list was shown (you saw "
            "version %(expected)s, it is now at version %(current)s). Reload the list to see the change, then "
            "select it again."
        ) % {
            "claim": outcome.claim,
            "who": error.changed_by,
            "when": local_time(error.changed_at),
            "expected": error.expected,
            "current": error.current,
        }
    return _("«%(claim)s» was refused: %(reason)s") % {"claim": outcome.claim, "reason": outcome.message}


def local_time(moment) -> str:
    """A moment in the site's time zone (``TIME_ZONE``, WIB), named, as every time in the admin is shown."""
    if moment is None:
        return _("an unknown time")
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S %Z")


def stale_edit_text(error: StaleEdit) -> str:
    """The stale-edit refusal of one claim's form, in the user's language and the site's time zone."""
    return _(
        "This claim was changed by %(who)s at %(when)s since you opened it (you edited version %(expected)s, it "
        "is now at version %(current)s). Reload it to see their change, then apply yours again."
    ) % {
        "who": error.changed_by,
        "when": local_time(error.changed_at),
        "expected": error.expected,
        "current": error.current,
    }


# --- list filters ----------------------------------------------------------------


class AssignedToMeFilter(admin.SimpleListFilter):
    title = gettext_lazy("assigned to me")
    parameter_name = "assigned"

    def lookups(self, request, model_admin):
        return [("me", _("Assigned to me (I research it)"))]

    def queryset(self, request, queryset):
        if self.value() == "me":
            return queryset.filter(researcher=request.user)
        return queryset


class WaitingForMyReviewFilter(admin.SimpleListFilter):
    title = gettext_lazy("waiting for my review")
    parameter_name = "review"

    def lookups(self, request, model_admin):
        if not request.user.has_perm("claims.publish_claim"):
            return []
        return [("me", _("Waiting for my review"))]

    def queryset(self, request, queryset):
        if self.value() == "me":
            allowed = [claim.pk for claim in claim_list_awaiting_review(user=request.user, queryset=queryset)]
            return queryset.filter(pk__in=allowed)
        return queryset


# --- evidence, written through the services ---------------------------------------


class EvidenceInline(TranslatedChoicesMixin, admin.StackedInline):
    model = Evidence
    extra = 0
    fieldsets = [
        (
            None,
            {
                "fields": [
                    ("url", "archived_url"),
                    ("title", "publisher", "published_on"),
                    "excerpt",
                    ("stance", "is_primary"),
                ]
            },
        )
    ]
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 3, "cols": 80})}}

    @admin.display(description=gettext_lazy("stance"))
    def stance_shown(self, evidence: Evidence) -> str:
        return choice_label(evidence.get_stance_display())

    def get_fieldsets(self, request, obj=None):
        if not self._claim_is_frozen(obj):
            return super().get_fieldsets(request, obj)
        # Read only: the stance in the user's language (a read-only choice shows the model's English label).
        return [
            (name, {**options, "fields": [self._shown(line) for line in options["fields"]]})
            for name, options in super().get_fieldsets(request, obj)
        ]

    @staticmethod
    def _shown(line):
        if isinstance(line, tuple):
            return tuple("stance_shown" if name == "stance" else name for name in line)
        return "stance_shown" if line == "stance" else line

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        return [*readonly, "stance_shown"] if self._claim_is_frozen(obj) else readonly

    def _claim_is_frozen(self, obj) -> bool:
        """A retracted claim never changes; one with a pending revision waits for that decision."""
        if obj is None:
            return False
        if not hasattr(obj, "_pending_revision"):
            obj._pending_revision = revisions.revision_pending(claim=obj)
        return obj.status in gate.FROZEN_STATUSES or obj._pending_revision is not None

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and not self._claim_is_frozen(obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not self._claim_is_frozen(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self._claim_is_frozen(obj)


# --- the claim admin ----------------------------------------------------------------


CLAIM_FIELDSETS = [
    (gettext_lazy("Claim"), {"fields": ["statement", "statement_en", "slug", "claimant"]}),
    (
        gettext_lazy("Checkable?"),
        {
            "fields": ["checkable", "not_checkable_reason", "not_checkable_reason_en"],
            "description": gettext_lazy(
                "Opinions and forecasts are kept, marked not checkable, and dismissed with a reason."
            ),
        },
    ),
    (gettext_lazy("Verdict"), {"fields": ["rating", "verdict", "verdict_en"]}),
]


@admin.register(Claim)
class ClaimAdmin(RevisionDecisionsMixin, ReadableHistoryAdmin):
    # Five columns, the article under its claim: the list fits 1280 px with both sidebars open.
    list_display = ["claim_title", "status_badge", "rating_badge", "researcher_name", "last_change"]
    list_filter = [
        ("status", TranslatedChoicesFilter),
        "rating",
        "article",
        AssignedToMeFilter,
        WaitingForMyReviewFilter,
    ]
    search_fields = ["statement", "statement_en", "quote"]
    list_select_related = ["article", "rating", "researcher", "last_edited_by"]
    list_per_page = 50
    ordering = ["-updated_at", "-id"]
    inlines = [EvidenceInline]
    radio_fields = {"rating": admin.VERTICAL}
    actions = ["send_to_review", "publish_selected", "assign_researcher"]
    change_form_template = "admin/claims/claim/change_form.html"
    change_list_template = "admin/claims/claim/change_list.html"
    history_list_per_page = 50

    class Media:
        css = {"all": ["css/admin_claims.css"]}
        js = ["js/span_picker.js"]

    # --- lists -----------------------------------------------------------------

    @admin.display(description=gettext_lazy("claim"), ordering="statement")
    def claim_title(self, claim: Claim) -> str:
        text = str(claim)
        return format_html(
            '{}<br><small class="claim-article">{}</small>',
            text if len(text) <= 100 else text[:99] + "…",
            self.article_headline(claim),
        )

    @admin.display(description=gettext_lazy("status"), ordering="status")
    def status_badge(self, claim: Claim) -> str:
        return format_html(
            '<span class="claim-status claim-status-{}">{}</span>',
            claim.status,
            choice_label(claim.get_status_display()),
        )

    @admin.display(description=gettext_lazy("rating"), ordering="rating__position")
    def rating_badge(self, claim: Claim) -> str:
        if claim.rating is None:
            return "—"
        return format_html(
            '<span class="rating-swatch" style="background:{}"></span> {}', claim.rating.colour, claim.rating.label_id
        )

    @admin.display(description=gettext_lazy("article"), ordering="article__headline")
    def article_headline(self, claim: Claim) -> str:
        headline = claim.article.headline
        return headline if len(headline) <= 40 else headline[:39] + "…"

    @admin.display(description=gettext_lazy("researcher"), ordering="researcher__first_name")
    def researcher_name(self, claim: Claim) -> str:
        return services.user_label(claim.researcher) if claim.researcher_id else "—"

    @admin.display(description=gettext_lazy("last change"), ordering="updated_at")
    def last_change(self, claim: Claim) -> str:
        # Short (day/month/year hour:minute, in the site's time zone), so the list fits a laptop's width.
        when = date_format(timezone.localtime(claim.updated_at), "SHORT_DATETIME_FORMAT")
        if claim.last_edited_by_id:
            return format_html(
                '<span class="claim-when">{}</span><br><small>{}</small>',
                when,
                _("last edit by %(person)s") % {"person": services.user_label(claim.last_edited_by)},
            )
        return format_html('<span class="claim-when">{}</span>', when)

    @admin.display(description=gettext_lazy("reviewer"))
    def reviewer_name(self, claim: Claim) -> str:
        return services.user_label(claim.reviewer) if claim.reviewer_id else "—"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("article", "rating", "researcher", "reviewer", "last_edited_by")
        )

    # --- the change page ---------------------------------------------------------

    @admin.display(description=gettext_lazy("quote in context"))
    def quote_in_context(self, claim: Claim) -> str:
        """The sentence(s) holding the span, one more on each side, with the span marked."""
        body = claim.article.body
        sentences = split_sentences(body)
        touching = [i for i, s in enumerate(sentences) if s.end > claim.start and s.start < claim.end]
        if touching:
            first, last = max(touching[0] - 1, 0), min(touching[-1] + 1, len(sentences) - 1)
            begin, end = min(sentences[first].start, claim.start), max(sentences[last].end, claim.end)
        else:
            begin, end = claim.start, claim.end
        return format_html(
            '<blockquote class="claim-context">{}{}<mark>{}</mark>{}{}</blockquote>',
            "… " if begin > 0 else "",
            body[begin : claim.start],
            body[claim.start : claim.end],
            body[claim.end : end],
            " …" if end < len(body.rstrip()) else "",
        )

    @admin.display(description=gettext_lazy("version"))
    def version_info(self, claim: Claim) -> str:
        when = display_for_value(claim.updated_at, "")
        who = services.user_label(claim.last_edited_by) if claim.last_edited_by_id else "—"
        return _("Version %(version)s, changed %(when)s (last edit by %(who)s)") % {
            "version": claim.version,
            "when": when,
            "who": who,
        }

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = ClaimChangeForm if obj is not None else ClaimAddForm
        form_class = super().get_form(request, obj, change=change, **kwargs)
        refusal = getattr(request, "_claim_refusal", None)
        if refusal is not None:
            text = self._refusal_text(refusal, obj.pk if obj is not None else None)
            form_class = type(form_class.__name__, (form_class,), {"refusal": refusal, "refusal_text": text})
        article = form_class.base_fields.get("article")
        if article is not None:  # the add form: the span picker loads the chosen article's text
            widget = getattr(article.widget, "widget", article.widget)
            widget.attrs["data-text-url"] = reverse("admin:claims_article_text", args=[0])
        return form_class

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [
                (_("Quote"), {"fields": ["article", ("start", "end")]}),
                *CLAIM_FIELDSETS,
                (_("Workflow"), {"fields": ["researcher"]}),
            ]
        fieldsets = [
            (
                _("Quote in context"),
                {"fields": ["version", "article", "quote_in_context", ("start", "end")]},
            ),
            *CLAIM_FIELDSETS,
        ]
        if obj.status in gate.REVIEWED_STATUSES and self._pending_revision(obj) is None:
            fieldsets.append(
                (
                    _("Correction (reviewed before it goes live)"),
                    {
                        "fields": ["note", "note_en"],
                        "description": _(
                            "Readers see this claim. Saving proposes your changes (fields and sources) as a "
                            "correction; the live page stays as it is until a reviewer who wrote none of it "
                            "approves it. Changing the rating or the Indonesian verdict without the English verdict "
                            "marks the English text “translation pending”."
                        ),
                    },
                )
            )
        fieldsets.append(
            (
                _("Workflow"),
                {
                    "fields": [
                        "status_badge",
                        "researcher",
                        "reviewer_name",
                        "version_info",
                        "public_note",
                        ("created_at", "published_at"),
                    ]
                },
            )
        )
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        readonly = [
            "article",
            "quote_in_context",
            "status_badge",
            "reviewer_name",
            "version_info",
            "public_note",
            "created_at",
            "published_at",
        ]
        if obj.status in gate.FROZEN_STATUSES or self._pending_revision(obj) is not None:
            readonly += sorted(services.EDITABLE_FIELDS)
        elif gate.is_shown(obj):
            readonly += sorted(gate.FIXED_WHEN_SHOWN & services.EDITABLE_FIELDS)
        return readonly

    def _pending_revision(self, claim: Claim) -> Revision | None:
        EvidenceInline._claim_is_frozen(None, claim)  # caches it on the claim
        return claim._pending_revision

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "researcher":
            kwargs["queryset"] = researcher_choices()
            kwargs["form_class"] = PersonChoiceField
        if db_field.name == "rating":
            kwargs["empty_label"] = _("No rating yet")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and "start" in context["adminform"].form.fields:
            context["span_picker"] = {"text": obj.article.body}  # select words to set Start and End
        context["span_picker_labels"] = span_picker_labels()
        if obj is not None:
            obj._content_authors = gate.content_authors(obj)  # once for the buttons and the explanation
            pending = self._pending_revision(obj)
            context.update(
                workflow_actions=[workflow_action(obj, t) for t in services.allowed_transitions(obj, request.user)],
                four_eyes_reason=four_eyes_reason(obj, request.user),
                claim_version=obj.version,
                pending_revision=pending,
                pending_changes=revisions.revision_diff(obj, pending.changes, pending.evidence) if pending else [],
                revision_refusal=gate.revision_four_eyes_refusal(pending, request.user) if pending else "",
                can_review=request.user.has_perm("claims.publish_claim"),
                # Buttons that save the form first: only where the form itself can be saved.
                workflow_saves_form=self.has_change_permission(request, obj)
                and not gate.is_shown(obj)
                and pending is None,
                workflow_field=WORKFLOW_FIELD,
                can_propose_retraction=obj.status == Status.PUBLISHED
                and pending is None
                and request.user.has_perm("claims.retract_claim"),
                already_checked=already_checked_for_claim(obj),
                review_note=review_notes([obj]).get(obj.pk, ""),
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except Refused as refused:
            # The failed save was rolled back; validate the same input again with the refusal
            # attached, so the page shows it next to the editor's own (unsaved) input.
            # The form shows the refusal once, above the fields (ServiceErrorFormMixin); no message repeats it.
            request._claim_refusal = refused.error
            return super().changeform_view(request, object_id, form_url, extra_context)

    def _refusal_text(self, error: ServiceError, object_id) -> str:
        """A refusal as the desk shows it; a stale edit says when in the site's time zone, with links."""
        if isinstance(error, StaleEdit) and object_id:
            return format_html(
                '{} <a href="{}">{}</a> {} <a href="{}">{}</a>.',
                stale_edit_text(error),
                reverse("admin:claims_claim_history", args=[object_id]),
                _("See their change in the history"),
                _("or"),
                reverse("admin:claims_claim_change", args=[object_id]),
                _("reload the claim"),
            )
        return error.message

    def _message_refusal(self, request, error: ServiceError, object_id) -> None:
        """A refusal of a workflow button (no form to show it on): one message."""
        messages.error(request, self._refusal_text(error, object_id))

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change and gate.is_shown(obj):
            return  # what readers see is proposed as a revision, in save_related
        try:
            if change:
                claim = services.claim_update(
                    claim=obj.pk,
                    by=request.user,
                    expected_version=data["version"],
                    changes={name: data[name] for name in form.changed_data if name in services.EDITABLE_FIELDS},
                )
            else:
                fields = {
                    name: data[name] for name in services.EDITABLE_FIELDS - {"start", "end"} if name in form.fields
                }
                claim = services.claim_create(
                    article=data["article"],
                    start=data["start"],
                    end=data["end"],
                    by=request.user,
                    reason="Created in the admin",
                    **fields,
                )
        except ServiceError as exc:
            raise Refused(exc) from exc
        obj.pk = claim.pk
        obj.slug = claim.slug
        obj.version = claim.version
        obj._state.adding = False

    def save_related(self, request, form, formsets, change):
        if change and gate.is_shown(form.instance):
            self._propose_revision(request, form, formsets)
            return
        super().save_related(request, form, formsets, change)
        if change and request.POST.get(WORKFLOW_FIELD):
            self._save_then_move(request, form.instance)

    def _save_then_move(self, request, claim: Claim) -> None:
        """A workflow button pressed on the change form: the form was saved first, in this transaction.

        A refusal (not ready, four-eyes, stale) rolls the save back too and shows the form again with the
        editor's input and the reason next to each field at fault; nothing typed is lost.
        """
        target = request.POST[WORKFLOW_FIELD]
        try:  # the note under the button, held to the rules of the transition page's note
            note = TransitionForm.base_fields["note"].clean(request.POST.get(f"{WORKFLOW_FIELD}_note_{target}", ""))
        except forms.ValidationError as invalid:
            message = _("The note: %(rule)s") % {"rule": " ".join(invalid.messages)}
            raise Refused(InvalidInput(message, {"note": invalid.messages})) from None
        current = Claim.objects.get(pk=claim.pk)  # the version the save just wrote
        try:
            moved = services.claim_transition(
                claim=claim.pk, to=target, by=request.user, note=note, expected_version=current.version
            )
        except ServiceError as exc:
            raise Refused(exc) from exc
        request._workflow_moved = moved

    def response_change(self, request, obj):
        moved = getattr(request, "_workflow_moved", None)
        if moved is not None:
            messages.success(
                request,
                _("Saved; «%(claim)s» is now %(status)s.")
                % {"claim": moved, "status": moved.get_status_display().lower()},
            )
            return HttpResponseRedirect(reverse("admin:claims_claim_change", args=[obj.pk]))
        return self._response_change_revision(request, obj)

    def _propose_revision(self, request, form, formsets) -> None:
        """The change form of a claim readers see proposes its changes (fields and sources) as one revision."""
        data = form.cleaned_data
        public = set(gate.public_claim_fields())
        changes = {name: data[name] for name in form.changed_data if name in public}
        evidence = None
        for formset in formsets:
            formset.save(commit=False)  # lists new, changed and deleted sources for the change message; writes nothing
            if formset.model is Evidence and formset.has_changed():
                evidence = self._proposed_sources(formset)
        if not changes and evidence is None and is_blank(data.get("note", "")):
            return  # saved unchanged: nothing to propose
        try:
            request._proposed_revision = revisions.revision_propose(
                claim=form.instance.pk,
                by=request.user,
                expected_version=data["version"],
                changes=changes,
                evidence=evidence,
                note=data.get("note", ""),
                note_en=data.get("note_en", ""),
            )
        except ServiceError as exc:
            raise Refused(exc) from exc

    @staticmethod
    def _proposed_sources(formset) -> list[dict]:
        fields = gate.public_evidence_fields()
        sources = []
        for evidence_form in formset.forms:
            if evidence_form in formset.deleted_forms:
                continue
            if evidence_form.instance.pk is None and not evidence_form.has_changed():
                continue
            values = {name: evidence_form.cleaned_data[name] for name in fields if name in evidence_form.cleaned_data}
            sources.append({"id": evidence_form.instance.pk, **values})
        return sources

    def _response_change_revision(self, request, obj):
        if getattr(request, "_proposed_revision", None) is not None:
            messages.success(
                request,
                _(
                    "Your correction is proposed. Readers still see the live version until a reviewer who wrote "
                    "none of it approves it."
                ),
            )
            return HttpResponseRedirect(reverse("admin:claims_claim_change", args=[obj.pk]))
        return super().response_change(request, obj)

    def save_formset(self, request, form, formset, change):
        """Evidence changes go through evidence_add/update/remove.

        The claim row is already locked and its version checked by the claim
        save that ran first in this transaction, so these pass no version.
        """
        if formset.model is not Evidence:
            raise NotImplementedError(f"No service writes {formset.model.__name__} rows.")
        formset.save(commit=False)
        editable = [name for name in formset.form.base_fields if name in services.EVIDENCE_FIELDS]
        try:
            for evidence in formset.new_objects:
                services.evidence_add(
                    claim=form.instance.pk,
                    by=request.user,
                    **{name: getattr(evidence, name) for name in editable},
                )
            for evidence, changed in formset.changed_objects:
                services.evidence_update(
                    evidence=evidence.pk,
                    by=request.user,
                    expected_version=None,
                    changes={name: getattr(evidence, name) for name in changed if name in services.EVIDENCE_FIELDS},
                )
            for evidence in formset.deleted_objects:
                services.evidence_remove(evidence=evidence.pk, by=request.user, expected_version=None)
        except ServiceError as exc:
            raise Refused(exc) from exc

    # --- deleting -----------------------------------------------------------------

    def has_delete_permission(self, request, obj=None):
        if not super().has_delete_permission(request, obj):
            return False
        return obj is None or not gate.is_shown(obj)  # a claim readers see is retracted, never deleted

    def delete_model(self, request, obj):
        services.claim_delete(claim=obj.pk, by=request.user)

    def delete_queryset(self, request, queryset):
        for claim in queryset:
            try:
                services.claim_delete(claim=claim.pk, by=request.user)
            except ServiceError as exc:
                messages.error(
                    request, _("«%(claim)s» was not deleted: %(reason)s") % {"claim": claim, "reason": exc.message}
                )

    # --- workflow views -------------------------------------------------------------

    def get_urls(self):
        custom = [
            path(
                "review-queue/",
                self.admin_site.admin_view(self.review_queue_view),
                name="claims_claim_review_queue",
            ),
            path(
                "<path:object_id>/transition/<slug:target>/",
                self.admin_site.admin_view(self.transition_view),
                name="claims_claim_transition",
            ),
            path(
                "<path:object_id>/retraction/",
                self.admin_site.admin_view(self.retraction_view),
                name="claims_claim_retraction",
            ),
            *self.revision_decision_urls(),
        ]
        return custom + super().get_urls()

    def transition_view(self, request, object_id, target):
        """One workflow button: POST with the version on screen and an optional note."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        claim = self.get_object(request, unquote(object_id))
        if claim is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_or_change_permission(request, claim):
            raise PermissionDenied
        form = TransitionForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("The workflow request was malformed; reload the claim and try again."))
        else:
            try:
                claim = services.claim_transition(
                    claim=claim.pk,
                    to=target,
                    by=request.user,
                    note=form.cleaned_data["note"],
                    expected_version=form.cleaned_data["version"],
                )
            except ServiceError as exc:
                self._message_refusal(request, exc, claim.pk)
            else:
                messages.success(
                    request,
                    _("«%(claim)s» is now %(status)s.")
                    % {"claim": claim, "status": choice_label(claim.get_status_display()).lower()},
                )
        return HttpResponseRedirect(reverse("admin:claims_claim_change", args=[claim.pk]))

    def retraction_view(self, request, object_id):
        """Propose the retraction of a published verdict, with its public note; another reviewer approves it."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        claim = self.get_object(request, unquote(object_id))
        if claim is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        form = RevisionDecisionForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("The request was malformed; reload the claim and try again."))
        else:
            try:
                revisions.revision_propose(
                    claim=claim.pk,
                    by=request.user,
                    expected_version=form.cleaned_data["version"],
                    kind=Revision.Kind.RETRACTION,
                    note=form.cleaned_data["note"],
                    note_en=form.cleaned_data["note_en"],
                )
            except ServiceError as exc:
                self._message_refusal(request, exc, claim.pk)
            else:
                messages.success(request, _("Retraction proposed; it takes effect when another reviewer approves it."))
        return HttpResponseRedirect(reverse("admin:claims_claim_change", args=[claim.pk]))

    def review_queue_view(self, request):
        """Claims in review this reviewer may publish, oldest first; and those the four-eyes rule keeps from them."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        in_review = self.get_queryset(request).filter(status=Status.IN_REVIEW).order_by("updated_at", "id")
        mine_to_publish = list(claim_list_awaiting_review(user=request.user, queryset=in_review))
        ready = {claim.pk for claim in mine_to_publish}
        others = [(claim, four_eyes_reason(claim, request.user)) for claim in in_review if claim.pk not in ready]
        notes = review_notes([*mine_to_publish, *(claim for claim, _reason in others)])
        for claim in [*mine_to_publish, *(claim for claim, _reason in others)]:
            claim.review_note = notes.get(claim.pk, "")
        context = {
            **self.admin_site.each_context(request),
            "title": _("Review queue"),
            "opts": self.opts,
            "claims": mine_to_publish,
            "others": others,
            "revisions": revision_list_awaiting_review(user=request.user),
            "can_publish": request.user.has_perm("claims.publish_claim"),
        }
        return TemplateResponse(request, "admin/claims/claim/review_queue.html", context)

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "review_queue_count": len(claim_list_awaiting_review(user=request.user))
            + len(revision_list_awaiting_review(user=request.user))
            if request.user.has_perm("claims.publish_claim")
            else None,
        }
        return super().changelist_view(request, extra_context)

    # --- bulk actions -----------------------------------------------------------------

    def action_checkbox(self, claim: Claim) -> str:
        """Each row's checkbox, with the version the list shows: a bulk action refuses a claim changed since."""
        return format_html(
            '{}<input type="hidden" name="{}" value="{}">',
            super().action_checkbox(claim),
            version_field(claim.pk),
            claim.version,
        )

    def has_publish_permission(self, request) -> bool:
        return request.user.has_perm("claims.publish_claim")

    def _report(self, request, outcomes: list[services.BulkOutcome], done_text: str) -> None:
        done = [outcome for outcome in outcomes if outcome.done]
        if done:
            messages.success(
                request,
                format_html(
                    "{} {}",
                    done_text % {"count": len(done)},
                    format_html_join(", ", "«{}»", ((str(o.claim),) for o in done)),
                ),
            )
        for outcome in outcomes:
            if not outcome.done:
                messages.error(request, refusal_text(outcome))

    @admin.action(description=gettext_lazy("Send selected claims to review"), permissions=["change"])
    def send_to_review(self, request, queryset):
        outcomes = services.claim_transition_bulk(
            claims=queryset, to=Status.IN_REVIEW, by=request.user, versions=versions_shown(request, queryset)
        )
        self._report(request, outcomes, _("Sent to review %(count)s claim(s):"))

    @admin.action(
        description=gettext_lazy("Publish selected claims (each checked like a single publication)"),
        permissions=["publish"],
    )
    def publish_selected(self, request, queryset):
        outcomes = services.claim_transition_bulk(
            claims=queryset, to=Status.PUBLISHED, by=request.user, versions=versions_shown(request, queryset)
        )
        self._report(request, outcomes, _("Published %(count)s claim(s):"))

    @admin.action(description=gettext_lazy("Assign a researcher to selected claims"), permissions=["change"])
    def assign_researcher(self, request, queryset):
        versions = versions_shown(request, queryset)
        if "apply" in request.POST:
            form = AssignResearcherForm(request.POST)
            if form.is_valid():
                outcomes = []
                for claim in queryset:
                    try:
                        if versions.get(claim.pk) is None:
                            raise VersionRequired(str(services.BULK_VERSION_MISSING))
                        claim = services.claim_assign_researcher(
                            claim=claim,
                            researcher=form.cleaned_data["researcher"],
                            by=request.user,
                            expected_version=versions[claim.pk],
                        )
                    except ServiceError as exc:
                        outcomes.append(services.BulkOutcome(claim=claim, done=False, message=exc.message, error=exc))
                    else:
                        outcomes.append(services.BulkOutcome(claim=claim, done=True))
                self._report(request, outcomes, _("Assigned the researcher to %(count)s claim(s):"))
                return None
        else:
            form = AssignResearcherForm()
        context = {
            **self.admin_site.each_context(request),
            "title": _("Assign a researcher"),
            "opts": self.opts,
            "claims": queryset,
            # The versions the list showed ride along to the confirmation, not the ones read now.
            "selected": [(claim.pk, version_field(claim.pk), versions.get(claim.pk)) for claim in queryset],
            "form": form,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/claims/claim/assign_researcher.html", context)
