from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db import models

from common.admin_history import ReadableHistoryAdmin
from common.admin_languages import OneSwitchTranslationAdmin
from poles.models import Pole, PoleMembership, Region
from poles.selectors import poles_of, regions_of


@admin.register(Region)
class RegionAdmin(OneSwitchTranslationAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name_fr", "name_en"]

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if request.GET.get("model_name") == "enterprise":
            # Placing an enterprise: only the regions its staff's poles serve.
            queryset = queryset.filter(pk__in=regions_of(user=request.user))
        return queryset, may_have_duplicates


@admin.register(Pole)
class PoleAdmin(ReadableHistoryAdmin, OneSwitchTranslationAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["name", "territory", "city"]
    list_filter = ["regions"]
    search_fields = ["name_fr", "name_en", "city"]
    prepopulated_fields = {"slug": ["name_fr"]}
    filter_horizontal = ["regions"]

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if (
            request.GET.get("model_name") == "enterprise"
            and request.GET.get("field_name") == "pole"
        ):
            # Choosing an enterprise's pole: only the poles the user works for.
            queryset = queryset.filter(pk__in=poles_of(user=request.user))
        return queryset, may_have_duplicates


@admin.register(PoleMembership)
class PoleMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "pole", "created_at"]
    list_select_related = ["user", "pole"]
    list_filter = ["pole"]
    autocomplete_fields = ["user", "pole"]


admin.site.unregister(get_user_model())


@admin.register(get_user_model())
class StaffAccountAdmin(UserAdmin):
    """Staff accounts, which the national team manages (poles.roles).

    Only a superuser makes a superuser, grants single permissions or changes a
    superuser's account: nobody else can give themselves more than their role.
    """

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if request.user.is_superuser:
            return fields
        return [*fields, "is_superuser", "user_permissions"]

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)
