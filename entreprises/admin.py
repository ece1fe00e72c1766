from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from entreprises.models import Enterprise, EnterpriseSector, Sector


@admin.register(Sector)
class SectorAdmin(TranslationAdmin):
    list_display = ["name", "parent", "essglobal_code", "position"]
    list_select_related = ["parent"]
    search_fields = ["name_fr", "name_en"]
    prepopulated_fields = {"slug": ["name_fr"]}


class EnterpriseSectorInline(admin.TabularInline):
    model = EnterpriseSector
    extra = 1
    autocomplete_fields = ["sector"]


@admin.register(Enterprise)
class EnterpriseAdmin(TranslationAdmin):
    list_display = [
        "name",
        "legal_form",
        "pole",
        "region",
        "city",
        "status",
        "is_demo",
        "updated_at",
    ]
    list_select_related = ["pole", "region"]
    list_filter = ["status", "legal_form", "is_demo", "region", "pole"]
    search_fields = ["name_fr", "name_en", "neq", "city"]
    prepopulated_fields = {"slug": ["name_fr"]}
    autocomplete_fields = ["pole", "region"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [EnterpriseSectorInline]
    show_full_result_count = False
