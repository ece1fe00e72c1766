"""The public's two forms over HTTP, in both languages: an error report on an enterprise's
page and a new enterprise, with what keeps robots and floods out."""

import threading
import time

import pytest
from django.forms import CharField
from django.test import Client, override_settings

from contributions.forms import NewEnterpriseForm, OwnerEditForm, ReportForm
from contributions.guards import form_token
from contributions.models import Contribution
from entreprises.models import Enterprise
from tests.contributions.conftest import filled
from tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db

REPORT_FR = "/fr/contribuer/signaler/la-ruche/"
REPORT_EN = "/en/contribute/report/la-ruche/"
NEW_FR = "/fr/contribuer/ajouter-une-entreprise/"
NEW_EN = "/en/contribute/add-an-enterprise/"


def stored() -> list[dict]:
    return list(
        Contribution.objects.order_by("id").values(
            "kind", "enterprise__slug", "pole__slug", "message", "proposed", "email", "language"
        )
    )


def test_report_form_in_french(anonymous, enterprise):
    response = anonymous.get(REPORT_FR)
    page = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Signaler une erreur sur Coopérative La Ruche</h1>" in page
    assert '<label for="id_message">Qu’est-ce qui est inexact?' in page
    assert (
        "<legend>Corrections (facultatives)\u00a0: ne remplissez que ce qui doit changer</legend>"
        in page
    )
    assert '<div hidden><label for="id_homepage">Laissez ce champ vide' in page


def test_report_form_in_english(anonymous, enterprise):
    response = anonymous.get(REPORT_EN)
    page = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Report an error about La Ruche Co-operative</h1>" in page
    assert '<label for="id_message">What is wrong?' in page


def test_report_link_on_the_enterprise_page_in_both_languages(anonymous, enterprise):
    french = anonymous.get("/fr/entreprises/la-ruche/").content.decode()
    english = anonymous.get("/en/enterprises/la-ruche/").content.decode()
    assert f'<a href="{REPORT_FR}">Signaler une erreur</a>' in french
    assert f'<a href="{REPORT_EN}">Report an error</a>' in english


def test_add_link_on_the_directory_and_home(anonymous, enterprise):
    for url in ["/fr/", "/fr/entreprises/"]:
        page = anonymous.get(url).content.decode()
        assert f'<a href="{NEW_FR}">Ajouter une entreprise</a>' in page, url
    for url in ["/en/", "/en/enterprises/"]:
        page = anonymous.get(url).content.decode()
        assert f'<a href="{NEW_EN}">Add an enterprise</a>' in page, url


def test_report_is_kept_for_the_pole_and_changes_nothing(anonymous, enterprise):
    response = anonymous.post(
        REPORT_FR,
        filled(
            message="Le téléphone a changé.",
            new_phone="514 555-0199",
            new_name="Coop La Ruche",
            new_postal_code="h2x1y4",
            reply_to="Visiteur@Example.org",
        ),
    )
    assert response.status_code == 302
    assert response["Location"] == "/fr/contribuer/merci/"
    assert stored() == [
        {
            "kind": "report",
            "enterprise__slug": "la-ruche",
            "pole__slug": "pole-montreal",
            "message": "Le téléphone a changé.",
            "proposed": {
                "name_fr": "Coop La Ruche",
                "phone": "514 555-0199",
                "postal_code": "H2X 1Y4",
            },
            "email": "visiteur@example.org",
            "language": "fr",
        }
    ]
    enterprise.refresh_from_db()
    assert (enterprise.name_fr, enterprise.phone) == ("Coopérative La Ruche", "514 555-0100")
    thanks = anonymous.get("/fr/contribuer/merci/").content.decode()
    assert "<h1>Merci</h1>" in thanks


def test_report_in_english_corrects_the_english_name(anonymous, enterprise):
    response = anonymous.post(REPORT_EN, filled(message="Typo.", new_name="La Ruche Coop"))
    assert response["Location"] == "/en/contribute/thanks/"
    assert stored()[0]["proposed"] == {"name_en": "La Ruche Coop"}
    assert stored()[0]["language"] == "en"


