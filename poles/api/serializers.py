from rest_framework import serializers

from common.api.languages import TranslatedField
from common.api.links import Linked, LinkedWithPage
from poles.models import Pole, Region


class RegionSummarySerializer(Linked):
    url_name = "api:region-detail"
    lookup = "code"

    code = serializers.CharField()
    name = TranslatedField()


class PoleSummarySerializer(Linked):
    url_name = "api:pole-detail"

    slug = serializers.SlugField()
    name = TranslatedField()


class CoordinatesMixin(serializers.Serializer):
    latitude = serializers.FloatField(allow_null=True)
    longitude = serializers.FloatField(allow_null=True)


class PoleSerializer(CoordinatesMixin, LinkedWithPage, serializers.ModelSerializer):
    url_name = "api:pole-detail"
    page_url_name = "poles:detail"

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


class RegionSerializer(Linked, serializers.ModelSerializer):
    url_name = "api:region-detail"
    lookup = "code"

    name = TranslatedField()
    poles = PoleSummarySerializer(many=True)

    class Meta:
        model = Region
        fields = ["id", "code", "url", "name", "poles"]
