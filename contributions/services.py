"""Writes of contributions: receiving them from the public forms, and the moderation's
decisions, which write to enterprises through the enterprises' own rules."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from contributions.enums import ContributionStatus, Kind
from contributions.models import Contribution, OwnerLink, TrustedOwner
from contributions.selectors import (
    contributions_visible_to,
    duplicates_of_new,
    pole_of_new_enterprise,
)
from contributions.tasks import owner_link_id, send_outcome, send_owner_link
from entreprises.columns import TRANSLATED
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
            name = f"{field}_{language}" if field in TRANSLATED else field
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
    _write(enterprise=enterprise, values=values, user=user, reason=_history_reason(contribution))


def _write(*, enterprise: Enterprise, values: dict[str, str], user, reason: str) -> None:
    """The enterprise's own validation, then one save with its history row."""
    if not values:
        return
    for field, value in values.items():
        setattr(enterprise, field, value)
    enterprise.full_clean(exclude=["search_vector"])
    enterprise._history_user = user
    enterprise._change_reason = reason
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


# --- Owners ----------------------------------------------------------------------------


def request_owner_link(*, enterprise: Enterprise, email: str, language: str) -> None:
    """Send a sign-in link when `email` is the enterprise's listed one; otherwise do
    nothing. The caller answers the same either way, so nobody learns what is on file."""
    if not enterprise.email or enterprise.email.strip().lower() != email.strip().lower():
        return
    link = OwnerLink.objects.create(enterprise=enterprise, email=email, language=language)
    send_owner_link.defer(link_id=link.pk)


class LinkProblem(Exception):
    """Why an owner's link cannot be used: "invalid" (forged, or for another record),
    "expired" or "used"."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def usable_owner_link(*, enterprise: Enterprise, token: str, lock: bool = False) -> OwnerLink:
    """The link of `token` if it is for this enterprise, unused and recent; else LinkProblem."""
    link_id = owner_link_id(token=token)
    if link_id is None:
        raise LinkProblem("invalid")
    links = OwnerLink.objects.select_for_update() if lock else OwnerLink.objects
    link = links.filter(pk=link_id, enterprise=enterprise).first()
    if link is None:
        raise LinkProblem("invalid")
    if link.used_at is not None:
        raise LinkProblem("used")
    if timezone.now() - link.created_at > timedelta(hours=settings.OWNER_LINK_HOURS):
        raise LinkProblem("expired")
    return link


@transaction.atomic
def submit_owner_change(
    *, enterprise: Enterprise, token: str, values: dict[str, str], language: str
) -> Contribution:
    """The owner's changes, through their link (used up here): to moderation, or published
    at once when the pole trusts this owner for this record."""
    link = usable_owner_link(enterprise=enterprise, token=token, lock=True)
    link.used_at = timezone.now()
    link.save(update_fields=["used_at"])
    proposed = {
        field: value.strip()
        for field, value in values.items()
        if value.strip() != (getattr(enterprise, field) or "")
    }
    contribution = Contribution.objects.create(
        kind=Kind.OWNER,
        enterprise=enterprise,
        pole_id=enterprise.pole_id,
        proposed=proposed,
        email=link.email,
        language=language,
    )
    trusted = TrustedOwner.objects.filter(enterprise=enterprise, email__iexact=link.email).exists()
    if trusted:
        _write(
            enterprise=enterprise,
            values=proposed,
            user=None,
            reason=gettext(
                "Published directly by a trusted owner (%(sender)s), contribution #%(id)s"
            )
            % {"sender": link.email, "id": contribution.pk},
        )
        contribution.status = ContributionStatus.ACCEPTED
        contribution.decided_at = timezone.now()
        contribution.accepted = proposed
        contribution.save(update_fields=["status", "decided_at", "accepted"])
    return contribution


@transaction.atomic
def trust_owner(*, user, contribution_id: int) -> TrustedOwner:
    """After an owner's change was accepted, let their later changes to that record publish
    directly."""
    contribution = contributions_visible_to(user=user).get(pk=contribution_id)
    if contribution.kind != Kind.OWNER or contribution.status not in {
        ContributionStatus.ACCEPTED,
        ContributionStatus.PARTLY_ACCEPTED,
    }:
        raise ValidationError(
            _("Only an owner whose change was accepted can be trusted."), code="not_accepted"
        )
    trusted, _created = TrustedOwner.objects.get_or_create(
        enterprise_id=contribution.enterprise_id,
        email=contribution.email.lower(),
        defaults={"granted_by": user},
    )
    return trusted


@transaction.atomic
def confirm_by_owner(*, enterprise: Enterprise, token: str) -> None:
    """The owner says the record is still accurate: today is its verification, and the
    history says by whom (the source of the verification)."""
    link = usable_owner_link(enterprise=enterprise, token=token, lock=True)
    link.used_at = timezone.now()
    link.save(update_fields=["used_at"])
    _write(
        enterprise=enterprise,
        values={"last_verified_at": timezone.localdate()},
        user=None,
        reason=gettext("Confirmed still accurate by the owner (%(sender)s)")
        % {"sender": link.email},
    )
