"""Moderation in the admin, with the personas: each pole's queue, field by field, accept
all or part (edited or not), reject with a reason, and the duplicate check."""

import pytest

from contributions import services
from contributions.models import Contribution
from entreprises.models import Enterprise
from tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db

QUEUE = "/admin/contributions/contribution/"


def review_url(contribution) -> str:
    return f"{QUEUE}{contribution.pk}/change/"


@pytest.fixture
def report(enterprise):
    return services.submit_report(
        enterprise=enterprise,
        message="Le numéro a changé <script>alert('x')</script>",
        corrections={"phone": "514 555-0199", "name": "Coop La Ruche"},
        email="visiteur@example.org",
        language="fr",
    )


@pytest.fixture
def new_in_laval(personas, sector):
    return services.submit_new_enterprise(
        fields={
            "name_fr": "Épicerie solidaire",
            "city": "Laval",
            "sector": "alimentation",
            "legal_form": "nonprofit",
        },
        region=personas.pole_b.regions.get(),
        message="",
        email="",
        language="en",
    )


def test_each_pole_sees_only_its_queue(personas, report, new_in_laval):
    nowhere = services.submit_new_enterprise(
        fields={"name_fr": "Café", "city": "Gaspé", "sector": "alimentation"},
        region=None,
        message="",
        email="",
        language="fr",
    )
    seen = {}
    for name in ["national", "staff_a", "staff_b", "staff_without_pole"]:
        client = personas.client_for(getattr(personas, name))
        page = client.get(QUEUE).content.decode()
        seen[name] = {c.pk for c in [report, new_in_laval, nowhere] if review_url(c) in page}
    assert seen == {
        "national": {report.pk, new_in_laval.pk, nowhere.pk},
        "staff_a": {report.pk},
        "staff_b": {new_in_laval.pk},
        "staff_without_pole": set(),
    }


def test_another_poles_item_is_a_404(personas, report):
    staff_b = personas.client_for(personas.staff_b)
    assert staff_b.get(review_url(report)).status_code == 404
    response = staff_b.post(review_url(report), {"decision": "reject", "reason": "no"})
    assert response.status_code == 404
    assert staff_b.get(f"{QUEUE}{report.pk}/history/").status_code == 404
    report.refresh_from_db()
    assert report.status == "pending"


def test_review_shows_each_field_beside_its_current_value_escaped(personas, report):
    page = personas.client_for(personas.staff_a).get(review_url(report)).content.decode()
    assert "<td>514 555-0100</td>" in page
    assert 'value="514 555-0199"' in page
    assert "<td>Coopérative La Ruche</td>" in page
    assert 'value="Coop La Ruche"' in page
    assert "Le numéro a changé &lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "<script>alert" not in page


def test_accept_all_writes_the_enterprise_with_its_history(personas, report, enterprise):
    client = personas.client_for(personas.staff_a)
    response = client.post(
        review_url(report),
        {
            "decision": "accept",
            "accept__phone": "on",
            "value__phone": "514 555-0199",
            "accept__name_fr": "on",
            "value__name_fr": "Coop La Ruche",
        },
    )
    assert (response.status_code, response["Location"]) == (302, QUEUE)
    enterprise.refresh_from_db()
    assert (enterprise.name_fr, enterprise.phone) == ("Coop La Ruche", "514 555-0199")
    latest = enterprise.history.latest()
    assert latest.history_user == personas.staff_a
    assert latest.history_change_reason == (
        f"Proposé par un visiteur (visiteur@example.org), contribution no {report.pk}"
    )
    report.refresh_from_db()
    assert (report.status, report.decided_by, report.accepted) == (
        "accepted",
        personas.staff_a,
        {"phone": "514 555-0199", "name_fr": "Coop La Ruche"},
    )
    public = client.get("/fr/entreprises/la-ruche/").content.decode()
    assert "<h1>Coop La Ruche</h1>" in public


def test_accept_part_edited_in_english(personas, report, enterprise):
    client = personas.client_for(personas.national)
    response = client.post(
        review_url(report),
        {
            "decision": "accept",
            "accept__phone": "on",
            "value__phone": "514-555-0142",
            "value__name_fr": "Coop La Ruche",
        },
        HTTP_ACCEPT_LANGUAGE="en",
        follow=True,
    )
    assert "The contribution was accepted." in response.content.decode()
    enterprise.refresh_from_db()
    assert (enterprise.name_fr, enterprise.phone) == ("Coopérative La Ruche", "514 555-0142")
    report.refresh_from_db()
    assert (report.status, report.accepted) == ("partly", {"phone": "514-555-0142"})


