from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from chantier.api_common import LinkedSummary, TranslatedField, absolute_url
from poles.models import Pole, Region


class RegionSummarySerializer(LinkedSummary):
    url_name = "api:region-detail"
    lookup = "code"

    code = serializers.CharField()
    name = TranslatedField()


class PoleSummarySerializer(LinkedSummary):
    url_name = "api:pole-detail"

    slug = serializers.SlugField()
    name = TranslatedField()


class CoordinatesMixin(serializers.Serializer):
    latitude = serializers.FloatField(allow_null=True)
    longitude = serializers.FloatField(allow_null=True)


class PoleSerializer(CoordinatesMixin, serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    web_url = serializers.SerializerMethodField()
    name = TranslatedField()
    territory = TranslatedField()
    description = TranslatedField()
    source = TranslatedField()
    regions = RegionSummarySerializer(many=True)

    class Meta:
        model = Pole
        fields = [
            "id",
            "slug",
            "url",
            "web_url",
            "name",
            "territory",
            "description",
            "regions",
            "mrcs",
            "website",
            "email",
            "phone",
            "street_address",
            "city",
            "postal_code",
            "latitude",
            "longitude",
            "founded_year",
            "source",
            "updated_at",
        ]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, obj) -> str:
        return absolute_url(self.context, "api:pole-detail", obj.slug)

    @extend_schema_field(OpenApiTypes.URI)
    def get_web_url(self, obj) -> str:
        return absolute_url(self.context, "poles:detail", obj.slug)


class RegionSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    name = TranslatedField()
    poles = PoleSummarySerializer(many=True)

    class Meta:
        model = Region
        fields = ["id", "code", "url", "name", "poles"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, obj) -> str:
        return absolute_url(self.context, "api:region-detail", obj.code)
