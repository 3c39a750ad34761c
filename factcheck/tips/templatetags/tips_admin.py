from django import template

from factcheck.tips.models import Tip

register = template.Library()


@register.simple_tag(takes_context=True)
def new_tips_count(context) -> int | None:
    """How many tips wait for triage, for a user who may see them (one COUNT query), else None."""
    user = context["request"].user
    if not user.has_perm("tips.view_tip"):
        return None
    return Tip.objects.new().count()
