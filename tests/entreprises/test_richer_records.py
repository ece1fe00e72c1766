"""The richer record: opening hours, logo or photo, social links, products and services,
customers and step-free access, in the import, the admin's form and the database."""

import io
from datetime import UTC, datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from PIL import Image

from entreprises import opening_hours
from entreprises.models import Enterprise
from tests.entreprises.conftest import enterprise_form_data
from tests.entreprises.test_admin_import import confirm_import, csv_file, preview, row_errors
from tests.factories import EnterpriseFactory

HEADER = [
    "name_fr",
    "legal_form",
    "city",
    "opening_hours",
    "opening_hours_note_fr",
    "opening_hours_note_en",
    "products_services_fr",
    "sells_to",
    "step_free_access",
    "facebook_url",
    "other_social_url",
]
WEEKDAYS_9_TO_5 = {day: [["09:00", "17:00"]] for day in ("mon", "tue", "wed", "thu", "fri")}


def rich_row(**cells):
    row = dict.fromkeys(HEADER, "")
    row.update(name_fr="Café des Abeilles", legal_form="coop", city="Montréal")
    row.update(cells)
    return [row[column] for column in HEADER]


# --- Opening hours: one text format, read and written by one module ------------------


@pytest.mark.parametrize(
    ("typed", "hours"),
    [
        (
            "lun 9:00-17:00; mar 9:00-12:00, 13:00-17:00",
            {"mon": [["09:00", "17:00"]], "tue": [["09:00", "12:00"], ["13:00", "17:00"]]},
        ),
        (
            "Monday-Wednesday 9h à 17h\nsat 10:00-14:00; dim fermé",
            {
                "mon": [["09:00", "17:00"]],
                "tue": [["09:00", "17:00"]],
                "wed": [["09:00", "17:00"]],
                "sat": [["10:00", "14:00"]],
            },
        ),
        (
            "samedi, dimanche 10 h 30 - 24:00",
            {"sat": [["10:30", "24:00"]], "sun": [["10:30", "24:00"]]},
        ),
        ("lun-ven 9:00-17:00", WEEKDAYS_9_TO_5),
        ("", {}),
    ],
)
def test_opening_hours_text_in_french_or_english_reads_back_the_same(typed, hours):
    assert opening_hours.parse(typed) == hours
    assert opening_hours.parse(opening_hours.as_text(hours)) == hours


def test_opening_hours_text_is_written_in_one_canonical_form():
    hours = opening_hours.parse("tue 13:00-17:00; Lundi 9h-12h, 13h-17h")
    assert opening_hours.as_text(hours) == "lun 09:00-12:00, 13:00-17:00; mar 13:00-17:00"


@pytest.mark.parametrize(
    ("typed", "french", "english"),
    [
        (
            "lux 9-17",
            "«\u00a0lux 9-17\u00a0»\u00a0: «\u00a0lux\u00a0» ne nomme aucun jour. Jours acceptés\u00a0: "
            "lun/mon, mar/tue, mer/wed, jeu/thu, ven/fri, sam/sat, dim/sun.",
            "“lux 9-17”: “lux” names no day. Accepted days: lun/mon, mar/tue, mer/wed, "
            "jeu/thu, ven/fri, sam/sat, dim/sun.",
        ),
        (
            "lun 9:00",
            "«\u00a0lun 9:00\u00a0»\u00a0: écrivez chaque plage horaire comme 9:00-17:00.",
            "“lun 9:00”: write each time range as 9:00-17:00.",
        ),
        (
            "lun 25:00-26:00",
            "«\u00a0lun 25:00-26:00\u00a0»\u00a0: «\u00a025:00\u00a0» n’est pas une heure\u00a0; "
            "écrivez-la comme 9:00 ou 17:30.",
            "“lun 25:00-26:00”: “25:00” is not a time; write it as 9:00 or 17:30.",
        ),
        (
            "ven 22:00-2:00",
            "Vendredi\u00a0: 22:00-02:00 finit avant de commencer. Les heures après minuit vont au "
            "jour suivant.",
            "Friday: 22:00-02:00 ends before it starts. Hours past midnight go on the next day.",
        ),
        (
            "lun 9-12, 11-13",
            "Lundi\u00a0: les plages horaires se chevauchent ou ne sont pas dans l’ordre.",
            "Monday: the time ranges overlap or are not in order.",
        ),
        (
            "lun 9-12; lundi 13-17",
            "«\u00a0lundi 13-17\u00a0»\u00a0: un jour est indiqué deux fois.",
            "“lundi 13-17”: a day is given twice.",
        ),
    ],
)
def test_bad_opening_hours_say_why_in_both_languages(typed, french, english):
    for language, expected in (("fr", french), ("en", english)):
        with translation.override(language):
            with pytest.raises(ValidationError) as error:
                opening_hours.parse(typed)
            assert error.value.messages == [expected]


