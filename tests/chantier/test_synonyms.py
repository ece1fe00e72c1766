"""The sector synonyms of chantier/reference/synonyms.toml: complete, loaded, checked."""

import shutil
import tomllib

import pytest

from chantier.services import REFERENCE_DIR, ReferenceDataError, load_reference
from entreprises.models import Sector

pytestmark = pytest.mark.django_db


def rows(filename, table):
    with (REFERENCE_DIR / filename).open("rb") as file:
        return tomllib.load(file)[table]


def test_every_sector_has_one_line_of_synonyms_in_both_languages():
    sectors = [row["slug"] for row in rows("sectors.toml", "sector")]
    synonyms = rows("synonyms.toml", "sector")
    assert [row["slug"] for row in synonyms] == sectors
    for row in synonyms:
        assert row["synonyms_fr"] and row["synonyms_en"], row["slug"]


def test_synonyms_loaded_into_the_sector(reference_data):
    housing = Sector.objects.get(slug="habitation")
    assert "logement" in housing.synonyms_fr.split(", ")
    assert "coopérative d'habitation" in housing.synonyms_fr.split(", ")
    assert "housing" in housing.synonyms_en.split(", ")
    childcare = Sector.objects.get(slug="services-de-garde-famille")
    assert {"garderie", "CPE", "service de garde"} <= set(childcare.synonyms_fr.split(", "))
    assert {"childcare", "daycare"} <= set(childcare.synonyms_en.split(", "))


def test_loading_twice_changes_nothing(reference_data):
    before = list(Sector.objects.values_list("slug", "synonyms_fr", "synonyms_en"))
    report = load_reference()
    assert list(Sector.objects.values_list("slug", "synonyms_fr", "synonyms_en")) == before
    assert not report.changed


def test_an_edited_synonym_list_is_kept_unless_overwritten(reference_data):
    Sector.objects.filter(slug="energie").update(synonyms_fr="éolienne")
    load_reference()
    assert Sector.objects.get(slug="energie").synonyms_fr == "éolienne"
    load_reference(overwrite=True)
    assert Sector.objects.get(slug="energie").synonyms_fr.startswith("énergie, ")


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (
            'slug = "nulle-part"\nsynonyms_fr = ["x"]',
            r"synonyms.toml, nulle-part: no Sector with \{'slug': 'nulle-part'\}",
        ),
        (
            'slug = "energie"\nsynonyms_fr = ["solaire, éolien"]',
            r"synonyms.toml, energie: 'solaire, éolien' is not a word or phrase",
        ),
        (
            'slug = "energie"\nsynonyms_en = "solar"',
            r"synonyms.toml, energie: synonyms must be a list of words or phrases",
        ),
        ('slug = "energie"\nsynonyms_fr = [""]', r"synonyms.toml, energie: '' is not a word"),
    ],
)
def test_a_bad_row_is_named_and_nothing_written(tmp_path, bad, message):
    shutil.copytree(REFERENCE_DIR, tmp_path / "reference")
    path = tmp_path / "reference" / "synonyms.toml"
    path.write_text(path.read_text(encoding="utf-8") + f"\n[[sector]]\n{bad}\n", encoding="utf-8")
    with pytest.raises(ReferenceDataError, match=message):
        load_reference(directory=tmp_path / "reference")
    assert Sector.objects.count() == 0
