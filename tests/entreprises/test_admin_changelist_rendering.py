"""The change list writes its rows and each row's selection checkbox directly
(common.admin_change_list): the same markup as Django's tag and widget, in both
languages, for pole staff and the national team, and the actions still read it."""

import datetime
import re
from pathlib import Path

import pytest
from django.contrib import admin
from django.contrib.admin.templatetags import admin_list
from django.contrib.auth.models import Permission
from django.template import engines
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from entreprises.models import Enterprise
from tests.factories import EnterpriseFactory

CHANGELIST = reverse("admin:entreprises_enterprise_changelist")
# A name the label must escape, as Django's widget does.
NAME = 'Coop "A" & <B>'
ESCAPED = "Coop &quot;A&quot; &amp; &lt;B&gt;"


def checkboxes(page: str) -> list[str]:
    return re.findall(r'<input type="checkbox" name="_selected_action"[^>]*>', page)


@pytest.mark.parametrize(
    ("language", "label"),
    [
        ("fr", "Choisir cette fiche pour une action\xa0: " + ESCAPED),
        ("en", "Select this object for an action - " + ESCAPED),
    ],
)
def test_each_row_has_the_checkbox_django_would_write(personas, world, language, label):
    model_admin = admin.site._registry[Enterprise]
    world.enterprise_a.name_fr, world.enterprise_a.name_en = NAME, ""
    world.enterprise_a.save()
    client = personas.client_for(personas.staff_a)
    page = client.get(CHANGELIST, HTTP_ACCEPT_LANGUAGE=language).content.decode()

    with translation.override(language):
        djangos = admin.ModelAdmin.action_checkbox(model_admin, world.enterprise_a)
        ours = model_admin.action_checkbox(world.enterprise_a)
    assert str(ours) == str(djangos)
    assert f'aria-label="{label}"' in str(ours)
    assert str(ours) in checkboxes(page)
    # One per row the pole's staff see, and the "select all" box above them.
    assert len(checkboxes(page)) == Enterprise.objects.filter(pole=world.pole_a).count()
    assert 'id="action-toggle"' in page


# --- The rows: written by common.admin_change_list, the markup Django's tag would write ---


def results_table(page: str) -> str:
    start = page.index('<div class="results">')
    return page[start : page.index("</table>", start) + len("</table>")]


# Django's own template, not the portal's copy (templates/admin/change_list_results.html).
DJANGOS_RESULTS = Path(admin.__file__).parent / "templates" / "admin" / "change_list_results.html"


def djangos_results_table(cl, language: str) -> str:
    """The same page's rows as Django's own `{% result_list %}` tag and template render them."""
    with translation.override(language):
        template = engines["django"].from_string(DJANGOS_RESULTS.read_text())
        html = template.render(admin_list.result_list(cl))
    return results_table(html)


@pytest.fixture
def varied_rows(world):
    """Rows with every kind of value the columns show: text to escape, no city, no region,
    English missing and complete, a verification date, and a pole with two regions."""
    world.enterprise_a.name_fr, world.enterprise_a.city = NAME, ""
    world.enterprise_a.description_fr, world.enterprise_a.description_en = "Texte", ""
    world.enterprise_a.save()
    EnterpriseFactory(
        name_fr="Sans région",
        name_en="",
        pole=world.pole_a,
        region=None,
        city="  ",
        last_verified_at=datetime.date(2026, 3, 1),
        status="archived",
    )
    EnterpriseFactory(name_fr="Boulangerie du Plateau", pole=world.pole_a, region=world.montreal)
    world.pole_a.regions.add(world.laval)
    return world


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("persona", ["staff_a", "national"])
@pytest.mark.parametrize(
    "query",
    [
        {},
        # The rows' links keep the list's filters and order.
        {"status__exact": "draft", "o": "-2.1"},
        {"english_missing": "no"},
        {"_popup": "1"},
    ],
)
def test_rows_are_the_markup_djangos_tag_writes(personas, varied_rows, language, persona, query):
    client = personas.client_for(getattr(personas, persona))
    for _ in range(2):  # written, then kept (rows and columns' titles)
        response = client.get(CHANGELIST, query, HTTP_ACCEPT_LANGUAGE=language)
        page = response.content.decode()
        cl = response.context["cl"]

        assert cl.result_list, "an empty page proves nothing"
        assert results_table(page) == djangos_results_table(cl, language)


