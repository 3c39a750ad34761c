"""Template filters of the newsroom's admin."""

from django import template
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist

from ..labels import choice_label

register = template.Library()


@register.filter(name="choice_label")
def choice_label_filter(label: object) -> str:
    """A model's choice label (a status, a kind) in the user's language, e.g. of ``get_status_display``."""
    return choice_label(label)


def _model(obj):
    """A model instance, or a model named "app_label.model_name"."""
    return apps.get_model(obj) if isinstance(obj, str) else type(obj)


@register.filter
def field_label(name: str, obj) -> str:
    """A field by its name in words (``statement_en`` → "statement (English)"), else as given.

    ``obj`` is an instance of the model or its name: ``{{ change.field|field_label:"claims.evidence" }}``.
    """
    try:
        return str(_model(obj)._meta.get_field(name).verbose_name)
    except (AttributeError, LookupError, ValueError, FieldDoesNotExist):
        return name


@register.filter
def choice_of(value: str, field: str) -> str:
    """A stored choice by its label in the user's language.

    ``{{ change.stance|choice_of:"claims.evidence.stance" }}``
    """
    model, _, name = field.rpartition(".")
    try:
        choices = dict(_model(model)._meta.get_field(name).flatchoices)
    except (LookupError, ValueError, FieldDoesNotExist):
        return value
    return choice_label(choices[value]) if value in choices else value
