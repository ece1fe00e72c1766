"""The base of every read-only resource of the API."""

from django.utils.translation import gettext as _
from rest_framework import exceptions, viewsets

from chantier.api_common import ApiViewMixin, KeysetPagination


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
