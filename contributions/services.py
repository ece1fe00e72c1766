"""Writes of contributions: receiving them from the public forms, and the moderation's
decisions, which write to enterprises through the enterprises' own rules."""

from django.db import transaction

from contributions.enums import TRANSLATED_FIELDS, Kind
from contributions.models import Contribution
from contributions.selectors import pole_of_new_enterprise
from entreprises.models import Enterprise
from poles.models import Region


def submit_report(
    *,
    enterprise: Enterprise,
    message: str,
    corrections: dict[str, str],
    email: str,
    language: str,
) -> Contribution:
    """A visitor's report of an error on a published enterprise, in its pole's queue.

    `corrections` maps the fields of enums.CORRECTABLE_FIELDS to the text proposed; a
    translated field's correction goes to the visitor's language.
    """
    proposed = {}
    for field, value in corrections.items():
        if value.strip():
            name = f"{field}_{language}" if field in TRANSLATED_FIELDS else field
            proposed[name] = value.strip()
    return Contribution.objects.create(
        kind=Kind.REPORT,
        enterprise=enterprise,
        pole_id=enterprise.pole_id,
        message=message.strip(),
        proposed=proposed,
        email=email,
        language=language,
    )


@transaction.atomic
def submit_new_enterprise(
    *, fields: dict[str, str], region: Region | None, message: str, email: str, language: str
) -> Contribution:
    """A visitor's proposal of an enterprise the directory lacks, in the queue of the
    pole of its town's region (the national team's when none is found)."""
    proposed = {name: value.strip() for name, value in fields.items() if value and value.strip()}
    if region is not None:
        proposed["region"] = region.code
    return Contribution.objects.create(
        kind=Kind.NEW,
        pole=pole_of_new_enterprise(region=region, city=fields.get("city", "")),
        message=message.strip(),
        proposed=proposed,
        email=email,
        language=language,
    )
