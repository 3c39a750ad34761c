"""Readable history for editors: each revision's field changes, the user and the reason.

simple-history's admin lists the revisions; this replaces its raw "old → new"
values with :func:`factcheck.claims.history.revision_changes` (word diffs for
long texts) and shows related rows (rating, users) by name. Reverting from
the history is disabled: every write goes through the services.
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass

from django.contrib.admin.utils import display_for_value, unquote
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.http import Http404, HttpResponseNotAllowed
from django.utils.translation import gettext, gettext_noop
from simple_history.admin import SimpleHistoryAdmin

from ..history import FieldChange, revision_changes
from ..labels import choice_label
from ..models import Evidence
from ..services import user_label
from .choices import TranslatedChoicesMixin

# The reasons the services record, in English; shown in the user's language (with any note after a colon kept).
KNOWN_REASONS = [
    gettext_noop("Claim created"),
    gettext_noop("Created in the admin"),
    gettext_noop("Research started"),
    gettext_noop("Moved back to draft"),
    gettext_noop("Sent to review"),
    gettext_noop("Sent back to research"),
    gettext_noop("Published"),
    gettext_noop("Dismissed as not checkable"),
    gettext_noop("Researcher assigned"),
    gettext_noop("Approved"),
    gettext_noop("Rejected"),
    gettext_noop("Withdrawn"),
    gettext_noop("Deleted"),
    gettext_noop("Deleted with its claim"),
    gettext_noop("Edited in the admin"),
    gettext_noop("Evidence added"),
    gettext_noop("Evidence edited"),
    gettext_noop("Evidence removed"),
    gettext_noop("Correction proposed"),
    gettext_noop("Retraction proposed"),
    gettext_noop("Correction of the article proposed"),
    gettext_noop("Imported"),
    gettext_noop("Imported: candidate accepted"),
    gettext_noop("Imported in the admin"),
    gettext_noop("Imported in the admin: candidate accepted"),
]


# revisions.revision_approve: "Correction proposed by Dewi, approved by Rudi: the note".
APPROVED_REVISION = re.compile(r"^(Correction|Retraction) proposed by (.+?), approved by (.+?): (.*)$", re.S)


def field_names(model, names: str) -> str | None:
    """``"statement_en, verdict"`` as the fields' names in words ("statement (English), verdict summary
    (Indonesian)"), or None when one of them is not a field of ``model``."""
    words = []
    for name in names.split(", "):
        try:
            words.append(str(model._meta.get_field(name).verbose_name))
        except FieldDoesNotExist:
            return None
    return ", ".join(words)


def readable_reason(reason: str | None, model) -> str:
    """A recorded change reason in words and in the user's language.

    The services record "Edited statement_en, verdict" and "Evidence edited: title": the field names
    become the fields' names; a known reason is translated, a note after it (after ": ") kept as written.
    """
    if not reason:
        return ""
    if reason.startswith("Edited "):
        fields = field_names(model, reason.removeprefix("Edited "))
        if fields is not None:
            return gettext("Edited: %(fields)s") % {"fields": fields}
    if reason.startswith("Evidence edited: "):
        fields = field_names(Evidence, reason.removeprefix("Evidence edited: "))
        if fields is not None:
            return gettext("Source edited: %(fields)s") % {"fields": fields}
    approved = APPROVED_REVISION.match(reason)
    if approved:
        kind, proposer, approver, note = approved.groups()
        said = gettext("%(kind)s proposed by %(proposer)s, approved by %(approver)s") % {
            "kind": choice_label(kind),
            "proposer": proposer,
            "approver": approver,
        }
        return f"{said}: {note}"
    if reason in KNOWN_REASONS:
        return gettext(reason)
    head, colon, note = reason.partition(": ")
    if colon and head in KNOWN_REASONS:
        return f"{gettext(head)}: {note}"
    return reason


def readable_datetime(value: str) -> str:
    """A stored timestamp as the admin shows dates (local time), or the text itself when it is not one."""
    if not value:
        return ""
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        return value
    return str(display_for_value(moment, ""))


@dataclass
class ShownChange:
    """A field change ready for the template: labels instead of ids for related rows."""

    label: str
    old: str
    new: str
    segments: list

    @property
    def is_text_diff(self) -> bool:
        return bool(self.segments)


