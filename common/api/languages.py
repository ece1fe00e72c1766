"""Translated fields as language maps, or one language with `?lang=`."""

from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema_field
from rest_framework import exceptions, serializers

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]

LANGUAGE_MAP_SCHEMA = {
    "oneOf": [
        {
            "type": "object",
            "properties": {code: {"type": "string"} for code in LANGUAGE_CODES},
            "required": LANGUAGE_CODES,
            "description": "One text per language (the map form, without ?lang=).",
        },
        {"type": "string", "description": "The text in the language asked for with ?lang=."},
    ]
}


def requested_language(request) -> str | None:
    """The language of `?lang=`, or None for language maps; an unknown one is a 400."""
    lang = request.query_params.get("lang")
    if lang is None or lang == "":
        return None
    if lang not in LANGUAGE_CODES:
        raise exceptions.ValidationError(
            {
                "lang": [
                    _("Unknown language “%(lang)s”: use one of %(choices)s.")
                    % {"lang": lang[:20], "choices": ", ".join(LANGUAGE_CODES)}
                ]
            }
        )
    return lang


def translated(obj, field: str, lang: str | None):
    """A translated field as a language map, or as one string with the French fallback."""
    return language_map_or_text([getattr(obj, f"{field}_{code}") for code in LANGUAGE_CODES], lang)


def language_map_or_text(texts: list, lang: str | None):
    """`translated`, from the texts of LANGUAGE_CODES in their order (a `.values()` row's)."""
    values = {code: text or "" for code, text in zip(LANGUAGE_CODES, texts, strict=True)}
    if lang is None:
        return values
    return values[lang] or values[settings.MODELTRANSLATION_DEFAULT_LANGUAGE]


@extend_schema_field(LANGUAGE_MAP_SCHEMA)
class TranslatedField(serializers.Field):
    """A modeltranslation field: `{"fr": ..., "en": ...}`, or one string with `?lang=`."""

    def __init__(self, **kwargs):
        kwargs.update(read_only=True, source="*")
        super().__init__(**kwargs)

    def to_representation(self, value):
        return translated(value, self.field_name, self.context.get("lang"))


LANG_PARAMETER = OpenApiParameter(
    "lang",
    str,
    enum=LANGUAGE_CODES,
    description=(
        "Without it, translated fields are maps {fr, en}. With it, each is the string of "
        "that language (French when the English text is missing)."
    ),
)
