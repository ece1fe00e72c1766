from django.shortcuts import get_object_or_404
from django.views.generic import ListView

from chantier.pagination import ForgivingPaginationMixin
from entreprises.selectors import public_enterprises, with_list_details
from poles.models import Pole
from poles.selectors import poles_with_counts


class PoleListView(ListView):
    template_name = "poles/list.html"
    context_object_name = "poles"
    paginate_by = 50

    def get_queryset(self):
        return poles_with_counts()


class PoleDetailView(ForgivingPaginationMixin, ListView):
    """A pole's territory and contact, then its enterprises, paginated."""

    template_name = "poles/detail.html"
    context_object_name = "enterprises"

    def get_queryset(self):
        self.pole = get_object_or_404(
            Pole.objects.prefetch_related("regions"), slug=self.kwargs["slug"]
        )
        return with_list_details(public_enterprises().filter(pole=self.pole).order_by("name", "id"))

    def get_context_data(self, **kwargs):
        return super().get_context_data(pole=self.pole, **kwargs)