def test_rows_show_what_pole_staff_expect(personas, varied_rows):
    """What staff of pole A read (the columns of a pole with two regions), in French."""
    page = personas.client_for(personas.staff_a).get(CHANGELIST, HTTP_ACCEPT_LANGUAGE="fr")
    cl = page.context["cl"]
    assert cl.list_display == [
        "action_checkbox",
        "name",
        "region_name",
        "city",
        "status",
        "english_complete",
        "verified_on",
        "updated_on",
    ]
    rows = {
        re.search(r'<th class="field-name"><a[^>]*>([^<]*)</a>', row).group(1): row
        for row in re.findall(r"<tr>(.*?)</tr>", results_table(page.content.decode()))
        if "field-name" in row
    }
    assert set(rows) == {ESCAPED, "Sans région", "Boulangerie du Plateau"}
    english_missing = '<td class="field-english_complete"><img src="/static/admin/img/icon-no.svg" alt="False"></td>'
    assert english_missing in rows[ESCAPED]
    assert '<td class="field-city">-</td>' in rows[ESCAPED]
    assert '<td class="field-status">brouillon</td>' in rows[ESCAPED]
    assert '<td class="field-region_name">06 Montréal</td>' not in rows[ESCAPED]
    assert '<td class="field-region_name">Montréal</td>' in rows[ESCAPED]
    assert '<td class="field-region_name">-</td>' in rows["Sans région"]
    assert '<td class="field-verified_on">2026-03-01</td>' in rows["Sans région"]
    assert '<td class="field-status">archivée</td>' in rows["Sans région"]
    assert "icon-yes.svg" in rows["Boulangerie du Plateau"]


def test_a_kept_row_is_written_again_when_anything_it_shows_changes(personas, varied_rows):
    """Rows are kept in memory per set of values (change_list_row_key): a value changed
    without touching `updated_at` (a bulk update) still shows at once."""
    client = personas.client_for(personas.national)
    first = client.get(CHANGELIST, HTTP_ACCEPT_LANGUAGE="en")
    again = client.get(CHANGELIST, HTTP_ACCEPT_LANGUAGE="en")
    assert results_table(again.content.decode()) == results_table(first.content.decode())

    bakery = Enterprise.objects.filter(name_fr="Boulangerie du Plateau")
    bakery.update(
        name_en="Plateau Bakery",
        city="Laval",
        status="draft",
        last_verified_at=datetime.date(2026, 4, 2),
        mission_fr="Du pain",
        mission_en="",
    )
    Enterprise.objects.filter(pk=varied_rows.enterprise_b.pk).update(city="Sainte-Rose")
    type(varied_rows.pole_a).objects.filter(pk=varied_rows.pole_a.pk).update(name_en="Montréal Hub")
    type(varied_rows.laval).objects.filter(pk=varied_rows.laval.pk).update(name_en="Laval (island)")

    changed = client.get(CHANGELIST, HTTP_ACCEPT_LANGUAGE="en")
    table = results_table(changed.content.decode())
    assert table == djangos_results_table(changed.context["cl"], "en")
    for shown in [
        ">Plateau Bakery</a>",
        '<td class="field-city">Laval</td>',
        '<td class="field-city">Sainte-Rose</td>',
        '<td class="field-verified_on">2026-04-02</td>',
        '<td class="field-pole nowrap">Montréal Hub</td>',
        '<td class="field-region_name">Laval (island)</td>',
    ]:
        assert shown in table
    assert table.count('<td class="field-status">draft</td>') == 2
    assert table.count("icon-no.svg") == 2


# --- The filters: Django's, each kept per set of values (common.admin_change_list) ---


def filters_of(page: str) -> str:
    start = page.index('<nav id="changelist-filter"')
    return page[start : page.index("</nav>", start)]


def djangos_filters(cl, language: str) -> str:
    with translation.override(language):
        return "".join(admin_list.admin_list_filter(cl, spec) for spec in cl.filter_specs)


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("query", [{}, {"status__exact": "draft"}, {"pole": "0"}, {"q": "x"}])
def test_filters_are_djangos_and_follow_their_choices(personas, varied_rows, language, query):
    client = personas.client_for(personas.national)
    query = {**query, "pole": str(varied_rows.pole_a.pk)} if "pole" in query else query
    for _ in range(2):  # written, then kept
        response = client.get(CHANGELIST, query, HTTP_ACCEPT_LANGUAGE=language)
        assert djangos_filters(response.context["cl"], language) in filters_of(
            response.content.decode()
        )

    type(varied_rows.pole_b).objects.filter(pk=varied_rows.pole_b.pk).update(
        name_fr="Pôle de l'île Jésus", name_en="Île Jésus Hub"
    )
    response = client.get(CHANGELIST, query, HTTP_ACCEPT_LANGUAGE=language)
    shown = filters_of(response.content.decode())
    assert djangos_filters(response.context["cl"], language) in shown
    assert {"fr": "Pôle de l&#x27;île Jésus", "en": "Île Jésus Hub"}[language] in shown


