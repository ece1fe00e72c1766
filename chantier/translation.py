from modeltranslation.translator import TranslationOptions, register

from chantier.models import KeyFigure


@register(KeyFigure)
class KeyFigureTranslationOptions(TranslationOptions):
    fields = ("label", "source", "note")
    required_languages = {"fr": ("label", "source")}
