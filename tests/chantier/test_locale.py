"""The interface catalogues: complete, compiled, and really loaded."""

from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation

LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
CATALOGUES = sorted(LOCALE_DIR.glob("*/LC_MESSAGES/django.po"))


def test_french_strings_are_really_served():
    with translation.override("fr"):
        assert translation.gettext("Key figures") == "Chiffres clés"
        assert translation.gettext("Skip to main content") == "Aller au contenu principal"
    with translation.override("en"):
        assert translation.gettext("Key figures") == "Key figures"


def test_both_catalogues_exist():
    assert {path.parts[-3] for path in CATALOGUES} == {"fr", "en"}


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: p.parts[-3])
def test_catalogue_complete(po_path):
    catalogue = polib.pofile(str(po_path))
    missing = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert missing == [] and fuzzy == []


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: p.parts[-3])
def test_compiled_catalogue_matches_its_source(po_path):
    """The committed .mo holds exactly the .po's translations (run `make messages`)."""
    source = {
        (entry.msgctxt, entry.msgid): entry.msgstr or entry.msgstr_plural.get(0, "")
        for entry in polib.pofile(str(po_path)).translated_entries()
    }
    compiled = {
        (entry.msgctxt, entry.msgid): entry.msgstr or entry.msgstr_plural.get(0, "")
        for entry in polib.mofile(str(po_path.with_suffix(".mo")))
        if entry.msgid
    }
    assert compiled == source
