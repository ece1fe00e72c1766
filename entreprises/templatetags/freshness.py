from django import template

from entreprises.freshness import freshness_by_pole, is_overdue
from entreprises.selectors import enterprises_visible_to
from poles.selectors import poles_of

register = template.Library()


@register.inclusion_tag("admin/entreprises/freshness.html", takes_context=True)
def freshness_of_my_poles(context):
    """On the admin's index: per pole of the user, records due soon and overdue."""
    user = context["request"].user
    if not user.has_perm("entreprises.view_enterprise"):
        return {"poles": []}
    return {
        "poles": freshness_by_pole(
            enterprises=enterprises_visible_to(user=user), poles=poles_of(user=user)
        )
    }


@register.filter
def verification_overdue(enterprise) -> bool:
    return is_overdue(enterprise)
