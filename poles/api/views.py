from common.api.views import ReadOnlyResource, SyncedResource
from poles.api.serializers import PoleSerializer, RegionSerializer
from poles.models import Pole, Region


class PoleViewSet(SyncedResource):
    """The regional social economy poles."""

    serializer_class = PoleSerializer

    def get_queryset(self):
        return Pole.objects.prefetch_related("regions")


class RegionViewSet(ReadOnlyResource):
    """Québec's 17 administrative regions, by code, with the poles serving each."""

    serializer_class = RegionSerializer
    lookup_field = "code"

    def get_queryset(self):
        return Region.objects.prefetch_related("poles")
