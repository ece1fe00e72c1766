"""Each persona sees and changes exactly the enterprises of their poles, on every surface
of the admin, including direct URLs and forged POSTs."""

import csv
import io

from django.contrib.auth.models import Group
from django.urls import reverse

from entreprises.models import Enterprise
from poles.roles import NATIONAL_TEAM_GROUP, POLE_STAFF_GROUP
from tests.entreprises.conftest import enterprise_form_data
from tests.helpers import json_of

CHANGELIST = reverse("admin:entreprises_enterprise_changelist")


def change_url(enterprise):
    return reverse("admin:entreprises_enterprise_change", args=[enterprise.pk])


def listed_names(response):
    return [str(enterprise) for enterprise in response.context["cl"].result_list]


def test_groups_hold_exactly_their_permissions(db):
    pole_staff = set(
        Group.objects.get(name=POLE_STAFF_GROUP).permissions.values_list(
            "content_type__app_label", "codename"
        )
    )
    assert pole_staff == {
        ("entreprises", "view_enterprise"),
        ("entreprises", "add_enterprise"),
        ("entreprises", "change_enterprise"),
        ("entreprises", "delete_enterprise"),
        ("entreprises", "view_enterprisesector"),
        ("entreprises", "add_enterprisesector"),
        ("entreprises", "change_enterprisesector"),
        ("entreprises", "delete_enterprisesector"),
        ("entreprises", "view_sector"),
        ("poles", "view_pole"),
        ("poles", "view_region"),
        ("evenements", "view_event"),
        ("evenements", "view_organization"),
        ("chantier", "view_keyfigure"),
        ("contributions", "view_contribution"),
        ("contributions", "change_contribution"),
    }
    national = set(
        Group.objects.get(name=NATIONAL_TEAM_GROUP).permissions.values_list(
            "content_type__app_label", "codename"
        )
    )
    assert ("poles", "change_pole") in national
    assert ("entreprises", "change_sector") in national
    assert ("evenements", "change_event") in national
    # Staff accounts and unlocking them; never the groups' permissions (tests/poles/test_accounts.py).
    assert {pair for pair in national if pair[0] in {"auth", "axes"}} == {
        ("auth", "view_user"),
        ("auth", "add_user"),
        ("auth", "change_user"),
        ("auth", "view_group"),
        ("axes", "view_accessattempt"),
        ("axes", "delete_accessattempt"),
    }


def test_changelist_shows_each_persona_its_own_enterprises(personas, world):
    expectations = {
        personas.national: ["Coopérative d'habitation de Laval", "Épicerie solidaire du Plateau"],
        personas.staff_a: ["Épicerie solidaire du Plateau"],
        personas.staff_b: ["Coopérative d'habitation de Laval"],
        personas.staff_without_pole: [],
    }
    for user, names in expectations.items():
        response = personas.client_for(user).get(CHANGELIST)
        assert response.status_code == 200
        assert sorted(listed_names(response)) == names, user.username


def test_other_poles_enterprise_by_direct_url_is_404(personas, world):
    client = personas.client_for(personas.staff_a)
    for url in [
        change_url(world.enterprise_b),
        reverse("admin:entreprises_enterprise_delete", args=[world.enterprise_b.pk]),
        reverse("admin:entreprises_enterprise_history", args=[world.enterprise_b.pk]),
        reverse("admin:entreprises_enterprise_change", args=["not-a-number"]),
    ]:
        response = client.get(url)
        assert response.status_code == 404, url
    assert (
        personas.client_for(personas.staff_a).get(change_url(world.enterprise_a)).status_code == 200
    )


def test_forged_post_on_other_poles_enterprise_changes_nothing(personas, world):
    client = personas.client_for(personas.staff_a)
    response = client.post(
        change_url(world.enterprise_b),
        enterprise_form_data(world.enterprise_b, name_fr="Pris par le pôle A"),
    )
    assert response.status_code == 404
    world.enterprise_b.refresh_from_db()
    assert world.enterprise_b.name_fr == "Coopérative d'habitation de Laval"