@pytest.mark.django_db
def test_postgresql_writes_the_hours_as_python_does():
    typed = [
        "lun-ven 9-12, 13-17; sam 10-14",
        "dim 0-24",
        "mar 8:30-10:15, 11-12, 13:45-16, 20-24; jeu 7-8; dim 10-11",
        "lun-dim 6-23",
    ]
    enterprises = [EnterpriseFactory(opening_hours=opening_hours.parse(text)) for text in typed]
    enterprises.append(EnterpriseFactory(opening_hours={}))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {opening_hours.as_text_sql('e.opening_hours')} "  # noqa: S608
            "FROM entreprises_enterprise AS e ORDER BY e.id"
        )
        written = [text for (text,) in cursor.fetchall()]
    assert written == [opening_hours.as_text(e.opening_hours) for e in enterprises]
    assert written[1:3] == [
        "dim 00:00-24:00",
        "mar 08:30-10:15, 11:00-12:00, 13:45-16:00, 20:00-24:00; jeu 07:00-08:00; dim 10:00-11:00",
    ]
    assert written[-1] == ""


@pytest.mark.parametrize(
    ("moment", "open_now"),
    [
        (datetime(2026, 12, 7, 14, 0, tzinfo=UTC), True),  # Monday 9:00 in Montréal (EST)
        (datetime(2026, 12, 7, 13, 59, tzinfo=UTC), False),  # 8:59
        (datetime(2026, 12, 7, 22, 0, tzinfo=UTC), False),  # 17:00: closes at 17:00
        (datetime(2026, 7, 6, 13, 0, tzinfo=UTC), True),  # Monday 9:00 in summer (EDT)
        (datetime(2026, 12, 5, 15, 0, tzinfo=UTC), False),  # Saturday
    ],
)
def test_open_now_in_montreal_time(moment, open_now):
    assert opening_hours.is_open(WEEKDAYS_9_TO_5, at=moment) is open_now


def test_schema_org_specification_groups_days_with_the_same_hours():
    hours = opening_hours.parse("lun-ven 9:00-17:00; sam 10:00-24:00")
    assert opening_hours.schema_specification(hours) == [
        {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"],
            "opens": "09:00",
            "closes": "17:00",
        },
        {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": ["Saturday"],
            "opens": "10:00",
            "closes": "23:59",
        },
    ]


# --- The database and the model ------------------------------------------------------


@pytest.mark.django_db
def test_a_record_without_the_new_facts_stays_valid():
    enterprise = EnterpriseFactory()
    enterprise.full_clean()
    assert (enterprise.opening_hours, enterprise.sells_to, enterprise.step_free_access) == (
        {},
        [],
        "unknown",
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "values",
    [{"sells_to": ["public", "aliens"]}, {"step_free_access": "maybe"}],
)
def test_database_refuses_unknown_customers_and_access(values):
    enterprise = EnterpriseFactory()
    with transaction.atomic(), pytest.raises(IntegrityError):
        Enterprise.objects.filter(pk=enterprise.pk).update(**values)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "url", "french", "english"),
    [
        (
            "facebook_url",
            "https://www.instagram.com/envol",
            "Ce n’est pas une adresse Facebook\u00a0: elle devrait commencer par "
            "https://www.facebook.com/.",
            "This is not a Facebook address: it should start with https://www.facebook.com/.",
        ),
        (
            "youtube_url",
            "https://youtube.com.evil.example/x",
            "Ce n’est pas une adresse YouTube\u00a0: elle devrait commencer par "
            "https://www.youtube.com/.",
            "This is not a YouTube address: it should start with https://www.youtube.com/.",
        ),
    ],
)
def test_a_social_link_must_lead_to_its_network(field, url, french, english):
    enterprise = EnterpriseFactory.build(**{field: url})
    for language, expected in (("fr", french), ("en", english)):
        with translation.override(language):
            with pytest.raises(ValidationError) as error:
                enterprise.full_clean(exclude=["slug", "pole", "region"], validate_unique=False)
            assert error.value.message_dict == {field: [expected]}


@pytest.mark.django_db
def test_social_links_of_the_network_and_its_subdomains_are_accepted():
    enterprise = EnterpriseFactory.build(
        facebook_url="https://fr-ca.facebook.com/envol",
        instagram_url="https://instagram.com/envol",
        linkedin_url="https://ca.linkedin.com/company/envol",
        youtube_url="https://youtu.be/abc",
        other_social_url="https://mastodon.example/@envol",
    )
    enterprise.full_clean(exclude=["slug", "pole", "region"], validate_unique=False)


# --- The spreadsheet import -----------------------------------------------------------


