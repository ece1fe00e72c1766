from django.contrib import admin, messages
from django.db import models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chantier.models import ApiKey, KeyFigure, Webhook, WebhookAttempt, WebhookDelivery
from chantier.services import create_api_key, revoke_api_keys
from chantier.tasks import request_dispatch
from chantier.webhooks import set_webhook_active
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


@admin.register(Webhook)
class WebhookAdmin(admin.ModelAdmin):
    """Partners' webhooks: where each change is sent, and whether sending still works."""

    list_display = ["url", "api_key", "is_active", "consecutive_failures", "disabled_at"]
    list_filter = ["is_active"]
    list_select_related = ["api_key"]
    search_fields = ["url", "email", "api_key__name"]
    fields = [
        "api_key",
        "url",
        "email",
        "poles",
        "sectors",
        "regions",
        "is_active",
        "secret",
        "consecutive_failures",
        "disabled_at",
        "created_at",
    ]
    readonly_fields = ["secret", "consecutive_failures", "disabled_at", "created_at"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "is_active" in form.changed_data:
            set_webhook_active(webhook=obj, active=obj.is_active)
            if obj.is_active:  # what changed while it was off goes out now
                transaction.on_commit(request_dispatch)


class WebhookAttemptInline(admin.TabularInline):
    model = WebhookAttempt
    fields = ["attempted_at", "status_code", "succeeded", "duration_ms", "error"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    """Each message sent to a webhook, and every attempt with what the partner answered."""

    list_display = ["created_at", "webhook", "status", "attempt_count", "delivered_at"]
    list_filter = ["status"]
    list_select_related = ["webhook"]
    search_fields = ["uuid", "webhook__url"]
    fields = ["uuid", "webhook", "status", "created_at", "delivered_at", "payload"]
    readonly_fields = fields
    inlines = [WebhookAttemptInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(attempt_total=models.Count("attempts"))

    @admin.display(description=gettext_lazy("attempts"), ordering="attempt_total")
    def attempt_count(self, delivery):
        return delivery.attempt_total

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
