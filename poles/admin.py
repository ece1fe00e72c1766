from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from common.admin_history import ReadableHistoryAdmin
from common.admin_languages import OneSwitchTranslationAdmin
from poles.models import Pole, PoleMembership, Region
from poles.selectors import poles_of, regions_of
from poles.two_factor import turn_off, with_second_factor


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
    Two-factor sign-in is turned off here for someone who lost their phone.
    """

    actions = ["turn_off_two_factor"]

    def get_list_display(self, request):
        return [*super().get_list_display(request), "two_factor"]

    def get_queryset(self, request):
        return with_second_factor(super().get_queryset(request))

    @admin.display(boolean=True, description=_("two-factor sign-in"))
    def two_factor(self, obj):
        return obj.has_second_factor

    @admin.action(description=_("Turn off two-factor sign-in (lost phone)"), permissions=["change"])
    def turn_off_two_factor(self, request, queryset):
        if not request.user.is_superuser:
            queryset = queryset.exclude(is_superuser=True)
        count = turn_off(users=queryset)
        self.message_user(
            request,
            ngettext(
                "Two-factor sign-in turned off for %(count)d account: it sets it up again at "
                "its next sign-in.",
                "Two-factor sign-in turned off for %(count)d accounts: each sets it up again "
                "at its next sign-in.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )

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
