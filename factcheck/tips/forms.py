"""The reader's tip form, with the defences that need no third-party service.

- a honeypot field (``website``) hidden from people, which bots fill in;
- a signed timestamp (``started``) set when the form is shown: a form sent back sooner than
  ``TIP_MIN_SECONDS`` is a script's, one older than ``TIP_FORM_MAX_AGE_SECONDS`` has expired;
- size limits on every field (and Django's limit on the whole request body);
- CSRF, by Django's middleware; the rate limit per address is the view's (``throttles.TipThrottle``).
"""

from __future__ import annotations

import time

from django import forms
from django.conf import settings
from django.core import signing
from django.utils.translation import gettext_lazy as _

from .models import CONTACT_MAX, LINK_MAX, TEXT_MAX

STARTED_SALT = "factcheck.tips.form-started"
HONEYPOT = "website"


def started_token(now: float | None = None) -> str:
    return signing.dumps(int(now if now is not None else time.time()), salt=STARTED_SALT)


class TickedBox(forms.CheckboxInput):
    """A checkbox that is ticked only as browsers send one: "on" (or Django's own "true"). Django's reads any
    other value but "false" as ticked, so a form posted with ``consent=0`` gave consent."""

    def value_from_datadict(self, data, files, name) -> bool:
        return str(data.get(name, "")).lower() in ("on", "true")


class TipForm(forms.Form):
    text = forms.CharField(
        label=_("What should we check?"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("The claim in the words you saw it, and where and when you saw it."),
    )
    link = forms.URLField(
        label=_("Link (optional)"),
        max_length=LINK_MAX,
        required=False,
        assume_scheme="https",
        help_text=_("Where the claim appeared, if it is online."),
    )
    contact = forms.CharField(
        label=_("How can we reach you? (optional)"),
        max_length=CONTACT_MAX,
        required=False,
        help_text=_("An e-mail address or phone number, only if you want an answer."),
    )
    consent = forms.BooleanField(
        widget=TickedBox,
        label=_(
            "I agree that the newsroom stores what I sent to check it and, if I left a contact, to answer me. "
            "It is never published and is deleted after the retention period."
        ),
        error_messages={"required": _("Please agree to how we store your message, or we cannot take it.")},
    )
    website = forms.CharField(label=_("Leave this field empty"), required=False)
    started = forms.CharField(widget=forms.HiddenInput)

    def clean(self):
        cleaned = super().clean()
        if self.data.get(HONEYPOT):
            raise forms.ValidationError(
                _("This form could not be sent: a field that must stay empty was filled in."), code="honeypot"
            )
        token = self.data.get("started", "")
        try:
            started = signing.loads(token, salt=STARTED_SALT, max_age=settings.TIP_FORM_MAX_AGE_SECONDS)
        except signing.SignatureExpired:
            raise forms.ValidationError(
                _("This form was open too long and has expired. Please send it again."), code="expired"
            ) from None
        except signing.BadSignature:
            raise forms.ValidationError(
                _("This form could not be checked. Please reload the page and send it again."), code="bad_token"
            ) from None
        if time.time() - float(started) < settings.TIP_MIN_SECONDS:
            raise forms.ValidationError(
                _("This form was sent too quickly after it was opened. Please wait a few seconds and send it again."),
                code="too_fast",
            )
        return cleaned
