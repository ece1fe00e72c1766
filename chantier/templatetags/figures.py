from django import template

from chantier.formatting import figure_display

register = template.Library()


@register.filter
def figure_value(figure) -> str:
    """A KeyFigure's value as it reads in the active language."""
    return figure_display(value=figure.value, unit=figure.unit, qualifier=figure.qualifier)
