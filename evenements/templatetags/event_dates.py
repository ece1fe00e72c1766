from django import template

from evenements.dates import when

register = template.Library()


@register.filter
def event_when(event) -> str:
    """The event's dates as a phrase of the page's language (evenements/dates.py)."""
    return when(year=event.year, start=event.start_date, end=event.end_date)
