from django.contrib import admin
from django.db import models

from common.admin_history import ReadableHistoryAdmin
from common.admin_languages import OneSwitchTranslationAdmin
from evenements.models import Event, Organization


@admin.register(Organization)
class OrganizationAdmin(OneSwitchTranslationAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["name", "acronym", "kind", "country"]
    list_filter = ["kind"]
    search_fields = ["name_fr", "name_en", "acronym_fr", "acronym_en"]
    prepopulated_fields = {"slug": ["name_fr"]}


@admin.register(Event)
class EventAdmin(ReadableHistoryAdmin, OneSwitchTranslationAdmin):
    list_display = ["name", "kind", "year", "start_date", "city", "participants"]
    list_filter = ["kind"]
    search_fields = ["name_fr", "name_en", "city_fr"]
    prepopulated_fields = {"slug": ["name_fr"]}
    autocomplete_fields = [
        "organizers",
        "partners",
        "participating_organizations",
        "enterprises_visited",
    ]
