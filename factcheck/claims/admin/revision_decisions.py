"""Approve, reject or withdraw a pending revision (a correction or retraction), from the change page of the claim
or article it changes: one view for both admins, so the two desks decide the same way."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import revisions
from ..errors import ServiceError
from ..labels import choice_label
from .forms import RevisionDecisionForm

REVISION_DECISIONS = {
    "approve": (revisions.revision_approve, gettext_lazy("The %(kind)s is approved: it is live.")),
    "reject": (revisions.revision_reject, gettext_lazy("The %(kind)s is rejected: the live version stays.")),
    "withdraw": (revisions.revision_withdraw, gettext_lazy("The %(kind)s is withdrawn.")),
}


class RevisionDecisionsMixin:
    """A ModelAdmin of a model with ``revisions``: the decision URL and view. ``_message_refusal`` may be
    overridden to word a refusal for its model."""

    def revision_decision_urls(self) -> list:
        opts = self.opts
        return [
            path(
                "<path:object_id>/revision/<int:revision_id>/<slug:decision>/",
                self.admin_site.admin_view(self.revision_decision_view),
                name=f"{opts.app_label}_{opts.model_name}_revision",
            )
        ]

    def revision_decision_view(self, request, object_id, revision_id, decision):
        """POST only, with the reviewer's note; the decision's service checks who may take it."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        obj = self.get_object(request, unquote(object_id))
        if obj is None or decision not in REVISION_DECISIONS:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        revision = obj.revisions.filter(pk=revision_id).first()
        form = RevisionDecisionForm(request.POST)
        if revision is None or not form.is_valid():
            messages.error(request, _("The request was malformed; reload the page and try again."))
        else:
            service, done = REVISION_DECISIONS[decision]
            try:
                service(revision=revision, by=request.user, note=form.cleaned_data["note"])
            except ServiceError as exc:
                self._message_refusal(request, exc, obj.pk)
            else:
                messages.success(request, done % {"kind": choice_label(revision.get_kind_display()).lower()})
        opts = self.opts
        return HttpResponseRedirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]))

    def _message_refusal(self, request, error: ServiceError, object_id) -> None:
        messages.error(request, error.message)
