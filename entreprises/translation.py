from modeltranslation.translator import TranslationOptions, register

from entreprises.models import Enterprise, Sector


@register(Sector)
class SectorTranslationOptions(TranslationOptions):
    fields = ("name", "description")
    required_languages = {"fr": ("name",)}


@register(Enterprise)
class EnterpriseTranslationOptions(TranslationOptions):
    fields = ("name", "description", "mission")
    required_languages = {"fr": ("name",)}
