"""Two-factor sign-in for staff: who must use it, and the writes and checks behind its pages.

A second factor is a code from an authentication app (TOTP, django-otp's `TOTPDevice`) and,
for a lost phone, single-use recovery codes (django-otp's `StaticDevice`). It is required of
the national team and of anyone who may manage accounts or API keys; other staff may turn
it on. A wrong code is a failed sign-in for django-axes: it counts with wrong passwords
toward the same lock-out, and only a complete sign-in forgets the failures.
"""

import re
from binascii import unhexlify

from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.db.models import Exists, OuterRef
from django_otp import login as otp_login
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

from poles.selectors import is_national_team

RECOVERY_CODE_COUNT = 10
# Who holds one of these may give themselves or others access: a password is not enough.
ACCESS_PERMISSIONS = [
    "auth.add_user",
    "auth.change_user",
    "chantier.add_apikey",
    "chantier.change_apikey",
]
_SPACES = re.compile(r"[\s-]+")


def second_factor_required(user) -> bool:
    """Whether `user` may not use the admin without a second factor."""
    return is_national_team(user=user) or any(user.has_perm(p) for p in ACCESS_PERMISSIONS)


def has_second_factor(user) -> bool:
    # Read with the user when they signed in this request, or in a list (with_second_factor).
    known = getattr(user, "has_second_factor", None)
    if known is not None:
        return known
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def uses_second_factor(user) -> bool:
    return has_second_factor(user) or second_factor_required(user)


def second_factor_step(user) -> str | None:
    """What a signed-in staff session still owes, as the name of the admin page that takes
    it: a code (the user has an authentication app) or an enrolment (the user must have
    one); None once a device verified the session, or when no second factor is needed."""
    if not (user.is_authenticated and user.is_staff) or user.is_verified():
        return None
    if has_second_factor(user):
        return "admin:two_factor_verify"
    return "admin:two_factor_enrol" if second_factor_required(user) else None


def new_secret() -> str:
    """A secret for an authentication app, kept in the session until a code confirms it."""
    return default_key()


def totp_for(secret: str) -> TOTP:
    return TOTP(unhexlify(secret.encode()))


def config_url(*, user, secret: str) -> str:
    """The otpauth:// address an authentication app reads from the QR code."""
    return TOTPDevice(user=user, key=secret).config_url


def normalized(code: str) -> str:
    return _SPACES.sub("", code).lower()


@transaction.atomic
def enrol(request, *, secret: str, code: str) -> list[str] | None:
    """Turns on the second factor of `request.user` when `code` comes from `secret`: the
    authentication app replaces any earlier one, the session counts as verified, and the
    new recovery codes are returned (shown once). None, and nothing written, otherwise."""
    totp = totp_for(secret)
    code = normalized(code)
    if not (code.isdigit() and totp.verify(int(code), tolerance=1)):
        return None
    user = request.user
    TOTPDevice.objects.filter(user=user).delete()
    device = TOTPDevice.objects.create(
        user=user, name="app", key=secret, confirmed=True, last_t=totp.t()
    )
    codes = new_recovery_codes(user=user)
    otp_login(request, device)
    return codes


@transaction.atomic
def new_recovery_codes(*, user) -> list[str]:
    """Ten new single-use recovery codes for `user`; the earlier ones stop working."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name="recovery", defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def turn_off(*, users) -> int:
    """Removes the authentication apps and recovery codes of `users` (a lost phone): each
    sets two-factor sign-in up again at their next sign-in. Returns how many had it on."""
    had_it = TOTPDevice.objects.filter(user__in=users, confirmed=True).values("user").distinct()
    count = had_it.count()
    TOTPDevice.objects.filter(user__in=users).delete()
    StaticDevice.objects.filter(user__in=users).delete()
    return count


def with_second_factor(users):
    """`users` annotated with `has_second_factor` (in one query, for a list)."""
    return users.annotate(
        has_second_factor=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True))
    )


def remaining_recovery_codes(*, user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def is_locked_out(request) -> bool:
    return AxesProxyHandler.is_locked(request, _credentials(request.user))


def verify(request, *, code: str):
    """The device that accepts `code` for `request.user` (the session is then verified and
    the failures forgotten), or None: a failed sign-in, which django-axes counts and may turn
    into a lock-out (`request.axes_locked_out`). Six digits are an app's code; anything
    else is tried as a recovery code, which then stops working."""
    user, code = request.user, normalized(code)
    model = TOTPDevice if code.isdigit() and len(code) == 6 else StaticDevice
    with transaction.atomic():
        devices = model.objects.devices_for_user(user, confirmed=True).select_for_update()
        device = next((device for device in devices if device.verify_token(code)), None)
    if device is None:
        user_login_failed.send(__name__, credentials=_credentials(user), request=request)
        return None
    otp_login(request, device)
    sign_in_complete(request, user=user)
    return device


def sign_in_complete(request, *, user) -> None:
    """The user is fully signed in: their failed attempts from this address are forgotten."""
    AxesProxyHandler.update_request(request)
    AxesProxyHandler.get_implementation().reset_user_attempts(request, _credentials(user))


def _credentials(user) -> dict:
    return {"username": user.get_username()}