def test_report_on_a_draft_or_unknown_enterprise_is_404(anonymous, enterprise):
    EnterpriseFactory(slug="brouillon", status="draft")
    assert anonymous.get("/fr/contribuer/signaler/brouillon/").status_code == 404
    response = anonymous.post("/fr/contribuer/signaler/inconnue/", filled(message="x"))
    assert response.status_code == 404
    assert stored() == []


def test_same_answer_with_or_without_an_email(anonymous, enterprise):
    with_email = anonymous.post(REPORT_FR, filled(message="a", reply_to="someone@example.org"))
    without = anonymous.post(REPORT_FR, filled(message="b"))
    assert (with_email.status_code, with_email["Location"]) == (302, "/fr/contribuer/merci/")
    assert (without.status_code, without["Location"]) == (302, "/fr/contribuer/merci/")
    assert with_email.content == without.content == b""


def test_honeypot_is_answered_as_a_person_and_nothing_kept(anonymous, enterprise):
    response = anonymous.post(REPORT_FR, filled(message="Buy now", homepage="http://spam.example"))
    assert (response.status_code, response["Location"]) == (302, "/fr/contribuer/merci/")
    assert stored() == []


def test_form_sent_too_fast_is_refused(anonymous, enterprise):
    response = anonymous.post(
        REPORT_FR, {"started": form_token(), "homepage": "", "message": "Vite"}
    )
    assert response.status_code == 400
    assert "Ce formulaire a été envoyé très vite." in response.content.decode()
    assert stored() == []


@pytest.mark.parametrize("token", ["", "forged", "tampered"])
def test_form_without_a_valid_start_token_is_refused(anonymous, enterprise, token):
    if token == "tampered":
        token = form_token(issued_at=time.time() - 60) + "x"
    response = anonymous.post(REPORT_EN, {"started": token, "homepage": "", "message": "Hi"})
    assert response.status_code == 400
    assert stored() == []


def test_form_shown_too_long_ago_has_expired(anonymous, enterprise):
    response = anonymous.post(
        REPORT_EN, filled(message="Hi", started=form_token(issued_at=time.time() - 2 * 86400))
    )
    assert response.status_code == 400
    assert "This form has expired. Please check it and send it again." in response.content.decode()
    assert stored() == []


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("message", "x" * 2001, "Assurez-vous que cette valeur comporte au plus 2000 caractères"),
        ("new_name", "x" * 201, "Assurez-vous que cette valeur comporte au plus 200 caractères"),
        ("new_postal_code", "12345", "Saisissez un code postal canadien au format A1A\u00a01A1."),
        ("reply_to", "not-an-email", "Saisissez une adresse e-mail valide."),
        ("message", "nul\x00byte", "Le caractère nul n’est pas autorisé."),
    ],
)
def test_bad_answers_are_form_errors(anonymous, enterprise, field, value, error):
    answers = filled(message="Le site a changé.")
    answers[field] = value
    response = anonymous.post(REPORT_FR, answers)
    assert response.status_code == 400
    assert error in response.content.decode()
    assert stored() == []


@override_settings(CONTRIBUTION_RATE_PER_ADDRESS="10/hour")
def test_a_burst_of_1000_from_one_address_stores_the_allowed_number(enterprise):
    robot = Client(REMOTE_ADDR="203.0.113.9")
    statuses = [robot.post(REPORT_FR, filled(message=f"spam {n}")).status_code for n in range(1000)]
    assert statuses[:10] == [302] * 10
    assert set(statuses[10:]) == {429}
    assert Contribution.objects.count() == 10
    # Another visitor is not held back.
    other = Client(REMOTE_ADDR="198.51.100.7")
    assert other.post(REPORT_FR, filled(message="vrai")).status_code == 302
    assert Contribution.objects.count() == 11


@override_settings(CONTRIBUTION_RATE_PER_EMAIL="5/hour")
def test_one_email_from_many_addresses_is_limited(enterprise):
    statuses = [
        Client(REMOTE_ADDR=f"203.0.113.{n}").post(
            REPORT_EN, filled(message="again", reply_to="flood@example.org")
        )
        for n in range(1, 9)
    ]
    assert [response.status_code for response in statuses] == [302] * 5 + [429] * 3
    assert "<h1>Too many messages</h1>" in statuses[-1].content.decode()
    assert Contribution.objects.count() == 5


