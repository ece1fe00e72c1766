"""The import reads what people type: labels in either language, abbreviations, names of
poles, regions and sectors, whatever the case, accents and spacing; an unknown value's
message lists the accepted ones; the preview tells created, changed (old → new),
unchanged and error rows; the form and the import agree on the primary sector."""

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from entreprises.models import Enterprise, EnterpriseSector
from tests.entreprises.conftest import enterprise_form_data
from tests.entreprises.test_admin_import import (
    confirm_import,
    csv_file,
    preview,
    row_errors,
)
from tests.factories import PoleFactory, RegionFactory

HEADER = [
    "slug",
    "name_fr",
    "legal_form",
    "cooperative_type",
    "status",
    "pole",
    "region",
    "primary_sector",
    "other_sectors",
    "city",
]
EXPORT_CSV = reverse("admin:entreprises_enterprise_export", args=["csv"])


def typed_row(**cells):
    row = {
        "slug": "",
        "name_fr": "Café des Abeilles",
        "legal_form": "coop",
        "cooperative_type": "",
        "status": "brouillon",
        "pole": "",
        "region": "",
        "primary_sector": "alimentation",
        "other_sectors": "",
        "city": "Montréal",
    }
    row.update(cells)
    return [row[column] for column in HEADER]


def test_labels_abbreviations_and_names_as_people_type_them(personas, world):
    client = personas.client_for(personas.staff_a)
    rows = [
        typed_row(name_fr="Un", legal_form="OBNL", status="Publiée", region="montreal"),
        typed_row(name_fr="Deux", legal_form=" osbl ", status="DRAFT", region="6"),
        typed_row(
            name_fr="Trois",
            legal_form="Coopérative",
            cooperative_type="coop de travail",
            pole="Pôle de Montréal",
            region="06 Montréal",
            primary_sector="FOOD",
            other_sectors="habitation ; Housing",
        ),
        typed_row(name_fr="Quatre", legal_form="non-profit organization", pole="MONTREAL"),
        typed_row(name_fr="Cinq", legal_form="mutuelle", status="archivee", pole="pole-montreal"),
    ]
    response = preview(client, csv_file(rows, header=HEADER))
    assert row_errors(response) == {}
    assert response.context["created"] == 5
    confirm_import(client)
    made = {
        e.name_fr: (e.legal_form, e.cooperative_type, e.status, e.pole.slug, e.region_id)
        for e in Enterprise.objects.filter(name_fr__in=["Un", "Deux", "Trois", "Quatre", "Cinq"])
    }
    montreal = world.montreal.pk
    assert made == {
        "Un": ("nonprofit", "", "published", "pole-montreal", montreal),
        "Deux": ("nonprofit", "", "draft", "pole-montreal", montreal),
        "Trois": ("cooperative", "worker", "draft", "pole-montreal", montreal),
        "Quatre": ("nonprofit", "", "draft", "pole-montreal", None),
        "Cinq": ("mutual", "", "archived", "pole-montreal", None),
    }
    trois = Enterprise.objects.get(name_fr="Trois")
    links = {(link.sector.slug, link.is_primary) for link in trois.sector_links.all()}
    assert links == {("alimentation", True), ("habitation", False)}


