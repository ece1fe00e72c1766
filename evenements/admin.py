from django.contrib import admin
from django.db import models
from modeltranslation.admin import TabbedTranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from evenements.models import Event, Organization


@admin.register(Organization)
class OrganizationAdmin(TabbedTranslationAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["name", "acronym", "kind", "country"]
    list_filter = ["kind"]
    search_fields = ["name_fr", "name_en", "acronym_fr", "acronym_en"]
    prepopulated_fields = {"slug": ["name_fr"]}


@admin.register(Event)
class EventAdmin(SimpleHistoryAdmin, TabbedTranslationAdmin):
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
