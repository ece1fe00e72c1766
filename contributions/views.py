"""The public forms' pages. Nothing sent here is published: it waits in a pole's queue."""

from django.conf import settings
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import get_language
from django.views.generic import FormView, TemplateView

from contributions import services
from contributions.forms import NewEnterpriseForm, ReportForm
from contributions.guards import client_address, within_limit
from entreprises.selectors import public_enterprises


class GuardedFormView(FormView):
    """Counts each sending per address (and per e-mail given) before reading it, and
    answers a robot as it answers a person, without keeping what it sent."""

    success_url_name = "contributions:thanks"

    def post(self, request, *args, **kwargs):
        if not within_limit(
            scope="address",
            ident=client_address(request),
            rate=settings.CONTRIBUTION_RATE_PER_ADDRESS,
        ):
            return self.too_many()
        form = self.get_form()
        if form.is_robot:
            return redirect(self.success_url_name)
        if not form.is_valid():
            form.refresh_token()
            return self.render_to_response(self.get_context_data(form=form), status=400)
        email = form.cleaned_data["reply_to"].lower()
        if email and not within_limit(
            scope="email", ident=email, rate=settings.CONTRIBUTION_RATE_PER_EMAIL
        ):
            return self.too_many()
        self.save(form, email=email, language=get_language())
        return redirect(self.success_url_name)

    def too_many(self):
        return self.response_class(
            request=self.request,
            template=["contributions/too_many.html"],
            context={},
            status=429,
            headers={"Retry-After": "3600"},
        )

    def save(self, form, *, email: str, language: str) -> None:
        raise NotImplementedError


class ReportView(GuardedFormView):
    template_name = "contributions/report.html"
    form_class = ReportForm

    def dispatch(self, request, *args, **kwargs):
        self.enterprise = get_object_or_404(
            public_enterprises().select_related("pole"), slug=kwargs["slug"]
        )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(enterprise=self.enterprise, **kwargs)

    def save(self, form, *, email, language):
        services.submit_report(
            enterprise=self.enterprise,
            message=form.cleaned_data["message"],
            corrections=form.corrections(),
            email=email,
            language=language,
        )


class NewEnterpriseView(GuardedFormView):
    template_name = "contributions/new_enterprise.html"
    form_class = NewEnterpriseForm

    def save(self, form, *, email, language):
        services.submit_new_enterprise(
            fields=form.proposed_fields(),
            region=form.cleaned_data["region"],
            message=form.cleaned_data["message"],
            email=email,
            language=language,
        )


class ThanksView(TemplateView):
    template_name = "contributions/thanks.html"
