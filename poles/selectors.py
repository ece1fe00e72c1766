from django.db.models import Count, Q, QuerySet

from poles.models import Pole


def poles_with_counts() -> QuerySet[Pole]:
    """Every pole with its regions and its number of published enterprises."""
    return (
        Pole.objects.annotate(
            published_count=Count("enterprises", filter=Q(enterprises__status="published"))
        )
        .prefetch_related("regions")
        .order_by("name")
    )
