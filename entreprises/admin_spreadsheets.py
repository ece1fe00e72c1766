"""The enterprise admin's spreadsheet views: export the change list, download the import
template, and import (upload, preview row by row, then all rows or none)."""

import base64
import secrets

from django import forms
from django.contrib import messages
from django.contrib.admin.exceptions import DisallowedModelAdminLookup
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import Http404, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from entreprises import typed_values
from entreprises.columns import SPREADSHEET
from entreprises.enums import CooperativeType, Customer, LegalForm, Status, StepFreeAccess
from entreprises.imports import (
    EXAMPLE_NAME,
    ImportRejected,
    check_import_size,
    may_import,
    plan_import,
    read_import_file,
)
from entreprises.models import EnterpriseImport, Sector
from entreprises.spreadsheets import (
    CSV_DELIMITERS,
    XLSX_CONTENT_TYPE,
    SpreadsheetError,
    enterprise_rows,
    write_csv,
    write_xlsx,
    write_xlsx_template,
)
from entreprises.tasks import import_spreadsheet, interrupted_imports_told
from poles.models import Region
from poles.selectors import is_national_team, poles_of

# The preview shows every row with an error, and this many of the others.
PREVIEW_ROWS = 200
IMPORT_SESSION_KEY = "enterprise_import"
# The import page lists this many of the person's latest imports.
RECENT_IMPORTS = 5
# While an import waits or runs, its page reloads itself this often.
IMPORT_REFRESH_SECONDS = 3


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet (CSV or XLSX)"),
        help_text=_("Its first line names the columns, as in the template."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            check_import_size(size=upload.size)  # before its content is read into memory
        except ImportRejected as error:
            raise forms.ValidationError(str(error), code="too_large") from None
        return upload


KINDS = [*CSV_DELIMITERS, "xlsx"]
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"


def _attachment(name: str, kind: str) -> str:
    extension = "csv" if kind in CSV_DELIMITERS else kind
    return f'attachment; filename="{name}.{extension}"'


def _example_row(lists: dict[str, list[str]]) -> list[str]:
    """The templates' example line, with the first value of each list."""
    example = {
        "name_fr": str(EXAMPLE_NAME),
        "legal_form": str(LegalForm.COOPERATIVE.label),
        "cooperative_type": str(CooperativeType.WORKER.label),
        "status": str(Status.DRAFT.label),
        "pole": next(iter(lists["pole"]), ""),
        "region": next(iter(lists["region"]), ""),
        "primary_sector": next(iter(lists["primary_sector"]), ""),
        "city": "Sherbrooke",
        "postal_code": "J1H 1A1",
        "phone": "819 555-0123",
        "website": "https://example.org",
        "opening_hours": "lun-ven 9:00-17:00; sam 10:00-12:00, 13:00-16:00",
        "sells_to": f"{Customer.PUBLIC.label}; {Customer.BUSINESSES.label}",
        "step_free_access": str(StepFreeAccess.UNKNOWN.label),
    }
    return [example.get(column, "") for column in SPREADSHEET]


class SpreadsheetViews:
    """Mixed into EnterpriseAdmin: its URLs and views for export, template and import."""

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "export/<str:kind>/", wrap(self.export_view), name="entreprises_enterprise_export"
            ),
            path("import/", wrap(self.import_view), name="entreprises_enterprise_import"),
            path(
                "import/<int:pk>/",
                wrap(self.import_status_view),
                name="entreprises_enterprise_import_status",
            ),
            path(
                "import/template/<str:kind>/",
                wrap(self.template_view),
                name="entreprises_enterprise_import_template",
            ),
            *super().get_urls(),
        ]

    def export_view(self, request, kind):
        """The change list as it is filtered and searched now, as CSV or XLSX."""
        if kind not in KINDS:
            raise Http404
        if not self.has_view_permission(request):
            raise PermissionDenied
        try:
            changelist = self.get_changelist_instance(request)
        except (IncorrectLookupParameters, DisallowedModelAdminLookup):
            return HttpResponseBadRequest(
                gettext("These filters are not valid; export from the list again."),
                content_type="text/plain; charset=utf-8",
            )
        rows = enterprise_rows(changelist.get_queryset(request))
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        if kind in CSV_DELIMITERS:
            response = HttpResponse(
                write_csv(rows, delimiter=CSV_DELIMITERS[kind]), content_type=CSV_CONTENT_TYPE
            )
        else:
            response = HttpResponse(write_xlsx(rows), content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = _attachment(f"enterprises-{stamp}", kind)
        return response

    def template_view(self, request, kind):
        """The import's columns and one example line; the XLSX adds drop-down lists of the
        accepted values and a help sheet."""
        if kind not in KINDS:
            raise Http404
        if not self.has_add_permission(request):
            raise PermissionDenied
        lists = self._template_lists(request)
        example = _example_row(lists)
        if kind in CSV_DELIMITERS:
            content = write_csv([example], delimiter=CSV_DELIMITERS[kind])
            response = HttpResponse(content, content_type=CSV_CONTENT_TYPE)
        else:
            content = write_xlsx_template(
                example=example, lists=lists, help_rows=self._template_help(lists)
            )
            response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = _attachment(gettext("enterprises-template"), kind)
        return response

    def _template_lists(self, request) -> dict[str, list[str]]:
        """The values each column's drop-down offers, in the language of the request."""
        regions = poles_regions = Region.objects.all()
        if not is_national_team(user=request.user):
            poles_regions = regions.filter(poles__in=poles_of(user=request.user)).distinct()
        return {
            "legal_form": [str(label) for label in LegalForm.labels],
            "cooperative_type": [str(label) for label in CooperativeType.labels],
            "status": [str(label) for label in Status.labels],
            "pole": [pole.name for pole in poles_of(user=request.user).order_by("name")],
            "region": [typed_values.region_label(region) for region in poles_regions],
            "primary_sector": [sector.name for sector in Sector.objects.order_by("name_fr")],
            "step_free_access": [str(label) for label in StepFreeAccess.labels],
        }

    def _template_help(self, lists) -> list[list[str]]:
        sector_help = gettext(
            "Sector names separated by semicolons; with a single sector, it is the primary one."
        )
        return [
            [gettext("column"), gettext("accepted values")],
            ["slug", gettext("Empty for a new enterprise; an existing one's slug updates it.")],
            *([column, ", ".join(values)] for column, values in lists.items()),
            ["other_sectors", sector_help],
            ["neq", gettext("10 digits.")],
            ["postal_code", "A1A 1A1"],
            ["phone", "514 555-0123"],
            [
                "opening_hours",
                gettext(
                    "Days and times, in French or English: “lun-ven 9:00-17:00; sam 10:00-12:00, "
                    "13:00-16:00”. Days not given are closed."
                ),
            ],
            [
                "sells_to",
                gettext("Separated by semicolons: %(values)s.")
                % {"values": ", ".join(str(label) for label in Customer.labels)},
            ],
        ]

    def import_view(self, request):
        """Upload, then a preview row by row, then the import of all rows or none."""
        if not may_import(request.user):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("Import enterprises"),
            "columns": SPREADSHEET,
        }
        if request.method == "POST" and "confirm" in request.POST:
            return self._import_confirmed(request, context)
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST":
            # A new upload replaces any file previewed before, good or bad.
            request.session.pop(IMPORT_SESSION_KEY, None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            content = upload.read()
            try:
                header, rows = read_import_file(name=upload.name, content=content)
                plan = plan_import(user=request.user, header=header, rows=rows)
            except (SpreadsheetError, ImportRejected) as error:
                form.add_error("file", str(error))
            else:
                if plan.is_valid:
                    request.session[IMPORT_SESSION_KEY] = {
                        "token": secrets.token_hex(16),
                        "name": upload.name,
                        "rows": len(rows),
                        "content": base64.b64encode(content).decode("ascii"),
                    }
                return TemplateResponse(
                    request,
                    "admin/entreprises/enterprise/import_preview.html",
                    {**context, **self._preview_context(plan), "file_name": upload.name},
                )
        interrupted_imports_told(user=request.user)
        recent = EnterpriseImport.objects.filter(user=request.user).defer("content")
        return TemplateResponse(
            request,
            "admin/entreprises/enterprise/import.html",
            {**context, "form": form, "recent_imports": recent[:RECENT_IMPORTS]},
        )

    def _import_confirmed(self, request, context):
        """Hand the previewed file to the worker, and show where its import stands."""
        stored = request.session.pop(IMPORT_SESSION_KEY, None)
        if stored is None:
            self.message_user(
                request, gettext("Nothing to import: send the file again."), messages.ERROR
            )
            return HttpResponseRedirect(reverse("admin:entreprises_enterprise_import"))
        try:
            with transaction.atomic():  # the job exists only if its record does
                job = EnterpriseImport.objects.create(
                    user=request.user,
                    token=stored.get("token") or secrets.token_hex(16),
                    file_name=stored["name"],
                    content=base64.b64decode(stored["content"]),
                    rows=stored["rows"],
                    language=get_language(),
                )
                import_spreadsheet.defer(import_id=job.pk)
        except IntegrityError:  # the same preview confirmed twice at once: one import
            job = get_object_or_404(EnterpriseImport, token=stored.get("token"), user=request.user)
        return HttpResponseRedirect(
            reverse("admin:entreprises_enterprise_import_status", args=[job.pk])
        )

    def import_status_view(self, request, pk):
        """Where a confirmed import stands; the page reloads itself until it has ended. Each
        person sees only the imports they confirmed."""
        if not may_import(request.user):
            raise PermissionDenied
        interrupted_imports_told(user=request.user)
        imports = EnterpriseImport.objects.defer("content").filter(user=request.user)
        job = get_object_or_404(imports, pk=pk)
        return TemplateResponse(
            request,
            "admin/entreprises/enterprise/import_status.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": gettext("Import of %(file)s") % {"file": job.file_name},
                "job": job,
                "refresh_seconds": IMPORT_REFRESH_SECONDS,
            },
        )

    def _preview_context(self, plan) -> dict:
        shown, others = [], 0
        for row in plan.rows:
            if row.errors or len(shown) < PREVIEW_ROWS:
                shown.append(row)
            else:
                others += 1
        return {
            "plan": plan,
            "rows": shown,
            "hidden_rows": others,
            "created": plan.count("create"),
            "updated": plan.count("update"),
            "unchanged": plan.count("unchanged"),
            "error_rows": len(plan.errors),
        }
