from django.urls import path
from django.utils.translation import gettext_lazy as _

from evenements import feeds, views

app_name = "evenements"

urlpatterns = [
    path(_("events/"), views.EventListView.as_view(), name="list"),
    path(_("events/calendar.ics"), feeds.EventCalendarView.as_view(), name="calendar"),
    path(
        _("organizations/<slug:slug>/events.ics"),
        feeds.EventCalendarView.as_view(),
        name="organization-calendar",
    ),
    path(_("events/<slug:slug>/"), views.EventDetailView.as_view(), name="detail"),
    path(_("organizations/"), views.OrganizationListView.as_view(), name="organizations"),
    path(
        _("organizations/<slug:slug>/"),
        views.OrganizationDetailView.as_view(),
        name="organization",
    ),
]
