"""Publishing workflow, archive-on-delete, history and restore, the English-missing view,
and the change list's query count."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from entreprises.models import Enterprise
from tests.entreprises.conftest import enterprise_form_data
from tests.factories import EnterpriseFactory
from tests.helpers import captured_queries

CHANGELIST = reverse("admin:entreprises_enterprise_changelist")


def change_url(enterprise):
    return reverse("admin:entreprises_enterprise_change", args=[enterprise.pk])


def test_publish_action_publishes_and_records_who(personas, world):
    client = personas.client_for(personas.staff_a)
    response = client.post(
        CHANGELIST, {"action": "publish", "_selected_action": [world.enterprise_a.pk]}, follow=True
    )
    assert [str(m) for m in response.context["messages"]] == ["1 entreprise publiée."]
    world.enterprise_a.refresh_from_db()
    assert world.enterprise_a.status == "published"
    latest = world.enterprise_a.history.first()
    assert (latest.status, latest.history_user) == ("published", personas.staff_a)


def test_archive_and_draft_actions_in_english(personas, world):
    client = personas.client_for(personas.national)
    ids = [world.enterprise_a.pk, world.enterprise_b.pk]
    response = client.post(
        CHANGELIST,
        {"action": "archive", "_selected_action": ids},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert [str(m) for m in response.context["messages"]] == ["2 enterprises archived."]
    assert set(Enterprise.objects.values_list("status", flat=True)) == {"archived"}
    client.post(CHANGELIST, {"action": "return_to_draft", "_selected_action": ids})
    assert set(Enterprise.objects.values_list("status", flat=True)) == {"draft"}


def test_confirm_verified_sets_todays_date(personas, world):
    client = personas.client_for(personas.staff_b)
    client.post(
        CHANGELIST, {"action": "mark_verified", "_selected_action": [world.enterprise_b.pk]}
    )
    world.enterprise_b.refresh_from_db()
    assert world.enterprise_b.last_verified_at == timezone.localdate()


def test_delete_archives_and_keeps_the_record(personas, world):
    client = personas.client_for(personas.staff_a)
    url = reverse("admin:entreprises_enterprise_delete", args=[world.enterprise_a.pk])
    form = client.get(change_url(world.enterprise_a)).content.decode()
    assert f'<a href="{url}" class="deletelink">Archiver</a>' in form
    confirmation = client.get(url)
    assert "Rien n’est supprimé" in confirmation.content.decode()
    response = client.post(url, {"post": "yes"}, follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "«\u00a0Épicerie solidaire du Plateau\u00a0» a été archivée\u00a0: elle n’apparaît plus sur le site, "
        "et rien n’a été supprimé."
    ]
    world.enterprise_a.refresh_from_db()
    assert world.enterprise_a.status == "archived"
    assert world.enterprise_a.sector_links.count() == 1


def test_delete_action_is_not_offered(personas, world):
    response = personas.client_for(personas.national).get(CHANGELIST)
    actions = [name for name, _label in response.context["action_form"].fields["action"].choices]
    assert actions == ["", "publish", "archive", "return_to_draft", "mark_verified"]


def test_history_shows_who_what_and_restores_a_version(personas, world):
    client = personas.client_for(personas.staff_a)
    client.post(
        change_url(world.enterprise_a),
        enterprise_form_data(
            world.enterprise_a, name_en="Plateau Grocery Co-op", phone="5145550123"
        ),
    )
    world.enterprise_a.refresh_from_db()
    assert world.enterprise_a.name_en == "Plateau Grocery Co-op"
    history = client.get(
        reverse("admin:entreprises_enterprise_history", args=[world.enterprise_a.pk])
    )
    page = history.content.decode()
    assert personas.staff_a.username in page
    assert "Plateau Solidarity Grocery" in page and "Plateau Grocery Co-op" in page
    assert "514 555-0123" in page

    original = world.enterprise_a.history.order_by("history_date").first()
    restore_url = reverse(
        "admin:entreprises_enterprise_simple_history", args=[world.enterprise_a.pk, original.pk]
    )
    form = client.get(restore_url)
    assert form.status_code == 200
    restored = client.post(restore_url, enterprise_form_data(original.instance))
    assert restored.status_code == 302
    world.enterprise_a.refresh_from_db()
    assert (world.enterprise_a.name_en, world.enterprise_a.phone) == (
        "Plateau Solidarity Grocery",
        "",
    )
    # The restore is itself a change kept in the history, and the search sees it.
    assert world.enterprise_a.history.count() == 3
    found = client.get(CHANGELIST, {"q": "solidarity"})
    assert [str(e) for e in found.context["cl"].result_list] == ["Épicerie solidaire du Plateau"]


def test_history_kept_for_pole_sector_and_event(personas, world):
    from tests.factories import EventFactory

    event = EventFactory()
    client = personas.client_for(personas.national)
    for obj, admin_name in [
        (world.pole_a, "poles_pole"),
        (world.food, "entreprises_sector"),
        (event, "evenements_event"),
    ]:
        obj.name_en = "Renamed"
        obj.save()
        assert obj.history.count() == 2, admin_name
        page = client.get(reverse(f"admin:{admin_name}_history", args=[obj.pk]))
        assert page.status_code == 200
        assert "Renamed" in page.content.decode()


def test_english_missing_filter_and_index_counts(personas, world):
    # A name is never translated: only a text written in French and not in English counts.
    assert world.enterprise_b.name_en == ""
    Enterprise.objects.filter(pk=world.enterprise_b.pk).update(products_services_fr="Logements")
    client = personas.client_for(personas.national)
    missing = client.get(CHANGELIST, {"english_missing": "yes"})
    assert [str(e) for e in missing.context["cl"].result_list] == [
        "Coopérative d'habitation de Laval"
    ]
    complete = client.get(CHANGELIST, {"english_missing": "no"})
    assert [str(e) for e in complete.context["cl"].result_list] == ["Épicerie solidaire du Plateau"]

    index = client.get(reverse("admin:index")).content.decode()
    assert "Entreprises dont l’anglais manque, par pôle" in index
    assert f'?pole={world.pole_b.pk}&amp;english_missing=yes">1</a>' in index
    assert f'?pole={world.pole_a.pk}&amp;english_missing=yes">0</a>' in index
    staff_index = personas.client_for(personas.staff_a).get(
        reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="en"
    )
    text = staff_index.content.decode()
    assert "Enterprises whose English is missing, by pole" in text
    assert "Pôle de Laval" not in text


def test_one_language_switch_served_from_our_static_files(personas, world):
    page = (
        personas.client_for(personas.staff_a).get(change_url(world.enterprise_a)).content.decode()
    )
    assert '<script src="/static/js/admin-language-switch.js">' in page
    assert page.count('class="language-switch"') == 1
    assert "tabbed_translation_fields" not in page
    # No script or stylesheet from another host (a random CSRF token may contain "cdn").
    assert re.findall(r'<(?:script|link)[^>]+(?:src|href)="((?:https?:)?//[^"]+)"', page) == []


@pytest.mark.parametrize("persona", ["national", "staff_a"])
def test_changelist_query_count_does_not_grow_with_rows(personas, world, persona):
    user = getattr(personas, persona)
    client = personas.client_for(user)
    client.get(CHANGELIST)  # warm the session and content types

    def count_queries():
        with captured_queries() as queries:
            response = client.get(CHANGELIST)
        assert response.status_code == 200
        return len(queries), len(response.context["cl"].result_list)

    few, shown_few = count_queries()
    EnterpriseFactory.create_batch(40, pole=world.pole_a, region=world.montreal)
    many, shown_many = count_queries()
    assert shown_many == shown_few + 40
    assert many == few
    # The session; the user with their permissions, national team and second factor (one
    # query, chantier.backends.SignedInUserInOneQuery); the device that verified the
    # national team's session; the poles and regions, worked out once for the columns and
    # the filters; the sectors; the estimate, the count under it, the page.
    assert few == {"national": 9, "staff_a": 8}[persona]


def test_restoring_a_version_cannot_move_an_enterprise_to_another_pole(personas, world):
    # Laval's co-op moved to pole A: its first version, in pole B, is in the history.
    world.enterprise_b.pole, world.enterprise_b.region = world.pole_a, world.montreal
    world.enterprise_b.save()
    in_pole_b = world.enterprise_b.history.order_by("history_date").first()
    assert in_pole_b.pole_id == world.pole_b.pk
    client = personas.client_for(personas.staff_a)
    url = reverse(
        "admin:entreprises_enterprise_simple_history", args=[world.enterprise_b.pk, in_pole_b.pk]
    )
    response = client.post(url, enterprise_form_data(in_pole_b.instance))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["pole"] == [
        "Sélectionnez un choix valide. Ce choix ne fait pas partie de ceux disponibles."
    ]
    world.enterprise_b.refresh_from_db()
    assert world.enterprise_b.pole == world.pole_a
