from django import template

from chantier.formatting import figure_display
from common.fragments import rendered

register = template.Library()


@register.filter
def figure_value(figure) -> str:
    """A KeyFigure's value as it reads in the active language."""
    return figure_display(value=figure.value, unit=figure.unit, qualifier=figure.qualifier)


@register.simple_tag
def map_preview_dots(dots) -> str:
    """The home page's map preview dots (PreviewDot), rendered once per set of dots."""
    return rendered("chantier/includes/map_preview_dots.html", dots=tuple(dots))
