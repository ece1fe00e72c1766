"""Work done out of the request by the worker (`manage.py procrastinate worker`): telling a
sender what became of their contribution. Jobs are kept in PostgreSQL, deferred in the
same transaction as the decision, and retried with a growing wait when sending fails."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import send_mail
from django.db.models import Count
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from procrastinate.contrib.django import app
from procrastinate.retry import BaseRetryStrategy, RetryDecision

from contributions.enums import ContributionStatus
from contributions.models import Contribution, OwnerLink
from contributions.selectors import contributions_visible_to
from entreprises.freshness import due_soon, freshness_by_pole, overdue, with_due_on
from entreprises.models import Enterprise
from entreprises.selectors import enterprises_visible_to
from poles.selectors import is_national_team, poles_of

OWNER_LINK_SALT = "contributions.owner-link"


class RetryWithBackoff(BaseRetryStrategy):
    """After the n-th failure, wait TASK_RETRY_BACKOFF_SECONDS to the power n, until
    TASK_RETRY_ATTEMPTS retries have failed; then the job is marked failed (the admin's
    "Procrastinate jobs" list). Read at each failure, so the settings hold when they change."""

    def get_retry_decision(self, *, exception, job):
        if job.attempts >= settings.TASK_RETRY_ATTEMPTS:
            return None
        return RetryDecision(
            retry_in={"seconds": settings.TASK_RETRY_BACKOFF_SECONDS ** (job.attempts + 1)}
        )


RETRY = RetryWithBackoff()


@app.task(name="contributions.send_outcome", queue="mail", retry=RETRY)
def send_outcome(*, contribution_id: int) -> None:
    """E-mail the sender the decision, in the language they wrote in. Plain text only: what
    visitors and staff wrote is never read as HTML by the sender's mail client."""
    contribution = (
        Contribution.objects.select_related("enterprise").filter(pk=contribution_id).first()
    )
    if (
        contribution is None
        or not contribution.email
        or contribution.status == ContributionStatus.PENDING
    ):
        return
    with translation.override(contribution.language):
        enterprise = contribution.enterprise
        context = {
            "contribution": contribution,
            "name": enterprise.name if enterprise else contribution.proposed.get("name_fr", ""),
            "page_url": f"{settings.SITE_URL}{enterprise.get_absolute_url()}"
            if enterprise and enterprise.status == "published"
            else "",
            "accepted": contribution.status != ContributionStatus.REJECTED,
        }
        subject = render_to_string("contributions/email/outcome_subject.txt", context)
        body = render_to_string("contributions/email/outcome.txt", context)
    # A name with a line break must not become a second header.
    send_mail(" ".join(subject.split()), body, None, [contribution.email])


def owner_link_token(*, link: OwnerLink) -> str:
    """The token of an owner's link: its id, signed (the row says whether it was used)."""
    return signing.dumps(link.pk, salt=OWNER_LINK_SALT)


def owner_link_id(*, token: str) -> int | None:
    try:
        value = signing.loads(token, salt=OWNER_LINK_SALT, max_age=settings.OWNER_LINK_HOURS * 3600)
    except signing.BadSignature:
        return None
    return value if isinstance(value, int) else None


@app.task(name="contributions.send_owner_link", queue="mail", retry=RETRY)
def send_owner_link(*, link_id: int) -> None:
    """E-mail the sign-in link to the enterprise's listed address, in the asker's language."""
    link = OwnerLink.objects.select_related("enterprise").filter(pk=link_id).first()
    if link is None or link.used_at is not None:
        return
    with translation.override(link.language):
        path = reverse(
            "contributions:owner-edit",
            kwargs={"slug": link.enterprise.slug, "token": owner_link_token(link=link)},
        )
        context = {
            "name": link.enterprise.name,
            "url": f"{settings.SITE_URL}{path}",
            "hours": settings.OWNER_LINK_HOURS,
        }
        subject = render_to_string("contributions/email/owner_link_subject.txt", context)
        body = render_to_string("contributions/email/owner_link.txt", context)
    send_mail(" ".join(subject.split()), body, None, [link.email])


# An enterprise is reminded at most once in this many days.
REMINDER_EVERY_DAYS = 30


@app.periodic(cron="0 8 * * *")
@app.task(name="contributions.send_verification_reminders", queue="mail", retry=RETRY)
def send_verification_reminders(timestamp: int | None = None) -> int:
    """Each day: e-mail each published enterprise due or overdue for verification, at its
    listed address, a link to confirm the record is still accurate or to change it.
    Returns how many were sent."""
    today = timezone.localdate()
    recently = timezone.now() - timedelta(days=REMINDER_EVERY_DAYS)
    enterprises = (
        with_due_on(Enterprise.objects.published().exclude(email=""))
        .filter(due_soon(today=today) | overdue(today=today))
        .exclude(owner_links__created_at__gte=recently)
        .order_by("pk")
    )
    sent = 0
    for enterprise in enterprises.iterator(chunk_size=500):
        link = OwnerLink.objects.create(
            enterprise=enterprise, email=enterprise.email, language=settings.LANGUAGE_CODE
        )
        token = owner_link_token(link=link)
        context = {
            "name": enterprise.name_fr,
            "confirm_url": settings.SITE_URL
            + reverse(
                "contributions:owner-confirm", kwargs={"slug": enterprise.slug, "token": token}
            ),
            "edit_url": settings.SITE_URL
            + reverse("contributions:owner-edit", kwargs={"slug": enterprise.slug, "token": token}),
            "hours": settings.OWNER_LINK_HOURS,
        }
        # Staff cannot know the owner's language: French first, then English.
        subject = render_to_string("contributions/email/reminder_subject.txt", context)
        body = render_to_string("contributions/email/reminder.txt", context)
        send_mail(" ".join(subject.split()), body, None, [enterprise.email])
        sent += 1
    return sent


@app.periodic(cron="0 7 * * 1")
@app.task(name="contributions.send_weekly_digests", queue="mail", retry=RETRY)
def send_weekly_digests(timestamp: int | None = None) -> int:
    """Each Monday: every active staff member is told, per pole they work for, how many
    contributions wait in its queue and how many records are overdue. Returns how many
    e-mails were sent."""
    sent = 0
    for user in get_user_model().objects.filter(is_active=True, is_staff=True).exclude(email=""):
        poles = freshness_by_pole(
            enterprises=enterprises_visible_to(user=user), poles=poles_of(user=user)
        )
        pending = dict(
            contributions_visible_to(user=user)
            .pending()
            .order_by()
            .values_list("pole")
            .annotate(count=Count("pk"))
        )
        for pole in poles:
            pole.pending = pending.get(pole.pk, 0)
        national_queue = pending.get(None, 0) if is_national_team(user=user) else None
        if not poles and national_queue is None:
            continue
        context = {
            "poles": poles,
            "national_queue": national_queue,
            "admin_url": settings.SITE_URL + reverse("admin:index"),
        }
        subject = render_to_string("contributions/email/digest_subject.txt", context)
        body = render_to_string("contributions/email/digest.txt", context)
        send_mail(" ".join(subject.split()), body, None, [user.email])
        sent += 1
    return sent
