"""Template filters of the newsroom's admin."""

from django import template

from ..labels import choice_label

register = template.Library()


@register.filter(name="choice_label")
def choice_label_filter(label: object) -> str:
    """A model's choice label (a status, a kind) in the user's language, e.g. of ``get_status_display``."""
    return choice_label(label)
