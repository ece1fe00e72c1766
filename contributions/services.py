"""Writes of contributions: receiving them from the public forms, and the moderation's
decisions, which write to enterprises through the enterprises' own rules."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from contributions.enums import TRANSLATED_FIELDS, ContributionStatus, Kind
from contributions.models import Contribution
from contributions.selectors import (
    contributions_visible_to,
    duplicates_of_new,
    pole_of_new_enterprise,
)
from contributions.tasks import send_outcome
from entreprises.enums import Status
from entreprises.models import Enterprise, Sector
from entreprises.selectors import enterprises_visible_to
from entreprises.services import one_search_refresh, refresh_search_vectors, set_sectors
from poles.models import Region
from poles.selectors import poles_of


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


# --- Moderation ------------------------------------------------------------------------


class NotPending(ValidationError):
    pass


def _decided(contribution: Contribution, *, user, status: str, accepted=None, reason=""):
    contribution.status = status
    contribution.decided_at = timezone.now()
    contribution.decided_by = user
    contribution.accepted = accepted or {}
    contribution.reason = reason
    contribution.save(update_fields=["status", "decided_at", "decided_by", "accepted", "reason"])
    if contribution.email:
        # In the decision's transaction: the job exists if and only if the decision does.
        send_outcome.defer(contribution_id=contribution.pk)


def _pending_for(*, user, contribution_id: int) -> Contribution:
    """The contribution, locked, if `user` moderates it and nobody decided it yet."""
    contribution = (
        contributions_visible_to(user=user).select_for_update(of=("self",)).get(pk=contribution_id)
    )
    if contribution.status != ContributionStatus.PENDING:
        raise NotPending(_("This contribution has already been decided."), code="decided")
    return contribution


def _history_reason(contribution: Contribution) -> str:
    sender = contribution.email or gettext("no email given")
    if contribution.kind == Kind.OWNER:
        return gettext("Proposed by the owner (%(sender)s), contribution #%(id)s") % {
            "sender": sender,
            "id": contribution.pk,
        }
    return gettext("Proposed by a visitor (%(sender)s), contribution #%(id)s") % {
        "sender": sender,
        "id": contribution.pk,
    }


@transaction.atomic
def accept_contribution(
    *, user, contribution_id: int, values: dict[str, str], not_duplicate: bool = False
) -> Contribution:
    """Write the values staff kept (all the proposal, part of it, or edited) to the
    enterprise, or make the proposed one; the history says who proposed, who accepted.

    Raises ValidationError, writing nothing, when a value breaks the enterprise's rules
    or a new enterprise may be a duplicate (a same NEQ always refuses it).
    """
    contribution = _pending_for(user=user, contribution_id=contribution_id)
    unknown = set(values) - set(contribution.proposed)
    if unknown:
        raise ValidationError(_("Only proposed fields can be accepted."), code="unknown_field")
    values = {field: value.strip() for field, value in values.items()}
    if contribution.kind == Kind.NEW:
        enterprise = _create_proposed(
            user=user, contribution=contribution, values=values, not_duplicate=not_duplicate
        )
        contribution.enterprise = enterprise
        contribution.save(update_fields=["enterprise"])
    else:
        _update_enterprise(user=user, contribution=contribution, values=values)
    complete = values.keys() == contribution.proposed.keys()
    _decided(
        contribution,
        user=user,
        status=ContributionStatus.ACCEPTED if complete else ContributionStatus.PARTLY_ACCEPTED,
        accepted=values,
    )
    return contribution


@transaction.atomic
def reject_contribution(*, user, contribution_id: int, reason: str) -> Contribution:
    """Nothing is written to the enterprise; the reason is kept (and told to the sender)."""
    contribution = _pending_for(user=user, contribution_id=contribution_id)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the contribution is rejected.")})
    _decided(contribution, user=user, status=ContributionStatus.REJECTED, reason=reason.strip())
    return contribution


def _update_enterprise(*, user, contribution: Contribution, values: dict[str, str]) -> None:
    try:
        enterprise = enterprises_visible_to(user=user).get(pk=contribution.enterprise_id)
    except Enterprise.DoesNotExist:
        raise ValidationError(
            _("The enterprise of this contribution no longer exists."), code="gone"
        ) from None
    if not values:
        return
    for field, value in values.items():
        setattr(enterprise, field, value)
    enterprise.full_clean(exclude=["search_vector"])
    enterprise._history_user = user
    enterprise._change_reason = _history_reason(contribution)
    enterprise.save()
    refresh_search_vectors(ids=[enterprise.pk])


def _create_proposed(
    *, user, contribution: Contribution, values: dict[str, str], not_duplicate: bool
) -> Enterprise:
    fields = {**values}
    sector_slug = fields.pop("sector", "")
    region_code = fields.pop("region", "")
    sector = Sector.objects.filter(slug=sector_slug).first()
    if sector is None:
        raise ValidationError({"sector": _("Choose an existing sector (its slug).")})
    region = Region.objects.filter(code=region_code).first() if region_code else None
    if region_code and region is None:
        raise ValidationError({"region": _("Give a region code from 01 to 17.")})
    probe = Contribution(proposed=fields)
    duplicates = duplicates_of_new(contribution=probe)
    if fields.get("neq") and duplicates.filter(neq=fields["neq"]).exists():
        raise ValidationError({"neq": _("Another enterprise already has this NEQ.")})
    if duplicates.exists() and not not_duplicate:
        raise ValidationError(
            _(
                "Possible duplicate: an enterprise with the same name already exists in this "
                "town. Check it is not the same one, then tick “This is not a duplicate”."
            ),
            code="possible_duplicate",
        )
    pole = contribution.pole or (
        pole_of_new_enterprise(region=region, city=fields.get("city", "")) if region else None
    )
    if pole is not None and not poles_of(user=user).filter(pk=pole.pk).exists():
        raise ValidationError(_("This enterprise is not in one of your poles."), code="pole")
    enterprise = Enterprise(
        **fields,
        slug=_free_slug(fields.get("name_fr", "")),
        region=region,
        pole=pole,
        status=Status.PUBLISHED,
    )
    enterprise.full_clean(exclude=["search_vector"])
    enterprise._history_user = user
    enterprise._change_reason = _history_reason(contribution)
    with one_search_refresh():
        enterprise.save()
        set_sectors(enterprise=enterprise, primary=sector)
    return enterprise


def _free_slug(name: str) -> str:
    base = slugify(name)[:200] or "entreprise"
    taken = set(Enterprise.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug
