from django import template

from entreprises.selectors import english_missing_by_pole as missing_by_pole

register = template.Library()


@register.inclusion_tag("admin/entreprises/english_missing.html", takes_context=True)
def english_missing_by_pole(context):
    """On the admin's index: per pole of the user, how many enterprises lack English."""
    user = context["request"].user
    if not user.has_perm("entreprises.view_enterprise"):
        return {"poles": []}
    return {"poles": missing_by_pole(user=user)}
