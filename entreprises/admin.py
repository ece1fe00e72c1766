from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from entreprises.models import Enterprise, EnterpriseSector, Sector
from entreprises.services import refresh_search_vectors


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

    def save_related(self, request, form, formsets, change):
        # Sectors are saved with the inline, after the enterprise: index them now.
        super().save_related(request, form, formsets, change)
        refresh_search_vectors(ids=[form.instance.pk])
