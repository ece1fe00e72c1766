from django.db.models import Prefetch

from common.api.views import SyncedResource
from entreprises.selectors import public_enterprises
from evenements.api.serializers import EventSerializer, OrganizationSerializer
from evenements.models import Event, Organization


class EventViewSet(SyncedResource):
    """International events, missions and milestones, with organizers and sites visited."""

    serializer_class = EventSerializer

    def get_queryset(self):
        return Event.objects.prefetch_related(
            "organizers",
            "partners",
            "participating_organizations",
            Prefetch(
                "enterprises_visited",
                queryset=public_enterprises().order_by("name", "id"),
                to_attr="published_visits",
            ),
        )


class OrganizationViewSet(SyncedResource):
    """Partner and international organizations."""

    serializer_class = OrganizationSerializer

    def get_queryset(self):
        return Organization.objects.all()
