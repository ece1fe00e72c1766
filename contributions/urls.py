from django.urls import path
from django.utils.translation import gettext_lazy as _

from contributions import views

app_name = "contributions"

urlpatterns = [
    path(_("contribute/report/<slug:slug>/"), views.ReportView.as_view(), name="report"),
    path(_("contribute/add-an-enterprise/"), views.NewEnterpriseView.as_view(), name="new"),
    path(_("contribute/thanks/"), views.ThanksView.as_view(), name="thanks"),
]
