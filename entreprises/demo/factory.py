"""Builds fictitious but realistic enterprises, placed in real Québec towns."""

import math
import random
import string
import tomllib
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from django.utils import timezone
from django.utils.text import slugify

from common.validators import (
    QUEBEC_MAX_LATITUDE,
    QUEBEC_MAX_LONGITUDE,
    QUEBEC_MIN_LATITUDE,
    QUEBEC_MIN_LONGITUDE,
)
from entreprises import opening_hours
from entreprises.demo import vocabulary as words
from entreprises.enums import CooperativeType, Customer, LegalForm, Status, StepFreeAccess
from entreprises.models import Enterprise, Sector

PLACES_FILE = Path(__file__).resolve().parent / "places.toml"

# Shares of the ISQ portrait: about 75 % non-profits, 22 % non-financial
# cooperatives, 3 % financial cooperatives and mutuals.
LEGAL_FORM_WEIGHTS = {LegalForm.NONPROFIT: 75, LegalForm.COOPERATIVE: 23, LegalForm.MUTUAL: 2}
STATUS_WEIGHTS = {Status.PUBLISHED: 94, Status.DRAFT: 4, Status.ARCHIVED: 2}
SLUG_TOKEN_LENGTH = 8
# Most records do not say whether their entrance is step-free.
ACCESS_WEIGHTS = {
    StepFreeAccess.UNKNOWN: 40,
    StepFreeAccess.YES: 30,
    StepFreeAccess.PARTIAL: 15,
    StepFreeAccess.NO: 15,
}


@dataclass(frozen=True)
class Place:
    region: str
    city: str
    latitude: float
    longitude: float
    spread: float
    fsa: tuple[str, ...]
    weight: int
    pole: str = ""


def load_places(path: Path = PLACES_FILE) -> list[Place]:
    with path.open("rb") as file:
        rows = tomllib.load(file)["place"]
    return [Place(**{**row, "fsa": tuple(row["fsa"])}) for row in rows]


