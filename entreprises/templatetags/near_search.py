from django import template

from entreprises.nearby import DEFAULT_RADIUS_KM, RADIUS_CHOICES

register = template.Library()


@register.inclusion_tag("includes/near_fields.html")
def near_fields(*, prefix: str = "", near: str = "", radius: int | None = None):
    """The "near" field, its radius and the "use my position" button, in any search form."""
    return {
        "prefix": prefix,
        "near": near or "",
        "radius": radius or DEFAULT_RADIUS_KM,
        "radius_choices": RADIUS_CHOICES,
    }
