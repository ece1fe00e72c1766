"""Import from CSV and XLSX: preview row by row, all or nothing; export; the template."""

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter
from procrastinate.contrib.django.models import ProcrastinateJob

from entreprises.columns import SPREADSHEET
from entreprises.models import Enterprise, EnterpriseImport
from entreprises.tasks import import_spreadsheet

IMPORT = reverse("admin:entreprises_enterprise_import")


def confirm_import(client):
    """Confirm the previewed file as staff do, then run the job it deferred as the worker
    would (its task with its arguments; the worker itself is tested in
    test_admin_import_job.py); returns the import's page, as the person then sees it."""
    confirmed = client.post(IMPORT, {"confirm": "1"})
    job = ProcrastinateJob.objects.get(queue_name="imports", status="todo")
    assert job.task_name == "entreprises.import_spreadsheet"
    page = reverse("admin:entreprises_enterprise_import_status", args=[job.args["import_id"]])
    assert (confirmed.status_code, confirmed["Location"]) == (302, page)
    import_spreadsheet(**job.args)
    ProcrastinateJob.objects.filter(pk=job.pk).update(status="succeeded")
    return client.get(page)


HEADER = [
    "slug",
    "name_fr",
    "name_en",
    "legal_form",
    "neq",
    "pole",
    "region",
    "primary_sector",
    "other_sectors",
    "city",
    "postal_code",
    "phone",
    "status",
]


def csv_file(rows, header=HEADER, name="entreprises.csv", delimiter=","):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode("utf-8"), content_type="text/csv")


def xlsx_file(rows, header=HEADER):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("entreprises.xlsx", buffer.getvalue())


def good_row(name="Café coopératif du Mile End", neq="1140000010", **changes):
    row = dict(
        zip(
            HEADER,
            [
                "",
                name,
                "Mile End Co-op Café",
                "cooperative",
                neq,
                "pole-montreal",
                "06",
                "alimentation",
                "habitation",
                "Montréal",
                "h2t 1a1",
                "(514) 555-0199",
                "published",
            ],
            strict=True,
        )
    )
    row.update(changes)
    return [row[column] for column in HEADER]


def preview(client, upload, language="fr"):
    return client.post(IMPORT, {"file": upload}, HTTP_ACCEPT_LANGUAGE=language)


def row_errors(response):
    return {row.line: row.errors for row in response.context["rows"] if row.errors}


def test_preview_writes_nothing_then_confirm_imports_everything(personas, world):
    client = personas.client_for(personas.staff_a)
    rows = [good_row(), good_row(name="Librairie coopérative", neq="1140000011", other_sectors="")]
    response = preview(client, csv_file(rows))
    assert response.status_code == 200
    assert response.context["created"] == 2 and response.context["error_rows"] == 0
    assert "2 à créer, 0 à modifier, 0 inchangées, 0 avec des erreurs." in response.content.decode()
    assert not Enterprise.objects.filter(neq="1140000010").exists()

    done = confirm_import(client)
    assert (
        "Importation terminée. Entreprises créées\u00a0: 2, modifiées\u00a0: 0, inchangées\u00a0: 0."
        in done.content.decode()
    )
    assert EnterpriseImport.objects.get().content == b""  # the file is not kept
    cafe = Enterprise.objects.get(neq="1140000010")
    assert (cafe.name_fr, cafe.name_en, cafe.pole, cafe.region) == (
        "Café coopératif du Mile End",
        "Mile End Co-op Café",
        world.pole_a,
        world.montreal,
    )
    assert (cafe.postal_code, cafe.phone, cafe.status) == ("H2T 1A1", "514 555-0199", "published")
    assert cafe.slug == "cafe-cooperatif-du-mile-end"
    links = {
        link.sector.slug: link.is_primary for link in cafe.sector_links.select_related("sector")
    }
    assert links == {"alimentation": True, "habitation": False}
    assert cafe.history.get().history_user == personas.staff_a
    # Indexed for the search at once.
    found = client.get(reverse("admin:entreprises_enterprise_changelist"), {"q": "1140000010"})
    assert [str(e) for e in found.context["cl"].result_list] == ["Café coopératif du Mile End"]


