from modeltranslation.translator import TranslationOptions, register
from simple_history import register as keep_history

from entreprises.columns import TRANSLATED
from entreprises.models import Enterprise, Sector


@register(Sector)
class SectorTranslationOptions(TranslationOptions):
    fields = ("name", "description", "synonyms")
    required_languages = {"fr": ("name",)}


@register(Enterprise)
class EnterpriseTranslationOptions(TranslationOptions):
    # The one list of an enterprise's texts in each language, which the spreadsheets and
    # the API read too.
    fields = TRANSLATED
    required_languages = {"fr": ("name",)}


# After the translation fields exist, so the history keeps both languages.
keep_history(Sector)
keep_history(
    Enterprise,
    excluded_fields=["search_vector", "rank_vector", "published_at", "sector_ids"],
    m2m_fields=["sectors"],
)
