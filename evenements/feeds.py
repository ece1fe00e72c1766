"""The events' calendar feeds: all of them, and those of one organization, in the
language of the address."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views import View

from evenements.calendar import events_calendar
from evenements.models import Organization
from evenements.selectors import calendar_events


class EventCalendarView(View):
    """`text/calendar` of every dated event, or of one organization's (`slug`)."""

    def get(self, request, slug=None):
        organization = None
        name = _("Québec social economy: international events")
        if slug is not None:
            organization = get_object_or_404(Organization, slug=slug)
            name = _("Québec social economy: events of %(organization)s") % {
                "organization": organization
            }
        body = events_calendar(
            calendar_events(organization=organization),
            name=name,
            source=request.build_absolute_uri(),
            url_of=lambda event: request.build_absolute_uri(event.get_absolute_url()),
        )
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = 'inline; filename="events.ics"'
        return response
