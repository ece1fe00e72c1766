from django.urls import path
from django.utils.translation import gettext_lazy as _

from contributions import views

app_name = "contributions"

urlpatterns = [
    path(_("contribute/report/<slug:slug>/"), views.ReportView.as_view(), name="report"),
    path(_("contribute/add-an-enterprise/"), views.NewEnterpriseView.as_view(), name="new"),
    path(_("contribute/thanks/"), views.ThanksView.as_view(), name="thanks"),
    path(_("contribute/owner/<slug:slug>/"), views.OwnerRequestView.as_view(), name="owner"),
    path(_("contribute/owner-link-sent/"), views.OwnerSentView.as_view(), name="owner-sent"),
    path(
        _("contribute/owner/<slug:slug>/<str:token>/confirm/"),
        views.OwnerConfirmView.as_view(),
        name="owner-confirm",
    ),
    path(
        _("contribute/owner/<slug:slug>/<str:token>/"),
        views.OwnerEditView.as_view(),
        name="owner-edit",
    ),
]
