from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from common.api.languages import TranslatedField
from common.api.links import Linked, LinkedWithPage
from evenements.models import Event, Organization


class OrganizationSummarySerializer(Linked):
    url_name = "api:organization-detail"

    slug = serializers.SlugField()
    name = TranslatedField()
    acronym = TranslatedField()


class EnterpriseSummarySerializer(Linked):
    url_name = "api:enterprise-detail"

    slug = serializers.SlugField()
    name = TranslatedField()


@extend_schema_field(OpenApiTypes.STR)
class CountryCodeField(serializers.Field):
    """An ISO 3166-1 alpha-2 code, empty when there is none."""

    def to_representation(self, value):
        return value.code or ""


@extend_schema_field({"type": "array", "items": {"type": "string"}})
class CountryCodesField(serializers.Field):
    def to_representation(self, value):
        return [country.code for country in value]


class OrganizationSerializer(Linked, serializers.ModelSerializer):
    url_name = "api:organization-detail"

    name = TranslatedField()
    acronym = TranslatedField()
    description = TranslatedField()
    source = TranslatedField()
    country = CountryCodeField(help_text="ISO 3166-1 alpha-2; empty for international bodies.")

    class Meta:
        model = Organization
        fields = [
            "id",
            "slug",
            "url",
            "name",
            "acronym",
            "kind",
            "country",
            "description",
            "website",
            "founded_year",
            "source",
            "updated_at",
        ]


class EventSerializer(LinkedWithPage, serializers.ModelSerializer):
    url_name = "api:event-detail"
    page_url_name = "evenements:detail"

    name = TranslatedField()
    venue = TranslatedField()
    city = TranslatedField()
    description = TranslatedField()
    source = TranslatedField()
    country = CountryCodeField(help_text="ISO 3166-1 alpha-2 code of the host country.")
    countries = CountryCodesField(help_text="Countries represented that a source names.")
    organizers = OrganizationSummarySerializer(many=True)
    partners = OrganizationSummarySerializer(many=True)
    participating_organizations = OrganizationSummarySerializer(
        many=True, help_text="Organizations whose representatives attended, without being partners."
    )
    enterprises_visited = EnterpriseSummarySerializer(
        many=True, source="published_visits", help_text="Published enterprises only."
    )

    class Meta:
        model = Event
        fields = [
            "id",
            "slug",
            "url",
            "web_url",
            "name",
            "kind",
            "year",
            "start_date",
            "end_date",
            "venue",
            "city",
            "country",
            "description",
            "participants",
            "countries_count",
            "countries_approximate",
            "countries",
            "organizers",
            "partners",
            "participating_organizations",
            "enterprises_visited",
            "source",
            "updated_at",
        ]
