"""Forms of the claim admin: the change form with its version guard, workflow and bulk-action forms."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ..errors import ServiceError
from ..gate import REVIEWED_STATUSES
from ..models import Claim, Rating
from ..services import EDITABLE_FIELDS

SLUG_HELP = _(
    "The claim's page address. Made from the statement until you change it; fixed once readers see the claim."
)


def span_picker_labels() -> dict[str, str]:
    """The words of static/js/span_picker.js, translated here (the script has no catalogue of its own)."""
    return {
        "split": _("Split"),
        "split_title": _("Split this claim in two at the clause nearest its middle"),
        "merge": _("Merge with next"),
        "merge_title": _("Join this claim and the next one"),
        "trim": _("Trim"),
        "trim_title": _("Drop quotation marks, dashes and punctuation around the claim"),
        "remove": _("Remove"),
        "remove_title": _("Remove this claim from the list"),
        "start": _("Start"),
        "end": _("End"),
        "because": _("because"),
        "claim": _("Claim"),
        "added": _("added"),
        "adjusted": _("adjusted"),
        "merged": _("merged"),
        "split_done": _("split in two"),
        "trimmed": _("trimmed"),
        "removed": _("removed"),
        "offsets_rule": _("Between 0 and the length of the text, the start before the end, more than white space."),
        "picker_help": _("Select words in the article to set Start and End; you can still type the offsets."),
        "picker_label": _("Article text: select words to set the claim's span"),
        "in_sentence": _("In its sentence:"),
    }


def person_label(user) -> str:
    """A person as the desk names them in a choice: "Full Name (username)", or the username without a full name."""
    full_name = user.get_full_name() if hasattr(user, "get_full_name") else ""
    return f"{full_name} ({user.get_username()})" if full_name else user.get_username()


class PersonChoiceField(forms.ModelChoiceField):
    """A staff member chosen by full name, with the username to tell namesakes apart."""

    def label_from_instance(self, user) -> str:
        return person_label(user)


class RatingChoiceField(forms.ModelChoiceField):
    """The rating scale as radio buttons, each with its colour, labels and definition."""

    widget = forms.RadioSelect

    def label_from_instance(self, rating: Rating):
        return format_html(
            '<span class="rating-swatch" style="background:{}"></span> <strong>{} / {}</strong>'
            '<span class="rating-definition">{}<br><span lang="en">{}</span></span>',
            rating.colour,
            rating.label_id,
            rating.label_en,
            rating.definition_id,
            rating.definition_en,
        )


class ServiceErrorFormMixin:
    """Show a refusal of the services on the form that caused it, field by field where possible.

    The admin saves through the services after validation; when a service
    refuses, the transaction is rolled back and the form is validated again
    with the refusal attached (``refusal``), so the editor sees their input
    with the reason next to the field at fault.
    """

    refusal: ServiceError | None = None
    # The refusal as the page shows it (in the user's language, with links), set with ``refusal``.
    refusal_text: str = ""

    def clean(self):
        """The refusal once, above the form; next to a field only what is particular to that field.

        The services repeat their message for each field at fault and name hidden ones (the version);
        shown everywhere, the same sentence appeared three times on one page.
        """
        cleaned_data = super().clean()
        if self.refusal is not None:
            general = self.refusal_text or self.refusal.message
            for name, messages in self.refusal.errors.items():
                field = self.fields.get(name)
                if field is None or field.widget.is_hidden:
                    continue
                for message in messages:
                    if message not in (general, self.refusal.message):
                        self.add_error(name, message)
            self.add_error(None, general)
        return cleaned_data


class ClaimChangeForm(ServiceErrorFormMixin, forms.ModelForm):
    """Editing a claim: ``version`` carries the version the editor opened, checked by ``claim_update``."""

    version = forms.IntegerField(label=_("version"), widget=forms.HiddenInput, min_value=1)
    note = forms.CharField(
        label=_("Correction note (public, Indonesian)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Any change readers would see (a field or a source) is a correction: say what changed and why."),
    )
    note_en = forms.CharField(
        label=_("Correction note (public, English)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional; without it English readers see the Indonesian note, marked as such."),
    )

    class Meta:
        model = Claim
        fields = sorted(EDITABLE_FIELDS)
        field_classes = {"rating": RatingChoiceField}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if "slug" in self.fields:
            self.fields["slug"].help_text = SLUG_HELP
        if self.instance.status not in REVIEWED_STATUSES:
            # only a change to what readers see is a correction
            del self.fields["note"]
            del self.fields["note_en"]


class ClaimAddForm(ServiceErrorFormMixin, forms.ModelForm):
    class Meta:
        model = Claim
        fields = ["article", *sorted(EDITABLE_FIELDS)]
        field_classes = {"rating": RatingChoiceField}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        self.fields["slug"].help_text = _("Leave it empty to make it from the statement.") + " " + SLUG_HELP


class TransitionForm(forms.Form):
    """One workflow button: the version on screen and, where needed, a note."""

    version = forms.IntegerField(min_value=1, required=False)
    note = forms.CharField(required=False, max_length=5000)


class AssignResearcherForm(forms.Form):
    researcher = PersonChoiceField(
        queryset=get_user_model().objects.none(),
        required=False,
        label=_("Researcher"),
        empty_label=_("— nobody (unassign) —"),
        help_text=_("An editor or a reviewer."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["researcher"].queryset = researcher_choices()


class RevisionDecisionForm(forms.Form):
    """Proposing a retraction, or deciding on a pending revision: the version on screen and the notes."""

    version = forms.IntegerField(min_value=1, required=False)
    note = forms.CharField(required=False, max_length=5000)
    note_en = forms.CharField(required=False, max_length=5000)


def researcher_choices():
    """Active staff who may research claims (editors, reviewers, superusers)."""
    from django.db.models import Q

    from ..roles import EDITORS, REVIEWERS

    return (
        get_user_model()
        .objects.filter(is_active=True, is_staff=True)
        .filter(Q(is_superuser=True) | Q(groups__name__in=[EDITORS, REVIEWERS]))
        .distinct()
        .order_by("first_name", "last_name", "username")
    )
