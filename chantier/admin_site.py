"""The portal's admin site: Django's, with guards that hold for every model at once: no NUL
byte in a query string, a history version is a number, "view on site" only for what
the user may see; and the two-factor pages (chantier/admin_two_factor.py)."""

from functools import wraps

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.http import Http404, HttpResponseBadRequest
from django.urls import path
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext

from chantier.admin_two_factor import enrol_view, verify_view
from poles.two_factor import sign_in_complete, uses_second_factor


class PortalAdminSite(admin.AdminSite):
    def admin_view(self, view, cacheable=False):
        return super().admin_view(_refusing_bad_parameters(view), cacheable)

    def get_urls(self):
        urls = [url for url in super().get_urls() if getattr(url, "name", "") != "view_on_site"]
        return [
            path("two-factor/", self.admin_view(enrol_view), name="two_factor_enrol"),
            path("two-factor/code/", self.admin_view(verify_view), name="two_factor_verify"),
            path(
                "r/<int:content_type_id>/<path:object_id>/",
                self.admin_view(self.view_on_site),
                name="view_on_site",
            ),
            *urls,
        ]

    def each_context(self, request):
        # Django's, but the menu of every model (a permission check for each) is built only
        # when a page shows it: the enterprise list does not, and saves a millisecond.
        script_name = request.META["SCRIPT_NAME"]
        return {
            "site_title": self.site_title,
            "site_header": self.site_header,
            "site_url": script_name if self.site_url == "/" and script_name else self.site_url,
            "has_permission": self.has_permission(request),
            "available_apps": SimpleLazyObject(lambda: self.get_app_list(request)),
            "is_popup": False,
            "is_nav_sidebar_enabled": self.enable_nav_sidebar,
            "log_entries": self.get_log_entries(request),
        }

    def login(self, request, extra_context=None):
        response = super().login(request, extra_context)
        # The failed attempts are forgotten once signed in, which a second factor may still
        # stand between (then chantier.admin_two_factor.verify_view forgets them).
        user = request.user
        signed_in = request.method == "POST" and response.status_code == 302
        if signed_in and user.is_authenticated and not uses_second_factor(user):
            sign_in_complete(request, user=user)
        return response

    def view_on_site(self, request, content_type_id, object_id):
        """Django's "view on site" shortcut, only to a record the user's admin lists: staff
        of one pole never learn the address (the slug) of another pole's record."""
        try:
            model = ContentType.objects.get_for_id(content_type_id).model_class()
        except ContentType.DoesNotExist:
            raise Http404 from None
        model_admin = self._registry.get(model)
        if model_admin is None or not model_admin.has_view_or_change_permission(request):
            raise Http404
        if model_admin.get_object(request, unquote(object_id)) is None:
            raise Http404
        return shortcut(request, content_type_id, object_id)


def _refusing_bad_parameters(view):
    """PostgreSQL text cannot hold a NUL byte: a filter or a search term with one would fail
    in the database, so it is refused before any lookup. simple_history reads the version
    of its history_form_view (its second argument) as a key without checking it."""

    @wraps(view)
    def guarded(request, *args, **kwargs):
        if any("\x00" in key or "\x00" in value for key, value in request.GET.items()):
            return HttpResponseBadRequest(
                gettext("The request contains a NUL character."),
                content_type="text/plain; charset=utf-8",
            )
        if view.__name__ == "history_form_view" and not str(args[1]).isdigit():
            raise Http404
        return view(request, *args, **kwargs)

    return guarded