# Bookkeeping that changes with every revision; the version number is shown in its own column.
UNINTERESTING_FIELDS = frozenset({"version", "updated_at"})


class ReadableHistoryAdmin(TranslatedChoicesMixin, SimpleHistoryAdmin):
    object_history_template = "admin/claims/object_history.html"
    object_history_list_template = "admin/claims/object_history_list.html"

    def revert_disabled(self, request, obj=None) -> bool:
        return True

    def history_view(self, request, object_id, extra_context=None):
        self._require_ids(object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # simple-history saves a POST on this page straight to the model, past the services.
        if request.method != "GET":
            return HttpResponseNotAllowed(["GET"])
        self._require_ids(object_id, version_id)
        return super().history_form_view(request, object_id, version_id, extra_context)

    def _require_ids(self, object_id: str, version_id: str | None = None) -> None:
        """A 404 for an address whose ids are not ids (``…/abc/history/``): simple-history filters the history
        by them before it looks anything up, and the database's int() failed there (a 500). The history of a
        deleted object stays open: only the id's form is checked here."""
        try:
            self.opts.pk.to_python(unquote(object_id))
            if version_id is not None:
                self.model.history.model._meta.pk.to_python(unquote(version_id))
        except ValidationError:
            raise Http404("No such object or version.") from None

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True) -> None:
        """Attach ``readable_changes`` to each record of the page, newest first.

        Queries: at most one for the revision just before the page's oldest,
        then one per related model named by the changes (ratings, users), in
        bulk, whatever the number of revisions.
        """
        records = list(historical_records)
        if not records:
            return
        older = records[1:] + [self._revision_before(records[-1])]
        pairs = [
            (record, previous, revision_changes(record, previous))
            for record, previous in zip(records, older, strict=True)
        ]
        labels = self._related_labels([change for _, _, changes in pairs for change in changes])
        for record, previous, changes in pairs:
            record.readable_changes = [
                self._shown(change, labels) for change in changes if change.field not in UNINTERESTING_FIELDS
            ]
            record.is_first_revision = previous is None
            record.readable_reason = readable_reason(record.history_change_reason, record.instance_type)

    def _revision_before(self, record):
        history_model = type(record)
        return (
            history_model.objects.filter(id=record.id)
            .filter(
                models.Q(history_date__lt=record.history_date)
                | models.Q(history_date=record.history_date, history_id__lt=record.history_id)
            )
            .order_by("-history_date", "-history_id")
            .first()
        )

    def _foreign_key(self, name: str):
        try:
            field = self.model._meta.get_field(name)
        except Exception:
            return None
        return field if isinstance(field, models.ForeignKey) else None

    def _is_datetime(self, name: str) -> bool:
        try:
            return isinstance(self.model._meta.get_field(name), models.DateTimeField)
        except Exception:
            return False

    def _choices(self, name: str) -> dict[str, str]:
        try:
            field = self.model._meta.get_field(name)
        except Exception:
            return {}
        return {str(value): choice_label(label) for value, label in field.flatchoices}

    def _related_labels(self, changes: list[FieldChange]) -> dict[tuple[type, str], str]:
        wanted: dict[type, set[str]] = defaultdict(set)
        for change in changes:
            field = self._foreign_key(change.field)
            if field is not None:
                wanted[field.related_model].update(v for v in (change.old, change.new) if v)
        labels = {}
        user_model = get_user_model()
        for model, ids in wanted.items():
            for obj in model._default_manager.filter(pk__in=ids):
                labels[(model, str(obj.pk))] = user_label(obj) if model is user_model else str(obj)
        return labels

    def _shown(self, change: FieldChange, labels: dict[tuple[type, str], str]) -> ShownChange:
        field = self._foreign_key(change.field)
        if field is None:
            if self._is_datetime(change.field):
                return ShownChange(change.label, readable_datetime(change.old), readable_datetime(change.new), [])
            choices = self._choices(change.field)
            if choices:
                return ShownChange(
                    change.label, choices.get(change.old, change.old), choices.get(change.new, change.new), []
                )
            return ShownChange(change.label, change.old, change.new, change.segments)

        def name(value: str) -> str:
            return labels.get((field.related_model, value), f"#{value} (deleted)") if value else "—"

        return ShownChange(change.label, name(change.old), name(change.new), [])
