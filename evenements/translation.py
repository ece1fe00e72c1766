from modeltranslation.translator import TranslationOptions, register
from simple_history import register as keep_history

from evenements.models import Event, Organization


@register(Organization)
class OrganizationTranslationOptions(TranslationOptions):
    fields = ("name", "acronym", "description", "source")
    required_languages = {"fr": ("name",)}


@register(Event)
class EventTranslationOptions(TranslationOptions):
    fields = ("name", "venue", "city", "description", "source")
    required_languages = {"fr": ("name",)}


# After the translation fields exist, so the history keeps both languages.
keep_history(Event)
