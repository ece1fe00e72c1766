"""The public forms' pages. Nothing sent here is published: it waits in a pole's queue."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import get_language
from django.views.generic import FormView, TemplateView

from common.client_address import client_address
from contributions import services
from contributions.forms import NewEnterpriseForm, OwnerEditForm, OwnerRequestForm, ReportForm
from contributions.guards import within_limit
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


class EnterpriseFormMixin:
    def dispatch(self, request, *args, **kwargs):
        self.enterprise = get_object_or_404(public_enterprises(), slug=kwargs["slug"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(enterprise=self.enterprise, **kwargs)


class OwnerRequestView(EnterpriseFormMixin, GuardedFormView):
    """ "This is my enterprise": the same answer whether the e-mail is the listed one or not."""

    template_name = "contributions/owner_request.html"
    form_class = OwnerRequestForm
    success_url_name = "contributions:owner-sent"

    def save(self, form, *, email, language):
        services.request_owner_link(enterprise=self.enterprise, email=email, language=language)


class OwnerSentView(TemplateView):
    template_name = "contributions/owner_sent.html"


class OwnerLinkMixin(EnterpriseFormMixin):
    """Pages reached by an owner's link: a link that is expired or used says so (410); one
    that never was, or is for another record, is a 404."""

    def dispatch(self, request, *args, **kwargs):
        try:
            return super().dispatch(request, *args, **kwargs)
        except services.LinkProblem as problem:
            if problem.reason == "invalid":
                raise Http404 from None
            return self.response_class(
                request=request,
                template=["contributions/owner_link_problem.html"],
                context={"reason": problem.reason},
                status=410,
            )

    def get(self, request, *args, **kwargs):
        services.usable_owner_link(enterprise=self.enterprise, token=kwargs["token"])
        return super().get(request, *args, **kwargs)


class OwnerEditView(OwnerLinkMixin, FormView):
    """The owner's form, reached by their link: for that record only, sent once."""

    template_name = "contributions/owner_edit.html"
    form_class = OwnerEditForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "enterprise": self.enterprise}

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def form_valid(self, form):
        services.submit_owner_change(
            enterprise=self.enterprise,
            token=self.kwargs["token"],
            values=form.values(),
            language=get_language(),
        )
        return redirect("contributions:thanks")


class OwnerConfirmView(OwnerLinkMixin, TemplateView):
    """ "Still accurate": a page with one button (a GET never changes the record, so a mail
    scanner opening the link confirms nothing)."""

    template_name = "contributions/owner_confirm.html"

    def post(self, request, *args, **kwargs):
        services.confirm_by_owner(enterprise=self.enterprise, token=kwargs["token"])
        return redirect("contributions:thanks")