def test_pole_staff_cannot_move_an_enterprise_to_another_pole(personas, world):
    client = personas.client_for(personas.staff_a)
    response = client.post(
        change_url(world.enterprise_a),
        enterprise_form_data(world.enterprise_a, pole=world.pole_b.pk, region=world.laval.pk),
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["pole"] == [
        "Sélectionnez un choix valide. Ce choix ne fait pas partie de ceux disponibles."
    ]
    world.enterprise_a.refresh_from_db()
    assert world.enterprise_a.pole == world.pole_a


def test_pole_staff_must_give_a_pole(personas, world):
    client = personas.client_for(personas.staff_a)
    response = client.post(
        change_url(world.enterprise_a), enterprise_form_data(world.enterprise_a, pole="")
    )
    assert response.context["adminform"].form.errors["pole"] == ["Ce champ est obligatoire."]


def test_pole_staff_adds_in_own_pole_only(personas, world):
    client = personas.client_for(personas.staff_a)
    new = Enterprise(
        name_fr="Nouvelle coopérative",
        slug="nouvelle",
        legal_form="cooperative",
        status="draft",
        city="Montréal",
        postal_code="H2X 1Y4",
    )
    add_url = reverse("admin:entreprises_enterprise_add")
    refused = client.post(add_url, enterprise_form_data(new, pole=world.pole_b.pk, neq=""))
    assert refused.status_code == 200
    assert not Enterprise.objects.filter(name_fr="Nouvelle coopérative").exists()
    accepted = client.post(
        add_url, enterprise_form_data(new, pole=world.pole_a.pk, region=world.montreal.pk, neq="")
    )
    assert accepted.status_code == 302
    # Pole staff never see nor type the address: it is made from the name.
    created = Enterprise.objects.get(name_fr="Nouvelle coopérative")
    assert (created.slug, created.pole) == ("nouvelle-cooperative", world.pole_a)


def test_search_finds_only_own_enterprises(personas, world):
    for user, expected in [
        (personas.staff_a, []),
        (personas.staff_b, ["Coopérative d'habitation de Laval"]),
        (personas.national, ["Coopérative d'habitation de Laval"]),
    ]:
        response = personas.client_for(user).get(CHANGELIST, {"q": "habitation"})
        assert listed_names(response) == expected, user.username
    by_neq = personas.client_for(personas.staff_a).get(CHANGELIST, {"q": "1140000002"})
    assert listed_names(by_neq) == []


def test_pole_filter_lists_only_own_poles_and_ignores_forged_values(personas, world):
    client = personas.client_for(personas.staff_a)
    response = client.get(CHANGELIST)
    pole_filter = next(
        f
        for f in response.context["cl"].filter_specs
        if getattr(f, "parameter_name", None) == "pole"
    )
    assert pole_filter.lookup_choices == [(str(world.pole_a.pk), "Pôle de Montréal")]
    forged = client.get(CHANGELIST, {"pole": world.pole_b.pk})
    assert listed_names(forged) == ["Épicerie solidaire du Plateau"]
    nonsense = client.get(CHANGELIST, {"pole": "abc"})
    assert nonsense.status_code == 200


def test_autocomplete_of_enterprises_is_scoped(personas, world):
    url = reverse("admin:autocomplete")
    params = {"app_label": "evenements", "model_name": "event", "field_name": "enterprises_visited"}

    def found(user, term):
        response = personas.client_for(user).get(url, {**params, "term": term})
        return [result["text"] for result in json_of(response)["results"]]

    assert found(personas.staff_a, "coop") == []
    assert found(personas.staff_a, "plateau") == ["Épicerie solidaire du Plateau"]
    assert found(personas.staff_without_pole, "plateau") == []
    assert found(personas.national, "coop") == ["Coopérative d'habitation de Laval"]


def test_autocomplete_of_poles_offers_only_own_poles(personas, world):
    params = {
        "app_label": "entreprises",
        "model_name": "enterprise",
        "field_name": "pole",
        "term": "pôle",
    }
    staff = personas.client_for(personas.staff_a).get(reverse("admin:autocomplete"), params)
    assert [r["text"] for r in json_of(staff)["results"]] == ["Pôle de Montréal"]
    national = personas.client_for(personas.national).get(reverse("admin:autocomplete"), params)
    assert [r["text"] for r in json_of(national)["results"]] == [
        "Pôle de Laval",
        "Pôle de Montréal",
    ]


def test_forged_action_on_other_poles_enterprise_does_nothing(personas, world):
    client = personas.client_for(personas.staff_a)
    response = client.post(
        CHANGELIST,
        {"action": "archive", "_selected_action": [world.enterprise_b.pk, world.enterprise_a.pk]},
    )
    assert response.status_code == 302
    world.enterprise_a.refresh_from_db()
    world.enterprise_b.refresh_from_db()
    assert (world.enterprise_a.status, world.enterprise_b.status) == ("archived", "published")


def test_history_of_other_poles_enterprise_is_404(personas, world):
    world.enterprise_b.name_en = "Laval Housing Co-operative"
    world.enterprise_b.save()
    version = world.enterprise_b.history.first()
    client = personas.client_for(personas.staff_a)
    url = reverse(
        "admin:entreprises_enterprise_simple_history", args=[world.enterprise_b.pk, version.pk]
    )
    assert client.get(url).status_code == 404
    assert client.post(url, enterprise_form_data(world.enterprise_b)).status_code == 404


def test_export_holds_only_own_enterprises(personas, world):
    for user, expected in [
        (personas.staff_a, ["epicerie-plateau"]),
        (personas.staff_without_pole, []),
        (personas.national, ["habitation-laval", "epicerie-plateau"]),
    ]:
        response = personas.client_for(user).get(
            reverse("admin:entreprises_enterprise_export", args=["csv"])
        )
        rows = list(
            csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";")
        )
        assert sorted(row["slug"] for row in rows) == sorted(expected), user.username


