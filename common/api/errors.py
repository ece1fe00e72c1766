"""One error body for every answer: `{"detail": ..., "errors": {param: [...]}}`."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, serializers
from rest_framework.views import exception_handler as drf_exception_handler


class ErrorSerializer(serializers.Serializer):
    """The body of every error answer."""

    detail = serializers.CharField(help_text="What went wrong, in the request's language.")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Per parameter, what was wrong with its value.",
    )


ERROR_RESPONSES = {
    400: OpenApiResponse(ErrorSerializer, description="A parameter has a bad value."),
    401: OpenApiResponse(ErrorSerializer, description="The API key is unknown or revoked."),
    403: OpenApiResponse(ErrorSerializer, description="Not for this caller (drafts, archives)."),
    406: OpenApiResponse(ErrorSerializer, description="No format matches the Accept header."),
    429: OpenApiResponse(
        ErrorSerializer, description="Rate limit passed; the Retry-After header says when to retry."
    ),
}
NOT_FOUND_RESPONSE = {404: OpenApiResponse(ErrorSerializer, description="No such record.")}


def api_exception_handler(exc, context):
    """Every error as `{"detail": "...", "errors": {...}}`, in JSON whatever the format."""
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    if isinstance(exc, exceptions.ValidationError):
        if isinstance(data, dict):
            errors = {key: _as_messages(value) for key, value in data.items()}
        else:
            errors = {"non_field_errors": _as_messages(data)}
        names = ", ".join(errors)
        response.data = {
            "detail": _("Invalid value for: %(names)s.") % {"names": names},
            "errors": errors,
        }
    elif isinstance(data, dict) and "detail" in data:
        response.data = {"detail": str(data["detail"])}
    else:
        response.data = {"detail": str(data)}
    return response


def _as_messages(value) -> list[str]:
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    if isinstance(value, dict):
        return [f"{key}: {', '.join(_as_messages(v))}" for key, v in value.items()]
    return [str(value)]