def test_import_reads_hours_customers_access_and_links(personas, world):
    client = personas.client_for(personas.staff_a)
    rows = [
        rich_row(
            opening_hours="lundi-vendredi 9h-17h; sam fermé",
            opening_hours_note_fr="Fermé les jours fériés.",
            opening_hours_note_en="Closed on public holidays.",
            products_services_fr="Café, ateliers",
            sells_to="Grand public; organismes publics",
            step_free_access="Partiel",
            facebook_url="https://www.facebook.com/abeilles",
            other_social_url="https://mastodon.example/@abeilles",
        ),
        rich_row(name_fr="Deux", sells_to="businesses, public", step_free_access="yes"),
    ]
    response = preview(client, csv_file(rows, header=HEADER))
    assert row_errors(response) == {}
    confirm_import(client)
    cafe = Enterprise.objects.get(name_fr="Café des Abeilles")
    assert cafe.opening_hours == WEEKDAYS_9_TO_5
    assert (cafe.opening_hours_note_fr, cafe.opening_hours_note_en) == (
        "Fermé les jours fériés.",
        "Closed on public holidays.",
    )
    assert cafe.sells_to == ["public", "public_bodies"]
    assert cafe.step_free_access == "partial"
    assert cafe.facebook_url == "https://www.facebook.com/abeilles"
    deux = Enterprise.objects.get(name_fr="Deux")
    assert (deux.sells_to, deux.step_free_access, deux.opening_hours) == (
        ["public", "businesses"],
        "yes",
        {},
    )


def test_import_bad_rich_values_list_what_is_accepted_in_both_languages(personas, world):
    client = personas.client_for(personas.staff_a)
    rows = [
        rich_row(
            opening_hours="lun 9-17; mardo 9-17",
            sells_to="public; martiens",
            step_free_access="peut-être",
            facebook_url="https://twitter.com/abeilles",
        )
    ]
    french = row_errors(preview(client, csv_file(rows, header=HEADER)))
    assert french == {
        2: [
            "step_free_access\u00a0: «\u00a0peut-être\u00a0» n’est pas une valeur connue (accès sans "
            "marche). Valeurs acceptées\u00a0: oui, partiel, non, inconnu.",
            "opening_hours\u00a0: «\u00a0mardo 9-17\u00a0»\u00a0: «\u00a0mardo\u00a0» ne nomme aucun "
            "jour. Jours acceptés\u00a0: lun/mon, mar/tue, mer/wed, jeu/thu, ven/fri, sam/sat, "
            "dim/sun.",
            "sells_to\u00a0: «\u00a0martiens\u00a0» n’est pas une valeur connue (clientèle). "
            "Valeurs acceptées\u00a0: le grand public, les entreprises, les organismes publics.",
            "facebook_url\u00a0: Ce n’est pas une adresse Facebook\u00a0: elle devrait commencer "
            "par https://www.facebook.com/.",
        ]
    }
    english = row_errors(preview(client, csv_file(rows, header=HEADER), language="en"))
    assert english[2][0] == (
        "step_free_access: “peut-être” is not a known step-free access. Accepted values: "
        "yes, partial, no, unknown."
    )
    assert english[2][2] == (
        "sells_to: “martiens” is not a known customer. Accepted values: the public, "
        "businesses, public bodies."
    )
    assert not Enterprise.objects.filter(name_fr="Café des Abeilles").exists()


# --- The admin's form -------------------------------------------------------------------


def image_file(name="logo.png", size=(1200, 800), image_format="PNG", mode="RGB"):
    buffer = io.BytesIO()
    Image.new(mode, size, "#2a7").save(buffer, image_format)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{image_format}")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def change_url(enterprise):
    return reverse("admin:entreprises_enterprise_change", args=[enterprise.pk])


