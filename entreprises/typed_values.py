"""What people type in a spreadsheet's cells, read as the values they mean.

A legal form, a status or a type of cooperative by its code, its French or English label
or a usual abbreviation (OBNL, OSBL, coop); a pole by its name, short name, slug or the
region it alone serves; a region by its name or code; a sector by its name in either
language or its slug. Case, accents, punctuation and spacing never matter: every
spelling goes through `typed_key`.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils import translation
from django.utils.translation import gettext as _

from common.api.languages import LANGUAGE_CODES
from entreprises.enums import CooperativeType, Customer, LegalForm, Status, StepFreeAccess
from entreprises.models import Sector
from entreprises.search import fold
from poles.models import Pole, Region

# Usual spellings beyond the codes and the labels of entreprises/enums.py.
ABBREVIATIONS = {
    LegalForm.COOPERATIVE: ["coop", "co-op", "cooperative"],
    LegalForm.NONPROFIT: [
        "OBNL",
        "OSBL",
        "NPO",
        "organisme sans but lucratif",
        "organisme à but non lucratif",
        "non-profit",
        "nonprofit",
        "not-for-profit",
    ],
    LegalForm.MUTUAL: ["mutuelle"],
    CooperativeType.CONSUMER: ["consommateurs", "consumer", "coop de consommateurs"],
    CooperativeType.PRODUCER: ["producteurs", "producer", "coop de producteurs"],
    CooperativeType.WORKER: ["travail", "worker", "coop de travail"],
    CooperativeType.WORKER_SHAREHOLDER: [
        "travailleurs actionnaires",
        "coopérative de travailleurs actionnaires",
        "worker shareholder",
        "coop de travailleurs actionnaires",
    ],
    CooperativeType.SOLIDARITY: ["solidarité", "solidarity", "coop de solidarité"],
    Status.DRAFT: ["brouillon"],
    Status.PUBLISHED: ["publié", "publiée", "en ligne"],
    Status.ARCHIVED: ["archivé", "archivée"],
    Customer.PUBLIC: ["grand public", "particuliers", "citoyens", "individuals", "consumers"],
    Customer.BUSINESSES: ["entreprises", "B2B", "companies"],
    Customer.PUBLIC_BODIES: [
        "organismes publics",
        "secteur public",
        "institutions publiques",
        "public sector",
        "government",
    ],
    StepFreeAccess.YES: ["oui", "o", "y"],
    StepFreeAccess.PARTIAL: ["partiel", "partielle", "partiellement", "partly"],
    StepFreeAccess.NO: ["non", "n"],
    StepFreeAccess.UNKNOWN: ["inconnu", "inconnue", "ne sait pas", "not known"],
}

# What a pole's name says before its territory: "Pôle régional d'économie sociale de la".
_POLE_NAME_HEAD = re.compile(r"^.*?economie sociale (?:de la |de l |du |des |de )?")
_ACRONYM = re.compile(r"\(([^)]+)\)")


def typed_key(text: str) -> str:
    """The one reading of a typed value: lower case, no accents, words separated by single
    spaces whatever punctuation or spacing stood between them."""
    return " ".join(re.split(r"[\W_]+", fold(str(text)))).strip()


class Ambiguous(Exception):
    """The value names several things; the message says which."""


@dataclass
class Vocabulary:
    """The things one column may name, each findable by every spelling given for it."""

    # How the column's things are named in messages, e.g. "legal form".
    what: str
    labels: dict = field(default_factory=dict)  # thing -> its label in the current language
    _by_key: dict = field(default_factory=dict)  # key -> set of things

    def add(self, thing, label: str, spellings: Iterable[str]) -> None:
        self.labels[thing] = label
        for spelling in [label, *spellings]:
            key = typed_key(spelling)
            if key:
                self._by_key.setdefault(key, set()).add(thing)

    def find(self, typed: str, *, among=None):
        """The thing `typed` names (of `among` when given); None when it names nothing;
        Ambiguous when several."""
        found = self._by_key.get(typed_key(typed), set())
        if among is not None and len(found) > 1:
            found = {thing for thing in found if thing in among} or found
        if len(found) > 1:
            names = sorted(self.labels[thing] for thing in found)
            raise Ambiguous(
                _("“%(value)s” may be %(names)s: write the full name.")
                % {"value": typed, "names": _joined(names)}
            )
        return next(iter(found), None)

    def unknown(self, typed: str, *, among=None) -> str:
        """The message for a value that names nothing, with the values accepted (those of
        `among` when given)."""
        return _("“%(value)s” is not a known %(what)s. Accepted values: %(values)s.") % {
            "value": typed,
            "what": self.what,
            "values": _joined(self.accepted(among=among)),
        }

    def accepted(self, *, among=None) -> list[str]:
        return [label for thing, label in self.labels.items() if among is None or thing in among]


def _joined(names: list[str]) -> str:
    return ", ".join(names)


def _choices(what: str, choices) -> Vocabulary:
    vocabulary = Vocabulary(what=what)
    for choice in choices:
        spellings = [choice.value, *ABBREVIATIONS.get(choice, [])]
        for code in LANGUAGE_CODES:
            with translation.override(code):
                spellings.append(str(choice.label))
        vocabulary.add(choice.value, str(choice.label), spellings)
    return vocabulary


def legal_forms() -> Vocabulary:
    return _choices(_("legal form"), LegalForm)


def cooperative_types() -> Vocabulary:
    return _choices(_("type of cooperative"), CooperativeType)


def statuses() -> Vocabulary:
    return _choices(_("status"), Status)


def customers() -> Vocabulary:
    return _choices(_("customer"), Customer)


def step_free_access() -> Vocabulary:
    return _choices(_("step-free access"), StepFreeAccess)


def region_label(region: Region) -> str:
    return f"{region.code} {region.name}"


def regions(all_regions: Iterable[Region]) -> Vocabulary:
    vocabulary = Vocabulary(what=_("region"))
    for region in all_regions:
        spellings = [region.code, region.code.lstrip("0")]
        spellings += [getattr(region, f"name_{code}") or "" for code in LANGUAGE_CODES]
        vocabulary.add(region, region_label(region), spellings)
    return vocabulary


def pole_short_names(pole: Pole) -> list[str]:
    """ "Estrie" for "Réseau des entreprises d'économie sociale de l'Estrie"; the acronym in
    parentheses, "TRESCA", for a name that ends with one."""
    names = _ACRONYM.findall(pole.name_fr or "")
    head = _POLE_NAME_HEAD.sub("", typed_key(_ACRONYM.sub("", pole.name_fr or "")))
    return [*names, head]


def poles(all_poles: Iterable[Pole]) -> Vocabulary:
    """Poles whose regions are prefetched. A region's name or code names the pole that
    serves it, when only one does (Montérégie has three)."""
    vocabulary = Vocabulary(what=_("pole"))
    for pole in all_poles:
        spellings = [pole.slug, *pole_short_names(pole)]
        spellings += [getattr(pole, f"name_{code}") or "" for code in LANGUAGE_CODES]
        for region in pole.regions.all():
            spellings += [region.code, region.name_fr or "", region.name_en or ""]
        vocabulary.add(pole, pole.name, spellings)
    return vocabulary


def sectors(all_sectors: Iterable[Sector]) -> Vocabulary:
    vocabulary = Vocabulary(what=_("sector"))
    for sector in all_sectors:
        spellings = [sector.slug, *(getattr(sector, f"name_{c}") or "" for c in LANGUAGE_CODES)]
        vocabulary.add(sector, sector.name, spellings)
    return vocabulary