def test_new_enterprise_form_in_both_languages(anonymous, sector, personas):
    french = anonymous.get(NEW_FR).content.decode()
    english = anonymous.get(NEW_EN).content.decode()
    assert "<h1>Ajouter une entreprise</h1>" in french
    assert '<label for="id_name_fr">Nom en français' in french
    assert "<h1>Add an enterprise</h1>" in english
    assert '<option value="alimentation">Food</option>' in english


def test_new_enterprise_goes_to_the_pole_of_its_region(anonymous, sector, personas):
    response = anonymous.post(
        NEW_FR,
        filled(
            name_fr="Épicerie solidaire",
            city="Laval",
            sector="alimentation",
            region="13",
            legal_form="nonprofit",
            neq="1234567890",
        ),
    )
    assert (response.status_code, response["Location"]) == (302, "/fr/contribuer/merci/")
    assert stored() == [
        {
            "kind": "new",
            "enterprise__slug": None,
            "pole__slug": "pole-laval",
            "message": "",
            "proposed": {
                "name_fr": "Épicerie solidaire",
                "legal_form": "nonprofit",
                "neq": "1234567890",
                "city": "Laval",
                "sector": "alimentation",
                "region": "13",
            },
            "email": "",
            "language": "fr",
        }
    ]
    assert not Enterprise.objects.filter(name_fr="Épicerie solidaire").exists()


def test_new_enterprise_without_a_region_goes_to_the_pole_of_its_town(anonymous, enterprise):
    anonymous.post(NEW_EN, filled(name_fr="Café du coin", city="montréal", sector="alimentation"))
    assert stored()[0]["pole__slug"] == "pole-montreal"


def test_new_enterprise_in_an_unknown_town_goes_to_the_national_team(anonymous, enterprise):
    anonymous.post(NEW_EN, filled(name_fr="Café", city="Gaspé", sector="alimentation"))
    assert stored()[0]["pole__slug"] is None


def test_new_enterprise_needs_a_french_name_a_town_and_a_sector(anonymous, sector):
    response = anonymous.post(NEW_EN, filled(name_en="Only English"))
    page = response.content.decode()
    assert response.status_code == 400
    assert '<a href="#id_name_fr">Name in French</a>: This field is required.' in page
    assert '<a href="#id_city">Town</a>: This field is required.' in page
    assert '<a href="#id_sector">Main sector of activity</a>: This field is required.' in page
    assert stored() == []


@pytest.mark.django_db(transaction=True)
def test_requests_arriving_together_never_pass_the_limit():
    """Twelve processes' worth of simultaneous submissions from one address: with the
    database cache, exactly the allowed number gets through."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connections

    from contributions.guards import within_limit

    start = threading.Barrier(12)

    def one(_):
        try:
            start.wait()
            return within_limit(scope="burst-test", ident="203.0.113.77", rate="5/hour")
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=12) as pool:
        answers = list(pool.map(one, range(12)))
    assert answers.count(True) == 5


def test_every_proposed_text_is_as_long_as_its_model_field_allows(enterprise):
    """The forms read each length from the model field the text goes to; the model leaves
    descriptions unbounded, and the forms cap them at 2,000 characters."""
    forms = {
        "report": {name.removeprefix("new_"): field for name, field in ReportForm().fields.items()},
        "new": NewEnterpriseForm().fields,
        "owner": OwnerEditForm(enterprise=enterprise).fields,
    }
    lengths = {
        (form, name): field.max_length
        for form, fields in forms.items()
        for name, field in fields.items()
        if isinstance(field, CharField) and name in {f.name for f in Enterprise._meta.get_fields()}
    }
    # The report's 8 corrections, the new enterprise's 11 texts, the owner's 10.
    assert len(lengths) == 8 + 11 + 10
    assert lengths == {
        key: Enterprise._meta.get_field(key[1]).max_length or 2000 for key in lengths
    }
    assert lengths["new", "description_fr"] == 2000
    assert lengths["new", "email"] == Contribution._meta.get_field("email").max_length == 254