def test_filters_with_counts_are_never_kept(personas, varied_rows):
    client = personas.client_for(personas.staff_a)
    before = filters_of(client.get(CHANGELIST, {"_facets": "1"}).content.decode())
    assert "brouillon (1)" in before
    EnterpriseFactory(pole=varied_rows.pole_a, region=varied_rows.montreal, status="draft")
    after = filters_of(client.get(CHANGELIST, {"_facets": "1"}).content.decode())
    assert "brouillon (2)" in after


def test_a_column_without_declared_reads_gets_whole_rows(personas, varied_rows, monkeypatch):
    """A column COLUMN_READS does not know: the page reads whole rows and writes them each
    time, and the English column still shows."""
    model_admin = admin.site._registry[Enterprise]
    monkeypatch.setattr(model_admin, "list_display", [*model_admin.list_display, "postal_code"])
    response = personas.client_for(personas.staff_a).get(CHANGELIST, HTTP_ACCEPT_LANGUAGE="fr")
    cl = response.context["cl"]
    assert "postal_code" in cl.list_display
    assert model_admin.change_list_row_key(cl) is None
    table = results_table(response.content.decode())
    assert table == djangos_results_table(cl, "fr")
    assert '<td class="field-postal_code">H2X 1Y4</td>' in table
    assert "icon-no.svg" in table


def actions_of(page: str) -> list[str]:
    return re.findall(r'<div class="actions">.*?</div>', page, flags=re.DOTALL)


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("persona", ["staff_a", "national"])
def test_the_actions_are_djangos_written_then_kept(personas, varied_rows, language, persona):
    """The actions' bar (common.admin_change_list.KeptActionsNode) as Django's
    `{% admin_actions %}` writes it, with DEBUG on (nothing kept), on one page and on a
    page of many, where it offers to select across pages."""
    client = personas.client_for(getattr(personas, persona))
    for extra in (0, 50):
        EnterpriseFactory.create_batch(extra, pole=varied_rows.pole_a, region=None)
        with override_settings(DEBUG=True):
            djangos = actions_of(
                client.get(CHANGELIST, HTTP_ACCEPT_LANGUAGE=language).content.decode()
            )
        assert len(djangos) == 1
        for _ in range(2):  # written, then kept
            page = client.get(CHANGELIST, HTTP_ACCEPT_LANGUAGE=language).content.decode()
            assert actions_of(page) == djangos
    assert 'class="question hidden"' in djangos[0]
    assert {
        "fr": "Publier les entreprises sélectionnées",
        "en": "Publish the selected enterprises",
    }[language] in djangos[0]


def test_view_only_staff_get_their_own_kept_actions(personas, varied_rows):
    """The kept bar follows the actions a person may run: none for staff who may only view."""
    client = personas.client_for(personas.staff_a)
    full = actions_of(client.get(CHANGELIST).content.decode())
    personas.staff_a.groups.clear()
    personas.staff_a.user_permissions.add(
        Permission.objects.get(codename="view_enterprise", content_type__app_label="entreprises")
    )
    reduced = actions_of(client.get(CHANGELIST).content.decode())
    assert "Publier les entreprises sélectionnées" in full[0]
    assert reduced == []


def search_and_pagination_of(page: str) -> list[str]:
    return re.findall(
        r'<div id="toolbar">.*?</form></div>|<p class="paginator">.*?</p>', page, flags=re.DOTALL
    )


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_search_form_and_pagination_are_djangos_written_then_kept(
    personas, varied_rows, language
):
    """The search form and the pages' links (common.admin_change_list.KeptListNode) as
    Django's `{% search_form %}` and `{% pagination %}` write them with DEBUG on (nothing
    kept), for a search, filters and an order, another page and a popup; and written
    again when what they show changes."""
    EnterpriseFactory.create_batch(51, pole=varied_rows.pole_a, region=None, status="draft")
    client = personas.client_for(personas.staff_a)
    queries = [
        {},
        {"p": "2"},
        {"q": "boulangerie"},
        {"status__exact": "draft", "o": "-2.1"},
        {"_popup": "1", "p": "2"},
    ]
    for query in queries:
        with override_settings(DEBUG=True):
            page = client.get(CHANGELIST, query, HTTP_ACCEPT_LANGUAGE=language)
        djangos = search_and_pagination_of(page.content.decode())
        assert len(djangos) == 2
        for _ in range(2):  # written, then kept
            page = client.get(CHANGELIST, query, HTTP_ACCEPT_LANGUAGE=language)
            assert search_and_pagination_of(page.content.decode()) == djangos
    count = Enterprise.objects.filter(pole=varied_rows.pole_a).count()
    before = search_and_pagination_of(client.get(CHANGELIST, {"p": "2"}).content.decode())
    EnterpriseFactory(pole=varied_rows.pole_a, region=None)
    after = search_and_pagination_of(client.get(CHANGELIST, {"p": "2"}).content.decode())
    assert f"{count} entreprises" in before[1]
    assert f"{count + 1} entreprises" in after[1]
