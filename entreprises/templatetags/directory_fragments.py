from django import template

from common.fragments import rendered

register = template.Library()


@register.simple_tag
def enterprise_card(enterprise, show_distance=False):
    """An enterprise's card in a list (with_card_details gives what it shows)."""
    return rendered(
        "includes/enterprise_card.html",
        slug=enterprise.slug,
        name=enterprise.name,
        name_language=enterprise.name_language,
        legal_form=str(enterprise.get_legal_form_display()),
        sector_name=enterprise.sector_name,
        city=enterprise.city,
        region_name=enterprise.region_name,
        is_demo=enterprise.is_demo,
        distance_km=enterprise.distance_km if show_distance else None,
    )


@register.simple_tag
def facet_options(name, options):
    """A facet's checkboxes, one per value (FacetOption)."""
    return rendered("includes/facet_options.html", name=name, options=tuple(options))
