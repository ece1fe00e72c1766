"""Partners register their webhooks with their API key: list, create, read, delete.

Only the key's own webhooks are ever seen (another key's is a 404), and the
answers are never kept by a cache (they are the partner's, not public).
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, permissions, serializers, status, viewsets
from rest_framework.response import Response

from chantier.models import ApiKey, Webhook
from chantier.webhooks import create_webhook, delete_webhook
from common.api.parameters import check_parameters
from common.api.views import JsonErrorsMixin
from entreprises.models import Sector
from poles.models import Pole, Region


class PartnerKeyRequired(permissions.BasePermission):
    message = _("Send your partner API key in the X-API-Key header.")

    def has_permission(self, request, view):
        return isinstance(request.auth, ApiKey)


class WebhookSerializer(serializers.ModelSerializer):
    poles = serializers.SlugRelatedField(
        many=True, slug_field="slug", queryset=Pole.objects.all(), required=False
    )
    sectors = serializers.SlugRelatedField(
        many=True, slug_field="slug", queryset=Sector.objects.all(), required=False
    )
    regions = serializers.SlugRelatedField(
        many=True, slug_field="code", queryset=Region.objects.all(), required=False
    )

    class Meta:
        model = Webhook
        fields = [
            "id",
            "url",
            "email",
            "poles",
            "sectors",
            "regions",
            "is_active",
            "consecutive_failures",
            "disabled_at",
            "created_at",
        ]
        read_only_fields = ["is_active", "consecutive_failures", "disabled_at", "created_at"]

    def create(self, validated_data):
        return create_webhook(api_key=self.context["request"].auth, **validated_data)


@extend_schema(exclude=True)  # documented in docs/api.md: only for partners with a key
class WebhookViewSet(
    JsonErrorsMixin,
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = WebhookSerializer
    permission_classes = [PartnerKeyRequired]
    pagination_class = None

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        check_parameters(request, self)  # as every address of the API: no unknown parameter

    def permission_denied(self, request, message=None, code=None):
        # The one refusal is a missing key: a 401 that says which header to send.
        raise exceptions.NotAuthenticated(PartnerKeyRequired.message)

    def get_queryset(self):
        return (
            Webhook.objects.filter(api_key=self.request.auth)
            .prefetch_related("poles", "sectors", "regions")
            .order_by("id")
        )

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        webhook = serializer.save()
        # The secret that signs the deliveries is given to its partner here.
        return Response(
            {**self.get_serializer(webhook).data, "secret": webhook.secret},
            status=status.HTTP_201_CREATED,
        )

    def perform_destroy(self, instance):
        delete_webhook(webhook=instance)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Cache-Control"] = "private, no-store"
        return response
