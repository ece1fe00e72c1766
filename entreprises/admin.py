"""The enterprise admin: scoped to the poles of whoever uses it, bilingual, with history and
a publishing workflow. Its filters are in admin_filters.py, its form's duplicate warning and
widgets in admin_forms.py, its import and export views in admin_spreadsheets.py. Every rule
it applies is a selector or a service; this module only wires them to the admin."""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ChangeList
from django.db import models
from django.db.models import F
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from common.admin_change_list import QuickSelectionAdmin
from common.admin_history import ReadableHistoryAdmin
from common.admin_languages import OneSwitchTranslationAdmin
from common.pagination import EstimatedCountPaginator
from entreprises import social_links
from entreprises.admin_filters import (
    EnglishMissingFilter,
    NextPageCountPaginator,
    OnTheMapFilter,
    PoleFilter,
    RegionFilter,
    SectorFilter,
    VerificationFilter,
    poles_and_regions,
)
from entreprises.admin_forms import (
    EnterpriseAdminForm,
    EnterpriseSectorFormSet,
    forgiving_autocomplete,
)
from entreprises.admin_spreadsheets import SpreadsheetViews
from entreprises.enums import Status
from entreprises.models import Enterprise, EnterpriseSector, Sector
from entreprises.selectors import (
    admin_search,
    can_manage_enterprise,
    enterprises_visible_to,
    with_english_missing,
)
from entreprises.services import (
    archive_enterprises,
    confirm_verified,
    new_enterprise_slug,
    one_search_refresh,
    record_sectors_in_history,
    refresh_search_vectors,
    replace_image,
    restore_sectors,
    set_status,
)
from poles.selectors import is_national_team, poles_of, regions_of

# Labels of the form in words staff use (the models' names serve the code and the API).
PLAIN_LABELS = {
    "slug": (
        _("Address on the site"),
        _("The end of the record's web address. Left empty, it is made from the name."),
    ),
    "is_demo": (
        _("Demonstration record"),
        _("A made-up record for trying the portal; never a real enterprise."),
    ),
}


@admin.register(Sector)
class SectorAdmin(ReadableHistoryAdmin, OneSwitchTranslationAdmin):
    list_display = ["name", "parent", "essglobal_code", "position"]
    list_select_related = ["parent"]
    search_fields = ["name_fr", "name_en"]
    prepopulated_fields = {"slug": ["name_fr"]}
    autocomplete_fields = ["parent"]


