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
from entreprises.demo import vocabulary as words
from entreprises.enums import CooperativeType, LegalForm, Status
from entreprises.models import Enterprise, Sector

PLACES_FILE = Path(__file__).resolve().parent / "places.toml"

# Shares of the ISQ portrait: about 75 % non-profits, 22 % non-financial
# cooperatives, 3 % financial cooperatives and mutuals.
LEGAL_FORM_WEIGHTS = {LegalForm.NONPROFIT: 75, LegalForm.COOPERATIVE: 23, LegalForm.MUTUAL: 2}
STATUS_WEIGHTS = {Status.PUBLISHED: 94, Status.DRAFT: 4, Status.ARCHIVED: 2}
SLUG_TOKEN_LENGTH = 8


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
        name_fr = f"{form_fr} {sector_fr} {brand}"
        name_en = f"{brand} {sector_en} {form_en}"
        latitude, longitude = self._point(place)
        enterprise = Enterprise(
            name_fr=name_fr,
            name_en=name_en,
            slug=self.new_slug(name_fr),
            legal_form=legal_form,
            cooperative_type=cooperative_type,
            description_fr=(
                f"{name_fr} est active à {place.city} dans le secteur « {primary.name_fr} ». "
                f"{words.DEMO_NOTICE_FR}"
            ),
            description_en=(
                f"{name_en} works in {place.city} in the “{primary.name_en or primary.name_fr}” "
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
        return enterprise, primary, others

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
