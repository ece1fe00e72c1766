from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import path

from chantier import views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", views.healthz, name="healthz"),
]

urlpatterns += i18n_patterns(
    path("", views.HomeView.as_view(), name="home"),
)
