from django.utils import timezone
from django.views.generic import DetailView, ListView, TemplateView

from evenements.linked_data import event_json_ld, organization_json_ld
from evenements.models import Event, Organization
from evenements.selectors import (
    by_year,
    event_details,
    history,
    organization_events,
    organizations_by_kind,
    upcoming_events,
)


class EventListView(ListView):
    template_name = "evenements/list.html"
    context_object_name = "events"
    paginate_by = 50

    def get_queryset(self):
        return history(today=timezone.localdate())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["agenda"] = list(upcoming_events(today=timezone.localdate()))
        context["years"] = by_year(context["events"])
        return context


class EventDetailView(DetailView):
    template_name = "evenements/detail.html"
    context_object_name = "event"
    model = Event

    def get_context_data(self, **kwargs):
        details = event_details(self.object)
        build = self.request.build_absolute_uri
        json_ld = event_json_ld(
            self.object,
            url=build(self.object.get_absolute_url()),
            organizers=details["organizers"],
            organizer_url=lambda organization: build(organization.get_absolute_url()),
            visited_urls=[build(e.get_absolute_url()) for e in details["visited"]],
        )
        return super().get_context_data(**details, json_ld=json_ld, **kwargs)


class OrganizationListView(TemplateView):
    template_name = "evenements/organization_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(groups=organizations_by_kind(), **kwargs)


class OrganizationDetailView(DetailView):
    """An organization and the events it organized, supported or attended."""

    template_name = "evenements/organization_detail.html"
    context_object_name = "organization"
    model = Organization

    def get_context_data(self, **kwargs):
        url = self.request.build_absolute_uri(self.object.get_absolute_url())
        return super().get_context_data(
            **organization_events(self.object),
            json_ld=organization_json_ld(self.object, url=url),
            **kwargs,
        )
