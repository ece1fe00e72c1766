from modeltranslation.translator import TranslationOptions, register
from simple_history import register as keep_history

from poles.models import Pole, Region


@register(Region)
class RegionTranslationOptions(TranslationOptions):
    fields = ("name",)
    required_languages = ("fr",)


@register(Pole)
class PoleTranslationOptions(TranslationOptions):
    fields = ("name", "territory", "description", "source")
    required_languages = {"fr": ("name",)}


# After the translation fields exist, so the history keeps both languages.
keep_history(Pole)
