from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from chantier.models import KeyFigure


@admin.register(KeyFigure)
class KeyFigureAdmin(TranslationAdmin):
    list_display = ["label", "value", "unit", "qualifier", "year", "source", "featured"]
    list_filter = ["featured", "unit", "year"]
    search_fields = ["label_fr", "label_en", "key"]
