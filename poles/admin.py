from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from poles.models import Pole, PoleMembership, Region


@admin.register(Region)
class RegionAdmin(TranslationAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name_fr", "name_en"]


@admin.register(Pole)
class PoleAdmin(TranslationAdmin):
    list_display = ["name", "territory", "city"]
    list_filter = ["regions"]
    search_fields = ["name_fr", "name_en", "city"]
    prepopulated_fields = {"slug": ["name_fr"]}
    filter_horizontal = ["regions"]


@admin.register(PoleMembership)
class PoleMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "pole", "created_at"]
    list_select_related = ["user", "pole"]
    list_filter = ["pole"]
    autocomplete_fields = ["user", "pole"]
