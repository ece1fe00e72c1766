"""The API address (`url`) and public page (`web_url`) of every resource."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


class Linked(serializers.Serializer):
    """A resource, or a related object's summary, with its `url` in the API."""

    url_name = ""
    lookup = "slug"

    url = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, obj) -> str:
        return absolute_url(
            self.context, self.url_name, getattr(obj, self.lookup), lookup=self.lookup
        )


class LinkedWithPage(Linked):
    """A resource with its `url` in the API and `web_url`, its page on the public site."""

    page_url_name = ""

    web_url = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_web_url(self, obj) -> str:
        return absolute_url(
            self.context, self.page_url_name, getattr(obj, self.lookup), lookup=self.lookup
        )


def absolute_url(context: dict, url_name: str, key, *, lookup: str = "slug") -> str:
    """The address of an object, built once per resource and request, then filled in.

    `lookup` names the URL's keyword (`slug`, or `code` for regions). Public pages
    (`url_name` outside the `api` namespace) are given in the language of
    `?lang=`, French otherwise.
    """
    cache = context.setdefault("_url_templates", {})
    if url_name not in cache:
        with translation.override(context.get("lang") or settings.LANGUAGE_CODE):
            path = reverse(url_name, kwargs={lookup: "KEY-PLACEHOLDER"})
        request = context.get("request")
        cache[url_name] = request.build_absolute_uri(path) if request else path
    return cache[url_name].replace("KEY-PLACEHOLDER", str(key))
