from modeltranslation.translator import TranslationOptions, register

from poles.models import Pole, Region


@register(Region)
class RegionTranslationOptions(TranslationOptions):
    fields = ("name",)
    required_languages = ("fr",)


@register(Pole)
class PoleTranslationOptions(TranslationOptions):
    fields = ("name", "territory", "description", "source")
    required_languages = {"fr": ("name",)}
