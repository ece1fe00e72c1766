"""Which query parameters a route takes: the one allow-list, derived from what the route reads.

A list takes its filters (the FilterSet's), its paging (`cursor`, `page_size`),
`format` and `lang`; a detail only `format` and `lang`. Anything else is a 400
naming it, so that a misspelt filter (`?sectors=`) never returns the whole
list. Only the filters that take several values may be repeated.
"""

from django import forms
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.settings import api_settings

# Read by every route (common/api/languages.py, common/api/formats.py).
COMMON_PARAMETERS = ("lang", api_settings.URL_FORMAT_OVERRIDE)
MULTIPLE_VALUE_FIELDS = (forms.MultipleChoiceField, forms.ModelMultipleChoiceField)


def route_parameters(view) -> tuple[set[str], set[str]]:
    """The parameters `view` reads for its current action, and those of them repeatable."""
    allowed, repeatable = set(COMMON_PARAMETERS), set()
    if getattr(view, "detail", False) or getattr(view, "action", None) != "list":
        return allowed, repeatable
    filterset_class = getattr(view, "filterset_class", None)
    if filterset_class is not None:
        for name, declared in filterset_class.base_filters.items():
            allowed.add(name)
            if issubclass(declared.field_class, MULTIPLE_VALUE_FIELDS):
                repeatable.add(name)
    paginator = getattr(view, "paginator", None)
    if paginator is not None:
        allowed.update(paginator.query_parameters())
    return allowed, repeatable


def check_parameters(request, view) -> None:
    """A 400 for parameters the route does not read, and for single values given twice.

    Only for reading: other methods get their 405 (or OPTIONS its answer) whatever the query.
    """
    if request.method not in ("GET", "HEAD"):
        return
    allowed, repeatable = route_parameters(view)
    params = request.query_params
    errors = {}
    for name in params:
        if name not in allowed:
            errors[name[:50]] = [
                _("Unknown parameter: this address takes %(names)s.")
                % {"names": ", ".join(sorted(allowed))}
            ]
        elif name not in repeatable and len(params.getlist(name)) > 1:
            errors[name] = [_("Give this parameter once.")]
    if errors:
        raise exceptions.ValidationError(errors)