class DemoFactory:
    """Makes unsaved Enterprise objects with their sectors; the caller saves them in bulk."""

    def __init__(
        self, *, rng: random.Random, places, regions, poles_by_slug, poles_by_region, sectors
    ):
        self.rng = rng
        self.places = [p for p in places if p.region in regions]
        self.place_weights = [p.weight for p in self.places]
        self.regions = regions
        self.poles_by_slug = poles_by_slug
        self.poles_by_region = poles_by_region
        self.sectors = [s for s in sectors if s.slug in words.SECTOR_WORDS]
        self.used_slugs: set[str] = set()
        self.today = timezone.localdate()
        # The details of richer records are drawn apart, so that the records' other
        # values stay those a seed always gave.
        self.details = random.Random()
        self.details.setstate(rng.getstate())

    def build(self) -> tuple[Enterprise, Sector, list[Sector]]:
        rng = self.rng
        place = rng.choices(self.places, weights=self.place_weights)[0]
        legal_form = rng.choices(list(LEGAL_FORM_WEIGHTS), weights=LEGAL_FORM_WEIGHTS.values())[0]
        cooperative_type = ""
        if legal_form == LegalForm.MUTUAL:
            primary = next(s for s in self.sectors if s.slug == "finance-solidaire-assurances")
        else:
            primary = rng.choice(self.sectors)
        if legal_form == LegalForm.COOPERATIVE:
            cooperative_type = rng.choice(CooperativeType.values)
        others = rng.sample([s for s in self.sectors if s != primary], k=rng.choice((0, 0, 1, 2)))

        form_fr, form_en = self._form(legal_form, cooperative_type)
        sector_fr, sector_en, mission_fr, mission_en = words.SECTOR_WORDS[primary.slug]
        brand = f"{rng.choice(words.BRANDS)} de {place.city}"
        # Only French: a name is written as the enterprise writes it, never translated.
        name_fr = f"{form_fr} {sector_fr} {brand}"
        latitude, longitude = self._point(place)
        enterprise = Enterprise(
            name_fr=name_fr,
            slug=self.new_slug(name_fr),
            legal_form=legal_form,
            cooperative_type=cooperative_type,
            description_fr=(
                f"{name_fr} est active à {place.city} dans le secteur « {primary.name_fr} ». "
                f"{words.DEMO_NOTICE_FR}"
            ),
            description_en=(
                f"{name_fr} works in {place.city} in the “{primary.name_en or primary.name_fr}” "
                f"sector. {words.DEMO_NOTICE_EN}"
            ),
            mission_fr=mission_fr,
            mission_en=mission_en,
            pole=self._pole(place),
            region=self.regions[place.region],
            street_address=f"{rng.randint(1, 2999)}, {rng.choice(words.STREETS)}",
            city=place.city,
            postal_code=self._postal_code(place),
            latitude=latitude,
            longitude=longitude,
            phone=f"{rng.choice(words.AREA_CODES[place.region])} 555-01{rng.randint(0, 99):02d}",
            email=f"info@{enterprise_domain(name_fr)}",
            website=f"https://{enterprise_domain(name_fr)}/",
            founded_year=self._founded_year(),
            employees=self._employees(),
            status=rng.choices(list(STATUS_WEIGHTS), weights=STATUS_WEIGHTS.values())[0],
            is_demo=True,
            last_verified_at=(
                self.today - timedelta(days=rng.randint(0, 3 * 365)) if rng.random() < 0.6 else None
            ),
        )
        self._add_details(enterprise)
        return enterprise, primary, others

    def _add_details(self, enterprise: Enterprise) -> None:
        """Hours, access, offer and customers, as some real records have them."""
        rng = self.details
        if rng.random() < 0.6:
            enterprise.opening_hours = opening_hours.parse(rng.choice(words.OPENING_HOURS))
            if rng.random() < 0.4:
                note_fr, note_en = rng.choice(words.HOURS_NOTES)
                enterprise.opening_hours_note_fr = note_fr
                enterprise.opening_hours_note_en = note_en
        enterprise.step_free_access = rng.choices(
            list(ACCESS_WEIGHTS), weights=ACCESS_WEIGHTS.values()
        )[0]
        if rng.random() < 0.7:
            offers = rng.sample(words.OFFERS, k=rng.randint(2, 4))
            enterprise.products_services_fr = "; ".join(fr for fr, _en in offers).capitalize() + "."
            enterprise.products_services_en = "; ".join(en for _fr, en in offers).capitalize() + "."
            enterprise.sells_to = sorted(
                rng.sample(Customer.values, k=rng.randint(1, 3)), key=Customer.values.index
            )
        if rng.random() < 0.3:
            enterprise.other_social_url = (
                f"https://social.example/@{slugify(enterprise.name_fr)[:30]}"
            )

    def new_slug(self, name: str) -> str:
        alphabet = string.ascii_lowercase + string.digits
        while True:
            token = "".join(self.rng.choices(alphabet, k=SLUG_TOKEN_LENGTH))
            slug = f"{slugify(name)[:200]}-{token}"
            if slug not in self.used_slugs:
                self.used_slugs.add(slug)
                return slug

    def _form(self, legal_form: str, cooperative_type: str) -> tuple[str, str]:
        if legal_form == LegalForm.COOPERATIVE:
            return words.COOPERATIVE_FORMS[cooperative_type]
        if legal_form == LegalForm.MUTUAL:
            return words.MUTUAL_FORM
        return self.rng.choice(words.NONPROFIT_FORMS)

    def _pole(self, place: Place):
        if place.pole:
            return self.poles_by_slug.get(place.pole)
        serving = self.poles_by_region.get(place.region, [])
        return serving[0] if len(serving) == 1 else None

    def _point(self, place: Place) -> tuple[Decimal, Decimal]:
        # Uniform in a disc, shrunk in longitude so the disc is round on the ground.
        radius = place.spread * math.sqrt(self.rng.random())
        angle = self.rng.uniform(0, 2 * math.pi)
        latitude = place.latitude + radius * math.sin(angle)
        longitude = place.longitude + radius * math.cos(angle) / math.cos(
            math.radians(place.latitude)
        )
        latitude = min(max(latitude, QUEBEC_MIN_LATITUDE), QUEBEC_MAX_LATITUDE)
        longitude = min(max(longitude, QUEBEC_MIN_LONGITUDE), QUEBEC_MAX_LONGITUDE)
        return Decimal(f"{latitude:.6f}"), Decimal(f"{longitude:.6f}")

    def _postal_code(self, place: Place) -> str:
        letters = "ABCEGHJKLMNPRSTVWXYZ"
        rng = self.rng
        return (
            f"{rng.choice(place.fsa)} {rng.randint(0, 9)}{rng.choice(letters)}{rng.randint(0, 9)}"
        )

    def _founded_year(self) -> int:
        # Most collective enterprises in the directory are a few decades old.
        age = min(int(self.rng.expovariate(1 / 18)), 120)
        return self.today.year - age

    def _employees(self) -> int:
        # About 65 % have fewer than 10 employees (ISQ portrait 2016).
        return int(self.rng.lognormvariate(1.8, 1.2))


def enterprise_domain(name: str) -> str:
    """A domain under `.example`, reserved for examples and never resolvable."""
    return f"{slugify(name)[:50].strip('-')}.example"