def test_admin_form_saves_hours_customers_access_and_links(personas, world):
    client = personas.client_for(personas.staff_a)
    data = enterprise_form_data(
        world.enterprise_a,
        opening_hours="lun-ven 9:00-17:00",
        sells_to=["public", "public_bodies"],
        step_free_access="yes",
        products_services_fr="Épicerie en vrac",
        products_services_en="Bulk groceries",
        instagram_url="https://www.instagram.com/plateau",
    )
    response = client.post(change_url(world.enterprise_a), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    saved = Enterprise.objects.get(pk=world.enterprise_a.pk)
    assert saved.opening_hours == WEEKDAYS_9_TO_5
    assert saved.sells_to == ["public", "public_bodies"]
    assert saved.step_free_access == "yes"
    assert (saved.products_services_fr, saved.products_services_en) == (
        "Épicerie en vrac",
        "Bulk groceries",
    )
    page = client.get(change_url(world.enterprise_a)).content.decode()
    assert "lun 09:00-17:00; mar 09:00-17:00; mer 09:00-17:00" in page


@pytest.mark.parametrize(
    ("language", "message"),
    [
        (
            "fr",
            "«\u00a0lun 17:00\u00a0»\u00a0: écrivez chaque plage horaire comme 9:00-17:00.",
        ),
        ("en", "“lun 17:00”: write each time range as 9:00-17:00."),
    ],
)
def test_admin_form_bad_hours_are_a_form_error(personas, world, language, message):
    client = personas.client_for(personas.staff_a)
    data = enterprise_form_data(world.enterprise_a, opening_hours="lun 17:00")
    response = client.post(change_url(world.enterprise_a), data, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["opening_hours"] == [message]
    assert Enterprise.objects.get(pk=world.enterprise_a.pk).opening_hours == {}


def test_admin_uploaded_image_is_kept_only_as_two_resized_copies(personas, world, media):
    client = personas.client_for(personas.staff_a)
    data = enterprise_form_data(
        world.enterprise_a, image=image_file(), image_alt_fr="Logo vert", image_alt_en="Green logo"
    )
    response = client.post(change_url(world.enterprise_a), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    saved = Enterprise.objects.get(pk=world.enterprise_a.pk)
    sizes = {}
    for copy in (saved.image_small, saved.image_large):
        assert copy.name.startswith("entreprises/epicerie-plateau-") and copy.name.endswith(".webp")
        with Image.open(media / copy.name) as stored:
            sizes[copy.name.rsplit("-", 1)[1]] = (stored.format, stored.size)
    assert sizes == {"160.webp": ("WEBP", (160, 107)), "480.webp": ("WEBP", (480, 320))}
    assert sorted(p.name for p in (media / "entreprises").iterdir()) == sorted(
        name.removeprefix("entreprises/")
        for name in (saved.image_small.name, saved.image_large.name)
    )

    # Removing it deletes the files once the record is saved.
    data = enterprise_form_data(saved, remove_image="on", image_alt_fr="Logo vert")
    with transaction.atomic():
        response = client.post(change_url(saved), data)
    assert response.status_code == 302
    saved.refresh_from_db()
    assert (saved.image_small.name, saved.image_large.name) == ("", "")


@pytest.mark.parametrize(
    ("upload", "language", "message"),
    [
        (
            SimpleUploadedFile("logo.png", b"%PDF-1.4 not an image"),
            "fr",
            "Ce fichier n’est pas une image lisible. Envoyez une image JPEG, PNG, WebP ou GIF.",
        ),
        (
            SimpleUploadedFile("logo.png", b"%PDF-1.4 not an image"),
            "en",
            "This file is not an image we can read. Send a JPEG, PNG, WebP or GIF image.",
        ),
        (
            "tiff",
            "en",
            "This file is not an image we can read. Send a JPEG, PNG, WebP or GIF image.",
        ),
        ("big", "fr", "L’image pèse 3,0\u00a0Kio\u00a0; au plus 2,0\u00a0Kio sont acceptés."),
        ("big", "en", "The image weighs 3.0\u00a0KB; at most 2.0\u00a0KB are accepted."),
    ],
)
def test_admin_refuses_what_is_not_an_image_or_too_big(
    personas, world, media, settings, upload, language, message
):
    if upload == "tiff":
        upload = image_file("logo.tiff", image_format="TIFF")
    elif upload == "big":
        settings.ENTERPRISE_IMAGE_MAX_BYTES = 2048
        upload = SimpleUploadedFile("logo.png", b"x" * 3072)
    client = personas.client_for(personas.staff_a)
    data = enterprise_form_data(world.enterprise_a, image=upload, image_alt_fr="Logo")
    response = client.post(change_url(world.enterprise_a), data, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["image"] == [message]
    assert Enterprise.objects.get(pk=world.enterprise_a.pk).image_large.name == ""
    assert not (media / "entreprises").exists()


def test_admin_image_needs_its_description(personas, world, media):
    client = personas.client_for(personas.staff_a)
    data = enterprise_form_data(world.enterprise_a, image=image_file())
    response = client.post(change_url(world.enterprise_a), data, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.context["adminform"].form.errors["image_alt_fr"] == [
        "Décrivez le logo ou la photo pour les personnes qui ne peuvent pas le voir (au moins "
        "en français)."
    ]
    assert not (media / "entreprises").exists()


@override_settings(LANGUAGE_CODE="fr")
def test_admin_form_offers_the_customers_as_boxes(personas, world):
    page = personas.client_for(personas.staff_a).get(change_url(world.enterprise_a))
    html = page.content.decode()
    assert 'type="checkbox" name="sells_to" value="public_bodies"' in html
    assert 'enctype="multipart/form-data"' in html
