"""The admin's history list: a column's title and value as a person reads them (the
changes themselves are made readable by common/admin_history.py)."""

from django import template
from django.core.exceptions import FieldDoesNotExist
from django.utils.text import capfirst

from common.admin_history import EMPTY

register = template.Library()


def _field(record, name):
    model = getattr(record, "instance_type", None)
    try:
        return model._meta.get_field(name) if model is not None else None
    except FieldDoesNotExist:
        return None


@register.simple_tag
def field_label(record, name):
    field = _field(record, name)
    return capfirst(field.verbose_name) if field is not None else name


@register.simple_tag
def shown_value(record, name, value):
    if value is None or value == "":
        return EMPTY
    field = _field(record, name)
    if field is not None and field.choices:
        return dict(field.flatchoices).get(value, value)
    return value
