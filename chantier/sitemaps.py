"""`/sitemap.xml`: every public page, in French and English, with hreflang alternates."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from entreprises.models import Sector
from entreprises.selectors import public_enterprises
from evenements.models import Event, Organization
from poles.models import Pole


class BilingualSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True
    limit = 20000  # URLs per sitemap page, before languages double them


class StaticPagesSitemap(BilingualSitemap):
    def items(self):
        return [
            "home",
            "entreprises:directory",
            "entreprises:sectors",
            "entreprises:map",
            "poles:list",
            "evenements:list",
            "evenements:organizations",
            "statistics",
            "about",
            "accessibility",
            "privacy",
        ]

    def location(self, item):
        return reverse(item)


class EnterpriseSitemap(BilingualSitemap):
    def items(self):
        return public_enterprises().only("slug", "updated_at").order_by("id")

    def lastmod(self, enterprise):
        return enterprise.updated_at


class PoleSitemap(BilingualSitemap):
    def items(self):
        return Pole.objects.only("slug").order_by("id")


class SectorSitemap(BilingualSitemap):
    def items(self):
        return Sector.objects.only("slug").order_by("id")


class EventSitemap(BilingualSitemap):
    def items(self):
        return Event.objects.only("slug").order_by("id")


class OrganizationSitemap(BilingualSitemap):
    def items(self):
        return Organization.objects.only("slug").order_by("id")


SITEMAPS = {
    "pages": StaticPagesSitemap,
    "enterprises": EnterpriseSitemap,
    "poles": PoleSitemap,
    "sectors": SectorSitemap,
    "events": EventSitemap,
    "organizations": OrganizationSitemap,
}