def test_one_bad_row_rejects_the_whole_file_with_every_error(personas, world):
    client = personas.client_for(personas.staff_a)
    rows = [
        good_row(),
        good_row(name="Mauvais NEQ", neq="12AB"),
        good_row(name="Mauvais code postal", neq="", postal_code="99999"),
        good_row(name="Secteur inconnu", neq="", primary_sector="astronautique"),
        good_row(name="Autre pôle", neq="", pole="pole-laval", region="13"),
        good_row(name="Doublon", neq="1140000010"),
        good_row(name="Épicerie solidaire du Plateau", neq=""),
        good_row(name="Dans le pôle de Laval", neq="", slug="habitation-laval"),
        good_row(name="Mauvaise région", neq="", region="13"),
        good_row(name="Mauvais téléphone", neq="", phone="123"),
    ]
    response = preview(client, csv_file(rows))
    errors = row_errors(response)
    assert errors == {
        3: ["neq\u00a0: Un numéro d’entreprise du Québec (NEQ) compte exactement 10 chiffres."],
        4: ["postal_code\u00a0: Saisissez un code postal canadien au format A1A\u00a01A1."],
        5: [
            "primary_sector\u00a0: «\u00a0astronautique\u00a0» n’est pas une valeur connue (secteur). "
            "Valeurs acceptées\u00a0: Alimentation, Habitation."
        ],
        6: [
            "pole\u00a0: vous ne pouvez pas placer une entreprise dans «\u00a0Pôle de Laval\u00a0», un pôle pour lequel vous ne travaillez pas."
        ],
        7: ["Doublon\u00a0: la ligne 2 a le même NEQ."],
        8: [
            "Doublon\u00a0: une entreprise nommée «\u00a0Épicerie solidaire du Plateau\u00a0» existe déjà à Montréal."
        ],
        9: ["Cette entreprise appartient à un pôle pour lequel vous ne travaillez pas."],
        10: ["region\u00a0: Le pôle choisi ne dessert pas cette région."],
        11: [
            "phone\u00a0: Saisissez un numéro de téléphone nord-américain, p. ex. 514 555-0123 (un poste peut suivre)."
        ],
    }
    assert "Rien ne sera importé" in response.content.decode()
    # A forged confirmation finds nothing to import: nothing was kept from a bad file.
    client.post(IMPORT, {"confirm": "1"})
    assert Enterprise.objects.count() == 2


def test_errors_read_in_english(personas, world):
    client = personas.client_for(personas.staff_a)
    response = preview(client, csv_file([good_row(neq="12AB", primary_sector="x")]), language="en")
    assert row_errors(response) == {
        2: [
            "primary_sector: “x” is not a known sector. Accepted values: Food, Housing.",
            "neq: A Québec enterprise number (NEQ) has exactly 10 digits.",
        ]
    }


def test_xlsx_import_updates_by_slug_and_keeps_history(personas, world):
    client = personas.client_for(personas.staff_a)
    header = ["slug", "name_fr", "legal_form", "name_en", "founded_year"]
    upload = xlsx_file(
        [
            [
                "epicerie-plateau",
                "Épicerie solidaire du Plateau",
                "cooperative",
                "Plateau Grocery",
                1998,
            ]
        ],
        header=header,
    )
    response = preview(client, upload)
    assert (response.context["created"], response.context["updated"]) == (0, 1)
    confirm_import(client)
    world.enterprise_a.refresh_from_db()
    assert (world.enterprise_a.name_en, world.enterprise_a.founded_year) == (
        "Plateau Grocery",
        1998,
    )
    # Columns absent from the file are left as they were.
    assert world.enterprise_a.neq == "1140000001"
    assert world.enterprise_a.sector_links.get().sector == world.food
    assert world.enterprise_a.history.first().history_user == personas.staff_a


def test_semicolon_csv_from_a_french_spreadsheet(personas, world):
    client = personas.client_for(personas.staff_a)
    response = preview(client, csv_file([good_row()], delimiter=";"))
    assert response.context["created"] == 1 and response.context["error_rows"] == 0


def test_unreadable_files_get_a_clear_message(personas, world):
    client = personas.client_for(personas.staff_a)
    cases = [
        (SimpleUploadedFile("notes.txt", b"hello"), "Envoyez un fichier .csv ou .xlsx."),
        (
            SimpleUploadedFile("a.xlsx", b"not a zip"),
            "Le fichier n’est pas un classeur XLSX lisible.",
        ),
        (
            SimpleUploadedFile("a.csv", "nom\n".encode("latin-1") + b"\xe9"),
            "Le fichier CSV n’est pas en UTF-8\xa0: enregistrez-le en «\xa0CSV UTF-8\xa0».",
        ),
        (
            csv_file([["x"]], header=["name_fr", "colour"]),
            "Colonnes inconnues\u00a0: colour. Le modèle donne les colonnes à utiliser.",
        ),
        (csv_file([["x"]], header=["name_fr"]), "Colonnes manquantes\u00a0: legal_form."),
        (SimpleUploadedFile("a.csv", b""), "Le fichier soumis est vide."),
        (
            SimpleUploadedFile("a.csv", b",\n"),
            "Le fichier est vide\xa0: sa première ligne doit nommer les colonnes.",
        ),
    ]
    for upload, message in cases:
        response = preview(client, upload)
        assert response.status_code == 200
        assert response.context["form"].errors["file"] == [message], upload.name