def test_a_pole_by_its_short_name_or_the_region_it_alone_serves(personas, world):
    estrie = RegionFactory(code="05", name_fr="Estrie", name_en="Eastern Townships")
    monteregie = RegionFactory(code="16", name_fr="Montérégie", name_en="Montérégie")
    reseau = PoleFactory(
        name_fr="Réseau des entreprises d'économie sociale de l'Estrie",
        slug="reseau-estrie",
        regions=[estrie],
    )
    PoleFactory(
        name_fr="Pôle régional d'économie sociale de la Montérégie Est", regions=[monteregie]
    )
    PoleFactory(
        name_fr="Table régionale d'économie sociale de Chaudière-Appalaches (TRESCA)",
        slug="tresca",
        regions=[monteregie],
    )
    client = personas.client_for(personas.national)
    rows = [
        typed_row(name_fr="Par la région", pole="Estrie", region="Estrie", city="Sherbrooke"),
        typed_row(name_fr="Par l'anglais", pole="eastern townships", city="Magog"),
        typed_row(name_fr="Par le nom court", pole="Montérégie-Est", region="16"),
        typed_row(name_fr="Par le sigle", pole="tresca", region="16", city="Lévis"),
        typed_row(name_fr="Ambiguë", pole="Montérégie", region="16", city="Granby"),
    ]
    response = preview(client, csv_file(rows, header=HEADER))
    assert row_errors(response) == {
        6: [
            "pole\u00a0: «\u00a0Montérégie\u00a0» peut désigner Pôle régional d'économie sociale de la "
            "Montérégie Est, Table régionale d'économie sociale de Chaudière-Appalaches "
            "(TRESCA)\u00a0: écrivez le nom complet."
        ]
    }
    poles = {
        row.enterprise.name_fr: row.enterprise.pole.slug for row in response.context["rows"][:4]
    }
    assert poles["Par la région"] == poles["Par l'anglais"] == reseau.slug
    assert poles["Par le sigle"] == "tresca"


def test_unknown_values_list_the_accepted_ones_in_both_languages(personas, world):
    client = personas.client_for(personas.staff_a)
    rows = [typed_row(legal_form="OBNLL", status="en attente", pole="Laval", region="Mars")]
    french = row_errors(preview(client, csv_file(rows, header=HEADER)))
    assert french == {
        2: [
            "legal_form\u00a0: «\u00a0OBNLL\u00a0» n’est pas une valeur connue (forme juridique). Valeurs "
            "acceptées\u00a0: coopérative, organisme à but non lucratif, mutuelle.",
            "status\u00a0: «\u00a0en attente\u00a0» n’est pas une valeur connue (statut). Valeurs acceptées\u00a0: "
            "brouillon, publiée, archivée.",
            "pole\u00a0: vous ne pouvez pas placer une entreprise dans «\u00a0Pôle de Laval\u00a0», un pôle pour "
            "lequel vous ne travaillez pas.",
            "region\u00a0: «\u00a0Mars\u00a0» n’est pas une valeur connue (région). Valeurs acceptées\u00a0: "
            "06 Montréal, 13 Laval.",
        ]
    }
    assert not any("'OBNLL'" in message or "'Mars'" in message for message in french[2])
    english = row_errors(preview(client, csv_file(rows, header=HEADER), language="en"))
    assert english[2][0] == (
        "legal_form: “OBNLL” is not a known legal form. Accepted values: cooperative, "
        "non-profit organization, mutual."
    )
    unknown_pole = row_errors(
        preview(client, csv_file([typed_row(pole="Atlantide")], header=HEADER), language="en")
    )
    # Staff of pole A are offered their own pole only.
    assert unknown_pole == {
        2: ["pole: “Atlantide” is not a known pole. Accepted values: Pôle de Montréal."]
    }