def test_a_value_breaking_the_enterprise_rules_writes_nothing(personas, report, enterprise):
    client = personas.client_for(personas.staff_a)
    response = client.post(
        review_url(report),
        {"decision": "accept", "accept__phone": "on", "value__phone": "not a phone"},
    )
    assert response.status_code == 200
    assert '<div class="errornote"><ul class="errorlist nonfield">' in response.content.decode()
    enterprise.refresh_from_db()
    assert enterprise.phone == "514 555-0100"
    report.refresh_from_db()
    assert report.status == "pending"


def test_reject_needs_a_reason_and_changes_nothing(personas, report, enterprise):
    client = personas.client_for(personas.staff_a)
    refused = client.post(review_url(report), {"decision": "reject", "reason": " "})
    assert "Dites pourquoi la contribution est refusée." in refused.content.decode()
    response = client.post(review_url(report), {"decision": "reject", "reason": "Déjà à jour."})
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.status, report.reason, report.accepted) == ("rejected", "Déjà à jour.", {})
    enterprise.refresh_from_db()
    assert enterprise.phone == "514 555-0100"
    # Decided: shown, no longer decidable.
    page = client.get(review_url(report)).content.decode()
    assert "Motif\u00a0: Déjà à jour." in page
    again = client.post(review_url(report), {"decision": "accept"})
    assert again.status_code == 403


def test_accepting_a_new_enterprise_makes_it_in_its_pole(personas, new_in_laval):
    client = personas.client_for(personas.staff_b)
    response = client.post(
        review_url(new_in_laval),
        {
            "decision": "accept",
            **{f"accept__{k}": "on" for k in new_in_laval.proposed},
            **{f"value__{k}": v for k, v in new_in_laval.proposed.items()},
        },
    )
    assert response.status_code == 302
    enterprise = Enterprise.objects.get(name_fr="Épicerie solidaire")
    assert (enterprise.slug, enterprise.pole, enterprise.region.code, enterprise.status) == (
        "epicerie-solidaire",
        personas.pole_b,
        "13",
        "published",
    )
    assert [link.sector.slug for link in enterprise.sector_links.all()] == ["alimentation"]
    assert enterprise.history.latest().history_user == personas.staff_b
    new_in_laval.refresh_from_db()
    assert (new_in_laval.status, new_in_laval.enterprise) == ("accepted", enterprise)


def test_a_new_enterprise_with_the_same_name_in_the_same_town_asks_first(personas, new_in_laval):
    EnterpriseFactory(name_fr="épicerie SOLIDAIRE", city="laval", pole=personas.pole_b)
    client = personas.client_for(personas.staff_b)
    answers = {
        "decision": "accept",
        **{f"accept__{k}": "on" for k in new_in_laval.proposed},
        **{f"value__{k}": v for k, v in new_in_laval.proposed.items()},
    }
    page = client.get(review_url(new_in_laval)).content.decode()
    assert "Doublons possibles (même NEQ, ou même nom dans la même ville)\xa0:" in page
    refused = client.post(review_url(new_in_laval), answers)
    assert "Doublon possible" in refused.content.decode()
    assert Enterprise.objects.filter(name_fr="Épicerie solidaire").count() == 0
    accepted = client.post(review_url(new_in_laval), {**answers, "not_duplicate": "on"})
    assert accepted.status_code == 302
    assert Enterprise.objects.filter(name_fr="Épicerie solidaire").count() == 1


def test_a_new_enterprise_with_a_known_neq_is_refused_even_when_confirmed(personas, sector):
    EnterpriseFactory(neq="1234567890", pole=personas.pole_a)
    proposal = services.submit_new_enterprise(
        fields={
            "name_fr": "Autre nom",
            "city": "Montréal",
            "sector": "alimentation",
            "neq": "1234567890",
            "legal_form": "cooperative",
        },
        region=personas.pole_a.regions.get(),
        message="",
        email="",
        language="fr",
    )
    client = personas.client_for(personas.staff_a)
    response = client.post(
        review_url(proposal),
        {
            "decision": "accept",
            "not_duplicate": "on",
            **{f"accept__{k}": "on" for k in proposal.proposed},
            **{f"value__{k}": v for k, v in proposal.proposed.items()},
        },
    )
    assert "Une autre entreprise a déjà ce NEQ." in response.content.decode()
    assert not Enterprise.objects.filter(name_fr="Autre nom").exists()
    assert Contribution.objects.get(pk=proposal.pk).status == "pending"
