from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from common.api.languages import LANGUAGE_MAP_SCHEMA, TranslatedField, translated
from common.api.links import Linked, LinkedWithPage, absolute_url
from entreprises import social_links
from entreprises.enums import Customer
from entreprises.linked_data import ESSGLOBAL_ACTIVITIES, image_urls
from entreprises.models import Enterprise, Sector
from poles.api.serializers import (
    CoordinatesMixin,
    PoleSummarySerializer,
    RegionSummarySerializer,
)


class SectorSummarySerializer(Linked):
    url_name = "api:sector-detail"

    slug = serializers.SlugField()
    name = TranslatedField()


class EnterpriseSectorSerializer(serializers.Serializer):
    url_name = SectorSummarySerializer.url_name

    slug = serializers.SlugField(source="sector.slug")
    url = serializers.SerializerMethodField()
    name = serializers.SerializerMethodField()
    is_primary = serializers.BooleanField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, link) -> str:
        return absolute_url(self.context, self.url_name, link.sector.slug)

    @extend_schema_field(LANGUAGE_MAP_SCHEMA)
    def get_name(self, link):
        return translated(link.sector, "name", self.context.get("lang"))


class SectorSerializer(Linked, serializers.ModelSerializer):
    url_name = "api:sector-detail"

    name = TranslatedField()
    description = TranslatedField()
    parent = SectorSummarySerializer(allow_null=True)
    essglobal_activity = serializers.SerializerMethodField(
        help_text="The ESSGlobal activity (RIPESS vocabulary) this sector maps to, if any."
    )

    class Meta:
        model = Sector
        fields = [
            "id",
            "slug",
            "url",
            "name",
            "description",
            "parent",
            "essglobal_code",
            "essglobal_activity",
        ]

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_essglobal_activity(self, obj):
        return ESSGLOBAL_ACTIVITIES + obj.essglobal_code if obj.essglobal_code else None


class EnterpriseSerializer(CoordinatesMixin, LinkedWithPage, serializers.ModelSerializer):
    """A published enterprise, with what its public page shows and nothing more."""

    url_name = "api:enterprise-detail"
    page_url_name = "entreprises:detail"

    name = TranslatedField()
    description = TranslatedField()
    mission = TranslatedField()
    sectors = EnterpriseSectorSerializer(many=True, source="api_sector_links")
    pole = PoleSummarySerializer(allow_null=True)
    region = RegionSummarySerializer(allow_null=True)
    products_services = TranslatedField()
    opening_hours = serializers.JSONField(
        help_text=(
            "Open days ('mon' ... 'sun') with their time ranges [opens, closes] in Québec's "
            'local time, e.g. {"mon": [["09:00", "12:00"], ["13:00", "17:00"]]}; a day '
            "missing is closed; {} when the hours are not known."
        )
    )
    opening_hours_note = TranslatedField(help_text="Exceptions to the opening hours.")
    sells_to = serializers.ListField(child=serializers.ChoiceField(choices=Customer.choices))
    image = serializers.SerializerMethodField(
        help_text="The logo or photo: addresses of its small (160 px) and large (480 px) copies."
    )
    image_alt = TranslatedField(help_text="What the logo or photo shows.")

    class Meta:
        model = Enterprise
        fields = [
            "id",
            "slug",
            "url",
            "web_url",
            "name",
            "legal_form",
            "cooperative_type",
            "neq",
            "description",
            "mission",
            "sectors",
            "pole",
            "region",
            "street_address",
            "city",
            "postal_code",
            "latitude",
            "longitude",
            "phone",
            "email",
            "website",
            "founded_year",
            "employees",
            *social_links.FIELDS,
            "opening_hours",
            "opening_hours_note",
            "products_services",
            "sells_to",
            "step_free_access",
            "image",
            "image_alt",
            "status",
            "created_at",
            "updated_at",
        ]

    @extend_schema_field(
        {
            "type": "object",
            "nullable": True,
            "properties": {
                "small": {"type": "string", "format": "uri"},
                "large": {"type": "string", "format": "uri"},
            },
            "required": ["small", "large"],
        }
    )
    def get_image(self, enterprise):
        return image_urls(enterprise, request=self.context.get("request"))
