import shutil
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from chantier.models import KeyFigure
from chantier.services import REFERENCE_DIR, ReferenceDataError, load_reference
from entreprises.models import Enterprise, Sector
from evenements.models import Event, Organization
from poles.models import Pole, Region

pytestmark = pytest.mark.django_db


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (Region, Pole, Sector, Organization, Event, Enterprise, KeyFigure)
    }


def run_command(*args):
    out = StringIO()
    call_command("load_reference", *args, stdout=out)
    return out.getvalue()


def test_load_reference_counts():
    run_command()
    assert counts() == {
        "Region": 17,
        "Pole": 19,
        "Sector": 21,
        "Organization": 22,
        "Event": 18,
        "Enterprise": 1,
        "KeyFigure": 18,
    }


def test_load_reference_twice_changes_nothing_and_says_so():
    run_command()
    first = counts()
    output = run_command()
    assert counts() == first
    assert "Nothing changed: the reference data was already loaded." in output
    assert "17 unchanged" in output


def test_load_reference_keeps_admin_corrections():
    run_command()
    Pole.objects.filter(slug="pole-cote-nord").update(city="Sept-Îles")
    output = run_command()
    assert Pole.objects.get(slug="pole-cote-nord").city == "Sept-Îles"
    assert "1 record(s) differ from the reference files and were kept" in output


def test_load_reference_overwrite_restores_reference_values():
    run_command()
    Pole.objects.filter(slug="pole-cote-nord").update(city="Sept-Îles")
    run_command("--overwrite")
    assert Pole.objects.get(slug="pole-cote-nord").city == "Baie-Comeau"


def test_load_reference_fills_an_emptied_field():
    run_command()
    Event.objects.filter(slug="fiess-2011").update(participants=None)
    output = run_command()
    assert Event.objects.get(slug="fiess-2011").participants == 1600
    assert "1 filled" in output


def test_load_reference_dry_run_writes_nothing():
    output = run_command("--dry-run")
    assert Region.objects.count() == 0
    assert "Dry run: nothing was written." in output


def test_reference_facts_with_sources_in_both_languages():
    load_reference()
    fiess = Event.objects.get(slug="fiess-2011")
    assert (fiess.participants, fiess.countries_count) == (1600, 62)
    assert str(fiess.start_date) == "2011-10-17" and str(fiess.end_date) == "2011-10-20"
    assert "Revue des pôles" in fiess.source_fr and "Revue des pôles" in fiess.source_en
    # Bodies whose representatives attended are not partners (seed 003); the MAMROT supported it.
    assert list(fiess.partners.values_list("slug", flat=True)) == ["mamrot"]
    attended = set(fiess.participating_organizations.values_list("slug", flat=True))
    assert attended >= {"oit", "ocde", "csi"}
    assert "Other sources" not in fiess.description_en
    rencontre = Event.objects.get(slug="rencontre-internationale-quebec-2001")
    assert (rencontre.countries_count, rencontre.countries_approximate) == (40, True)
    assert Event.objects.get(slug="creation-reliess").year is None
    gsef = Event.objects.get(slug="gsef-2016")
    assert (str(gsef.start_date), str(gsef.end_date)) == ("2016-09-07", "2016-09-09")
    revenue = KeyFigure.objects.get(key="revenue-2016")
    assert (revenue.value, revenue.unit, revenue.year) == (47_800_000_000, "dollars", 2016)
    assert revenue.source_fr.startswith("Institut de la statistique du Québec")
    with translation.override("en"):
        assert Region.objects.get(code="09").name == "Côte-Nord (North Shore)"


def test_reference_poles_never_invented():
    load_reference()
    vhsl = Pole.objects.get(slug="pole-vallee-du-haut-saint-laurent")
    assert vhsl.mrcs[0] == "Vaudreuil-Soulanges" and len(vhsl.mrcs) == 5
    assert vhsl.founded_year == 2015
    assert Pole.objects.filter(regions__code="16").count() == 3
    # What no source gives stays empty.
    assert Pole.objects.exclude(website="").count() == 0
    assert Pole.objects.exclude(email="").count() == 0


def test_bad_reference_file_names_the_row_and_writes_nothing(tmp_path):
    shutil.copytree(REFERENCE_DIR, tmp_path / "reference")
    poles = tmp_path / "reference" / "poles.toml"
    poles.write_text(
        poles.read_text(encoding="utf-8").replace('regions = ["09"]', 'regions = ["99"]'),
        encoding="utf-8",
    )
    with pytest.raises(
        ReferenceDataError,
        match=r"poles.toml, pole-cote-nord: no Region with \{'code': '99'\}",
    ):
        load_reference(directory=tmp_path / "reference")
    assert Region.objects.count() == 0


def test_command_reports_bad_data_as_command_error(tmp_path):
    shutil.copytree(REFERENCE_DIR, tmp_path / "reference")
    (tmp_path / "reference" / "regions.toml").write_text(
        "[[region]]\ncode = 'XX'\nname_fr = 'Nulle part'\n", encoding="utf-8"
    )
    with pytest.raises(
        CommandError,
        match="nothing was written: regions.toml, XX: A region code goes from 01 to 17.",
    ):
        run_command("--directory", str(tmp_path / "reference"))
    assert Region.objects.count() == 0
