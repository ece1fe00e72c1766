"""Every way of writing an enterprise, or a name its search reads, rewrites the
search index of the enterprises concerned exactly once."""

from contextlib import contextmanager

from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from chantier.services import load_reference
from entreprises.models import Enterprise
from entreprises.services import one_search_refresh, refresh_search_vectors, set_sectors
from tests.entreprises.conftest import enterprise_form_data

REFRESH = "UPDATE entreprises_enterprise AS e SET search_vector"


@contextmanager
def index_refreshes():
    """The search-index statements run inside the block, with the ids each one covers."""
    seen = []

    def watch(execute, sql, params, many, context):
        if sql.lstrip().startswith(REFRESH):
            seen.append(sorted(params[0]) if params else "all")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(watch):
        yield seen


def indexed_words(enterprise) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT search_vector::text FROM entreprises_enterprise WHERE id = %s",
            [enterprise.pk],
        )
        return cursor.fetchone()[0]


def post_as_shown(client, url, **changes):
    """Post an admin change form with the values it shows, except `changes`."""
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data = {name: "" if value is None else value for name, value in data.items()}
    data.update(changes)
    return client.post(url, data)


def test_admin_save_of_an_enterprise_with_its_sectors_refreshes_once(personas, world):
    client = personas.client_for(personas.staff_a)
    url = reverse("admin:entreprises_enterprise_change", args=[world.enterprise_a.pk])
    data = enterprise_form_data(world.enterprise_a, name_fr="Épicerie zygomatique du Plateau")
    with index_refreshes() as seen:
        response = client.post(url, data)
    assert response.status_code == 302
    assert seen == [[world.enterprise_a.pk]]
    assert "'zygomatique'" in indexed_words(world.enterprise_a)


def test_admin_form_with_errors_refreshes_nothing(personas, world):
    client = personas.client_for(personas.staff_a)
    url = reverse("admin:entreprises_enterprise_change", args=[world.enterprise_a.pk])
    with index_refreshes() as seen:
        response = client.post(url, enterprise_form_data(world.enterprise_a, postal_code="nope"))
    assert response.status_code == 200
    assert seen == []


def test_restoring_an_old_version_refreshes_once(personas, world):
    client = personas.client_for(personas.national)
    url = reverse("admin:entreprises_enterprise_change", args=[world.enterprise_a.pk])
    client.post(url, enterprise_form_data(world.enterprise_a, name_fr="Épicerie renommée"))
    first = world.enterprise_a.history.order_by("history_date").first()
    restore_url = reverse(
        "admin:entreprises_enterprise_simple_history",
        args=[world.enterprise_a.pk, first.history_id],
    )
    with index_refreshes() as seen:
        response = client.post(restore_url, enterprise_form_data(first.instance))
    assert response.status_code == 302
    assert seen == [[world.enterprise_a.pk]]
    assert "'plateau'" in indexed_words(world.enterprise_a)
    assert "renomme" not in indexed_words(world.enterprise_a)


def test_renaming_a_sector_in_the_admin_refreshes_its_enterprises_once(personas, world):
    client = personas.client_for(personas.national)
    url = reverse("admin:entreprises_sector_change", args=[world.food.pk])
    with index_refreshes() as seen:
        response = post_as_shown(client, url, name_fr="Agroalimentaire")
    assert response.status_code == 302
    assert seen == [[world.enterprise_a.pk]]
    assert "'agroalimentair" in indexed_words(world.enterprise_a)


def test_changing_a_sector_without_renaming_it_refreshes_nothing(personas, world):
    client = personas.client_for(personas.national)
    url = reverse("admin:entreprises_sector_change", args=[world.food.pk])
    with index_refreshes() as seen:
        response = post_as_shown(client, url, position=7)
    assert response.status_code == 302
    assert seen == []


def test_renaming_a_pole_in_the_admin_refreshes_its_enterprises_once(personas, world):
    client = personas.client_for(personas.national)
    url = reverse("admin:poles_pole_change", args=[world.pole_b.pk])
    with index_refreshes() as seen:
        response = post_as_shown(client, url, name_fr="Pôle lavallois")
    assert response.status_code == 302
    assert seen == [[world.enterprise_b.pk]]
    assert "'lavallo" in indexed_words(world.enterprise_b)


def test_setting_sectors_refreshes_once(world):
    with index_refreshes() as seen:
        set_sectors(enterprise=world.enterprise_b, primary=world.food, secondary=[world.housing])
    assert seen == [[world.enterprise_b.pk]]


def test_refreshes_asked_inside_one_block_add_up_to_one_statement(world):
    with index_refreshes() as seen, one_search_refresh():
        refresh_search_vectors(ids=[world.enterprise_a.pk])
        with one_search_refresh():
            refresh_search_vectors(ids=[world.enterprise_b.pk])
        refresh_search_vectors(ids=[world.enterprise_a.pk])
        assert seen == []
    assert seen == [sorted([world.enterprise_a.pk, world.enterprise_b.pk])]


def test_loading_the_reference_data_refreshes_once_then_never_when_unchanged(db):
    with index_refreshes() as seen:
        load_reference()
    loaded = sorted(Enterprise.objects.values_list("pk", flat=True))
    assert loaded
    assert seen == [loaded]
    with index_refreshes() as seen_again:
        load_reference()
    assert seen_again == []


def test_generating_demo_enterprises_refreshes_once(db):
    load_reference()
    with index_refreshes() as seen:
        call_command("generate_demo", count=5, seed=3, verbosity=0)
    demo = sorted(Enterprise.objects.filter(is_demo=True).values_list("pk", flat=True))
    assert len(demo) == 5
    assert seen == [demo]


def test_importing_a_spreadsheet_refreshes_once(personas, world, tmp_path):
    path = tmp_path / "two.csv"
    path.write_text(
        "name_fr,legal_form,pole,region,primary_sector,city\n"
        "Friperie zygomatique,nonprofit,pole-montreal,06,alimentation,Montréal\n"
        "Garage solidaire,nonprofit,pole-montreal,06,habitation,Montréal\n",
        encoding="utf-8",
    )
    with index_refreshes() as seen:
        call_command("import_enterprises", path, user=personas.staff_a.username, verbosity=0)
    imported = Enterprise.objects.filter(name_fr__in=["Friperie zygomatique", "Garage solidaire"])
    assert seen == [sorted(imported.values_list("pk", flat=True))]
    assert "'zygomatique'" in indexed_words(imported.get(name_fr="Friperie zygomatique"))
