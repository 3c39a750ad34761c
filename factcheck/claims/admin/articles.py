"""The article admin and its "Import article" page: paste or upload, review candidates, keep some as drafts.

The page calls the same import code as the ``import_article`` command:
``importing.article_preview`` for step 1 and ``importing.article_import``
for step 2.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpResponseRedirect, JsonResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from factcheck.lib.blank import is_blank
from factcheck.lib.candidates import Candidate
from factcheck.lib.isotime import utc_datetime
from factcheck.lib.text_repair import UndecodableText, decode_text

from .. import gate, revisions, services
from ..errors import ServiceError
from ..forms import ArticleMetadataForm
from ..importing import ArticleMetadata, Preview, article_import, article_preview, chosen_spans
from ..models import Article, Revision, text_hash
from ..similar import TEXT_MAX
from .already_checked import already_checked, already_checked_each
from .choices import TranslatedChoicesFilter
from .claims import local_time
from .forms import span_picker_labels
from .history import ReadableHistoryAdmin
from .revision_decisions import RevisionDecisionsMixin

MAX_UPLOAD_BYTES = 2 * 1024 * 1024


class ArticleSourceForm(ArticleMetadataForm):
    """Step 1: the text, pasted or uploaded, and what the editor knows about the article."""

    text = forms.CharField(
        label="Paste the text",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 14, "cols": 100}),
    )
    file = forms.FileField(label="…or upload a UTF-8 text file", required=False)

    field_order = ["text", "file", "headline", "outlet", "author", "url", "published_on", "language"]

    def clean(self):
        cleaned_data = super().clean()
        text, upload = cleaned_data.get("text") or "", cleaned_data.get("file")
        if upload is not None and text.strip():
            self.add_error("file", "Paste the text or upload a file, not both.")
        elif upload is None and is_blank(text):
            self.add_error("text", "Paste the article's text or upload a file.")
        elif upload is not None and upload.size > MAX_UPLOAD_BYTES:
            self.add_error("file", f"The file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB.")
        return cleaned_data

    def data_bytes(self) -> bytes:
        upload = self.cleaned_data.get("file")
        if upload is not None:
            return upload.read()
        return self.cleaned_data["text"].encode("utf-8")


class ArticleConfirmForm(ArticleMetadataForm):
    """Step 2: the bytes as received (base64, so nothing is re-encoded) and the metadata, carried over."""

    data = forms.CharField(widget=forms.HiddenInput)

    def clean_data(self) -> bytes:
        try:
            return base64.b64decode(self.cleaned_data["data"], validate=True)
        except (binascii.Error, ValueError):
            raise forms.ValidationError("The text was damaged on the way; start the import again.") from None


@dataclass
class TextPart:
    text: str
    number: int = 0
    candidate: Candidate | None = None


@dataclass
class ShownCandidate:
    """A candidate as the import preview lists it: its number, whether it is ticked, and the published
    verdicts that say nearly the same ("Already checked?")."""

    number: int
    candidate: Candidate
    ticked: bool
    already_checked: list

    @property
    def panel_id(self) -> str:
        return panel_id(self.candidate.start, self.candidate.end)


def panel_id(start: int, end: int) -> str:
    """The id of a candidate's "Already checked?" heading: one per span, whatever its number."""
    return f"already-checked-{start}-{end}"


def highlighted_parts(text: str, candidates: list[Candidate]) -> list[TextPart]:
    """The text cut into plain runs and numbered candidate spans, in reading order."""
    parts, cursor = [], 0
    for number, candidate in enumerate(sorted(candidates, key=lambda c: (c.start, c.end)), start=1):
        if candidate.start < cursor:  # overlapping candidates: the list still shows it
            continue
        if candidate.start > cursor:
            parts.append(TextPart(text[cursor : candidate.start]))
        parts.append(TextPart(text[candidate.start : candidate.end], number, candidate))
        cursor = candidate.end
    if cursor < len(text):
        parts.append(TextPart(text[cursor:]))
    return parts


