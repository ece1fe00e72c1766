"""French text follows the OQLF's typography: a no-break space before `:` and inside
« », and the typographic apostrophe (’), in the interface catalogue and the reference data."""

import re
import tomllib
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "locale" / "fr" / "LC_MESSAGES" / "django.po"
REFERENCE = ROOT / "chantier" / "reference"

# A plain space (U+0020) where a no-break space belongs, or a straight apostrophe.
FAULTS = {
    "plain space before a colon": re.compile(r" :"),
    "plain space inside « »": re.compile(r"« | »"),
    "straight apostrophe": re.compile(r"'"),
}


def faults_in(text: str) -> list[str]:
    return [name for name, pattern in FAULTS.items() if pattern.search(text)]


def catalogue_texts():
    for entry in polib.pofile(str(CATALOGUE)):
        for text in [entry.msgstr, *entry.msgstr_plural.values()]:
            if text:
                yield entry.msgid[:60], text


def reference_texts():
    """Every French string of the TOML files: values of keys `fr` and `*_fr`. Lists of
    search synonyms are left out: they match what people type, straight apostrophes included."""

    def walk(where, value):
        if isinstance(value, dict):
            for key, item in value.items():
                if isinstance(item, str) and (key == "fr" or key.endswith("_fr")):
                    yield f"{where}.{key}", item
                else:
                    yield from walk(f"{where}.{key}", item)
        elif isinstance(value, list):
            for position, item in enumerate(value):
                yield from walk(f"{where}[{position}]", item)

    for path in sorted(REFERENCE.glob("*.toml")):
        yield from walk(path.name, tomllib.loads(path.read_text()))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Source\u00a0: l’ISQ, «\u00a0portrait\u00a0»", []),
        ("Source : l’ISQ", ["plain space before a colon"]),
        ("un « portrait »", ["plain space inside « »"]),
        ("l'ISQ", ["straight apostrophe"]),
    ],
)
def test_faults_are_found(text, expected):
    assert faults_in(text) == expected


def test_french_catalogue_follows_french_typography():
    found = [(msgid, faults) for msgid, text in catalogue_texts() if (faults := faults_in(text))]
    assert found == []


def test_french_reference_text_follows_french_typography():
    texts = list(reference_texts())
    assert len(texts) > 100
    found = [(where, faults) for where, text in texts if (faults := faults_in(text))]
    assert found == []
