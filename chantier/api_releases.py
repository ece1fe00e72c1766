"""The open-data releases in the API: each dated release and its files, with checksums."""

from rest_framework import serializers

from chantier.models import OpenDataRelease
from chantier.releases import with_file_urls
from common.api.links import Linked
from common.api.views import ReadOnlyResource


class ReleaseFileSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="The file's name, e.g. enterprises.csv.")
    url = serializers.SerializerMethodField()
    media_type = serializers.CharField()
    bytes = serializers.IntegerField(help_text="Its size in bytes.")
    sha256 = serializers.CharField(help_text="The SHA-256 checksum of its bytes, in hex.")

    def get_url(self, described) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(described["url"]) if request else described["url"]


class ReleaseSerializer(Linked, serializers.ModelSerializer):
    url_name = "api:release-detail"
    lookup = "identifier"

    files = ReleaseFileSerializer(
        many=True, help_text="Its files; datapackage.json describes the others."
    )
    counts = serializers.DictField(
        child=serializers.IntegerField(), help_text="How many records each table holds."
    )

    class Meta:
        model = OpenDataRelease
        fields = ["id", "identifier", "url", "released_on", "created_at", "counts", "files"]


class ReleaseViewSet(ReadOnlyResource):
    """Dated copies of the open data (CSV with a Data Package, GeoJSON), never changed once
    published."""

    serializer_class = ReleaseSerializer
    lookup_field = "identifier"

    def get_queryset(self):
        return OpenDataRelease.objects.all()

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return with_file_urls(page)

    def get_object(self):
        [release] = with_file_urls([super().get_object()])
        return release
