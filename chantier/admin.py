from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin

from chantier.models import KeyFigure

admin.site.site_header = _("Social economy portal: administration")
admin.site.site_title = _("Portal administration")
admin.site.index_title = _("Keeping the directory true")


@admin.register(KeyFigure)
class KeyFigureAdmin(TabbedTranslationAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["label", "value", "unit", "qualifier", "year", "source", "featured"]
    list_filter = ["featured", "unit", "year"]
    search_fields = ["label_fr", "label_en", "key"]
