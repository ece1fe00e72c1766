"""The moderation queue: each pole's staff see the contributions of their poles, the
national team every one (contributions_visible_to); another pole's item is a 404."""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from contributions import services
from contributions.enums import ContributionStatus, Kind
from contributions.forms import ReviewForm
from contributions.models import Contribution, TrustedOwner
from contributions.selectors import contributions_visible_to, duplicates_of_new
from entreprises.selectors import enterprises_visible_to


@admin.register(Contribution)
class ContributionAdmin(admin.ModelAdmin):
    list_display = ["submitted_at", "kind", "subject", "pole", "status"]
    list_filter = ["status", "kind"]
    list_select_related = ["enterprise", "pole"]
    ordering = ["-submitted_at", "-id"]
    list_per_page = 50
    show_full_result_count = False

    def get_queryset(self, request):
        return contributions_visible_to(user=request.user).select_related(
            "enterprise", "pole", "decided_by"
        )

    @admin.display(description=_("subject"))
    def subject(self, contribution):
        if contribution.enterprise_id:
            return contribution.enterprise.name
        return contribution.proposed.get("name_fr", "")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def _contribution_or_404(self, request, object_id) -> Contribution:
        contribution = self.get_object(request, unquote(object_id))
        if contribution is None:
            raise Http404
        return contribution

    def history_view(self, request, object_id, extra_context=None):
        self._contribution_or_404(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        contribution = self._contribution_or_404(request, object_id)
        if not self.has_view_or_change_permission(request, contribution):
            raise PermissionDenied
        pending = contribution.status == ContributionStatus.PENDING
        can_decide = pending and self.has_change_permission(request, contribution)
        form = ReviewForm(
            request.POST if request.method == "POST" else None, contribution=contribution
        )
        if request.method == "POST" and request.POST.get("decision") == "trust":
            return self._trust(request, contribution)
        if request.method == "POST":
            if not can_decide:
                raise PermissionDenied
            if form.is_valid() and self._decide(request, contribution, form):
                return redirect(reverse("admin:contributions_contribution_changelist"))
        current = None
        if contribution.kind != Kind.NEW and contribution.enterprise_id:
            current = (
                enterprises_visible_to(user=request.user)
                .filter(pk=contribution.enterprise_id)
                .first()
            )
        duplicates = []
        if contribution.kind == Kind.NEW and pending:
            visible = set(enterprises_visible_to(user=request.user).values_list("pk", flat=True))
            duplicates = [
                (enterprise, enterprise.pk in visible)
                for enterprise in duplicates_of_new(contribution=contribution)[:20]
            ]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": str(contribution),
            "contribution": contribution,
            "current": current,
            "form": form,
            "rows": form.rows(current=current),
            "can_decide": can_decide,
            "duplicates": duplicates,
            "can_trust": self._can_trust(request, contribution),
        }
        return TemplateResponse(request, "admin/contributions/contribution/review.html", context)

    def _can_trust(self, request, contribution) -> bool:
        return (
            contribution.kind == Kind.OWNER
            and contribution.status
            in {ContributionStatus.ACCEPTED, ContributionStatus.PARTLY_ACCEPTED}
            and contribution.decided_by_id is not None
            and self.has_change_permission(request, contribution)
            and not TrustedOwner.objects.filter(
                enterprise_id=contribution.enterprise_id, email__iexact=contribution.email
            ).exists()
        )

    def _trust(self, request, contribution):
        if not self._can_trust(request, contribution):
            raise PermissionDenied
        services.trust_owner(user=request.user, contribution_id=contribution.pk)
        messages.success(
            request, gettext("This owner's next changes to this enterprise will publish directly.")
        )
        return redirect(request.path)

    def _decide(self, request, contribution, form) -> bool:
        try:
            if form.cleaned_data["decision"] == "accept":
                services.accept_contribution(
                    user=request.user,
                    contribution_id=contribution.pk,
                    values=form.accepted_values(),
                    not_duplicate=form.cleaned_data["not_duplicate"],
                )
                messages.success(request, gettext("The contribution was accepted."))
            else:
                services.reject_contribution(
                    user=request.user,
                    contribution_id=contribution.pk,
                    reason=form.cleaned_data["reason"],
                )
                messages.success(request, gettext("The contribution was rejected."))
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
            return False
        return True
