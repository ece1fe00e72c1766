"""The base of every endpoint: language, error format, conditional GET, paging."""

from datetime import UTC

from django.utils import timezone
from django.utils.cache import get_conditional_response, set_response_etag
from django.utils.http import http_date
from django.utils.translation import gettext as _
from rest_framework import exceptions, status, viewsets
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from common.api.formats import FormatNegotiation
from common.api.languages import requested_language
from common.api.paging import KeysetPagination
from common.api.parameters import check_parameters


class JsonErrorsMixin:
    """Errors in JSON whatever the view writes when all goes well (CSV, YAML, HTML)."""

    def finalize_response(self, request, response, *args, **kwargs):
        if isinstance(response, Response) and response.status_code >= 400:
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = "application/json"
        return super().finalize_response(request, response, *args, **kwargs)


class ApiViewMixin(JsonErrorsMixin):
    """Language, error format, and conditional GET for every endpoint."""

    content_negotiation_class = FormatNegotiation
    # Identifiers are slugs or codes: any other character (a space, a NUL byte) is refused
    # by the route itself, before a query is made, as the 404 of an unknown address.
    lookup_value_regex = "[-a-zA-Z0-9_]+"

    # Parameters whose value has a type or a closed list: given empty, they are an error.
    typed_parameters = ("lang", "format", "page_size", "updated_since", "legal_form", "status")

    def initial(self, request, *args, **kwargs):
        # Dates in UTC ("Z"): one form for every partner, comparable across DST changes.
        timezone.activate(UTC)
        check_parameters(request, self)
        empty = [name for name in self.typed_parameters if request.query_params.get(name) == ""]
        if empty:
            raise exceptions.ValidationError(
                {name: [_("Give a value, or leave the parameter out.")] for name in empty}
            )
        super().initial(request, *args, **kwargs)
        self.lang = requested_language(request)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["lang"] = getattr(self, "lang", None)
        return context

    def finalize_response(self, request, response, *args, **kwargs):
        timezone.deactivate()
        response = super().finalize_response(request, response, *args, **kwargs)
        vary = ["Accept", "Accept-Language"]
        response["Vary"] = ", ".join(vary)
        if request.method in ("GET", "HEAD") and response.status_code == status.HTTP_200_OK:
            return self.conditional(request, response)
        return response

    def conditional(self, request, response):
        """ETag and Last-Modified, and 304 when the partner's copy is current."""
        last_modified = getattr(response, "last_modified_at", None)
        if last_modified is not None:
            response["Last-Modified"] = http_date(last_modified.timestamp())
        if response.streaming:
            etag = getattr(response, "version_etag", None)
            if etag:
                response["ETag"] = etag
        else:
            response.render()
            set_response_etag(response)
        etag = response.get("ETag")
        conditional = get_conditional_response(
            request._request if hasattr(request, "_request") else request,
            etag=etag,
            # HTTP dates have whole seconds.
            last_modified=int(last_modified.timestamp()) if last_modified else None,
            response=response,
        )
        return conditional


class ReadOnlyResource(ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    """A small reference list (poles, regions, sectors, events, organizations), paged by id."""

    pagination_class = KeysetPagination
    keyset_ordering = ("id",)
    lookup_field = "slug"

    def get_object(self):
        key = self.kwargs[self.lookup_field]
        found = self.get_queryset().filter(**{self.lookup_field: key}).first()
        if found is None:
            raise exceptions.NotFound(
                _("Not found: no %(kind)s has the identifier “%(key)s”.")
                % {"kind": self.get_queryset().model._meta.verbose_name, "key": key[:50]}
            )
        return found
