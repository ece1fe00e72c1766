"""The enterprise form says what is wrong, in the user's language, and normalises what it can."""

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.entreprises.conftest import enterprise_form_data
from tests.factories import EnterpriseFactory


def post_form(personas, world, language, **changes):
    client = personas.client_for(personas.staff_a)
    url = reverse("admin:entreprises_enterprise_change", args=[world.enterprise_a.pk])
    response = client.post(
        url, enterprise_form_data(world.enterprise_a, **changes), HTTP_ACCEPT_LANGUAGE=language
    )
    return response


def form_errors(response):
    return response.context["adminform"].form.errors


CASES = [
    (
        {"neq": "12345"},
        "neq",
        "A Québec enterprise number (NEQ) has exactly 10 digits.",
        "Un numéro d’entreprise du Québec (NEQ) compte exactement 10 chiffres.",
    ),
    (
        {"postal_code": "12345"},
        "postal_code",
        "Enter a Canadian postal code in the form A1A 1A1.",
        "Saisissez un code postal canadien au format A1A\u00a01A1.",
    ),
    (
        {"phone": "12"},
        "phone",
        "Enter a North American phone number, e.g. 514 555-0123 (an extension may follow).",
        "Saisissez un numéro de téléphone nord-américain, p. ex. 514 555-0123 (un poste peut suivre).",
    ),
    ({"website": "pas une adresse"}, "website", "Enter a valid URL.", "Saisissez une URL valide."),
    (
        {"email": "personne@"},
        "email",
        "Enter a valid email address.",
        "Saisissez une adresse e-mail valide.",
    ),
    (
        {"latitude": "43.650000", "longitude": "-79.380000"},
        "latitude",
        "These coordinates are outside Québec.",
        "Ces coordonnées se situent hors du Québec.",
    ),
    (
        {"region": "laval"},
        "region",
        "The chosen pole does not serve this region.",
        "Le pôle choisi ne dessert pas cette région.",
    ),
    (
        {"founded_year": str(timezone.localdate().year + 1)},
        "founded_year",
        "The year founded cannot be in the future.",
        "L’année de fondation ne peut pas être postérieure à l’année en cours.",
    ),
]


@pytest.mark.parametrize(("changes", "field", "english", "french"), CASES)
def test_validation_message_in_both_languages(personas, world, changes, field, english, french):
    if changes.get("region") == "laval":
        changes = {"region": world.laval.pk}
    assert form_errors(post_form(personas, world, "en", **changes))[field] == [english]
    assert form_errors(post_form(personas, world, "fr", **changes))[field] == [french]


def test_same_neq_is_refused(personas, world):
    response = post_form(personas, world, "en", neq=world.enterprise_b.neq)
    assert form_errors(response)["__all__"] == ["Another enterprise already has this NEQ."]


def test_same_name_in_same_city_warns_until_confirmed(personas, world):
    EnterpriseFactory(name_fr="Épicerie du coin", city="Montréal", pole=world.pole_a)
    warned = post_form(personas, world, "en", name_fr="épicerie du coin")
    assert form_errors(warned)["__all__"] == [
        "Possible duplicate: an enterprise named “épicerie du coin” already exists in Montréal. "
        "Make sure it is not the same one, then check “This is not a duplicate” to save."
    ]
    french = post_form(personas, world, "fr", name_fr="épicerie du coin")
    assert form_errors(french)["__all__"][0].startswith(
        "Doublon possible\xa0: une entreprise nommée"
    )
    confirmed = post_form(
        personas, world, "en", name_fr="épicerie du coin", confirm_not_duplicate="on"
    )
    assert confirmed.status_code == 302


def test_phone_and_postal_code_are_normalised(personas, world):
    response = post_form(
        personas, world, "fr", phone="+1 (514) 555-0123 poste 12", postal_code="h2x-1y4"
    )
    assert response.status_code == 302
    world.enterprise_a.refresh_from_db()
    assert (world.enterprise_a.phone, world.enterprise_a.postal_code) == (
        "514 555-0123, 12",
        "H2X 1Y4",
    )


def test_odd_searches_are_harmless(personas, world):
    client = personas.client_for(personas.staff_a)
    # A NUL byte is refused before the search: test_admin_bad_input.py.
    for term in ["' OR 1=1 --", "<script>", "x" * 5000]:
        response = client.get(reverse("admin:entreprises_enterprise_changelist"), {"q": term})
        assert response.status_code == 200, term
        names = [str(e) for e in response.context["cl"].result_list]
        assert "Coopérative d'habitation de Laval" not in names, term