def test_national_team_imports_into_any_pole(personas, world):
    client = personas.client_for(personas.national)
    response = preview(client, csv_file([good_row(pole="pole-laval", region="13", city="Laval")]))
    assert response.context["error_rows"] == 0
    confirm_import(client)
    assert Enterprise.objects.get(neq="1140000010").pole == world.pole_b


def test_export_follows_the_current_filters_in_csv_and_xlsx(personas, world):
    client = personas.client_for(personas.national)
    url = reverse("admin:entreprises_enterprise_export", args=["csv"])
    response = client.get(url, {"status__exact": "published"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith("\ufeffslug;name_fr;".encode())
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert [row["slug"] for row in rows] == ["habitation-laval"]
    assert rows[0]["name_fr"] == "Coopérative d'habitation de Laval"
    assert (rows[0]["pole"], rows[0]["region"], rows[0]["primary_sector"]) == (
        "pole-laval",
        "13",
        "habitation",
    )
    assert list(rows[0]) == SPREADSHEET

    xlsx = client.get(
        reverse("admin:entreprises_enterprise_export", args=["xlsx"]), {"q": "plateau"}
    )
    sheet = load_workbook(io.BytesIO(xlsx.content)).worksheets[0]
    values = list(sheet.iter_rows(values_only=True))
    assert list(values[0]) == SPREADSHEET
    assert [row[0] for row in values[1:]] == ["epicerie-plateau"]

    bad = client.get(url, {"nonsense__field": "1"})
    assert bad.status_code == 400


def test_exported_file_imports_back_unchanged(personas, world):
    client = personas.client_for(personas.national)
    exported = client.get(reverse("admin:entreprises_enterprise_export", args=["csv"]))
    upload = SimpleUploadedFile("export.csv", exported.content)
    response = preview(client, upload)
    assert (
        response.context["created"],
        response.context["updated"],
        response.context["error_rows"],
    ) == (0, 0, 0)
    assert response.context["unchanged"] == 2
    assert "0 à créer, 0 à modifier, 2 inchangées, 0 avec des erreurs." in response.content.decode()


def test_template_downloads_with_drop_downs_and_an_example_that_is_skipped(personas, world):
    client = personas.client_for(personas.staff_a)
    url = reverse("admin:entreprises_enterprise_import_template", args=["csv"])
    csv_template = client.get(url, HTTP_ACCEPT_LANGUAGE="fr")
    assert csv_template.content.startswith("\ufeff".encode())
    header, example = csv_template.content.decode("utf-8-sig").splitlines()
    assert header == ";".join(SPREADSHEET)
    assert example.split(";")[1:4] == [
        "Exemple (cette ligne n’est jamais importée)",
        "",
        "coopérative",
    ]
    commas = client.get(reverse("admin:entreprises_enterprise_import_template", args=["csv-comma"]))
    assert commas.content.decode("utf-8-sig").splitlines()[0] == ",".join(SPREADSHEET)

    xlsx_template = client.get(
        reverse("admin:entreprises_enterprise_import_template", args=["xlsx"]),
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    workbook = load_workbook(io.BytesIO(xlsx_template.content))
    sheet = workbook["enterprises"]
    assert [cell.value for cell in sheet[1]] == SPREADSHEET
    example = dict(zip(SPREADSHEET, [cell.value for cell in sheet[2]], strict=True))
    assert (example["legal_form"], example["status"], example["pole"], example["region"]) == (
        "coopérative",
        "brouillon",
        "Pôle de Montréal",
        "06 Montréal",
    )
    lists = workbook["lists"]
    assert lists.sheet_state == "hidden"
    columns = {
        column[0].value: [c.value for c in column[1:] if c.value] for column in lists.iter_cols()
    }
    assert columns["legal_form"] == ["coopérative", "organisme à but non lucratif", "mutuelle"]
    assert columns["pole"] == ["Pôle de Montréal"]  # only the poles of pole A's staff
    assert columns["primary_sector"] == ["Alimentation", "Habitation"]
    drop_downs = {
        str(validation.sqref): validation.formula1
        for validation in sheet.data_validations.dataValidation
    }
    legal_form = get_column_letter(SPREADSHEET.index("legal_form") + 1)
    assert drop_downs[f"{legal_form}2:{legal_form}1000"] == "lists!$A$2:$A$4"
    assert {v.type for v in sheet.data_validations.dataValidation} == {"list"}
    assert len(drop_downs) == 7
    assert columns["step_free_access"] == ["oui", "partiel", "non", "inconnu"]
    assert example["opening_hours"] == "lun-ven 9:00-17:00; sam 10:00-12:00, 13:00-16:00"
    assert example["sells_to"] == "le grand public; les entreprises"
    help_rows = {row[0]: row[1] for row in workbook["help"].iter_rows(values_only=True)}
    assert help_rows["status"] == "brouillon, publiée, archivée"
    assert help_rows["sells_to"] == (
        "Séparées par des points-virgules\u00a0: le grand public, les entreprises, "
        "les organismes publics."
    )

    # The template sent back as it is creates nothing: its example line is skipped.
    upload = SimpleUploadedFile("modele.xlsx", xlsx_template.content)
    response = preview(client, upload)
    assert [row.action for row in response.context["rows"]] == ["example"]
    assert response.context["created"] == 0


def test_staff_without_pole_cannot_create_through_import(personas, world):
    client = personas.client_for(personas.staff_without_pole)
    response = preview(client, csv_file([good_row(pole="")]))
    assert row_errors(response) == {2: ["pole\xa0: indiquez le pôle de cette entreprise."]}
    assert Enterprise.objects.count() == 2


def test_new_slugs_never_collide(personas, world):
    client = personas.client_for(personas.staff_a)
    rows = [
        good_row(name="Épicerie Plateau", neq="", city="Verdun"),
        good_row(name="Épicerie Plateau", neq="", city="Outremont"),
        good_row(name="!!!", neq="", city="Lachine"),
    ]
    response = preview(client, csv_file(rows))
    assert response.context["error_rows"] == 0
    confirm_import(client)
    slugs = set(
        Enterprise.objects.filter(city__in=["Verdun", "Outremont", "Lachine"]).values_list(
            "slug", flat=True
        )
    )
    # "epicerie-plateau" is already the slug of pole A's grocery.
    assert slugs == {"epicerie-plateau-2", "epicerie-plateau-3", "entreprise"}


def test_a_bad_file_replaces_the_good_one_previewed_before(personas, world):
    client = personas.client_for(personas.staff_a)
    assert preview(client, csv_file([good_row()])).context["error_rows"] == 0
    assert preview(client, csv_file([good_row(neq="12")])).context["error_rows"] == 1
    done = client.post(IMPORT, {"confirm": "1"}, follow=True)
    assert [str(m) for m in done.context["messages"]] == [
        "Rien à importer\xa0: envoyez de nouveau le fichier."
    ]
    assert Enterprise.objects.count() == 2


def test_too_many_rows_refused_as_a_whole(personas, world, settings):
    settings.ENTERPRISE_IMPORT_MAX_ROWS = 1
    client = personas.client_for(personas.staff_a)
    response = preview(client, csv_file([good_row(), good_row(name="Autre", neq="1140000011")]))
    assert response.context["form"].errors["file"] == [
        "Le fichier compte plus de 1 ligne\u202f; on peut en importer au plus 1 à la fois."
    ]


def test_export_neutralises_formulas_in_text_cells_only_and_imports_back(personas, world):
    laval = world.enterprise_b
    laval.name_fr, laval.name_en, laval.city = "-5 % Coop", "=1+1", "@Laval"
    laval.save()
    client = personas.client_for(personas.national)
    params = {"q": "1140000002"}
    exported = client.get(reverse("admin:entreprises_enterprise_export", args=["csv"]), params)
    (row,) = csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig")), delimiter=";")
    expected = ["'-5 % Coop", "'=1+1", "'@Laval", "45.57", "-73.7"]
    assert [row[c] for c in ["name_fr", "name_en", "city", "latitude", "longitude"]] == expected
    xlsx = client.get(reverse("admin:entreprises_enterprise_export", args=["xlsx"]), params)
    sheet = load_workbook(io.BytesIO(xlsx.content)).worksheets[0]
    header, values = (list(r) for r in sheet.iter_rows(values_only=True))
    assert [values[header.index(c)] for c in ["name_fr", "name_en", "city"]] == expected[:3]
    assert [cell.coordinate for cell in sheet[2] if cell.data_type == "f"] == []  # no formula
    # Read back, the apostrophe goes: the record is unchanged.
    preview(client, SimpleUploadedFile("export.csv", exported.content))
    confirm_import(client)
    laval.refresh_from_db()
    assert (laval.name_fr, laval.name_en, laval.city) == ("-5 % Coop", "=1+1", "@Laval")
