from django.contrib import admin, messages
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chantier.models import ApiKey, KeyFigure
from chantier.services import create_api_key, revoke_api_keys
from common.admin_languages import OneSwitchTranslationAdmin

admin.site.site_header = gettext_lazy("Social economy portal: administration")
admin.site.site_title = gettext_lazy("Portal administration")
admin.site.index_title = gettext_lazy("Keeping the directory accurate")


@admin.register(KeyFigure)
class KeyFigureAdmin(OneSwitchTranslationAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["label", "value", "unit", "qualifier", "year", "source", "featured"]
    list_filter = ["featured", "unit", "year"]
    search_fields = ["label_fr", "label_en", "key"]


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    """Partner keys: the key is shown once, when created; afterwards only its prefix."""

    list_display = ["name", "prefix", "created_at", "last_used_at", "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "prefix"]
    readonly_fields = ["prefix", "created_at", "last_used_at", "revoked_at"]
    fields = ["name", "note", "prefix", "created_at", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        created, key = create_api_key(name=obj.name, note=obj.note)
        obj.pk = created.pk
        obj.prefix, obj.hashed_key = created.prefix, created.hashed_key
        obj.created_at = created.created_at
        obj._state.adding = False
        obj._state.db = created._state.db
        messages.warning(
            request,
            _(
                "The key for %(name)s is %(key)s — copy it now and send it to the partner: "
                "it is not kept and will not be shown again."
            )
            % {"name": created.name, "key": key},
        )

    @admin.action(description=gettext_lazy("Revoke the selected keys"))
    def revoke(self, request, queryset):
        count = revoke_api_keys(keys=queryset)
        messages.success(request, _("Keys revoked: %(count)d.") % {"count": count})
