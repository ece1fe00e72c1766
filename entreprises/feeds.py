"""Atom feeds of the enterprises newly published in the directory: all of them, a
pole's, a sector's; in the language of the address (Django's syndication framework)."""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from entreprises.models import Enterprise, Sector
from entreprises.selectors import newly_published, primary_sector
from poles.models import Pole


class NewEnterprisesFeed(Feed):
    """Every enterprise newly published, latest first."""

    feed_type = Atom1Feed
    author_name = "Chantier de l’économie sociale"

    def get_object(self, request, *args, **kwargs):
        return None

    def title(self, scope):
        return _("New enterprises — Québec social economy portal")

    def subtitle(self, scope):
        return _("The enterprises most recently published in the directory.")

    def link(self, scope):
        return reverse("entreprises:directory")

    def items(self, scope):
        return newly_published()

    def item_title(self, item: Enterprise):
        return item.name

    def item_description(self, item: Enterprise):
        # Plain text: Atom readers show it as the entry's summary.
        facts = [str(item.get_legal_form_display()).capitalize()]
        sector = primary_sector(item)
        if sector is not None:
            facts.append(sector.name)
        if item.city:
            facts.append(item.city)
        summary = " · ".join(facts)
        return f"{summary}\n\n{item.description}" if item.description else summary

    def item_pubdate(self, item: Enterprise):
        return item.published_at

    def item_updateddate(self, item: Enterprise):
        return item.updated_at

    def item_categories(self, item: Enterprise):
        sector = primary_sector(item)
        return [sector.name] if sector is not None else []


class PoleNewEnterprisesFeed(NewEnterprisesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Pole, slug=slug)

    def title(self, pole: Pole):
        return _("New enterprises of %(pole)s — Québec social economy portal") % {"pole": pole}

    def subtitle(self, pole: Pole):
        return _("The enterprises of this pole most recently published in the directory.")

    def link(self, pole: Pole):
        return pole.get_absolute_url()

    def items(self, pole: Pole):
        return newly_published(pole=pole)


class SectorNewEnterprisesFeed(NewEnterprisesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Sector, slug=slug)

    def title(self, sector: Sector):
        return _("New enterprises in %(sector)s — Québec social economy portal") % {
            "sector": sector.name
        }

    def subtitle(self, sector: Sector):
        return _("The enterprises of this sector most recently published in the directory.")

    def link(self, sector: Sector):
        return sector.get_absolute_url()

    def items(self, sector: Sector):
        return newly_published(sector=sector)
