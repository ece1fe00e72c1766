"""How fresh each record is: the one rule of when an enterprise is due for verification
and when it is overdue, read by the admin's dashboard and filter and the public page.

A record is due once its last verification is older than its pole's interval
(`Pole.verification_months`, 12 months without a pole) less DUE_SOON_DAYS, and overdue
once older than the interval, or when it was never verified."""

import calendar
from datetime import date, timedelta

from django.db.models import Count, DateField, F, Func, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from entreprises.enums import Status
from entreprises.models import Enterprise
from poles.models import Pole

DEFAULT_MONTHS = 12
DUE_SOON_DAYS = 30


class PlusMonths(Func):
    """A date plus a number of months, as a date (PostgreSQL's make_interval)."""

    arg_joiner = " + make_interval(months => "
    template = "(%(expressions)s))::date"
    output_field = DateField()


def with_due_on(enterprises: QuerySet[Enterprise]) -> QuerySet[Enterprise]:
    """Adds `due_on`: when the record should next be verified (null: never verified)."""
    months = Coalesce(F("pole__verification_months"), Value(DEFAULT_MONTHS))
    return enterprises.alias(due_on=PlusMonths(F("last_verified_at"), months))


def overdue(*, today: date) -> Q:
    return Q(last_verified_at__isnull=True) | Q(due_on__lt=today)


def due_soon(*, today: date) -> Q:
    return Q(due_on__gte=today, due_on__lte=today + timedelta(days=DUE_SOON_DAYS))


def freshness_by_pole(*, enterprises: QuerySet[Enterprise], poles: QuerySet[Pole]) -> list[Pole]:
    """These poles, each with `due` and `overdue`: how many of its published enterprises
    among `enterprises` are due soon, and overdue."""
    today = timezone.localdate()
    counts = {
        row["pole"]: row
        for row in with_due_on(enterprises.filter(status=Status.PUBLISHED).order_by())
        .values("pole")
        .annotate(
            due=Count("pk", filter=due_soon(today=today)),
            overdue=Count("pk", filter=overdue(today=today)),
        )
    }
    poles = list(poles.order_by("name"))
    for pole in poles:
        pole.due = counts.get(pole.pk, {}).get("due", 0)
        pole.overdue = counts.get(pole.pk, {}).get("overdue", 0)
    return poles


def is_overdue(enterprise: Enterprise) -> bool:
    """The same rule for one record already read (with its pole)."""
    if enterprise.last_verified_at is None:
        return True
    months = enterprise.pole.verification_months if enterprise.pole_id else DEFAULT_MONTHS
    verified = enterprise.last_verified_at
    month = verified.month - 1 + months
    year, month = verified.year + month // 12, month % 12 + 1
    # The last day of the month when the day does not exist (as PostgreSQL does).
    due_on = date(year, month, min(verified.day, calendar.monthrange(year, month)[1]))
    return due_on < timezone.localdate()
