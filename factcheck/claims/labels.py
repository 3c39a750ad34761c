"""The names of the claims models and their fields in the user's language, for the newsroom's admin.

The models name their fields in English; the admin shows these names (form labels, help texts,
list columns and filters, history) in the language of the user. They are set here, translated
lazily, when the app is ready, instead of in ``models.py``: a field's ``verbose_name`` and a model's
``Meta`` names are part of its migration state, and these only add translations of the same
English names, which changes no migration (``Field.deconstruct`` reads the names given in
``models.py``, ``ModelState`` the ``Meta`` given there).

Choice labels (statuses, kinds, stances) stay as they are on the models: the services put them in
history reasons and refusals in English. The admin translates them where it shows them
(:func:`choice_label`).
"""

from __future__ import annotations

from django.apps import apps
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

MODEL_NAMES = {
    "rating": (_("rating"), _("ratings")),
    "article": (_("article"), _("articles")),
    "claim": (_("claim"), _("claims")),
    "correction": (_("correction"), _("corrections")),
    "revision": (_("revision"), _("revisions")),
    "evidence": (_("source"), _("sources")),
}

FIELD_NAMES = {
    "rating": {
        "key": _("key"),
        "value": _("value"),
        "label_id": _("label (Indonesian)"),
        "label_en": _("label (English)"),
        "definition_id": _("definition (Indonesian)"),
        "definition_en": _("definition (English)"),
        "colour": _("colour"),
        "position": _("position"),
    },
    "article": {
        "slug": _("address (slug)"),
        "headline": _("headline"),
        "outlet": _("publisher / outlet"),
        "author": _("author"),
        "url": _("URL"),
        "published_on": _("published on"),
        "language": _("language"),
        "body": _("text"),
        "original": _("original bytes"),
        "body_hash": _("text fingerprint"),
        "created_at": _("created at"),
        "updated_at": _("updated at"),
    },
    "claim": {
        "article": _("article"),
        "slug": _("address (slug)"),
        "start": _("start"),
        "end": _("end"),
        "quote": _("quote"),
        "statement": _("statement (Indonesian)"),
        "statement_en": _("statement (English)"),
        "claimant": _("claimant"),
        "checkable": _("checkable"),
        "not_checkable_reason": _("why not checkable (Indonesian)"),
        "not_checkable_reason_en": _("why not checkable (English)"),
        "status": _("status"),
        "rating": _("rating"),
        "verdict": _("verdict summary (Indonesian)"),
        "verdict_en": _("verdict summary (English)"),
        "researcher": _("researcher"),
        "reviewer": _("reviewer"),
        "last_edited_by": _("last edited by"),
        "public_note": _("public note"),
        "english_pending": _("English translation pending"),
        "version": _("version"),
        "created_at": _("created at"),
        "published_at": _("published at"),
        "updated_at": _("updated at"),
    },
    "correction": {
        "claim": _("claim"),
        "kind": _("kind"),
        "note": _("note (Indonesian)"),
        "note_en": _("note (English)"),
        "changes": _("changes"),
        "claim_version": _("claim version"),
        "created_by": _("created by"),
        "approved_by": _("approved by"),
        "created_at": _("created at"),
    },
    "revision": {
        "claim": _("claim"),
        "article": _("article"),
        "kind": _("kind"),
        "state": _("state"),
        "base_version": _("base version"),
        "note": _("public note (Indonesian)"),
        "note_en": _("public note (English)"),
        "proposed_by": _("proposed by"),
        "proposed_at": _("proposed at"),
        "decided_by": _("decided by"),
        "decided_at": _("decided at"),
        "decision_note": _("decision note"),
    },
    "evidence": {
        "claim": _("claim"),
        "url": _("URL"),
        "title": _("title"),
        "publisher": _("publisher"),
        "published_on": _("published on"),
        "excerpt": _("excerpt / what it says"),
        "stance": _("stance"),
        "is_primary": _("primary source"),
        "archived_url": _("archived copy"),
        "position": _("position"),
        "created_at": _("created at"),
    },
}

HELP_TEXTS = {
    "rating": {
        "value": _("Higher means truer; empty for a verdict off the scale (unproven)."),
        "position": _("Order on the methodology page."),
    },
    "article": {
        "body": _("The repaired text. Claim spans index into it."),
        "original": _("The bytes exactly as received, never thrown away."),
        "body_hash": _("SHA-256 of the repaired body."),
    },
    "claim": {
        "start": _("Offset of the first character of the quote in the article body."),
        "end": _("Offset just past the last character of the quote."),
        "quote": _("Always article.body[start:end]; set on save."),
        "public_note": _("The public note of the latest correction or retraction, shown to readers."),
        "version": _("Raised by every save; guards against stale edits."),
    },
}

# The choice labels of the models, marked for translation; the admin shows them through choice_label().
CHOICE_LABELS = [
    gettext_noop("Bahasa Indonesia"),
    gettext_noop("English"),
    gettext_noop("Draft"),
    gettext_noop("Researching"),
    gettext_noop("In review"),
    gettext_noop("Published"),
    gettext_noop("Retracted"),
    gettext_noop("Dismissed (not checkable)"),
    gettext_noop("Correction"),
    gettext_noop("Retraction"),
    gettext_noop("Pending review"),
    gettext_noop("Approved"),
    gettext_noop("Rejected"),
    gettext_noop("Withdrawn"),
    gettext_noop("Supports the claim"),
    gettext_noop("Refutes the claim"),
    gettext_noop("Context"),
]


def choice_label(label: object) -> str:
    """A model's choice label (English, as the services store it) in the user's language."""
    return gettext(str(label))


def name_claims_models() -> None:
    """Give the claims models and their fields their translated names (called by ``ClaimsConfig.ready``)."""
    for model in apps.get_app_config("claims").get_models():
        name = model._meta.model_name
        if name in MODEL_NAMES:
            model._meta.verbose_name, model._meta.verbose_name_plural = MODEL_NAMES[name]
        for field_name, verbose_name in FIELD_NAMES.get(name, {}).items():
            model._meta.get_field(field_name).verbose_name = verbose_name
        for field_name, help_text in HELP_TEXTS.get(name, {}).items():
            model._meta.get_field(field_name).help_text = help_text
