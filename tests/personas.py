"""The people the tests speak as, made the way the portal makes them.

An anonymous visitor, the national team, staff of pole A, staff of pole B, staff of no
pole, and a partner with an API key. Staff get the role groups of `poles/roles.py`, whose
permissions `sync_staff_groups` keeps exact, and their poles through memberships; the
partner's key comes from `create_api_key`, as the admin makes it. `signed_in` also gives
the second factor of those who must (tests/chantier/test_two_factor.py tests it over HTTP). The fixtures that hand
them to tests live in `tests/conftest.py`.
"""

from dataclasses import dataclass

from django.contrib.auth.models import Group, User
from django.http import HttpRequest
from django.test import Client
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from chantier.services import create_api_key
from poles.models import Pole, PoleMembership
from poles.roles import NATIONAL_TEAM_GROUP, POLE_STAFF_GROUP
from poles.services import sync_staff_groups
from poles.two_factor import uses_second_factor

PASSWORD = "a-long-enough-passphrase-2026"
MODEL_BACKEND = "chantier.backends.SignedInUserInOneQuery"


def create_staff(username: str, *, group: str, poles=()) -> User:
    """A staff account in one role group, member of `poles`, signing in with PASSWORD."""
    user = User.objects.create_user(username, f"{username}@example.org", PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    for pole in poles:
        PoleMembership.objects.create(user=user, pole=pole)
    return user


def create_partner_key(name: str = "Ville de Montréal — données ouvertes") -> str:
    """A partner's API key, as the admin creates it (only its digest is stored)."""
    _api_key, key = create_api_key(name=name)
    return key


def signed_in(user: User) -> Client:
    """A test client with `user`'s session, past the login form and its lock-out, and past
    the second factor for a user who must give one (or has one): an authentication app is
    set up for them and verifies the session, as the code page does."""
    client = Client()
    client.force_login(user, backend=MODEL_BACKEND)
    if uses_second_factor(user):
        verify_second_factor(client, user)
    return client


def verify_second_factor(client: Client, user: User) -> TOTPDevice:
    """Marks `client`'s session verified by `user`'s authentication app (made if missing)."""
    device, _created = TOTPDevice.objects.get_or_create(
        user=user, confirmed=True, defaults={"name": "app"}
    )
    request = HttpRequest()
    request.session, request.user = client.session, user
    otp_login(request, device)
    request.session.save()
    return device


def anonymous() -> Client:
    """A visitor with no session and no key."""
    return Client()


def partner(key: str) -> Client:
    """A client that sends the partner's key with every request."""
    return Client(HTTP_X_API_KEY=key)


@dataclass(frozen=True)
class Personas:
    pole_a: Pole
    pole_b: Pole
    national: User
    staff_a: User
    staff_b: User
    staff_without_pole: User

    def client_for(self, user: User) -> Client:
        return signed_in(user)


def create_personas(*, pole_a: Pole, pole_b: Pole) -> Personas:
    """The four staff personas around two poles."""
    sync_staff_groups()
    return Personas(
        pole_a=pole_a,
        pole_b=pole_b,
        national=create_staff("equipe-nationale", group=NATIONAL_TEAM_GROUP),
        staff_a=create_staff("personnel-a", group=POLE_STAFF_GROUP, poles=[pole_a]),
        staff_b=create_staff("personnel-b", group=POLE_STAFF_GROUP, poles=[pole_b]),
        staff_without_pole=create_staff("personnel-sans-pole", group=POLE_STAFF_GROUP),
    )