class EnterpriseSectorInline(admin.TabularInline):
    model = EnterpriseSector
    formset = EnterpriseSectorFormSet
    extra = 1
    autocomplete_fields = ["sector"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "sector":
            kwargs["label"] = capfirst(gettext("sector"))
        return super().formfield_for_foreignkey(
            db_field, request, **forgiving_autocomplete(self, db_field, request, kwargs)
        )


# What each column of the change list reads of an enterprise, its pole and its region: a
# page of fifty wide rows (texts in two languages, hours, links) read and built in full,
# with pole and region whether shown or not, took a few milliseconds more. Whether English
# is complete is decided by the database, by the filter's rule.
COLUMN_READS = {
    "action_checkbox": ["name_fr", "name_en"],
    "name": ["name_fr", "name_en"],
    "pole": ["pole__name_fr", "pole__name_en"],
    "region_name": ["region__name_fr", "region__name_en"],
    "city": ["city"],
    "status": ["status"],
    "english_complete": [],
    "verified_on": ["last_verified_at"],
    "updated_on": ["updated_at"],
}


def _read(row, path: str):
    for name in path.split("__"):
        row = None if row is None else getattr(row, name)
    return row


class EnterpriseChangeList(ChangeList):
    def get_results(self, request):
        super().get_results(request)
        # The page's rows only, once counted: the actions still act on whole records.
        rows = self.result_list
        if "english_complete" in self.list_display:
            rows = with_english_missing(rows).annotate(english_is_missing=F("lacks_english"))
        if all(column in COLUMN_READS for column in self.list_display):
            reads = {read for column in self.list_display for read in COLUMN_READS[column]}
            related = {read.split("__")[0] for read in reads if "__" in read}
            rows = rows.select_related(None).select_related(*related).only(*reads)
        self.result_list = rows


@admin.register(Enterprise)
class EnterpriseAdmin(
    SpreadsheetViews, QuickSelectionAdmin, ReadableHistoryAdmin, OneSwitchTranslationAdmin
):
    form = EnterpriseAdminForm
    change_list_template = "admin/entreprises/enterprise/change_list.html"
    delete_confirmation_template = "admin/entreprises/enterprise/archive_confirmation.html"
    list_display = [
        "name",
        "pole",
        "region_name",
        "city",
        "status",
        "english_complete",
        "verified_on",
        "updated_on",
    ]
    list_select_related = ["pole", "region"]
    list_filter = [
        "status",
        EnglishMissingFilter,
        OnTheMapFilter,
        PoleFilter,
        RegionFilter,
        SectorFilter,
        "legal_form",
        "is_demo",
        VerificationFilter,
    ]
    # Searched with the site's full-text index (see get_search_results), not these lookups.
    search_fields = ["name_fr"]
    search_help_text = _("Words of the name, description, sector or city; or a 10-digit NEQ.")
    ordering = ["-updated_at", "-id"]
    # Only for the national team, who see the slug (get_prepopulated_fields).
    prepopulated_fields = {}
    autocomplete_fields = ["pole", "region"]
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "legal_form", "cooperative_type", "neq", "status"]}),
        (_("Description"), {"fields": ["description", "mission"]}),
        (
            _("Pole and address"),
            {
                "fields": [
                    "pole",
                    "region",
                    "street_address",
                    "city",
                    "postal_code",
                    ("latitude", "longitude"),
                    "place_on_map",
                ]
            },
        ),
        (
            _("Contact"),
            {"fields": ["phone", "email", "website", *social_links.FIELDS]},
        ),
        (
            _("Opening hours and access"),
            {"fields": ["opening_hours", "opening_hours_note", "step_free_access"]},
        ),
        (_("Offer"), {"fields": ["products_services", "sells_to"]}),
        (_("Logo or photo"), {"fields": ["image", "remove_image", "image_alt"]}),
        (
            _("Facts and follow-up"),
            {
                "fields": [
                    "founded_year",
                    "employees",
                    "last_verified_at",
                    "is_demo",
                    "confirm_not_duplicate",
                    "created_at",
                    "updated_at",
                ]
            },
        ),
    ]
    inlines = [EnterpriseSectorInline]
    show_full_result_count = False
    list_per_page = 50
    actions = ["publish", "archive", "return_to_draft", "mark_verified"]
    history_list_display = ["status"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    # --- Scope: every surface goes through enterprises_visible_to -------------------

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.user = request.user  # a class made for this request by modelform_factory
        return form

    def get_fieldsets(self, request, obj=None):
        # The address on the site is made from the name: only the national team sees it.
        if is_national_team(user=request.user):
            return super().get_fieldsets(request, obj)
        return [
            (title, {**options, "fields": [f for f in options["fields"] if f != "slug"]})
            for title, options in super().get_fieldsets(request, obj)
        ]

    def get_prepopulated_fields(self, request, obj=None):
        return {"slug": ["name_fr"]} if is_national_team(user=request.user) else {}

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None and db_field.name in PLAIN_LABELS:
            field.label, field.help_text = PLAIN_LABELS[db_field.name]
            field.required = field.required and db_field.name != "slug"
        return field

    def get_changelist(self, request, **kwargs):
        return EnterpriseChangeList

    def change_list_row_key(self, cl):
        """What a row of the list is made of: its key and what its columns read
        (COLUMN_READS), so that a row is written once per set of values
        (common.admin_change_list)."""
        if not all(column in COLUMN_READS for column in cl.list_display):
            return None
        reads = sorted({read for column in cl.list_display for read in COLUMN_READS[column]})
        english = "english_complete" in cl.list_display

        def key(row) -> tuple:
            return (row.pk, english and row.english_is_missing, *(_read(row, r) for r in reads))

        return key

    def get_list_display(self, request):
        # Staff of a single pole (or region) see its name on every row: room for the others.
        poles, regions = poles_and_regions(request)
        hidden = {"pole"} if len(poles) < 2 else set()
        if len(regions) < 2:
            hidden.add("region_name")
        return [column for column in self.list_display if column not in hidden]

    def get_queryset(self, request):
        # Ordered as the change list is, along its index (the autocomplete keeps this order).
        return (
            enterprises_visible_to(user=request.user)
            .select_related("pole", "region")
            .order_by("-updated_at", "-id")
        )

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        match = request.resolver_match
        if match and match.url_name == "autocomplete":
            try:
                page = max(int(request.GET.get("page", 1)), 1)
            except ValueError:
                page = 1
            return NextPageCountPaginator(queryset, per_page, page=page)
        # The change list: a broad search at 100,000 records is estimated, not counted.
        return EstimatedCountPaginator(queryset, per_page, orphans, allow_empty_first_page)

    def get_object(self, request, object_id, from_field=None):
        enterprise = super().get_object(request, object_id, from_field)
        if enterprise is None:
            raise Http404(gettext("There is no such enterprise, or you do not have access to it."))
        return enterprise

    def _may_manage(self, request, obj) -> bool:
        cache = request.__dict__.setdefault("_manageable_enterprises", {})
        if obj.pk not in cache:
            cache[obj.pk] = can_manage_enterprise(user=request.user, enterprise_id=obj.pk)
        return cache[obj.pk]

    def has_view_permission(self, request, obj=None):
        allowed = super().has_view_permission(request, obj)
        return allowed and (obj is None or obj.pk is None or self._may_manage(request, obj))

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or obj.pk is None or self._may_manage(request, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or self._may_manage(request, obj))

    def _visible_or_404(self, request, object_id):
        try:
            enterprise_id = int(unquote(object_id))
        except ValueError:
            raise Http404 from None
        if not can_manage_enterprise(user=request.user, enterprise_id=enterprise_id):
            raise Http404(gettext("There is no such enterprise, or you do not have access to it."))

    def history_view(self, request, object_id, extra_context=None):
        self._visible_or_404(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._visible_or_404(request, object_id)
        with one_search_refresh():
            response = super().history_form_view(request, object_id, version_id, extra_context)
            if request.method == "POST" and response.status_code == 302:
                # The version's sectors come back with it.
                enterprise = Enterprise.objects.get(pk=int(unquote(object_id)))
                restore_sectors(enterprise=enterprise, version_id=int(version_id))
            return response

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        record_sectors_in_history(enterprise=form.instance)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "pole":
            kwargs["queryset"] = poles_of(user=request.user)
            # Pole staff always file an enterprise under one of their poles.
            kwargs["required"] = not is_national_team(user=request.user)
        return super().formfield_for_foreignkey(
            db_field, request, **forgiving_autocomplete(self, db_field, request, kwargs)
        )

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        return admin_search(queryset, term=search_term), False

    # --- Saving, and deleting as archiving -------------------------------------------

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        # Staff whose poles serve a single region: that region, already filled.
        regions = list(regions_of(user=request.user)[:2])
        if len(regions) == 1 and not is_national_team(user=request.user):
            initial.setdefault("region", regions[0].pk)
        return initial

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.status == Status.PUBLISHED and obj.latitude is None:
            self.message_user(
                request,
                gettext(
                    "This published enterprise has no coordinates: it is missing from the map. "
                    "Give its latitude and longitude."
                ),
                messages.WARNING,
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # The enterprise, then its sector lines: indexed once, after both.
        with one_search_refresh():
            return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        if not obj.slug:
            obj.slug = new_enterprise_slug(name=obj.name_fr)
        copies = form.image_copies()
        if copies is not False:
            replace_image(enterprise=obj, copies=copies)
        super().save_model(request, obj, form, change)
        refresh_search_vectors(ids=[obj.pk])

    def delete_model(self, request, obj):
        archive_enterprises(user=request.user, ids=[obj.pk])

    def delete_queryset(self, request, queryset):
        archive_enterprises(user=request.user, ids=list(queryset.values_list("pk", flat=True)))

    def get_deleted_objects(self, objs, request):
        # Nothing is deleted: only the enterprise itself is archived.
        return [str(obj) for obj in objs], {}, set(), []

    def log_deletions(self, request, queryset):
        return [
            self.log_change(request, obj, [{"changed": {"fields": ["status"]}}]) for obj in queryset
        ]

    def response_delete(self, request, obj_display, obj_id):
        self.message_user(
            request,
            gettext(
                "“%(name)s” was archived: it no longer appears on the site, and nothing "
                "was deleted."
            )
            % {"name": obj_display},
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:entreprises_enterprise_changelist"))

    def get_actions(self, request):
        actions = super().get_actions(request)
        # Deleting is archiving: the "archive" action says so plainly.
        actions.pop("delete_selected", None)
        if not self.has_change_permission(request):
            for name in ["publish", "archive", "return_to_draft", "mark_verified"]:
                actions.pop(name, None)
        return actions

    # --- Columns and actions -----------------------------------------------------------

    # Short columns, so that the list reads at 1280 px without scrolling sideways.
    @admin.display(description=_("region"), ordering="region__code")
    def region_name(self, obj):
        return obj.region.name if obj.region else ""

    @admin.display(description=_("last verified"), ordering="last_verified_at")
    def verified_on(self, obj):
        return obj.last_verified_at.isoformat() if obj.last_verified_at else ""

    @admin.display(description=_("last updated"), ordering="updated_at")
    def updated_on(self, obj):
        return timezone.localdate(obj.updated_at).isoformat()

    @admin.display(boolean=True, description=_("English"))
    def english_complete(self, obj):
        return not obj.english_is_missing

    def _set_status(self, request, queryset, status, message):
        count = set_status(
            user=request.user, ids=list(queryset.values_list("pk", flat=True)), status=status
        )
        self.message_user(request, message(count) % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Publish the selected enterprises"))
    def publish(self, request, queryset):
        self._set_status(
            request,
            queryset,
            Status.PUBLISHED,
            lambda n: ngettext(
                "%(count)s enterprise published.", "%(count)s enterprises published.", n
            ),
        )

    @admin.action(description=_("Archive the selected enterprises"))
    def archive(self, request, queryset):
        self._set_status(
            request,
            queryset,
            Status.ARCHIVED,
            lambda n: ngettext(
                "%(count)s enterprise archived.", "%(count)s enterprises archived.", n
            ),
        )

    @admin.action(description=_("Return the selected enterprises to draft"))
    def return_to_draft(self, request, queryset):
        self._set_status(
            request,
            queryset,
            Status.DRAFT,
            lambda n: ngettext(
                "%(count)s enterprise returned to draft.",
                "%(count)s enterprises returned to draft.",
                n,
            ),
        )

    @admin.action(description=_("Confirm verified today"))
    def mark_verified(self, request, queryset):
        count = confirm_verified(user=request.user, ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(
            request,
            ngettext(
                "%(count)s enterprise confirmed verified today.",
                "%(count)s enterprises confirmed verified today.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )
