"""The models' choice labels (statuses, kinds, stances, languages) in the user's language, in forms and filters."""

from __future__ import annotations

from django.contrib import admin

from ..labels import choice_label


class TranslatedChoicesMixin:
    """For a ModelAdmin or an inline: the choices of its form fields in the user's language."""

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        formfield = super().formfield_for_choice_field(db_field, request, **kwargs)
        formfield.choices = [(value, choice_label(label) if value else label) for value, label in formfield.choices]
        return formfield


class TranslatedChoicesFilter(admin.ChoicesFieldListFilter):
    """A list filter of a choice field, its options in the user's language."""

    def choices(self, changelist):
        for choice in super().choices(changelist):
            yield {**choice, "display": choice_label(choice["display"])}
