from decimal import Decimal

import factory

from chantier.models import KeyFigure
from entreprises.models import Enterprise, EnterpriseSector, Sector
from evenements.models import Event, Organization
from poles.models import Pole, Region


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ["code"]

    code = "06"
    name_fr = "Montréal"
    name_en = "Montréal"


class PoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pole
        skip_postgeneration_save = True

    name_fr = factory.Sequence(lambda n: f"Pôle d'économie sociale numéro {n}")
    slug = factory.Sequence(lambda n: f"pole-{n}")

    @factory.post_generation
    def regions(self, create, extracted, **kwargs):
        if create:
            self.regions.set(extracted if extracted is not None else [RegionFactory()])


class SectorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sector

    name_fr = factory.Sequence(lambda n: f"Secteur {n}")
    name_en = factory.Sequence(lambda n: f"Sector {n}")
    slug = factory.Sequence(lambda n: f"secteur-{n}")


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enterprise

    name_fr = factory.Sequence(lambda n: f"Coopérative de solidarité numéro {n}")
    name_en = factory.Sequence(lambda n: f"Solidarity Co-operative number {n}")
    slug = factory.Sequence(lambda n: f"entreprise-{n}")
    legal_form = "cooperative"
    cooperative_type = "solidarity"
    status = "published"
    city = "Montréal"
    postal_code = "H2X 1Y4"
    latitude = Decimal("45.508800")
    longitude = Decimal("-73.587800")


class EnterpriseSectorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EnterpriseSector

    enterprise = factory.SubFactory(EnterpriseFactory)
    sector = factory.SubFactory(SectorFactory)
    is_primary = True


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name_fr = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.Sequence(lambda n: f"organisation-{n}")
    kind = "network"


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    name_fr = factory.Sequence(lambda n: f"Forum {n}")
    slug = factory.Sequence(lambda n: f"forum-{n}")
    kind = "forum"
    year = 2011


class KeyFigureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KeyFigure

    key = factory.Sequence(lambda n: f"figure-{n}")
    label_fr = "Emplois"
    label_en = "Jobs"
    value = Decimal("220000")
    unit = "count"
    year = 2016
    source_fr = "Institut de la statistique du Québec"
    source_en = "Institut de la statistique du Québec"
