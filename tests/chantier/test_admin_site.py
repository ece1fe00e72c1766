"""The admin site's context for every page is Django's, its menu of models built only
when a page shows it (chantier/admin_site.py)."""

from django.contrib import admin
from django.contrib.admin import AdminSite
from django.urls import reverse


def test_every_page_gets_djangos_context(rf, personas):
    request = rf.get("/admin/")
    request.user = personas.staff_a
    ours = admin.site.each_context(request)
    djangos = AdminSite.each_context(admin.site, request)
    assert ours.keys() == djangos.keys()
    assert list(ours["available_apps"]) == djangos["available_apps"]
    assert [app["app_label"] for app in ours["available_apps"]] == [
        app["app_label"] for app in djangos["available_apps"]
    ]
    assert {
        key: value for key, value in ours.items() if key not in {"available_apps", "log_entries"}
    } == {
        key: value for key, value in djangos.items() if key not in {"available_apps", "log_entries"}
    }


def test_the_menu_still_shows_where_a_page_has_it(personas):
    client = personas.client_for(personas.national)
    page = client.get(reverse("admin:entreprises_sector_changelist"), HTTP_ACCEPT_LANGUAGE="en")
    body = page.content.decode()
    assert 'id="nav-sidebar"' in body
    assert f'<a href="{reverse("admin:entreprises_enterprise_changelist")}"' in body
    # The enterprise list gives the menu's width to its columns.
    page = client.get(reverse("admin:entreprises_enterprise_changelist"))
    assert 'id="nav-sidebar"' not in page.content.decode()