class ArticleChangeForm(forms.ModelForm):
    """The article's change form, carrying when the article it shows last changed (``opened``). A save of a form
    opened before another change of the article is refused with the input kept: its untouched fields would
    otherwise count as the editor's change and undo the other one (the claim form's version does this there)."""

    opened = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["opened"].initial = self.instance.updated_at.isoformat()

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk:
            # Locked until the save commits (the admin's change view is one transaction): no change between.
            current = Article.objects.select_for_update().filter(pk=self.instance.pk).values_list("updated_at")
            current = current.first()
            if current is None or utc_datetime(cleaned_data.get("opened") or "") != current[0]:
                raise forms.ValidationError(
                    _(
                        "This article was changed at %(when)s since you opened it. Reload it to see the change, "
                        "then apply yours again."
                    )
                    % {"when": local_time(current[0] if current else None)},
                    code="stale",
                )
        return cleaned_data


class ArticleCorrectionForm(ArticleChangeForm):
    """An article shown with its claims: the change form proposes a correction, with its public note."""

    note = forms.CharField(
        label=gettext_lazy("Correction note (public, Indonesian)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Readers of every claim of this article see it: what changed and why."),
    )
    note_en = forms.CharField(
        label=gettext_lazy("Correction note (public, English)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    class Meta:
        model = Article
        fields = ["slug", "headline", "outlet", "author", "url", "published_on", "language", "body"]


@admin.register(Article)
class ArticleAdmin(RevisionDecisionsMixin, ReadableHistoryAdmin):
    form = ArticleChangeForm
    list_display = ["headline", "outlet", "author", "published_on", "language", "claim_count"]
    list_filter = [("language", TranslatedChoicesFilter), "outlet"]
    search_fields = ["headline", "outlet", "author"]
    readonly_fields = ["body_hash", "created_at", "updated_at"]
    exclude = ["original"]
    change_list_template = "admin/claims/article/change_list.html"
    change_form_template = "admin/claims/article/change_form.html"

    class Media:
        css = {"all": ["css/admin_claims.css"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(claim_total=Count("claims"))

    @admin.display(description=gettext_lazy("claims"), ordering="claim_total")
    def claim_count(self, article: Article) -> str:
        url = reverse("admin:claims_claim_changelist") + f"?article__id__exact={article.pk}"
        return format_html('<a href="{}">{}</a>', url, article.claim_total)

    # --- corrections of an article shown with its claims ------------------------------------------

    def _is_shown(self, obj) -> bool:
        return obj is not None and gate.article_change_needs_review(obj, gate.public_article_fields())

    def _pending(self, obj) -> Revision | None:
        if not hasattr(obj, "_pending_revision"):
            obj._pending_revision = obj.revisions.filter(state=Revision.State.PENDING).first()
        return obj._pending_revision

    def get_form(self, request, obj=None, change=False, **kwargs):
        if self._is_shown(obj) and self._pending(obj) is None:
            kwargs["form"] = ArticleCorrectionForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if self._is_shown(obj) and self._pending(obj) is None:
            fields = [name for name in fieldsets[0][1]["fields"] if name not in ("note", "note_en")]
            fieldsets = [
                (None, {"fields": fields}),
                (
                    _("Correction (reviewed before it goes live)"),
                    {
                        "fields": ["note", "note_en"],
                        "description": _(
                            "Readers see this article with its verdicts. Saving proposes your changes as a "
                            "correction of every claim page that shows it; nothing changes until a reviewer who "
                            "did not propose it approves it."
                        ),
                    },
                ),
            ]
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.claims.exists():
            readonly.append("body")  # claim spans index into it (Article.clean); a form would strip its spaces
        if self._is_shown(obj) and self._pending(obj) is not None:
            readonly += [name for name in gate.public_article_fields() if name not in readonly]
        return readonly

    def save_model(self, request, obj, form, change):
        if change and self._is_shown(obj):
            public = set(gate.public_article_fields())
            try:
                request._proposed_revision = revisions.revision_propose_article(
                    article=obj.pk,
                    by=request.user,
                    changes={name: form.cleaned_data[name] for name in form.changed_data if name in public},
                    note=form.cleaned_data.get("note", ""),
                    note_en=form.cleaned_data.get("note_en", ""),
                )
            except ServiceError as exc:
                request._refusal = exc
            return
        if change:
            services.article_update(article=obj, by=request.user, changed=form.changed_data)
            return
        obj._change_reason = "Created in the admin"
        super().save_model(request, obj, form, change)

    def response_change(self, request, obj):
        if getattr(request, "_refusal", None) is not None:
            messages.error(request, request._refusal.message)
        elif getattr(request, "_proposed_revision", None) is not None:
            messages.success(
                request, _("Your correction is proposed; readers see the article as it was until it is approved.")
            )
        else:
            return super().response_change(request, obj)
        return HttpResponseRedirect(reverse("admin:claims_article_change", args=[obj.pk]))

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            pending = self._pending(obj)
            context.update(
                pending_revision=pending,
                pending_changes=revisions.article_revision_diff(obj, pending.changes) if pending else [],
                revision_refusal=gate.revision_four_eyes_refusal(pending, request.user) if pending else "",
                can_review=request.user.has_perm("claims.publish_claim"),
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_urls(self):
        return [
            path("import/", self.admin_site.admin_view(self.import_view), name="claims_article_import"),
            path(
                "import/similar/",
                self.admin_site.admin_view(self.import_similar_view),
                name="claims_article_import_similar",
            ),
            path("<int:object_id>/text/", self.admin_site.admin_view(self.text_view), name="claims_article_text"),
            *self.revision_decision_urls(),
            *super().get_urls(),
        ]

    def text_view(self, request, object_id):
        """The article's body as JSON, for picking a claim's span on the claim add form."""
        article = self.get_object(request, str(object_id))
        if article is None or not self.has_view_permission(request, article):
            raise PermissionDenied
        return JsonResponse({"id": article.pk, "text": article.body})

    def import_similar_view(self, request):
        """ "Already checked?" for a span the editor picked on the import preview: the same panel as the
        page renders under the detector's candidates, as an HTML fragment (one similar-claims lookup)."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        text = request.GET.get("text", "")[:TEXT_MAX]
        language = request.GET.get("language") or None
        try:
            start, end = parse_span(request.GET.get("span", ""))
        except ServiceError:
            start, end = 0, 0
        context = {
            "items": already_checked(text=text, language=language),
            "compact": True,
            "panel_id": panel_id(start, end),
        }
        return TemplateResponse(request, "admin/claims/includes/already_checked.html", context)

    def import_view(self, request):
        """Step 1 shows the repaired text and its candidates; step 2 stores the article and the ticked drafts."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        if request.method == "POST" and "confirm" in request.POST:
            return self._import_confirm(request)
        if request.method == "POST" and "back" in request.POST:
            return self._import_back(request)
        form = ArticleSourceForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            data = form.data_bytes()
            try:
                preview = article_preview(data=data)
            except ServiceError as exc:
                form.add_error("file" if form.cleaned_data.get("file") else "text", exc.message)
            else:
                existing = Article.objects.filter(body_hash=text_hash(preview.text)).first()
                if existing is not None:
                    self._message_existing(request, existing)
                    return self._render(request, "admin/claims/article/import.html", form=form, existing=existing)
                confirm = ArticleConfirmForm(
                    initial={
                        **{name: form.cleaned_data[name] for name in ArticleMetadataForm.base_fields},
                        # ISO dates, whatever the locale's input format: the form reads YYYY-MM-DD.
                        "published_on": form.cleaned_data["published_on"].isoformat()
                        if form.cleaned_data["published_on"]
                        else "",
                        "data": base64.b64encode(data).decode("ascii"),
                    }
                )
                return self._render_preview(request, preview, confirm, metadata=form.cleaned_data)
        return self._render(request, "admin/claims/article/import.html", form=form)

    def _import_back(self, request):
        """Step 2 → step 1 with the text and the metadata as they were: going back loses nothing."""
        confirm = ArticleConfirmForm(request.POST)
        if not confirm.is_valid():
            for field, errors in confirm.errors.items():
                messages.error(request, f"{field}: {' '.join(errors)}")
            return HttpResponseRedirect(reverse("admin:claims_article_import"))
        try:
            text = decode_text(confirm.cleaned_data["data"])
        except UndecodableText as exc:
            messages.error(request, str(exc))
            return HttpResponseRedirect(reverse("admin:claims_article_import"))
        metadata = {name: confirm.cleaned_data[name] for name in ArticleMetadataForm.base_fields}
        form = ArticleSourceForm(initial={**metadata, "text": text})
        return self._render(request, "admin/claims/article/import.html", form=form)

    def _import_confirm(self, request):
        confirm = ArticleConfirmForm(request.POST)
        if not confirm.is_valid():
            for field, errors in confirm.errors.items():
                messages.error(request, f"{field}: {' '.join(errors)}")
            return HttpResponseRedirect(reverse("admin:claims_article_import"))
        try:
            accept = [parse_span(value) for value in request.POST.getlist("accept")]
            result = article_import(
                data=confirm.cleaned_data["data"],
                metadata=ArticleMetadata(
                    **{name: confirm.cleaned_data[name] for name in ArticleMetadataForm.base_fields}
                ),
                by=request.user,
                accept=accept,
                reason="Imported in the admin",
            )
        except ServiceError as exc:
            messages.error(request, exc.message)
            try:
                preview = article_preview(data=confirm.cleaned_data["data"])
            except ServiceError:  # the text itself cannot be read (a forged confirm): back to step 1
                return HttpResponseRedirect(reverse("admin:claims_article_import"))
            return self._render_preview(request, preview, confirm, metadata=confirm.cleaned_data)
        if not result.created:
            self._message_existing(request, result.article)
            return HttpResponseRedirect(reverse("admin:claims_article_change", args=[result.article.pk]))
        messages.success(
            request,
            f"Imported «{result.article.headline}» with {len(result.claims)} draft claim(s). "
            "Research them from this list.",
        )
        return HttpResponseRedirect(
            reverse("admin:claims_claim_changelist") + f"?article__id__exact={result.article.pk}"
        )

    def _message_existing(self, request, article: Article) -> None:
        messages.warning(
            request,
            format_html(
                'This text was already imported as <a href="{}">«{}»</a>; nothing was changed.',
                reverse("admin:claims_article_change", args=[article.pk]),
                article.headline,
            ),
        )

    def _render_preview(self, request, preview: Preview, confirm: ArticleConfirmForm, *, metadata: dict):
        ticked = set(request.POST.getlist("accept")) if "confirm" in request.POST else set()
        shown = list(preview.candidates)
        known = {(c.start, c.end) for c in shown}
        for value in ticked:  # spans the editor made themselves come back after a refusal too
            try:
                extra = chosen_spans(preview.text, [], [parse_span(value)])
            except ServiceError:
                continue
            shown += [c for c in extra if (c.start, c.end) not in known]
        shown.sort(key=lambda c: (c.start, c.end))
        language = metadata.get("language") or None
        # One similar-claims lookup per candidate shown (one query each on SQLite; on PostgreSQL one under
        # its statement timeout): bounded by the number of candidates, not by the number of claims, and all of
        # them by one timeout's time.
        found = already_checked_each([c.quote for c in shown], language=language)
        candidates = [
            ShownCandidate(number, c, f"{c.start}:{c.end}" in ticked, similar)
            for number, (c, similar) in enumerate(zip(shown, found, strict=True), 1)
        ]
        return self._render(
            request,
            "admin/claims/article/import_preview.html",
            confirm=confirm,
            parts=highlighted_parts(preview.text, shown),
            candidates=candidates,
            span_editor={
                "text": preview.text,
                "candidates": [
                    {
                        "start": item.candidate.start,
                        "end": item.candidate.end,
                        "reasons": item.candidate.reasons,
                        "ticked": item.ticked,
                    }
                    for item in candidates
                ],
                "labels": span_picker_labels(),
                "similar_url": reverse("admin:claims_article_import_similar")
                + "?"
                + urlencode({"language": language or ""}),
            },
            metadata=metadata,
        )

    def _render(self, request, template: str, **context):
        context = {
            **self.admin_site.each_context(request),
            "title": "Import article",
            "opts": self.opts,
            **context,
        }
        return TemplateResponse(request, template, context)


def parse_span(value: str) -> tuple[int, int]:
    """A ticked candidate, "start:end", as a pair of offsets."""
    from ..errors import InvalidInput

    try:
        start, end = (int(part) for part in value.split(":"))
    except ValueError:
        raise InvalidInput(
            _("Not a candidate span: {value}.").format(value=repr(value)),
            {"accept": [_("Not a span: {value}.").format(value=repr(value))]},
        ) from None
    return start, end