def test_staff_without_permission_cannot_reach_the_admin_lists(personas, world):
    personas.staff_without_pole.groups.clear()
    client = personas.client_for(personas.staff_without_pole)
    assert client.get(CHANGELIST).status_code == 403
    assert client.get(reverse("admin:entreprises_enterprise_import")).status_code == 403
    assert (
        client.get(reverse("admin:entreprises_enterprise_export", args=["csv"])).status_code == 403
    )


def test_pole_staff_read_reference_data_without_changing_it(personas, world):
    client = personas.client_for(personas.staff_a)
    pole_url = reverse("admin:poles_pole_change", args=[world.pole_b.pk])
    page = client.get(pole_url)
    assert page.status_code == 200
    assert page.context["has_change_permission"] is False
    forged = client.post(pole_url, {"name_fr": "Renommé"})
    assert forged.status_code == 403
    world.pole_b.refresh_from_db()
    assert world.pole_b.name_fr == "Pôle de Laval"


def test_autocomplete_pages_without_counting_everything(personas, world):
    from entreprises.services import refresh_search_vectors
    from tests.factories import EnterpriseFactory

    EnterpriseFactory.create_batch(25, name_fr="Coopérative de Laval", pole=world.pole_b)
    refresh_search_vectors()
    url = reverse("admin:autocomplete")
    params = {
        "app_label": "evenements",
        "model_name": "event",
        "field_name": "enterprises_visited",
        "term": "laval",
    }
    client = personas.client_for(personas.national)
    first = json_of(client.get(url, params))
    second = json_of(client.get(url, {**params, "page": 2}))
    assert (len(first["results"]), first["pagination"]["more"]) == (20, True)
    assert (len(second["results"]), second["pagination"]["more"]) == (6, False)
    # Django answers a page that is not a number with a 404, never a 500.
    assert client.get(url, {**params, "page": "x"}).status_code == 404


def test_group_migration_works_on_an_empty_database(db):
    """As on a fresh database: no permissions yet when the migration runs."""
    import importlib

    from django.apps import apps
    from django.contrib.auth.models import Permission

    migration = importlib.import_module("poles.migrations.0002_staff_groups")
    Group.objects.all().delete()
    Permission.objects.all().delete()
    migration.create_groups(apps, None)
    assert Group.objects.get(name=POLE_STAFF_GROUP).permissions.count() == 16
    national = Group.objects.get(name=NATIONAL_TEAM_GROUP).permissions
    assert national.filter(codename="change_enterprise").exists()
    migration.remove_groups(apps, None)
    assert not Group.objects.filter(name__in=[POLE_STAFF_GROUP, NATIONAL_TEAM_GROUP]).exists()


def test_group_migration_leaves_the_apps_models_modules_as_they_were(db):
    """Run with the project's own registry (as the test above does), it must not leave the
    apps looking model-less: Django would then create no permission after a later flush."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("poles.migrations.0002_staff_groups")
    before = {config.label: config.models_module for config in apps.get_app_configs()}
    migration.create_groups(apps, None)
    assert {config.label: config.models_module for config in apps.get_app_configs()} == before