def test_preview_shows_each_change_and_unchanged_rows_write_nothing(personas, world):
    client = personas.client_for(personas.staff_a)
    plateau = world.enterprise_a
    before = (plateau.history.count(), Enterprise.objects.get(pk=plateau.pk).updated_at)
    header = ["slug", "name_fr", "name_en", "legal_form", "cooperative_type", "status"]
    header.append("primary_sector")
    same = ["epicerie-plateau", plateau.name_fr, plateau.name_en, "coop", "solidarity", "draft"]
    same.append("Food")
    response = preview(client, csv_file([same], header=header))
    assert [row.action for row in response.context["rows"]] == ["unchanged"]
    assert "inchangée" in response.content.decode()
    confirm_import(client)
    after = (plateau.history.count(), Enterprise.objects.get(pk=plateau.pk).updated_at)
    assert after == before

    changed = [*same[:2], "Plateau Grocery", "coop", "Coop de travail", "publiée", "habitation"]
    response = preview(client, csv_file([changed], header=header))
    (row,) = response.context["rows"]
    assert (row.action, row.errors) == ("update", [])
    assert [(c.column, c.old, c.new) for c in row.changes] == [
        ("name_en", "Plateau Solidarity Grocery", "Plateau Grocery"),
        ("cooperative_type", "coopérative de solidarité", "coopérative de travail"),
        ("status", "brouillon", "publiée"),
        ("primary_sector", "Alimentation", "Habitation"),
    ]
    page = response.content.decode()
    assert "0 à créer, 1 à modifier, 0 inchangées, 0 avec des erreurs." in page
    assert "<del>Alimentation</del> → <ins>Habitation</ins>" in page
    english = preview(client, csv_file([changed], header=header), language="en")
    assert [(c.column, c.old, c.new) for c in english.context["rows"][0].changes][1] == (
        "cooperative_type",
        "solidarity cooperative",
        "worker cooperative",
    )


def test_import_primary_sector_rule(personas, world):
    client = personas.client_for(personas.staff_a)
    rows = [
        typed_row(name_fr="Un secteur", primary_sector="", other_sectors="Habitation"),
        typed_row(name_fr="Deux secteurs", primary_sector="", other_sectors="Food; Housing"),
    ]
    response = preview(client, csv_file(rows, header=HEADER))
    assert row_errors(response) == {
        3: [
            "primary_sector\u00a0: Cette entreprise a plusieurs secteurs\u00a0: indiquez lequel est le "
            "secteur principal."
        ]
    }
    one = response.context["rows"][0]
    assert (one.primary, one.others) == (world.housing, [])


def _sector_lines(*lines):
    data = {
        "sector_links-TOTAL_FORMS": str(len(lines)),
        "sector_links-INITIAL_FORMS": "0",
    }
    for number, (sector, primary) in enumerate(lines):
        data[f"sector_links-{number}-sector"] = sector.pk
        if primary:
            data[f"sector_links-{number}-is_primary"] = "on"
    return data


def test_form_primary_sector_rule_matches_the_import(personas, world):
    client = personas.client_for(personas.staff_a)
    url = reverse("admin:entreprises_enterprise_change", args=[world.enterprise_a.pk])
    EnterpriseSector.objects.filter(enterprise=world.enterprise_a).delete()
    several = enterprise_form_data(
        world.enterprise_a, **_sector_lines((world.food, False), (world.housing, False))
    )
    response = client.post(url, several)
    assert response.status_code == 200
    assert response.context["inline_admin_formsets"][0].formset.non_form_errors() == [
        "Cette entreprise a plusieurs secteurs\xa0: indiquez lequel est le secteur principal."
    ]
    assert not EnterpriseSector.objects.filter(enterprise=world.enterprise_a).exists()

    one = enterprise_form_data(world.enterprise_a, **_sector_lines((world.housing, False)))
    assert client.post(url, one).status_code == 302
    link = EnterpriseSector.objects.get(enterprise=world.enterprise_a)
    assert (link.sector, link.is_primary) == (world.housing, True)


def test_record_saved_in_the_form_without_ticking_primary_exports_and_imports_back(personas, world):
    """The bug: such a record exported an empty primary_sector and its export failed."""
    client = personas.client_for(personas.staff_a)
    url = reverse("admin:entreprises_enterprise_change", args=[world.enterprise_a.pk])
    EnterpriseSector.objects.filter(enterprise=world.enterprise_a).delete()
    data = enterprise_form_data(world.enterprise_a, **_sector_lines((world.housing, False)))
    assert client.post(url, data).status_code == 302
    exported = client.get(EXPORT_CSV)
    (row,) = csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig")), delimiter=";")
    assert (row["primary_sector"], row["other_sectors"]) == ("habitation", "")
    response = preview(client, SimpleUploadedFile("export.csv", exported.content))
    assert [row.action for row in response.context["rows"]] == ["unchanged"]
