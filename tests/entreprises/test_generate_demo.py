from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from common.validators import is_inside_quebec
from entreprises.models import Enterprise, EnterpriseSector

pytestmark = pytest.mark.django_db


def generate(*args):
    out = StringIO()
    call_command("generate_demo", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_generate_demo_creates_exactly_n_valid_records(reference_data):
    real_before = Enterprise.objects.real().count()
    output = generate("--count", "120", "--seed", "7")
    demo = Enterprise.objects.demo().select_related("pole", "region")
    assert demo.count() == 120
    assert Enterprise.objects.real().count() == real_before
    assert "Created 120 fictitious demo enterprises" in output
    for enterprise in demo:
        enterprise.full_clean()  # every rule of the admin holds, pole serving the region included
        # A name is written as the enterprise writes it: no English name is made up.
        assert enterprise.name_fr and not enterprise.name_en
        assert enterprise.description_en.endswith("made up to demonstrate the portal.")
        assert enterprise.description_fr.endswith("créée pour la démonstration du portail.")
        assert is_inside_quebec(float(enterprise.latitude), float(enterprise.longitude))
        assert enterprise.postal_code[0] in "GHJ"
        assert enterprise.email.endswith(".example") and "555-01" in enterprise.phone
        assert enterprise.sector_links.filter(is_primary=True).count() == 1


def test_generate_demo_spreads_over_regions_poles_sectors_and_forms(reference_data):
    generate("--count", "600", "--seed", "3")
    demo = Enterprise.objects.demo()
    assert demo.values("region").distinct().count() >= 12
    assert demo.values("pole").distinct().count() >= 12
    assert demo.values("legal_form").order_by().distinct().count() == 3
    assert (
        EnterpriseSector.objects.filter(enterprise__is_demo=True)
        .values("sector")
        .distinct()
        .count()
        >= 18
    )
    # Montérégie's enterprises go to the three poles that share it.
    monteregie_poles = (
        demo.filter(region__code="16").values_list("pole__slug", flat=True).distinct()
    )
    assert set(monteregie_poles) <= {
        "pole-agglomeration-longueuil",
        "pole-monteregie-est",
        "pole-vallee-du-haut-saint-laurent",
    }


def test_generate_demo_same_seed_same_names(reference_data):
    generate("--count", "5", "--seed", "11")
    first = list(Enterprise.objects.demo().order_by("id").values_list("name_fr", flat=True))
    call_command("remove_demo", stdout=StringIO())
    generate("--count", "5", "--seed", "11")
    assert list(Enterprise.objects.demo().order_by("id").values_list("name_fr", flat=True)) == first


def test_generate_demo_if_empty_does_nothing_the_second_time(reference_data):
    generate("--count", "10", "--if-empty")
    output = generate("--count", "10", "--if-empty")
    assert Enterprise.objects.demo().count() == 10
    assert "10 demo enterprises already exist; none created." in output


def test_remove_demo_deletes_only_demo_records(reference_data):
    generate("--count", "30")
    out = StringIO()
    call_command("remove_demo", stdout=out)
    assert Enterprise.objects.demo().count() == 0
    assert Enterprise.objects.filter(slug="caisse-economie-solidaire-desjardins").exists()
    assert not EnterpriseSector.objects.filter(enterprise__is_demo=True).exists()
    assert "Deleted 30 demo enterprises." in out.getvalue()


def test_generate_demo_without_reference_data_explains():
    with pytest.raises(CommandError, match="run `python manage.py load_reference` first"):
        generate("--count", "3")
    assert Enterprise.objects.count() == 0


def test_generate_demo_count_must_be_positive(reference_data):
    with pytest.raises(CommandError, match="--count must be at least 1"):
        generate("--count", "0")


def test_generate_demo_gives_some_records_hours_access_and_an_offer(reference_data):
    generate("--count", "100", "--seed", "5")
    demo = Enterprise.objects.demo()
    with_hours = demo.exclude(opening_hours={}).count()
    assert 40 <= with_hours <= 80
    assert demo.exclude(step_free_access="unknown").count() >= 40
    assert demo.exclude(products_services_fr="").exclude(sells_to=[]).count() >= 50
    # Made-up social pages only on the reserved .example domain.
    assert all(
        url.startswith("https://social.example/@")
        for url in demo.exclude(other_social_url="").values_list("other_social_url", flat=True)
    )
    assert not demo.exclude(facebook_url="").exists()
